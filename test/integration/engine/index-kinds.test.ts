import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { EngineError } from '../../../app/contract/errors.js';
import type { IndexInfo, RangeSearchResult, SearchResult } from '../../../app/contract/operations.js';
import { meanRecall, recallPerQuery } from '../../../app/eval/recall.js';
import { startEngine, jobEnd, python } from '../../helpers/engine.js';

const DS = { id: 'small', name: 'small', source: { kind: 'generate' as const, generator: 'blobs' as const, n: 6_000, nq: 200, dim: 32, clusters: 20 } };
let ctx: Awaited<ReturnType<typeof startEngine>>;
after(async () => ctx.stop());

async function build(factory: string, metric: 'l2' | 'ip' | 'cosine' = 'l2', trainSize?: number): Promise<IndexInfo> {
  const { job } = (await ctx.engine.handle('buildIndex', { dataset: 'small', factory, metric, train_size: trainSize })) as { job: string };
  const end = await jobEnd(ctx.events, job, 120_000);
  assert.equal(end.status, 'done', `${factory}: ${JSON.stringify(end.error)}`);
  return (await ctx.engine.handle('jobResult', { id: job })) as IndexInfo;
}
const search = (index: string, k: number, params?: Record<string, number>) =>
  ctx.engine.handle('search', { index, queries: { kind: 'allQueries' }, k, params }) as Promise<SearchResult>;

let exact: SearchResult;
let flat: IndexInfo;

/** recall@k against the Flat answer; an id outside it is taken as farther than all it lists */
function recallAtK(labels: ArrayLike<number>, truth: SearchResult, n: number, k: number): number {
  const listed = new Map<string, number>();
  for (let i = 0; i < n * k; i++) listed.set(`${Math.floor(i / k)}:${truth.labels[i]}`, truth.distances[i]);
  const distance = (q: number, id: number) => listed.get(`${q}:${id}`) ?? Infinity;
  return meanRecall(recallPerQuery({ ids: labels, width: k }, { ids: truth.labels, width: k }, n, k, distance, 'l2'));
}
before(async () => {
  ctx = await startEngine({ defaults: [DS] });
  flat = await build('Flat');
  exact = await search(flat.id, 10);
});

// [factory, lowest sane recall@10, search params, training rows]. PQ codes are 16 x 4 bits (8 bytes,
// as PQ8): the same product-quantizer path as 8 bits, but 16 centroids a codebook train in seconds
// where 256 took 30-70 s on Debian's faiss. OPQ trains an 8-bit PQ of its own 50 times: fewer rows.
const KINDS: [string, number, Record<string, number>?, number?][] = [
  ['IVF32,Flat', 0.9, { nprobe: 16 }],
  ['IVF32,PQ16x4', 0.4, { nprobe: 16 }],
  ['IVF32,SQ8', 0.85, { nprobe: 16 }],
  ['HNSW16', 0.85, { efSearch: 64 }],
  ['PQ16x4', 0.08],
  ['SQ8', 0.9],
  ['SQ4', 0.3],
  ['SQfp16', 0.98],
  ['LSH', 0.01],
  ['OPQ4,IVF32,PQ16x4', 0.35, { nprobe: 16 }, 1_000],
];

for (const [factory, minRecall, params, trainSize] of KINDS) {
  test(`${factory}: builds, reports its facts, and finds neighbours (recall@10 >= ${minRecall})`, async () => {
    const ix = await build(factory, 'l2', trainSize);
    assert.equal(ix.ntotal, 6_000);
    assert.ok(ix.memory_bytes > 0);
    const r = await search(ix.id, 10, params);
    const recall = recallAtK(r.labels, exact, 200, 10);
    assert.ok(recall >= minRecall && recall <= 1, `recall ${recall}`);
  });
}

test('search parameters change results the way faiss does: more nprobe, more recall', async () => {
  const ivf = await build('IVF64,Flat');
  const r1 = recallAtK((await search(ivf.id, 10, { nprobe: 1 })).labels, exact, 200, 10);
  const r32 = recallAtK((await search(ivf.id, 10, { nprobe: 32 })).labels, exact, 200, 10);
  assert.ok(r1 < r32, `${r1} < ${r32}`);
  const hnsw = await build('HNSW8');
  const e4 = recallAtK((await search(hnsw.id, 10, { efSearch: 10 })).labels, exact, 200, 10);
  const e128 = recallAtK((await search(hnsw.id, 10, { efSearch: 128 })).labels, exact, 200, 10);
  assert.ok(e4 < e128, `${e4} < ${e128}`);
});

