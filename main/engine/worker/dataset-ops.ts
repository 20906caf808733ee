import type { DatasetInfo } from '../../../app/contract/operations.js';
import type { WorkerOps } from '../../../app/contract/worker-protocol.js';
import { blobsSet, tutorialSet, type VectorSet } from '../../../app/datasets/generators.js';
import { labelsFromMetadata } from '../../../app/datasets/labels.js';
import { readDatasetFile } from '../dataset-files.js';
import { datasets, projections, type Dataset, type Handlers } from './state.js';

function openGenerated(source: Extract<WorkerOps['openDataset']['in']['source'], { kind: 'generate' }>): VectorSet {
  const opts = { n: source.n, nq: source.nq, dim: source.dim, seed: source.seed };
  return source.generator === 'tutorial' ? tutorialSet(opts) : blobsSet({ ...opts, clusters: source.clusters });
}

export const datasetOps: Handlers<'openDataset' | 'dropDataset'> = {
  async openDataset({ id, name, source }, ctx) {
    let set: Omit<Dataset, 'info'>;
    let dtype = 'float32';
    if (source.kind === 'generate') {
      ctx.progress('generate', 0, 1);
      set = openGenerated(source);
      ctx.progress('generate', 1, 1);
    } else {
      const file = await readDatasetFile(source.path, source, (done, total) => ctx.progress('read', done, total), ctx.checkpoint);
      const category = labelsFromMetadata(file.metadata, file.n);
      set = { ...file, labels: file.labels ?? category?.labels };
      dtype = file.dtype;
    }
    const info: DatasetInfo = {
      id,
      name,
      n: set.n,
      dim: set.dim,
      dtype,
      nq: set.nq,
      labels: !!set.labels,
      source,
      ...(set.metadata ? { metadata: set.metadata.map(({ name: col, type }) => ({ name: col, type })) } : {}),
      ...(set.metric ? { metric: set.metric } : {}),
      ...(set.groundTruth ? { groundTruthK: set.groundTruth.k } : {}),
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
