import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DatasetInfo } from '../../../app/contract/operations.js';
import { startEngine, jobEnd, python } from '../../helpers/engine.js';

const BUDGET = 64 << 20;
let ctx: Awaited<ReturnType<typeof startEngine>>;
let dir: string;

// each file is small; each claims far more than it holds, or than the budget allows
const MAKE = `import sys, zipfile, io, struct, numpy as np, h5py
out = sys.argv[1]
def header_only(name, shape):
    d = "{'descr': '<f4', 'fortran_order': False, 'shape': %s, }" % (shape,)
    d += ' ' * (63 - (10 + len(d)) % 64) + '\\n'
    open(out + '/' + name, 'wb').write(b'\\x93NUMPY\\x01\\x00' + struct.pack('<H', len(d)) + d.encode())
header_only('claims-4g.npy', (2097152, 512))
header_only('claims-1e12.npy', (10**12, 64))
np.savez_compressed(out + '/zeros-2g.npz', x=np.zeros((2**20, 512), dtype='float32'))
buf = io.BytesIO(); np.save(buf, np.zeros((1000, 16), dtype='float32'))
with zipfile.ZipFile(out + '/small.npz', 'w', zipfile.ZIP_DEFLATED) as z: z.writestr('x.npy', buf.getvalue())
with h5py.File(out + '/small.hdf5', 'w') as f:
    f.create_dataset('train', data=np.ones((100, 8), dtype='float32'))
with h5py.File(out + '/no-data.hdf5', 'w') as f:
    f.create_dataset('train', shape=(2**20, 1024), dtype='float32')
    f.create_dataset('test', shape=(10, 1024), dtype='float32')
with h5py.File(out + '/no-data-chunked.hdf5', 'w') as f:
    f.create_dataset('train', shape=(2**20, 1024), dtype='float32', chunks=(1024, 1024), compression='gzip')
np.random.default_rng(1).random((40000, 256), dtype='float32').tofile(out + '/raw.f32')
`;

function lyingNpz(): void {
  // the directory says the entry inflates to 4 GiB from its few compressed bytes
  const bytes = readFileSync(path.join(dir, 'small.npz'));
  const central = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  bytes.writeUInt32LE(0xfffffff0, central + 24);
  writeFileSync(path.join(dir, 'lying.npz'), bytes);
}

function fvecs(rows: number, dim: number): string {
  const raw = readFileSync(path.join(dir, 'raw.f32'));
  const out = Buffer.alloc(rows * (4 + dim * 4));
  for (let r = 0; r < rows; r++) {
    out.writeInt32LE(dim, r * (4 + dim * 4));
    raw.copy(out, r * (4 + dim * 4) + 4, r * dim * 4, (r + 1) * dim * 4);
  }
  const file = path.join(dir, `${rows}x${dim}.fvecs`);
  writeFileSync(file, out);
  return file;
}

