import type { Metric } from '../../../app/contract/operations.js';
import { normaliseRows } from '../../../app/datasets/generators.js';
import { sampleRows } from '../../../app/eval/neighbourhoods.js';
import { exactDistance } from '../../../app/eval/recall.js';
import { gatherRows, trainingRows } from '../../../app/indexes/training.js';
import { graphRecall, groupByList, IVF_TARGET_RECALL, moveCentroids, probesFor } from '../../../app/projection/ivf-lists.js';
import { autoGraph, type GraphChoice, type GraphKind } from '../../../app/projection/umap-options.js';
import { mulberry32 } from '../../../app/random/mulberry32.js';
import type { FaissIndex } from '../faiss-binding.js';
import { faiss, faissCall, METRIC_NUMBER, type Ctx, type Dataset } from './state.js';

/** A kNN graph: n rows of k ids (Int32, -1 = missing) and faiss's distances, nearest first. */
export interface Knn {
  ids: Int32Array;
  distances: Float32Array;
  k: number;
}

const SEARCH_CHUNK_MS = 300;

/** The base vectors as a metric compares them: normalised for cosine (kept, not redone per call). */
const metricBases = new WeakMap<Float32Array, Float32Array>();
export function metricBase(ds: Dataset, metric: Metric): Float32Array {
  if (metric !== 'cosine') return ds.base;
  let b = metricBases.get(ds.base);
  if (!b) {
    b = ds.base.slice();
    normaliseRows(b, ds.dim);
    metricBases.set(ds.base, b);
  }
  return b;
}

/** An exact (flat) index over a dataset's base, one per dataset and metric, reused by every exact search. */
const exact = new WeakMap<Float32Array, Map<Metric, FaissIndex>>();
export function exactIndex(ds: Dataset, metric: Metric): FaissIndex {
  let byMetric = exact.get(ds.base);
  if (!byMetric) exact.set(ds.base, (byMetric = new Map()));
  let index = byMetric.get(metric);
  if (!index) {
    const created = faissCall('flat index', () => (METRIC_NUMBER[metric] === 1 ? new faiss.IndexFlatL2(ds.dim) : new faiss.IndexFlatIP(ds.dim)));
    faissCall('flat add', () => created.add(metricBase(ds, metric)));
    byMetric.set(metric, created);
    index = created;
  }
  return index;
}

/**
 * Searches every row of `x` (n*dim) in `index`, in chunks sized to ~300 ms so progress moves and
 * a cancel gets in between them.
 */
export async function searchAll(index: FaissIndex, x: Float32Array, dim: number, k: number, ctx: Ctx, phase: string, params?: string): Promise<Knn> {
  const n = x.length / dim;
  const ids = new Int32Array(n * k);
  const distances = new Float32Array(n * k);
  let chunk = 1024;
  for (let start = 0; start < n; ) {
    ctx.progress(phase, start, n);
    await ctx.checkpoint();
    const end = Math.min(n, start + chunk);
    const t0 = performance.now();
    const r = faissCall('search', () => index.search(x.subarray(start * dim, end * dim), k, params));
    const took = performance.now() - t0;
    distances.set(r.distances, start * k);
    const labels = r.labels;
    for (let i = 0; i < labels.length; i++) ids[start * k + i] = Number(labels[i]);
    chunk = Math.max(64, Math.min(20_000, Math.round(((end - start) * SEARCH_CHUNK_MS) / Math.max(took, 1))));
    start = end;
  }
  ctx.progress(phase, n, n);
  return { ids, distances, k };
}

/** kNN graphs of base sets, by dataset, kind and k: UMAP with new layout settings reuses its graph. */
const graphs = new WeakMap<Float32Array, Map<string, BaseGraph>>();

/** A kNN graph of the base set and how it was found: the kind used and its recall@k on a sample of rows (1 when exact). */
export interface BaseGraph extends Knn {
  kind: GraphKind;
  recall: number;
}

/** rows whose true neighbours measure an approximate graph's recall (and pick the IVF graph's lists) */
const RECALL_ROWS = 500;
const RECALL_SEED = 0x5eed;

/**
 * Each base point's k nearest base points (itself included) with squared L2 distances: exact,
 * through IVF or HNSW, or 'auto' (exact below AUTO_IVF_FROM points, IVF from there unless IVF
 * would cost as much as exact search). An approximate graph's recall is measured on a sample.
 */
export async function baseKnn(ds: Dataset, k: number, choice: GraphChoice, ctx: Ctx): Promise<BaseGraph> {
  let byKey = graphs.get(ds.base);
  if (!byKey) graphs.set(ds.base, (byKey = new Map()));
  const kind = choice === 'auto' ? autoGraph(ds.n) : choice;
  // 'auto' that means exact shares the exact graph
  const key = `${kind === 'flat' ? 'flat' : choice}|${k}`;
  const cached = byKey.get(key);
  if (cached) return cached;
  let graph: BaseGraph | null = null;
  if (kind !== 'flat') {
    const rows = sampleRows(ds.n, RECALL_ROWS, mulberry32(RECALL_SEED));
    const sampled = gatherRows(ds.base, ds.dim, rows, rows.length);
    const truth = (await searchAll(exactIndex(ds, 'l2'), sampled, ds.dim, k, ctx, 'recall sample')).ids;
    const knn = kind === 'ivf' ? await ivfKnn(ds, k, { rows, truth }, ctx, choice === 'auto') : await hnswKnn(ds, k, ctx);
    if (knn) graph = { ...knn, kind, recall: graphRecall(knn.ids, k, rows, truth, exactDistance(ds.base, sampled, ds.dim, 'l2')) };
  }
  graph ??= byKey.get(`flat|${k}`) ?? { ...(await searchAll(exactIndex(ds, 'l2'), ds.base, ds.dim, k, ctx, 'neighbours')), kind: 'flat', recall: 1 };
  byKey.set(key, graph);
  if (graph.kind === 'flat') byKey.set(`flat|${k}`, graph);
  return graph;
}

