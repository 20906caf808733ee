import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EngineError } from '../../../app/contract/errors.js';
import type { IndexInfo, SearchResult, JobInfo } from '../../../app/contract/operations.js';
import { tutorialSet } from '../../../app/datasets/generators.js';
import type { ToWorker } from '../../../app/contract/worker-protocol.js';
import { forkWorker } from '../../../main/engine/fork-worker.js';
import { startEngine, jobEnd, python, WORKER_ENTRY } from '../../helpers/engine.js';
import { waitFor } from '../../helpers/wait-for.js';

let ctx: Awaited<ReturnType<typeof startEngine>>;
/** the operations EngineHost sent its workers, in order: a test can wait until a call has left */
const sent: string[] = [];
// one Flat index that every test may search; each test builds anything else it needs itself
let flat: IndexInfo;
before(async () => {
  const fork = forkWorker(WORKER_ENTRY);
  const spawnWorker = () => {
    const w = fork();
    const post = (m: ToWorker) => {
      if (m.type === 'call') sent.push(m.op);
      w.post(m);
    };
    return { ...w, post };
  };
  ctx = await startEngine({ spawnWorker, defaults: [{ id: 'tutorial', name: 'tutorial', source: { kind: 'generate', generator: 'tutorial' } }] });
  flat = await build('Flat');
});
after(async () => ctx.stop());

async function build(factory: string, metric: 'l2' | 'ip' | 'cosine' = 'l2'): Promise<IndexInfo> {
  const { job } = (await ctx.engine.handle('buildIndex', { dataset: 'tutorial', factory, metric })) as { job: string };
  const end = await jobEnd(ctx.events, job);
  assert.equal(end.status, 'done', JSON.stringify(end.error));
  return (await ctx.engine.handle('jobResult', { id: job })) as IndexInfo;
}

async function rejects(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (err: unknown) => err instanceof EngineError && err.code === code);
}

test('the tutorial set through Flat gives the labels Python faiss gives (first 100 queries)', async () => {
  assert.equal(flat.status, 'ready');
  assert.equal(flat.ntotal, 100_000);
  assert.equal(flat.is_trained, true);
  const progress = ctx.events.filter((e) => e.type === 'progress' && e.phase === 'add');
  assert.ok(progress.length >= 2, 'add reports progress in chunks');

  const set = tutorialSet();
  const dir = ctx.dataDir;
  writeFileSync(path.join(dir, 'xb.f32'), set.base);
  writeFileSync(path.join(dir, 'xq.f32'), set.queries.subarray(0, 100 * 64));
  const out = python(
    `import sys, numpy as np, faiss
xb = np.fromfile(sys.argv[1] + '/xb.f32', dtype='float32').reshape(-1, 64)
xq = np.fromfile(sys.argv[1] + '/xq.f32', dtype='float32').reshape(-1, 64)
index = faiss.IndexFlatL2(64); index.add(xb)
D, I = index.search(xq, 4)
print(' '.join(map(str, I.ravel().tolist())))`,
    [dir],
  );
  const expected = out.trim().split(' ').map(Number);
  const rows = Array.from({ length: 100 }, (_, i) => i);
  const r = (await ctx.engine.handle('search', { index: flat.id, queries: { kind: 'queryRows', rows }, k: 4 })) as SearchResult;
  assert.equal(r.n, 100);
  assert.deepEqual(Array.from(r.labels), expected);
});

test('the built index is saved in faiss format and Python can read it', () => {
  assert.ok(flat.path && existsSync(flat.path));
  const out = python(`import sys, faiss; ix = faiss.read_index(sys.argv[1]); print(ix.ntotal, ix.d)`, [flat.path!]);
  assert.equal(out.trim(), '100000 64');
});

