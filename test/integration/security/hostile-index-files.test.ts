import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EngineError } from '../../../app/contract/errors.js';
import type { IndexInfo, SearchResult } from '../../../app/contract/operations.js';
import { startEngine, python } from '../../helpers/engine.js';

let ctx: Awaited<ReturnType<typeof startEngine>>;
let dir: string;
let witness: IndexInfo;

const D = 32;
// Python faiss writes valid files, then spoils the one field each attack needs
const MAKE = `import sys, faiss, numpy as np
d, out = ${D}, sys.argv[1]
rng = np.random.default_rng(3); x = rng.random((2000, d), dtype='float32')
h = faiss.IndexHNSWFlat(d, 8); h.add(x); faiss.write_index(h, out + '/hnsw.faiss')
h.hnsw.entry_point = 5000; faiss.write_index(h, out + '/hnsw-entry.faiss')
h = faiss.read_index(out + '/hnsw.faiss')
nb = faiss.vector_to_array(h.hnsw.neighbors); nb[777] = 1 << 30; faiss.copy_array_to_vector(nb, h.hnsw.neighbors)
faiss.write_index(h, out + '/hnsw-neighbour.faiss')
ivf = faiss.index_factory(d, 'IVF16,Flat'); ivf.train(x); ivf.add(x); faiss.write_index(ivf, out + '/ivf.faiss')
ivf.quantizer.add(x[:8]); faiss.write_index(ivf, out + '/ivf-centroids.faiss')
f = faiss.IndexFlatL2(d); f.add(x); faiss.write_index(f, out + '/flat.faiss')
`;

function workerRss(): number {
  const status = readFileSync(`/proc/${ctx.engine.workerPid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) * 1024;
}

before(async () => {
  ctx = await startEngine({ defaults: [] });
  dir = ctx.dataDir;
  python(MAKE, [dir]);
  witness = (await ctx.engine.handle('loadIndex', { path: path.join(dir, 'flat.faiss') })) as IndexInfo;
});
after(async () => ctx.stop());

async function refused(file: string, message: RegExp): Promise<void> {
  await assert.rejects(ctx.engine.handle('loadIndex', { path: file }), (err: unknown) => err instanceof EngineError && err.code === 'BAD_FILE' && message.test(err.message), file);
}

/** The worker that was there before is still there, answers health, and the witness index searches. */
async function untouched(pid: number | undefined): Promise<void> {
  assert.equal(ctx.engine.workerPid, pid, 'the worker was not restarted');
  assert.deepEqual(await ctx.engine.handle('health', {}), { status: 'ok', version: 'test' });
  const r = (await ctx.engine.handle('search', { index: witness.id, queries: { kind: 'vectors', data: [new Array(D).fill(0.5)] }, k: 3 })) as SearchResult;
  assert.equal(r.labels.length, 3);
}

test('a valid HNSW file passes the probe and loads', async () => {
  const ix = (await ctx.engine.handle('loadIndex', { path: path.join(dir, 'hnsw.faiss') })) as IndexInfo;
  assert.equal(ix.ntotal, 2000);
  assert.equal(ix.factory, 'IndexHNSWFlat');
});

test('HNSW files with an out-of-range entry point or neighbour id are refused', async () => {
  const pid = ctx.engine.workerPid;
  await refused(path.join(dir, 'hnsw-entry.faiss'), /entry point 5000 is outside/);
  await refused(path.join(dir, 'hnsw-neighbour.faiss'), /neighbour id 1073741824 is outside/);
  await untouched(pid);
});

test('an IVF file whose quantizer holds more centroids than nlist is refused', async () => {
  const pid = ctx.engine.workerPid;
  await refused(path.join(dir, 'ivf-centroids.faiss'), /24 centroids for nlist 16/);
  await untouched(pid);
});

test('a small file claiming gigabytes never reaches the worker', async () => {
  const pid = ctx.engine.workerPid;
  const rss = workerRss();
  const bytes = readFileSync(path.join(dir, 'flat.faiss'));
  // IndexFlat: "IxF2", d, ntotal, two dummies, is_trained, metric, then the codes' float count
  assert.equal(bytes.readBigUInt64LE(37), 2000n * BigInt(D));
  bytes.writeBigUInt64LE(1n << 29n, 37);
  writeFileSync(path.join(dir, 'flat-huge.faiss'), bytes);
  await refused(path.join(dir, 'flat-huge.faiss'), /claims more memory than its 256,045 bytes|not a faiss index/);
  assert.ok(workerRss() - rss < 64 * 2 ** 20, 'the worker did not grow');
  await untouched(pid);
});

test('truncated files are refused', async () => {
  const pid = ctx.engine.workerPid;
  for (const name of ['hnsw.faiss', 'ivf.faiss']) {
    const bytes = readFileSync(path.join(dir, name));
    for (const keep of [0, 3, 40, Math.floor(bytes.length / 2), bytes.length - 1]) {
      writeFileSync(path.join(dir, 'cut.faiss'), bytes.subarray(0, keep));
      await refused(path.join(dir, 'cut.faiss'), /./);
    }
  }
  await untouched(pid);
});

test('byte flips anywhere in valid files are refused or load into something that searches', async () => {
  const pid = ctx.engine.workerPid;
  let loaded = 0;
  let refusedCount = 0;
  for (const name of ['hnsw.faiss', 'ivf.faiss']) {
    const good = readFileSync(path.join(dir, name));
    // the headers densely, then the body spread out
    const offsets = [...Array.from({ length: 96 }, (_, i) => i), ...Array.from({ length: 64 }, (_, i) => Math.floor(((i + 0.5) * good.length) / 64))];
    for (const at of offsets) {
      const bytes = Buffer.from(good);
      bytes[at] ^= at % 2 ? 0xff : 0x80;
      const file = path.join(dir, 'flipped.faiss');
      writeFileSync(file, bytes);
      try {
        const ix = (await ctx.engine.handle('loadIndex', { path: file })) as IndexInfo;
        await ctx.engine.handle('search', { index: ix.id, queries: { kind: 'vectors', data: [new Array(ix.dim).fill(0.5)] }, k: 5 });
        await ctx.engine.handle('dropIndex', { id: ix.id });
        loaded++;
      } catch (err) {
        assert.ok(err instanceof EngineError && err.code !== 'INTERNAL' && err.code !== 'WORKER_RESTARTED', `${name} flipped at ${at}: ${String(err)}`);
        refusedCount++;
      }
    }
  }
  assert.ok(refusedCount > 50, `most flips are refused (${refusedCount} refused, ${loaded} loaded)`);
  await untouched(pid);
});