test('impossible specs are refused before work with a clear code', async () => {
  for (const [factory, code] of [['PQ7', 'BAD_PARAM'], ['IVF50000,Flat', 'BAD_PARAM'], ['Nonsense12', 'BAD_FACTORY']] as const) {
    await assert.rejects(ctx.engine.handle('buildIndex', { dataset: 'small', factory, metric: 'l2' }), (e: unknown) => e instanceof EngineError && e.code === code, factory);
  }
  const ix = await build('IVF500,Flat');
  assert.match(ix.warnings?.[0] ?? '', /training points per list/);
});

test('range search agrees with brute force from the Flat index', async () => {
  // brute force over every vector, so the expected set is never cut short by k
  const k = 6_000;
  const knn = (await ctx.engine.handle('search', { index: flat.id, queries: { kind: 'queryRows', rows: [0, 1, 2] }, k })) as SearchResult;
  const radius = knn.distances[20];
  const r = (await ctx.engine.handle('rangeSearch', { index: flat.id, queries: { kind: 'queryRows', rows: [0, 1, 2] }, radius })) as RangeSearchResult;
  for (let q = 0; q < 3; q++) {
    const expected = new Set<number>();
    for (let j = 0; j < k; j++) if (knn.distances[q * k + j] < radius) expected.add(knn.labels[q * k + j]);
    const got = new Set(Array.from(r.labels.subarray(r.lims[q], r.lims[q + 1])));
    assert.deepEqual(got, expected);
  }
});

test('IDMap: add with ids, search finds them, remove them, reconstruct by id', async () => {
  const ix = await build('IDMap2,Flat');
  const v = Array.from({ length: 32 }, (_, i) => 100 + i);
  const added = (await ctx.engine.handle('addVectors', { index: ix.id, vectors: [v], ids: [987654321] })) as { ntotal: number };
  assert.equal(added.ntotal, 6_001);
  const r = (await ctx.engine.handle('search', { index: ix.id, queries: { kind: 'vectors', data: [v] }, k: 1 })) as SearchResult;
  assert.equal(r.labels[0], 987654321);
  const back = (await ctx.engine.handle('reconstruct', { index: ix.id, id: 987654321 })) as { vector: Float32Array };
  assert.deepEqual(Array.from(back.vector), v);
  const byId = (await ctx.engine.handle('search', { index: ix.id, queries: { kind: 'ids', ids: [987654321] }, k: 1 })) as SearchResult;
  assert.equal(byId.labels[0], 987654321);
  const removed = (await ctx.engine.handle('removeVectors', { index: ix.id, ids: [987654321, 5] })) as { removed: number; ntotal: number };
  assert.deepEqual(removed, { removed: 2, ntotal: 5_999 });
  await assert.rejects(ctx.engine.handle('reconstruct', { index: ix.id, id: 987654321 }), (e: unknown) => e instanceof EngineError && e.code === 'VECTOR_NOT_FOUND');
});

test('index files cross with Python faiss both ways', async () => {
  const file = path.join(ctx.dataDir, 'from-python.faiss');
  python(
    `import sys, numpy as np, faiss
rng = np.random.default_rng(3); xb = rng.random((500, 16), dtype='float32')
ix = faiss.index_factory(16, 'IVF4,Flat'); ix.train(xb); ix.add(xb); faiss.write_index(ix, sys.argv[1])`,
    [file],
  );
  const loaded = (await ctx.engine.handle('loadIndex', { path: file })) as IndexInfo;
  assert.deepEqual([loaded.ntotal, loaded.dim, loaded.metric, loaded.factory], [500, 16, 'l2', 'IndexIVFFlat']);
  const ivf = await build('IVF32,SQ8', 'ip');
  const saved = (await ctx.engine.handle('saveIndex', { index: ivf.id, path: path.join(ctx.dataDir, 'to-python.faiss') })) as { path: string };
  const out = python(`import sys, faiss; ix = faiss.read_index(sys.argv[1]); print(ix.ntotal, ix.d, ix.metric_type, faiss.extract_index_ivf(ix).nlist)`, [saved.path]);
  assert.equal(out.trim(), '6000 32 0 32');
  await assert.rejects(ctx.engine.handle('loadIndex', { path: path.join(ctx.dataDir, 'nope.faiss') }), (e: unknown) => e instanceof EngineError && e.code === 'FILE_NOT_FOUND');
  await assert.rejects(ctx.engine.handle('loadIndex', { path: path.join(ctx.dataDir, 'catalogue.json') }), (e: unknown) => e instanceof EngineError && e.code === 'BAD_FILE');
});
