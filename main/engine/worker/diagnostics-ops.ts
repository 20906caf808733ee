import { EngineError } from '../../../app/contract/errors.js';
import type { ProjectionRef } from '../../../app/contract/explore.js';
import type { Metric, Projection, SearchParams } from '../../../app/contract/operations.js';
import type { FaissIndex } from '../faiss-binding.js';
import { hubness } from '../../../app/eval/hubness.js';
import { kthDistances } from '../../../app/eval/missing.js';
import { neighbourhoodOverlap, sampleRows, trustworthiness } from '../../../app/eval/neighbourhoods.js';
import { exactDistance, meanRecall, recallPerQuery } from '../../../app/eval/recall.js';
import { searchParamString } from '../../../app/indexes/search-params.js';
import { planeKnn, withoutSelf } from '../../../app/projection/plane-knn.js';
import { mulberry32 } from '../../../app/random/mulberry32.js';
import { baseKnn, exactIndex, metricBase, searchAll } from './knn-graph.js';
import { faissCall, getDataset, getIndex, projections, type Dataset, type Handlers } from './state.js';
import { cachedUmap } from './umap-ops.js';
import { prepareQueries, rowsOf } from './vectors.js';

const DEFAULT_RECALL_SAMPLE = 2_000;
const DEFAULT_TRUST_SAMPLE = 1_000;
const DEFAULT_MAX_PAIRS = 10_000;
const RANGE_CHUNK = 2_000;

function projectionOf(ds: Dataset, ref: ProjectionRef): Projection {
  const found = ref.method === 'pca' ? projections.get(ds.info.id) : cachedUmap(ds, ref.params);
  if (!found) throw new EngineError('PROJECTION_NOT_FOUND', `the ${ref.method.toUpperCase()} projection of "${ds.info.name}" has not been computed yet`);
  return found;
}

/** Range search in `index`; indexes faiss cannot range-search (HNSW) hand over to the exact index. */
function rangeSearch(index: FaissIndex, x: Float32Array, radius: number, onFallback: () => void, ds: Dataset, metric: Metric) {
  return faissCall('range search', () => {
    try {
      return index.rangeSearch(x, radius);
    } catch (err) {
      if (!/not implemented/i.test(err instanceof Error ? err.message : String(err))) throw err;
      onFallback();
      return exactIndex(ds, metric).rangeSearch(x, radius);
    }
  });
}

