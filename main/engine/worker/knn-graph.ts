import type { Metric } from '../../../app/contract/operations.js';
import { normaliseRows } from '../../../app/datasets/generators.js';
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
const graphs = new WeakMap<Float32Array, Map<string, Knn>>();

/** Each base point's k nearest base points (itself included), exact or through IVF or HNSW, with L2 distances. */
export async function baseKnn(ds: Dataset, k: number, kind: 'flat' | 'ivf' | 'hnsw', ctx: Ctx): Promise<Knn> {
  let byKey = graphs.get(ds.base);
  if (!byKey) graphs.set(ds.base, (byKey = new Map()));
  const key = `${kind}|${k}`;
  const cached = byKey.get(key);
  if (cached) return cached;
  let index: FaissIndex;
  let params: string | undefined;
  if (kind === 'flat') {
    index = exactIndex(ds, 'l2');
  } else if (kind === 'ivf') {
    // ~sqrt(n) lists trained on a bounded sample; the probes reach a few thousand candidates per point
    const nlist = Math.max(1, Math.min(65_536, Math.round(Math.sqrt(ds.n))));
    index = faissCall('ivf', () => faiss.Index.fromFactory(ds.dim, `IVF${nlist},Flat`, 1));
    ctx.progress('graph index', 0, ds.n);
    await ctx.checkpoint();
    const train = Math.min(ds.n, nlist * 64);
    faissCall('ivf train', () => index.train(ds.base.subarray(0, train * ds.dim)));
    await ctx.checkpoint();
    faissCall('ivf add', () => index.add(ds.base));
    params = `nprobe=${Math.min(nlist, Math.max(8, Math.ceil(nlist / 32)))}`;
  } else {
    index = faissCall('hnsw', () => faiss.Index.fromFactory(ds.dim, 'HNSW32', 1));
    const step = 10_000;
    for (let start = 0; start < ds.n; start += step) {
      ctx.progress('graph index', start, ds.n);
      await ctx.checkpoint();
      faissCall('hnsw add', () => index.add(ds.base.subarray(start * ds.dim, Math.min(ds.n, start + step) * ds.dim)));
    }
    // efSearch above k keeps the graph's recall high
    params = `efSearch=${Math.max(64, 2 * k)}`;
  }
  const knn = await searchAll(index, ds.base, ds.dim, k, ctx, 'neighbours', params);
  byKey.set(key, knn);
  return knn;
}