test('an unknown factory string is refused before any job starts', async () => {
  const before = ctx.events.length;
  await rejects(ctx.engine.handle('buildIndex', { dataset: 'tutorial', factory: 'NotAnIndex42', metric: 'l2' }), 'BAD_FACTORY');
  assert.equal(ctx.events.slice(before).filter((e) => e.type === 'progress').length, 0);
});

test('bad searches get stable codes and the engine keeps answering', async () => {
  await rejects(ctx.engine.handle('search', { index: flat.id, queries: { kind: 'vectors', data: [[1, 2, 3]] }, k: 3 }), 'BAD_DIMENSION');
  const nan = new Array(64).fill(0);
  nan[5] = Number.NaN;
  await rejects(ctx.engine.handle('search', { index: flat.id, queries: { kind: 'packed', data: new Float32Array(nan) }, k: 3 }), 'NON_FINITE');
  await rejects(ctx.engine.handle('search', { index: 'ix-nope', queries: { kind: 'queryRows', rows: [0] }, k: 3 }), 'INDEX_NOT_FOUND');
  await rejects(ctx.engine.handle('search', { index: flat.id, queries: { kind: 'queryRows', rows: [0] }, k: 100_000 }), 'BAD_REQUEST');
  await rejects(ctx.engine.handle('search', { index: flat.id, queries: { kind: 'queryRows', rows: [10_000] }, k: 3 }), 'ROW_OUT_OF_RANGE');
  await rejects(ctx.engine.handle('search', { index: flat.id, queries: { kind: 'queryRows', rows: [0] }, k: 3, params: { bogus: 1 } }), 'BAD_REQUEST');
  await rejects(ctx.engine.handle('nope', {}), 'BAD_REQUEST');
  const ok = (await ctx.engine.handle('search', { index: flat.id, queries: { kind: 'baseRows', rows: [7] }, k: 1 })) as SearchResult;
  assert.equal(ok.labels[0], 7, 'a base point is its own nearest neighbour');
});

test('IVF and HNSW build, and per-call nprobe changes IVF results', async () => {
  const ivf = await build('IVF64,Flat');
  const q = { kind: 'queryRows' as const, rows: Array.from({ length: 200 }, (_, i) => i) };
  const exact = (await ctx.engine.handle('search', { index: flat.id, queries: q, k: 10 })) as SearchResult;
  const r1 = (await ctx.engine.handle('search', { index: ivf.id, queries: q, k: 10, params: { nprobe: 1 } })) as SearchResult;
  const r64 = (await ctx.engine.handle('search', { index: ivf.id, queries: q, k: 10, params: { nprobe: 64 } })) as SearchResult;
  const recall = (r: SearchResult) => {
    let hit = 0;
    for (let i = 0; i < 200; i++) {
      const truth = new Set(Array.from(exact.labels.subarray(i * 10, i * 10 + 10)));
      for (const l of r.labels.subarray(i * 10, i * 10 + 10)) if (truth.has(l)) hit++;
    }
    return hit / 2000;
  };
  assert.ok(recall(r1) < recall(r64), `nprobe=1 recall ${recall(r1)} < nprobe=64 recall ${recall(r64)}`);
  assert.ok(recall(r64) > 0.999);
  const hnsw = await build('HNSW16');
  const rh = (await ctx.engine.handle('search', { index: hnsw.id, queries: q, k: 10, params: { efSearch: 64, nprobe: 4 } })) as SearchResult;
  assert.ok(recall(rh) > 0.5, `HNSW recall ${recall(rh)}`);
  assert.deepEqual(rh.ignored_params, ['nprobe']);
});

test('cosine normalises base and queries: distances are similarities in [-1, 1]', async () => {
  const cos = await build('Flat', 'cosine');
  const r = (await ctx.engine.handle('search', { index: cos.id, queries: { kind: 'baseRows', rows: [3] }, k: 5 })) as SearchResult;
  assert.equal(r.labels[0], 3);
  assert.ok(Math.abs(r.distances[0] - 1) < 1e-4);
  for (const d of r.distances) assert.ok(d <= 1.0001 && d >= -1.0001);
});

