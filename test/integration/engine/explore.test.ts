import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { EngineError } from '../../../app/contract/errors.js';
import type { ColumnValues, DistanceSample, ExactSearchResult, DuplicatesResult, FindRowsResult, HubsResult, OverlapResult, PointRecallResult, RowInfo, UmapParams, UmapResult } from '../../../app/contract/explore.js';
import type { IndexInfo, Projection, SearchResult } from '../../../app/contract/operations.js';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startEngine, jobEnd } from '../../helpers/engine.js';
import { waitFor } from '../../helpers/wait-for.js';

// A small blobs set keeps each diagnostic quick; the engine runs the real worker and faiss.
let ctx: Awaited<ReturnType<typeof startEngine>>;
before(async () => {
  ctx = await startEngine({ defaults: [{ id: 'blobs', name: 'blobs', source: { kind: 'generate', generator: 'blobs', n: 3000, nq: 50, dim: 16, clusters: 5 } }] });
});
after(async () => ctx.stop());

async function runJob<T>(op: string, input: unknown): Promise<T> {
  const { job } = (await ctx.engine.handle(op, input)) as { job: string };
  const end = await jobEnd(ctx.events, job);
  assert.equal(end.status, 'done', JSON.stringify(end.error));
  return (await ctx.engine.handle('jobResult', { id: job })) as T;
}

const params: UmapParams = { nNeighbors: 10, minDist: 0.1, epochs: 60, seed: 7, graph: 'flat' };
let hnsw: IndexInfo;

test('UMAP from the faiss kNN graph: progress by epoch, seeded, cached per parameters', async () => {
  const { job } = (await ctx.engine.handle('umap', { dataset: 'blobs', params })) as { job: string };
  await jobEnd(ctx.events, job);
  const epochs = ctx.events.filter((e) => e.type === 'progress' && e.job === job && e.phase === 'epoch');
  assert.ok(epochs.length >= 1 && epochs.at(-1)!.type === 'progress');
  const a = (await ctx.engine.handle('jobResult', { id: job })) as UmapResult;
  assert.equal(a.method, 'umap');
  assert.equal(a.base.length, 6000);
  assert.equal(a.queries.length, 100);
  assert.equal(a.cached, false);
  assert.equal(a.knn_graph, 'flat');
  assert.equal(a.knn_recall, 1);
  const again = await runJob<UmapResult>('umap', { dataset: 'blobs', params });
  assert.equal(again.cached, true);
  assert.deepEqual(again.base, a.base);
  // 'auto' takes the exact graph at this size: computed afresh (layout threads and all), the same map
  const auto = await runJob<UmapResult>('umap', { dataset: 'blobs', params: { ...params, graph: 'auto' } });
  assert.equal(auto.cached, false);
  assert.equal(auto.knn_graph, 'flat');
  assert.deepEqual(auto.base, a.base);
  // a new seed is a new layout; through HNSW or IVF the graph is approximate, its recall measured, and the map still works
  const other = await runJob<UmapResult>('umap', { dataset: 'blobs', params: { ...params, seed: 8, graph: 'hnsw' } });
  assert.notDeepEqual(other.base, a.base);
  assert.equal(other.knn_graph, 'hnsw');
  const viaIvf = await runJob<UmapResult>('umap', { dataset: 'blobs', params: { ...params, graph: 'ivf' } });
  assert.equal(viaIvf.base.length, 6000);
  assert.equal(viaIvf.knn_graph, 'ivf');
  for (const r of [other, viaIvf]) assert.ok(r.knn_recall > 0.8 && r.knn_recall <= 1, `${r.knn_graph} recall ${r.knn_recall}`);
});

test('UMAP can be cancelled while it runs, and out-of-range parameters are refused', async () => {
  const { job } = (await ctx.engine.handle('umap', { dataset: 'blobs', params: { ...params, epochs: 2000, seed: 99 } })) as { job: string };
  await waitFor(() => ctx.events.some((e) => e.type === 'progress' && e.job === job && e.phase === 'epoch'), { timeoutMs: 60_000, what: 'the first epoch' });
  await ctx.engine.handle('cancelJob', { id: job });
  const end = await jobEnd(ctx.events, job);
  assert.equal(end.status, 'cancelled');
  await assert.rejects(ctx.engine.handle('umap', { dataset: 'blobs', params: { ...params, nNeighbors: 1 } }), (e: unknown) => e instanceof EngineError && e.code === 'BAD_REQUEST');
});