function workerRss(): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${ctx.engine.workerPid}/status`, 'utf8'))?.[1]) * 1024;
}

before(async () => {
  ctx = await startEngine({ defaults: [], memoryBudget: BUDGET });
  dir = ctx.dataDir;
  python(MAKE, [dir]);
  lyingNpz();
  // the HDF5 library's WebAssembly takes ~600 MiB once per worker: load it before measuring
  const warm = await open({ kind: 'file', path: path.join(dir, 'small.hdf5') });
  assert.equal(warm.status, 'done', warm.error?.message);
});
after(async () => ctx.stop());

async function open(source: Record<string, unknown>): Promise<{ status: string; error?: { code: string; message: string }; info?: DatasetInfo }> {
  const { job } = (await ctx.engine.handle('openDataset', { source })) as { job: string };
  const end = await jobEnd(ctx.events, job);
  return { status: end.status, error: end.error, info: end.status === 'done' ? ((await ctx.engine.handle('jobResult', { id: job })) as DatasetInfo) : undefined };
}

async function refused(source: Record<string, unknown>, code: string, message: RegExp): Promise<void> {
  const r = await open(source);
  assert.equal(r.status, 'failed', JSON.stringify(source));
  assert.equal(r.error?.code, code, r.error?.message);
  assert.match(r.error?.message ?? '', message);
}

test('header claims beyond the file are refused before allocation, and the worker stays small', async () => {
  const pid = ctx.engine.workerPid;
  const rss = workerRss();
  await refused({ kind: 'file', path: path.join(dir, 'claims-4g.npy') }, 'FILE_TRUNCATED', /shape \(2097152, 512\).*claims 4,294,967,296 bytes.*the file has/);
  await refused({ kind: 'file', path: path.join(dir, 'claims-1e12.npy') }, 'FILE_TRUNCATED', /claims/);
  await refused({ kind: 'file', path: path.join(dir, 'lying.npz') }, 'FILE_TRUNCATED', /array "x.npy" in the .npz claims/);
  await refused({ kind: 'file', path: path.join(dir, 'no-data.hdf5') }, 'FILE_TRUNCATED', /dataset "train" \(shape \(1048576, 1024\)\) claims/);
  await refused({ kind: 'file', path: path.join(dir, 'no-data-chunked.hdf5') }, 'FILE_TRUNCATED', /compressed/);
  assert.ok(workerRss() - rss < 64 * 2 ** 20, `the worker grew by ${((workerRss() - rss) / 2 ** 20).toFixed(0)} MiB`);
  assert.equal(ctx.engine.workerPid, pid);
});

test('a 2 MB .npz of 2 GiB of zeros is refused by the memory budget, not inflated', async () => {
  const rss = workerRss();
  await refused({ kind: 'file', path: path.join(dir, 'zeros-2g.npz') }, 'MEMORY_BUDGET', /needs 2\.0 GiB.*left of 64\.0 MiB.*--memory-budget/);
  assert.ok(workerRss() - rss < 64 * 2 ** 20);
});

test('the budget counts the datasets already loaded, for files and generated sets alike', async () => {
  const first = await open({ kind: 'file', path: fvecs(40000, 256) }); // 39 MiB
  assert.equal(first.status, 'done', first.error?.message);
  await refused({ kind: 'file', path: fvecs(30000, 256) }, 'MEMORY_BUDGET', /left of 64\.0 MiB/);
  await refused({ kind: 'generate', generator: 'tutorial', n: 200_000 }, 'MEMORY_BUDGET', /generated set of 210000 vectors of 64 dims/);
});

test('two opens at once are measured one after the other: together past the budget, one of them is refused', async () => {
  const other = await startEngine({ defaults: [], memoryBudget: BUDGET });
  try {
    const files = ['a', 'b'].map((name) => {
      const file = path.join(other.dataDir, `${name}.fvecs`);
      copyFileSync(fvecs(40000, 256), file); // 39 MiB each, 64 MiB for both
      return file;
    });
    const ends = await Promise.all(
      files.map(async (file) => {
        const { job } = (await other.engine.handle('openDataset', { source: { kind: 'file', path: file } })) as { job: string };
        return jobEnd(other.events, job);
      }),
    );
    assert.deepEqual(ends.map((e) => e.status).sort(), ['done', 'failed']);
    assert.equal(ends.find((e) => e.status === 'failed')?.error?.code, 'MEMORY_BUDGET');
  } finally {
    await other.stop();
  }
});

test('a metadata file is held to the budget too: one too big for what is left is refused before it is parsed', async () => {
  const other = await startEngine({ defaults: [], memoryBudget: BUDGET });
  try {
    const vectors = path.join(other.dataDir, 'v.fvecs');
    copyFileSync(fvecs(1000, 256), vectors);
    const meta = path.join(other.dataDir, 'v-meta.tsv');
    // 1000 rows of 20 KB labels: 20 MB of text, parsed into strings several times that
    writeFileSync(meta, `label\n${Array.from({ length: 1000 }, (_, i) => `${i}`.padEnd(20_000, 'x')).join('\n')}\n`);
    const { job } = (await other.engine.handle('openDataset', { source: { kind: 'file', path: vectors, metadata: meta } })) as { job: string };
    const end = await jobEnd(other.events, job);
    assert.equal(end.status, 'failed');
    assert.equal(end.error?.code, 'MEMORY_BUDGET', end.error?.message);
    assert.match(end.error?.message ?? '', /metadata file "v-meta\.tsv"/);
  } finally {
    await other.stop();
  }
});

test('deeply nested JSON is a BAD_FILE, not a stack overflow', async () => {
  const depth = 200_000;
  writeFileSync(path.join(dir, 'deep.json'), `[${'['.repeat(depth)}${']'.repeat(depth)}]`);
  await refused({ kind: 'file', path: path.join(dir, 'deep.json') }, 'BAD_FILE', /nests deeper/);
  assert.deepEqual(await ctx.engine.handle('health', {}), { status: 'ok', version: 'test' });
});