test('a cancelled build ends cancelled and leaves no index file', async () => {
  const { job } = (await ctx.engine.handle('buildIndex', { dataset: 'tutorial', factory: 'HNSW32', metric: 'l2' })) as { job: string };
  await waitFor(() => ctx.events.some((e) => e.type === 'progress' && e.job === job && e.phase === 'add'), { timeoutMs: 60_000, what: 'the add phase' });
  const info = (await ctx.engine.handle('cancelJob', { id: job })) as JobInfo;
  assert.equal(info.id, job);
  const end = await jobEnd(ctx.events, job);
  assert.equal(end.status, 'cancelled');
  const files = readdirSync(path.join(ctx.dataDir, 'indexes'));
  assert.ok(files.every((f) => !f.startsWith('.fe-tmp-')), 'no temp files left');
  const listed = (await ctx.engine.handle('listIndexes', {})) as IndexInfo[];
  assert.ok(listed.every((i) => i.status !== 'building'));
});

test('training shows signs of life while faiss runs and a cancel stops it mid-way', async (t) => {
  const { job } = (await ctx.engine.handle('buildIndex', { dataset: 'tutorial', factory: 'IVF4096,Flat', metric: 'l2' })) as { job: string };
  const beats = () => ctx.events.filter((e) => e.type === 'progress' && e.job === job && e.phase.startsWith('training on'));
  await waitFor(() => beats().length >= 3, { timeoutMs: 60_000, what: 'three training heartbeats' });
  const t0 = performance.now();
  await ctx.engine.handle('cancelJob', { id: job });
  const end = await jobEnd(ctx.events, job);
  t.diagnostic(`cancel during training took ${Math.round(performance.now() - t0)} ms`);
  assert.equal(end.status, 'cancelled');
  assert.equal(ctx.events.some((e) => e.type === 'progress' && e.job === job && e.phase === 'add'), false, 'stopped inside training');
  // the worker is free again at once
  assert.equal((await build('Flat')).ntotal, tutorialSet().n);
});

test('killing the worker mid-search: the call ends WORKER_RESTARTED and saved indexes come back', async () => {
  const pid = ctx.engine.workerPid!;
  const all = { kind: 'allQueries' as const };
  const searchesSent = sent.filter((op) => op === 'search').length;
  const pending = ctx.engine.handle('search', { index: flat.id, queries: all, k: 100 });
  // killed once the search has gone to the worker (10,000 queries x 100,000 vectors: seconds of work)
  await waitFor(() => sent.filter((op) => op === 'search').length > searchesSent, { what: 'the search to reach the worker' });
  process.kill(pid, 'SIGKILL');
  await rejects(pending, 'WORKER_RESTARTED');
  assert.ok(ctx.events.some((e) => e.type === 'engine' && e.state === 'restarted'));
  const r = (await ctx.engine.handle('search', { index: flat.id, queries: { kind: 'baseRows', rows: [42] }, k: 1 })) as SearchResult;
  assert.equal(r.labels[0], 42);
  assert.notEqual(ctx.engine.workerPid, pid);
});

test('a new engine on the same data directory lists and reloads the saved indexes', async () => {
  const second = await startEngine({ dataDir: ctx.dataDir, defaults: [{ id: 'tutorial', name: 'tutorial', source: { kind: 'generate', generator: 'tutorial' } }] });
  try {
    const listed = (await second.engine.handle('listIndexes', {})) as IndexInfo[];
    assert.ok(listed.some((i) => i.id === flat.id && i.status === 'ready'));
    const r = (await second.engine.handle('search', { index: flat.id, queries: { kind: 'baseRows', rows: [9] }, k: 1 })) as SearchResult;
    assert.equal(r.labels[0], 9);
  } finally {
    await second.engine.stop();
  }
});
