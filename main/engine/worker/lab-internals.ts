import type { IndexInternals } from '../../../app/contract/lab.js';
import type { Metric } from '../../../app/contract/operations.js';
import { normaliseRows } from '../../../app/datasets/generators.js';
import { codecStats, reconstructionErrors } from '../../../app/eval/reconstruction.js';
import { hnswStats } from '../../../app/indexes/hnsw-graph.js';
import { ivfStats } from '../../../app/indexes/ivf-lists.js';
import type { FaissIndex } from '../faiss-binding.js';
import type { Dataset } from './state.js';

/** Enough vectors for a faithful error distribution without decoding millions. */
const CODEC_SAMPLE = 200_000;
/** Factory components that store vectors lossily: only these have a reconstruction error. */
const LOSSY = /PQ|SQ|RQ|LSQ|PCA|LSH/;

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}

/** What is inside a built index: IVF list sizes, the HNSW graph, the codec's reconstruction error. */
export function indexInternals(index: FaissIndex, factory: string, serialised: Uint8Array, ds: Dataset, metric: Metric): IndexInternals {
  const out: IndexInternals = { notes: [] };
  if (/IVF/.test(factory)) {
    try {
      out.ivf = ivfStats(index.ivfListSizes());
    } catch (err) {
      out.notes.push(`IVF list sizes are not available for this index: ${firstLine(err)}`);
    }
  }
  if (/HNSW/.test(factory)) {
    const graph = hnswStats(serialised);
    if (graph) out.hnsw = graph;
    else out.notes.push('The HNSW graph is read only from a plain IndexHNSW (not as an IVF quantizer or inside a wrapper).');
  }
  if (LOSSY.test(factory)) {
    const n = Math.min(ds.n, CODEC_SAMPLE);
    try {
      const decoded = index.reconstructN(0, n);
      let original = ds.base.subarray(0, n * ds.dim);
      if (metric === 'cosine') {
        original = original.slice();
        normaliseRows(original, ds.dim);
      }
      out.codec = codecStats(reconstructionErrors(original, decoded, ds.dim));
      if (n < ds.n) out.notes.push(`Reconstruction error measured on the first ${n.toLocaleString('en-US')} vectors.`);
    } catch (err) {
      out.notes.push(`This index cannot decode its vectors, so its reconstruction error is unknown: ${firstLine(err)}`);
    }
  }
  return out;
}