export const diagnosticsOps: Handlers<'exactSearch' | 'pointRecall' | 'neighbourhoodOverlap' | 'hubs' | 'nearDuplicates' | 'distanceSample'> = {
  async exactSearch(input) {
    const ds = getDataset(input.dataset);
    const index = exactIndex(ds, input.metric);
    const x = prepareQueries({ ...input, index: '' }, { index, metric: input.metric, dim: ds.dim });
    const t0 = performance.now();
    const r = faissCall('search', () => index.search(x, input.k));
    const n = x.length / ds.dim;
    const answer = { n, k: input.k, distances: r.distances, labels: Float64Array.from(r.labels, Number), took_ms: performance.now() - t0, ignored_params: [] };
    const rows = input.rows;
    if (!rows) return answer;
    if (rows.some((row) => row >= ds.n)) throw new EngineError('ROW_OUT_OF_RANGE', `rows must be below ${ds.n}, the size of "${ds.info.name}"`);
    const distance = exactDistance(metricBase(ds, input.metric), x, ds.dim, input.metric);
    const rowDistances = new Float64Array(n * rows.length);
    for (let q = 0; q < n; q++) rows.forEach((row, j) => (rowDistances[q * rows.length + j] = row < 0 ? Number.NaN : distance(q, row)));
    return { ...answer, row_distances: rowDistances };
  },

  async pointRecall({ dataset, index, k, params, sample, seed }, ctx) {
    const ds = getDataset(dataset);
    const ix = getIndex(index);
    const rows = sampleRows(ds.n, sample ?? DEFAULT_RECALL_SAMPLE, mulberry32(seed ?? 1));
    const x = rowsOf(metricBase(ds, ix.metric), ds.dim, rows);
    const approx = await searchAll(ix.index, x, ds.dim, k, ctx, 'index search', searchParamString(params as SearchParams | undefined));
    const truth = await searchAll(exactIndex(ds, ix.metric), x, ds.dim, k, ctx, 'exact search');
    const distance = exactDistance(metricBase(ds, ix.metric), x, ds.dim, ix.metric);
    const per = recallPerQuery({ ids: approx.ids, width: k }, { ids: truth.ids, width: k }, rows.length, k, distance, ix.metric);
    const recall = new Float32Array(ds.n).fill(Number.NaN);
    rows.forEach((r, i) => (recall[r] = per[i]));
    return { recall, evaluated: rows.length, mean: meanRecall(per), k };
  },

  async neighbourhoodOverlap({ dataset, projection, k, sample, seed }, ctx) {
    const ds = getDataset(dataset);
    const map = projectionOf(ds, projection);
    const high = await baseKnn(ds, k + 1, 'flat', ctx);
    const highIds = withoutSelf(high.ids, high.distances, ds.n, k + 1).ids;
    ctx.progress('map neighbours', 0, 1);
    await ctx.checkpoint();
    const lowIds = planeKnn(map.base, k);
    const overlap = neighbourhoodOverlap(highIds, lowIds, ds.n, k);
    let mean = 0;
    for (const v of overlap) mean += v;
    mean /= Math.max(1, ds.n);
    const rows = sampleRows(ds.n, sample ?? DEFAULT_TRUST_SAMPLE, mulberry32(seed ?? 1));
    // brute force per sampled row: chunks keep progress moving and let a cancel in
    let trust = 0;
    const step = 50;
    for (let s = 0; s < rows.length; s += step) {
      ctx.progress('trustworthiness', s, rows.length);
      await ctx.checkpoint();
      const part = rows.subarray(s, Math.min(rows.length, s + step));
      trust += part.length * trustworthiness({ high: ds.base, highDim: ds.dim, low: map.base, lowDim: 2, k, rows: part });
    }
    return { overlap, meanOverlap: mean, trustworthiness: trust / Math.max(1, rows.length), trustRows: rows.length, k };
  },

  async hubs({ dataset, index, k, top }, ctx) {
    const ds = getDataset(dataset);
    const ix = getIndex(index);
    const all = await searchAll(ix.index, metricBase(ds, ix.metric), ds.dim, k + 1, ctx, 'neighbours');
    const own = withoutSelf(all.ids, all.distances, ds.n, k + 1);
    const h = hubness(own.ids, ds.n, k, top ?? 20);
    return { ...h, kthDistances: kthDistances(own.ids, own.values, ds.n, k), k };
  },

  async nearDuplicates({ dataset, index, radius, maxPairs }, ctx) {
    const ds = getDataset(dataset);
    const ix = getIndex(index);
    const base = metricBase(ds, ix.metric);
    const cap = maxPairs ?? DEFAULT_MAX_PAIRS;
    const a: number[] = [];
    const b: number[] = [];
    const d: number[] = [];
    let total = 0;
    let via: 'index' | 'exact' = 'index';
    for (let start = 0; start < ds.n; start += RANGE_CHUNK) {
      ctx.progress('range search', start, ds.n);
      await ctx.checkpoint();
      const end = Math.min(ds.n, start + RANGE_CHUNK);
      const x = base.subarray(start * ds.dim, end * ds.dim);
      const r = rangeSearch(via === 'index' ? ix.index : exactIndex(ds, ix.metric), x, radius, () => (via = 'exact'), ds, ix.metric);
      for (let q = 0; q < end - start; q++) {
        const row = start + q;
        for (let p = r.lims[q]; p < r.lims[q + 1]; p++) {
          const other = Number(r.labels[p]);
          if (other <= row) continue; // each pair once, never a point with itself
          total++;
          if (a.length < cap) {
            a.push(row);
            b.push(other);
            d.push(r.distances[p]);
          }
        }
      }
    }
    ctx.progress('range search', ds.n, ds.n);
    // closest pairs first
    const order = a.map((_, i) => i).sort((x, y) => (ix.metric === 'l2' ? d[x] - d[y] : d[y] - d[x]));
    return {
      a: Float64Array.from(order, (i) => a[i]),
      b: Float64Array.from(order, (i) => b[i]),
      distances: Float32Array.from(order, (i) => d[i]),
      total,
      radius,
      via,
    };
  },

  async distanceSample({ dataset, metric, queries, sample, seed }) {
    const ds = getDataset(dataset);
    const index = exactIndex(ds, metric);
    const q = prepareQueries({ dataset, queries, index: '', k: 1 }, { index, metric, dim: ds.dim }).subarray(0, ds.dim);
    const rows = sampleRows(ds.n, sample, mulberry32(seed ?? 7));
    const base = metricBase(ds, metric);
    const out = new Float32Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const o = rows[i] * ds.dim;
      let s = 0;
      for (let c = 0; c < ds.dim; c++) {
        const v = metric === 'l2' ? base[o + c] - q[c] : base[o + c] * q[c];
        s += metric === 'l2' ? v * v : v;
      }
      out[i] = s;
    }
    return { distances: out, sampled: rows.length, n: ds.n };
  },
};