test('PCA gives the 3D view its third component: axes in order of variance, the plane as before', async () => {
  const pca = await runJob<Projection>('project', { dataset: 'blobs', method: 'pca' });
  assert.equal(pca.base.length, 6000, 'x,y interleaved, as the 2D view and UMAP read it');
  assert.equal(pca.baseZ?.length, 3000);
  assert.equal(pca.queries.length, 100);
  assert.equal(pca.queriesZ?.length, 50);
  assert.equal(pca.explained.length, 3);
  const variance = (at: (i: number) => number) => {
    let mean = 0;
    for (let i = 0; i < 3000; i++) mean += at(i) / 3000;
    let sum = 0;
    for (let i = 0; i < 3000; i++) sum += (at(i) - mean) ** 2;
    return sum / 3000;
  };
  const v = [variance((i) => pca.base[2 * i]), variance((i) => pca.base[2 * i + 1]), variance((i) => pca.baseZ![i])];
  // each axis's scatter is its share of the variance: the same ratios, whichever way they are measured
  for (const a of [1, 2]) assert.ok(Math.abs(v[a] / v[0] - pca.explained[a] / pca.explained[0]) < 0.01, `axis ${a}: ${v[a] / v[0]} vs ${pca.explained[a] / pca.explained[0]}`);
  assert.ok(pca.explained[0] >= pca.explained[1] && pca.explained[1] >= pca.explained[2] && pca.explained[2] > 0);
});

test('trustworthiness and per-point overlap for PCA and UMAP; an uncomputed projection is named', async () => {
  await runJob<Projection>('project', { dataset: 'blobs', method: 'pca' });
  const pca = await runJob<OverlapResult>('neighbourhoodOverlap', { dataset: 'blobs', projection: { method: 'pca' }, k: 10, sample: 300 });
  const umap = await runJob<OverlapResult>('neighbourhoodOverlap', { dataset: 'blobs', projection: { method: 'umap', params }, k: 10, sample: 300 });
  assert.equal(umap.overlap.length, 3000);
  assert.ok(umap.trustworthiness > 0.8 && umap.trustworthiness <= 1, String(umap.trustworthiness));
  assert.ok(pca.trustworthiness > 0.5 && pca.trustworthiness <= 1);
  const { job } = (await ctx.engine.handle('neighbourhoodOverlap', { dataset: 'blobs', projection: { method: 'umap', params: { ...params, seed: 1234 } }, k: 10 })) as { job: string };
  const end = await jobEnd(ctx.events, job);
  assert.equal(end.error?.code, 'PROJECTION_NOT_FOUND');
});

test('recall per point of HNSW against exact search, exact search itself, hubs and near-duplicates', async () => {
  hnsw = await runJob<IndexInfo>('buildIndex', { dataset: 'blobs', factory: 'HNSW8', metric: 'l2' });
  const recall = await runJob<PointRecallResult>('pointRecall', { dataset: 'blobs', index: hnsw.id, k: 10, sample: 500, params: { efSearch: 10 } });
  assert.equal(recall.recall.length, 3000);
  assert.equal(recall.evaluated, 500);
  assert.equal(recall.recall.filter((v) => !Number.isNaN(v)).length, 500);
  assert.ok(recall.mean > 0.3 && recall.mean <= 1);

  const exact = (await ctx.engine.handle('exactSearch', { dataset: 'blobs', metric: 'l2', queries: { kind: 'baseRows', rows: [5] }, k: 3 })) as SearchResult;
  assert.equal(exact.labels[0], 5);

  // the exact distances of any rows (an answer's, say) come along, so marks can count ties
  const rows = [...Array.from(exact.labels), 2999, -1];
  const withRows = (await ctx.engine.handle('exactSearch', { dataset: 'blobs', metric: 'l2', queries: { kind: 'baseRows', rows: [5] }, k: 3, rows })) as ExactSearchResult;
  const own = withRows.row_distances!;
  assert.equal(own.length, 5);
  for (let j = 0; j < 3; j++) assert.ok(Math.abs(own[j] - exact.distances[j]) <= 1e-4 * Math.max(1, exact.distances[j]), `row ${rows[j]}: ${own[j]} vs faiss ${exact.distances[j]}`);
  assert.ok(own[3] >= exact.distances[2], 'a farther row is no nearer than the 3rd');
  assert.ok(Number.isNaN(own[4]), 'a missing neighbour (-1) has no distance');
  await assert.rejects(ctx.engine.handle('exactSearch', { dataset: 'blobs', metric: 'l2', queries: { kind: 'baseRows', rows: [5] }, k: 3, rows: [3000] }), (e: unknown) => e instanceof EngineError && e.code === 'ROW_OUT_OF_RANGE');

  const hubs = await runJob<HubsResult>('hubs', { dataset: 'blobs', index: hnsw.id, k: 10, top: 5 });
  assert.equal(hubs.counts.length, 3000);
  assert.equal(hubs.top.length, 5);
  assert.ok(hubs.top[0].count >= hubs.top[4].count);
  assert.ok(hubs.kthDistances.every((d) => d >= 0));

  const dups = await runJob<DuplicatesResult>('nearDuplicates', { dataset: 'blobs', index: hnsw.id, radius: 2, maxPairs: 20 });
  assert.ok(dups.total >= dups.a.length && dups.a.length <= 20);
  for (let i = 0; i < dups.a.length; i++) assert.ok(dups.a[i] < dups.b[i] && dups.distances[i] <= 2);
});

