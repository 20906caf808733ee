import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Explanation, IvfAssignment } from '../../../app/contract/explain.js';
import type { IndexInfo, SearchResult } from '../../../app/contract/operations.js';
import { EngineError } from '../../../app/contract/errors.js';
import { startEngine, jobEnd } from '../../helpers/engine.js';

// Explanations from the real worker, checked against faiss's own searches of the same queries.
const NQ = 1000;
const K = 10;
let ctx: Awaited<ReturnType<typeof startEngine>>;
before(async () => {
  ctx = await startEngine({ defaults: [{ id: 'blobs', name: 'blobs', source: { kind: 'generate', generator: 'blobs', n: 3000, nq: NQ, dim: 16, clusters: 8 } }] });
});
after(async () => ctx.stop());

async function build(factory: string, metric: 'l2' | 'ip' = 'l2'): Promise<IndexInfo> {
  const { job } = (await ctx.engine.handle('buildIndex', { dataset: 'blobs', factory, metric })) as { job: string };
  const end = await jobEnd(ctx.events, job);
  assert.equal(end.status, 'done', JSON.stringify(end.error));
  return (await ctx.engine.handle('jobResult', { id: job })) as IndexInfo;
}

const explain = (index: string, row: number, params?: object) =>
  ctx.engine.handle('explain', { index, query: { kind: 'queryRows', rows: [row] }, k: K, params }) as Promise<Explanation>;

async function faissSearch(index: string, params?: object): Promise<SearchResult> {
  return (await ctx.engine.handle('search', { index, queries: { kind: 'allQueries' }, k: K, params })) as SearchResult;
}

test('IVF-Flat: the probed lists are the ones faiss scanned, so the lists reachable at nprobe give exactly its recall (1,000 queries, nprobe 1, 3, 8)', async () => {
  const ix = await build('IVF32,Flat');
  for (const nprobe of [1, 3, 8]) {
    const faiss = await faissSearch(ix.id, { nprobe });
    let recall = 0;
    for (let q = 0; q < NQ; q++) {
      const e = await explain(ix.id, q, { nprobe });
      assert.equal(e.kind, 'ivf');
      const ivf = e.ivf!;
      assert.deepEqual(e.answer.labels, Array.from(faiss.labels.subarray(q * K, (q + 1) * K)));
      // every answer came from one of the first nprobe lists of the probe order
      const probed = new Set(ivf.order.slice(0, nprobe));
      for (const l of ivf.answer_lists) assert.ok(probed.has(l), `query ${q}: answer from list ${l}, not probed`);
      assert.equal(ivf.scanned, ivf.order.slice(0, nprobe).reduce((s, l) => s + ivf.sizes[l], 0));
      assert.equal(e.distance_count, ivf.nlist + ivf.scanned);
      // distances inside the lists are exact: the exact ids found are the exact neighbours in the
      // probed lists; recall may count more, a near-tie from another list being as good (ties count)
      const exactIds = new Set(e.exact!.labels);
      const idsFound = e.answer.labels.filter((l) => exactIds.has(l)).length / K;
      assert.equal(ivf.reachable_by_nprobe![nprobe - 1], idsFound, `query ${q} at nprobe ${nprobe}`);
      assert.ok(e.recall! >= idsFound, `query ${q}: recall ${e.recall} below the exact ids found`);
      if (ivf.nprobe_for_all! <= nprobe) assert.equal(e.recall, 1);
      recall += e.recall!;
    }
    assert.ok(recall / NQ > 0 && recall / NQ <= 1);
  }
});

for (const [factory, metric] of [['PQ8x4', 'l2'], ['IVF16,PQ8x4', 'l2'], ['IVF16,PQ8x4', 'ip']] as const) {
  test(`${factory} (${metric}): each answer's code summed over the distance table equals faiss's distance (1,000 queries)`, async () => {
    const ix = await build(factory, metric);
    const faiss = await faissSearch(ix.id, { nprobe: 4 });
    let worst = 0;
    for (let q = 0; q < NQ; q++) {
      const e = await explain(ix.id, q, { nprobe: 4 });
      const pq = e.pq!;
      assert.equal(pq.M, 8);
      assert.equal(pq.ksub, 16);
      pq.approx.forEach((a, i) => {
        const d = faiss.distances[q * K + i];
        worst = Math.max(worst, Math.abs(a - d) / Math.max(1, Math.abs(d)));
      });
      assert.equal(pq.refined!.labels.length, K);
      assert.ok(pq.refined!.k_factor_recall >= pq.refined!.recall - 1e-9, 're-ranking more candidates finds at least as many');
    }
    assert.ok(worst < 1e-4, `largest relative difference ${worst}`);
  });
}

test('HNSW: the replay in the engine ends on faiss\'s answer and counts its distances', async () => {
  const ix = await build('HNSW16');
  for (const efSearch of [16, 64]) {
    for (let q = 0; q < 50; q++) {
      const e = await explain(ix.id, q, { efSearch });
      assert.equal(e.hnsw!.matches_faiss, true);
      assert.equal(e.hnsw!.ef_search, efSearch);
      assert.ok(e.distance_count < e.ntotal);
      assert.equal(e.hnsw!.nodes_per_level.reduce((s, v) => s + v, 0), e.ntotal);
    }
  }
});

test('Flat computes every distance; an index the views do not know says so and still answers', async () => {
  const flat = await build('Flat');
  const e = await explain(flat.id, 0);
  assert.equal(e.kind, 'flat');
  assert.equal(e.distance_count, 3000);
  assert.equal(e.recall, 1);
  const lsh = await build('LSH');
  const o = await explain(lsh.id, 0);
  assert.equal(o.kind, 'other');
  assert.match(o.note, /cannot be explained step by step/);
  assert.deepEqual(o.pipeline, ['LSH']);
  assert.equal(o.answer.labels.length, K);
});

test('bad input: more than one query, nprobe above nlist; the engine keeps working', async () => {
  const ix = await build('IVF8,Flat');
  await assert.rejects(ctx.engine.handle('explain', { index: ix.id, query: { kind: 'queryRows', rows: [0, 1] }, k: K }), (err: EngineError) => err.code === 'BAD_REQUEST');
  await assert.rejects(explain(ix.id, 0, { nprobe: 9 }), (err: EngineError) => err.code === 'BAD_PARAM');
  await assert.rejects(explain('nope', 0), (err: EngineError) => err.code === 'INDEX_NOT_FOUND');
  assert.equal((await explain(ix.id, 0, { nprobe: 8 })).recall, 1);
});

test('IVF assignment: every row in exactly the list faiss keeps it in (sizes and answers agree); a non-IVF index is a 400', async () => {
  const ix = await build('IVF16,Flat');
  const a = (await ctx.engine.handle('ivfAssignment', { index: ix.id })) as IvfAssignment;
  assert.equal(a.nlist, 16);
  assert.equal(a.lists.length, 3000);
  const counts = new Array<number>(16).fill(0);
  for (const l of a.lists) counts[l]++;
  const e = await explain(ix.id, 3, { nprobe: 16 });
  assert.deepEqual(counts, e.ivf!.sizes);
  e.answer.labels.forEach((id, i) => assert.equal(a.lists[id], e.ivf!.answer_lists[i]));
  const flat = await build('Flat');
  await assert.rejects(ctx.engine.handle('ivfAssignment', { index: flat.id }), (err: EngineError) => err.code === 'BAD_REQUEST');
  assert.equal((await explain(ix.id, 0)).ivf!.nprobe, 1);
});
