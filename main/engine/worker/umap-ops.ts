import type { UmapParams, UmapResult } from '../../../app/contract/explore.js';
import { fuzzyGraph } from '../../../app/projection/fuzzy-graph.js';
import { umapKey } from '../../../app/projection/umap-options.js';
import { UmapLayout } from '../../../app/projection/umap-layout.js';
import { baseKnn, exactIndex, searchAll } from './knn-graph.js';
import { startLayoutThreads } from './umap-threads.js';
import { faiss, faissCall, getDataset, projections, type Ctx, type Dataset, type Handlers } from './state.js';

/** Finished UMAP layouts by dataset and parameters: asking again costs nothing; a dropped dataset takes its own along. */
const layouts = new WeakMap<Float32Array, Map<string, UmapResult>>();

export function cachedUmap(ds: Dataset, params: UmapParams): UmapResult | undefined {
  return layouts.get(ds.base)?.get(umapKey(ds.info.id, params));
}

const PROGRESS_MS = 100;

export const umapOps: Handlers<'umap'> = {
  async umap({ dataset, params }, ctx) {
    const ds = getDataset(dataset);
    const cached = cachedUmap(ds, params);
    if (cached) return { ...cached, cached: true };
    const t0 = performance.now();
    const knn = await baseKnn(ds, params.nNeighbors, params.graph, ctx);
    // faiss reports squared L2; UMAP's memberships decay with plain distance
    const dist = Float32Array.from(knn.distances, (d) => Math.sqrt(Math.max(0, d)));
    ctx.progress('fuzzy graph', 0, 1);
    await ctx.checkpoint();
    const graph = fuzzyGraph(knn.ids, dist, ds.n, knn.k);
    const knnMs = performance.now() - t0;

    const t1 = performance.now();
    const layout = new UmapLayout(graph, pcaInit(ds), params, { memory: 'shared' });
    const threads = await startLayoutThreads(layout);
    try {
      let shown = 0;
      while (!layout.finished) {
        layout.step(threads?.run);
        if (performance.now() - shown > PROGRESS_MS || layout.finished) {
          shown = performance.now();
          ctx.progress('epoch', layout.done, params.epochs);
          await ctx.checkpoint();
        }
      }
    } finally {
      await threads?.close();
    }
    const layoutMs = performance.now() - t1;
    const queries = await placeQueries(ds, layout.embedding, params.nNeighbors, ctx);
    const result: UmapResult = {
      dataset,
      method: 'umap',
      base: layout.embedding,
      queries,
      labels: ds.labels,
      explained: [],
      params,
      knn_ms: knnMs,
      knn_graph: knn.kind,
      knn_recall: knn.recall,
      layout_ms: layoutMs,
      cached: false,
    };
    let byKey = layouts.get(ds.base);
    if (!byKey) layouts.set(ds.base, (byKey = new Map()));
    byKey.set(umapKey(dataset, params), result);
    return result;
  },
};

/** The starting layout: the first two principal components (faiss's PCAMatrix), reusing the PCA view's. */
function pcaInit(ds: Dataset): Float32Array {
  const pca = projections.get(ds.info.id);
  if (pca && pca.base.length === ds.n * 2) return pca.base;
  const m = faissCall('pca', () => new faiss.PCAMatrix(ds.dim, 2));
  faissCall('pca train', () => m.train(ds.base));
  return faissCall('pca apply', () => m.apply(ds.base));
}

/** Query-set points go where their nearest base points went: the mean of those points' places. */
async function placeQueries(ds: Dataset, embedding: Float32Array, k: number, ctx: Ctx): Promise<Float32Array> {
  if (ds.nq === 0) return new Float32Array(0);
  const knn = await searchAll(exactIndex(ds, 'l2'), ds.queries, ds.dim, k, ctx, 'place queries');
  const out = new Float32Array(ds.nq * 2);
  for (let q = 0; q < ds.nq; q++) {
    let x = 0, y = 0, m = 0;
    for (let j = 0; j < k; j++) {
      const id = knn.ids[q * k + j];
      if (id < 0) continue;
      x += embedding[2 * id];
      y += embedding[2 * id + 1];
      m++;
    }
    out[2 * q] = m ? x / m : 0;
    out[2 * q + 1] = m ? y / m : 0;
  }
  return out;
}