test("hubs on IVF with lists too small for k: faiss's missing places (-1, FLT_MAX) give no k-th distance, and no count", async () => {
  // 256 lists of ~12 points on average, one probed: many points find fewer than 200 neighbours
  const ivf = await runJob<IndexInfo>('buildIndex', { dataset: 'blobs', factory: 'IVF256,Flat', metric: 'l2' });
  const hubs = await runJob<HubsResult>('hubs', { dataset: 'blobs', index: ivf.id, k: 200, top: 5 });
  const missing = hubs.kthDistances.filter((d) => Number.isNaN(d)).length;
  assert.ok(missing > 0, 'some points have no 200th neighbour');
  assert.ok(hubs.kthDistances.every((d) => Number.isNaN(d) || (d >= 0 && d < 1e30)), 'no FLT_MAX filler');
  assert.ok(hubs.counts.every((c) => c >= 0 && c < 3000));
});

test('distance sample, row facts, label column values and search by label text', async () => {
  const sample = (await ctx.engine.handle('distanceSample', { dataset: 'blobs', metric: 'l2', queries: { kind: 'queryRows', rows: [0] }, sample: 400 })) as DistanceSample;
  assert.equal(sample.distances.length, 400);
  const info = (await ctx.engine.handle('rowInfo', { dataset: 'blobs', rows: [0, 1] })) as RowInfo;
  assert.equal(info.labels?.length, 2);
  const labels = (await ctx.engine.handle('columnValues', { dataset: 'blobs' })) as ColumnValues;
  assert.equal(labels.kind, 'category');
  const found = (await ctx.engine.handle('findRows', { dataset: 'blobs', text: '3', limit: 5 })) as FindRowsResult;
  assert.equal(found.rows[0], 3); // a bare number is a row id first
  assert.ok(found.total > 100);
});

async function openCsv(file: string): Promise<string> {
  const { job } = (await ctx.engine.handle('openDataset', { source: { kind: 'file', path: file, columns: [2, 3, 4] } })) as { job: string };
  assert.equal((await jobEnd(ctx.events, job)).status, 'done');
  return ((await ctx.engine.handle('jobResult', { id: job })) as { id: string }).id;
}

test('a metadata column named "label" is its own column, not the labels read from another one', async () => {
  // the Projector's usual pair: a whole-number class column called label, and a name column
  const file = path.join(ctx.dataDir, 'digits.csv');
  const names = ['zero', 'one', 'two'];
  writeFileSync(file, ['label,name,x0,x1,x2', ...Array.from({ length: 30 }, (_, i) => `${i % 3},${names[(i + 1) % 3]},${i},${-i},${i % 5}`)].join('\n'));
  const id = await openCsv(file);
  const listed = ((await ctx.engine.handle('listDatasets', {})) as { id: string; labelColumn?: string }[]).find((d) => d.id === id)!;
  assert.equal(listed.labelColumn, 'name', 'the labels are the name column');
  const column = (await ctx.engine.handle('columnValues', { dataset: id, column: 'label' })) as ColumnValues;
  assert.ok(column.kind === 'number');
  assert.deepEqual([...column.values.subarray(0, 4)], [0, 1, 2, 0], 'the label column, as written');
  const labels = (await ctx.engine.handle('columnValues', { dataset: id })) as ColumnValues;
  assert.ok(labels.kind === 'category');
  assert.deepEqual([0, 1, 2].map((r) => labels.names[labels.codes[r]]), ['one', 'two', 'zero'], 'the labels, from the name column');
});

test('a file with metadata: colour columns by category and by number, facts per row, and text search', async () => {
  const file = path.join(ctx.dataDir, 'items.csv');
  const kinds = ['cat', 'dog', 'bird'];
  writeFileSync(file, ['kind,score,x0,x1,x2', ...Array.from({ length: 60 }, (_, i) => `${kinds[i % 3]},${i / 2},${i},${-i},${i % 5}`)].join('\n'));
  const id = await openCsv(file);
  const kind = (await ctx.engine.handle('columnValues', { dataset: id, column: 'kind' })) as ColumnValues;
  assert.ok(kind.kind === 'category' && kind.names.length === 3 && kind.codes[4] === kind.codes[1]);
  const score = (await ctx.engine.handle('columnValues', { dataset: id, column: 'score' })) as ColumnValues;
  assert.ok(score.kind === 'number' && score.values[10] === 5);
  const info = (await ctx.engine.handle('rowInfo', { dataset: id, rows: [2] })) as RowInfo;
  assert.deepEqual(info.columns.map((c) => c.values[0]), ['bird', 1]);
  assert.equal(info.labels?.[0], 'bird', 'labels come from the category column, by name');
  const found = (await ctx.engine.handle('findRows', { dataset: id, text: 'DOG' })) as FindRowsResult;
  assert.equal(found.total, 20);
  assert.equal(found.matches[0], 'label: dog');
  await assert.rejects(ctx.engine.handle('columnValues', { dataset: id, column: 'nope' }), (e: unknown) => e instanceof EngineError && e.code === 'NOT_FOUND');
});
