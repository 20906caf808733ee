import type { DatasetInfo } from '../../../app/contract/operations.js';
import type { WorkerOps } from '../../../app/contract/worker-protocol.js';
import { blobsSet, generatedShape, tutorialSet, type VectorSet } from '../../../app/datasets/generators.js';
import { labelsFromMetadata } from '../../../app/datasets/labels.js';
import { holdOut, normStats } from '../../../app/datasets/stats.js';
import { EngineError } from '../../../app/contract/errors.js';
import { checkMemoryClaim } from '../../../app/datasets/readers/claims.js';
import { readDatasetFile } from '../dataset-files.js';
import { datasets, faiss, nativeMemory, projections, type Dataset, type Handlers } from './state.js';

function openGenerated(source: Extract<WorkerOps['openDataset']['in']['source'], { kind: 'generate' }>): VectorSet {
  const opts = { n: source.n, nq: source.nq, dim: source.dim, seed: source.seed };
  return source.generator === 'tutorial' ? tutorialSet(opts) : blobsSet({ ...opts, clusters: source.clusters });
}

export const datasetOps: Handlers<'openDataset' | 'dropDataset'> = {
  async openDataset({ id, name, source, limits }, ctx) {
    let set: Omit<Dataset, 'info'>;
    let dtype = 'float32';
    let labelColumn: string | undefined;
    if (source.kind === 'generate') {
      ctx.progress('generate', 0, 1);
      const shape = generatedShape(source.generator, source);
      checkMemoryClaim(`a generated set of ${shape.n + shape.nq} vectors of ${shape.dim} dims`, (shape.n + shape.nq) * shape.dim, limits);
      set = openGenerated(source);
      ctx.progress('generate', 1, 1);
    } else {
      const file = await readDatasetFile(source.path, { ...source, memory: nativeMemory, limits }, (done, total) => ctx.progress('read', done, total), ctx.checkpoint);
      const category = labelsFromMetadata(file.metadata, file.n);
      set = { ...file, labels: file.labels ?? category?.labels };
      if (!file.labels && category) labelColumn = category.column;
      dtype = file.dtype;
      if (source.queries) {
        const q = await readDatasetFile(source.queries, { limits: limits && { ...limits, memoryLeft: limits.memoryLeft - file.base.byteLength } }, (done, total) => ctx.progress('read queries', done, total), ctx.checkpoint);
        if (q.dim !== file.dim) throw new EngineError('BAD_DIMENSION', `the query file has ${q.dim} dims, the base set ${file.dim}`);
        set = { ...set, queries: q.base, nq: q.n };
      } else if (source.holdout) {
        const split = holdOut(file.base, file.n, file.dim, source.holdout);
        // labels and metadata stay row-aligned with the base that remains
        set = { ...set, ...split, labels: set.labels?.subarray(0, split.n), metadata: set.metadata?.map((c) => ({ ...c, values: c.values.slice(0, split.n) })) };
      }
    }
    // readers check before they allocate; this catches any that can only tell afterwards (parquet)
    checkMemoryClaim(`"${name}"`, set.base.length + set.queries.length, limits);
    ctx.progress('statistics', 0, 1);
    const stats = { ...normStats(faiss.rowNorms(set.base, set.dim)), memory_bytes: set.base.byteLength + set.queries.byteLength };
    const info: DatasetInfo = {
      id,
      name,
      n: set.n,
      dim: set.dim,
      dtype,
      nq: set.nq,
      labels: !!set.labels,
      ...(labelColumn ? { labelColumn } : {}),
      source,
      ...(set.metadata ? { metadata: set.metadata.map(({ name: col, type }) => ({ name: col, type })) } : {}),
      ...(set.metric ? { metric: set.metric } : {}),
      ...(set.groundTruth ? { groundTruthK: set.groundTruth.k } : {}),
      stats,
    };
    // only a fully read file replaces anything: a failed read leaves what was loaded alone
    datasets.set(id, { ...set, info });
    projections.delete(id);
    return info;
  },

  async dropDataset({ id }) {
    datasets.delete(id);
    projections.delete(id);
    return null;
  },
};
