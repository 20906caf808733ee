import type { Projection } from '../../../app/contract/operations.js';
import { faiss, faissCall, getDataset, projections, type Handlers } from './state.js';

export const projectionOps: Handlers<'project'> = {
  async project({ dataset }, ctx) {
    const cached = projections.get(dataset);
    if (cached) return cached;
    const ds = getDataset(dataset);
    ctx.progress('pca', 0, 3);
    const pca = faissCall('pca', () => new faiss.PCAMatrix(ds.dim, 2));
    faissCall('pca train', () => pca.train(ds.base));
    ctx.progress('pca', 1, 3);
    await ctx.checkpoint();
    const base = faissCall('pca apply', () => pca.apply(ds.base));
    ctx.progress('pca', 2, 3);
    const queries = ds.nq > 0 ? faissCall('pca apply', () => pca.apply(ds.queries)) : new Float32Array(0);
    const eig = pca.eigenvalues();
    const total = eig.reduce((a: number, b: number) => a + b, 0) || 1;
    const result: Projection = {
      dataset,
      method: 'pca',
      base,
      queries,
      labels: ds.labels,
      explained: [eig[0] / total, eig[1] / total],
    };
    projections.set(dataset, result);
    ctx.progress('pca', 3, 3);
    return result;
  },
};
