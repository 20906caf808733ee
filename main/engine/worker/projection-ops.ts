import type { Projection } from '../../../app/contract/operations.js';
import { faiss, faissCall, getDataset, projections, type Handlers } from './state.js';

/** Rows of `dims` components as the 2D view's interleaved x,y plus the third component apart. */
function planeAndDepth(rows: Float32Array, dims: number): { xy: Float32Array; z?: Float32Array } {
  if (dims === 2) return { xy: rows };
  const n = rows.length / dims;
  const xy = new Float32Array(n * 2);
  const z = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    xy[2 * i] = rows[dims * i];
    xy[2 * i + 1] = rows[dims * i + 1];
    z[i] = rows[dims * i + 2];
  }
  return { xy, z };
}

export const projectionOps: Handlers<'project'> = {
  async project({ dataset }, ctx) {
    const cached = projections.get(dataset);
    if (cached) return cached;
    const ds = getDataset(dataset);
    // three components when there are three: the 3D view's depth costs one more column, not a second job
    const dims = ds.dim >= 3 ? 3 : 2;
    ctx.progress('pca', 0, 3);
    const pca = faissCall('pca', () => new faiss.PCAMatrix(ds.dim, dims));
    faissCall('pca train', () => pca.train(ds.base));
    ctx.progress('pca', 1, 3);
    await ctx.checkpoint();
    const base = planeAndDepth(faissCall('pca apply', () => pca.apply(ds.base)), dims);
    ctx.progress('pca', 2, 3);
    const queries = planeAndDepth(ds.nq > 0 ? faissCall('pca apply', () => pca.apply(ds.queries)) : new Float32Array(0), dims);
    const eig = pca.eigenvalues();
    const total = eig.reduce((a: number, b: number) => a + b, 0) || 1;
    const result: Projection = {
      dataset,
      method: 'pca',
      base: base.xy,
      queries: queries.xy,
      ...(base.z ? { baseZ: base.z, queriesZ: queries.z } : {}),
      labels: ds.labels,
      explained: Array.from(eig.slice(0, dims), (e: number) => e / total),
    };
    projections.set(dataset, result);
    ctx.progress('pca', 3, 3);
    return result;
  },
};