async function hnswKnn(ds: Dataset, k: number, ctx: Ctx): Promise<Knn> {
  const index = faissCall('hnsw', () => faiss.Index.fromFactory(ds.dim, 'HNSW32', 1));
  const step = 10_000;
  for (let start = 0; start < ds.n; start += step) {
    ctx.progress('graph index', start, ds.n);
    await ctx.checkpoint();
    faissCall('hnsw add', () => index.add(ds.base.subarray(start * ds.dim, Math.min(ds.n, start + step) * ds.dim)));
  }
  // efSearch above k keeps the graph's recall high
  return searchAll(index, ds.base, ds.dim, k, ctx, 'neighbours', `efSearch=${Math.max(64, 2 * k)}`);
}

const KMEANS_ROUNDS = 10;
/** training points per list, faiss's own recommendation for k-means */
const TRAIN_PER_LIST = 64;
const KMEANS_SEED = 0x1f5;
const LIST_CHECK_MS = 300;

/**
 * A kNN graph through inverted lists, searched list by list so that faiss's BLAS path does the
 * work (an IVF index scans its lists vector by vector, several times slower per distance here):
 * the points are clustered into √n lists (k-means on a seeded sample), and each list's points
 * are searched exactly (a faiss Flat index) among the points of the lists nearest to it, its own
 * first. How many lists that takes is read off the sample rows whose true neighbours are known:
 * the fewest for which IVF_TARGET_RECALL of those neighbours lie in the searched lists. When a
 * quarter of all lists falls short, the graph would cost about what exact search does: then null
 * if `orExact`, else it is built with that quarter.
 */
async function ivfKnn(ds: Dataset, k: number, sample: { rows: Int32Array; truth: Int32Array }, ctx: Ctx, orExact: boolean): Promise<Knn | null> {
  const { n, dim, base } = ds;
  const lists = Math.max(1, Math.round(Math.sqrt(n)));
  const centroids = await kmeans(ds, lists, ctx);
  const assign = (await searchAll(flatOver(centroids, dim), base, dim, 1, ctx, 'graph lists')).ids;
  const { start, members } = groupByList(assign, lists);
  const width = Math.min(lists, Math.max(8, Math.ceil(lists / 4)));
  const order = (await searchAll(flatOver(centroids, dim), centroids, dim, width, ctx, 'graph lists')).ids;
  const probes = probesFor({ ...sample, k, assign, order, width, target: IVF_TARGET_RECALL }) ?? (orExact ? null : width);
  if (probes === null) return null;

  const ids = new Int32Array(n * k).fill(-1);
  const distances = new Float32Array(n * k);
  let checked = performance.now();
  for (let l = 0; l < lists; l++) {
    const q0 = start[l];
    const q1 = start[l + 1];
    if (q1 === q0) continue;
    // the list's own points, then the nearest lists' (more of them while these hold fewer than k points)
    const searched = [l];
    let size = q1 - q0;
    for (let m = 0; m < width && (searched.length < probes || size < k); m++) {
      const other = order[l * width + m];
      if (other === l || other < 0) continue;
      searched.push(other);
      size += start[other + 1] - start[other];
    }
    const candidates = new Int32Array(size);
    let at = 0;
    for (const s of searched) {
      candidates.set(members.subarray(start[s], start[s + 1]), at);
      at += start[s + 1] - start[s];
    }
    const kk = Math.min(k, size);
    const queries = gatherRows(base, dim, members.subarray(q0, q1), q1 - q0);
    const r = faissCall('graph list search', () => flatOver(gatherRows(base, dim, candidates, size), dim).search(queries, kk));
    for (let i = q0; i < q1; i++) {
      const row = members[i] * k;
      for (let j = 0; j < kk; j++) {
        const label = Number(r.labels[(i - q0) * kk + j]);
        ids[row + j] = label < 0 ? -1 : candidates[label];
        distances[row + j] = r.distances[(i - q0) * kk + j];
      }
    }
    if (performance.now() - checked > LIST_CHECK_MS) {
      ctx.progress('neighbours', q1, n);
      await ctx.checkpoint();
      checked = performance.now();
    }
  }
  ctx.progress('neighbours', n, n);
  return { ids, distances, k };
}

/** Lloyd's k-means on a seeded sample, from sampled points; the assignments by faiss flat search. */
async function kmeans(ds: Dataset, lists: number, ctx: Ctx): Promise<Float32Array> {
  const train = Math.min(ds.n, lists * TRAIN_PER_LIST);
  const x = gatherRows(ds.base, ds.dim, trainingRows(ds.n, train, KMEANS_SEED), train);
  const centroids = gatherRows(x, ds.dim, trainingRows(train, lists, KMEANS_SEED + 1), lists).slice();
  for (let round = 0; round < KMEANS_ROUNDS; round++) {
    const assign = (await searchAll(flatOver(centroids, ds.dim), x, ds.dim, 1, ctx, 'graph lists')).ids;
    moveCentroids(x, ds.dim, assign, centroids);
  }
  return centroids;
}

function flatOver(x: Float32Array, dim: number): FaissIndex {
  const index = faissCall('flat index', () => new faiss.IndexFlatL2(dim));
  faissCall('flat add', () => index.add(x));
  return index;
}
