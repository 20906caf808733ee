// Which explanation fits an index, read from its factory string (or, for a loaded file, the
// class name faiss reports): the steps a search goes through, in order.

export type ExplainKind = 'flat' | 'ivf' | 'hnsw' | 'pq' | 'other';

export interface IndexPipeline {
  kind: ExplainKind;
  /** the factory string's parts, pre-transforms first */
  pipeline: string[];
  /** the vectors are PQ codes (PQ, IVF…PQ, HNSW…PQ): the distance tables can be shown */
  pq: boolean;
  /** what cannot be shown, in a sentence; empty when everything can */
  note: string;
}

const TRANSFORM = /^(OPQ|PCA|PCAR|PCAW|RR|ITQ|L2norm|Pad)/;

export function indexPipeline(factory: string): IndexPipeline {
  const pipeline = factory.split(',').map((p) => p.trim()).filter(Boolean);
  const core = pipeline.filter((p) => !TRANSFORM.test(p) && !/^(IDMap2?|RFlat|Refine)/.test(p));
  const has = (re: RegExp) => core.some((p) => re.test(p)) || re.test(factory);
  const pq = core.some((p) => /^PQ\d/.test(p)) || /IndexIVFPQ|IndexPQ\b/.test(factory);
  if (/^IDMap/.test(pipeline[0] ?? '')) return other(pipeline, 'an IDMap keeps ids of its own, so the steps inside it cannot be matched to rows');
  if (has(/^HNSW|IndexHNSW/)) return { kind: 'hnsw', pipeline, pq, note: '' };
  if (has(/^IVF\d|IndexIVF/)) return { kind: 'ivf', pipeline, pq, note: '' };
  if (pq) return { kind: 'pq', pipeline, pq, note: '' };
  if (core.length === 1 && /^Flat$|^IndexFlat/.test(core[0])) return { kind: 'flat', pipeline, pq: false, note: '' };
  return other(pipeline, `the views know Flat, IVF, HNSW and PQ; "${factory}" is searched differently`);
}

function other(pipeline: string[], why: string): IndexPipeline {
  return { kind: 'other', pipeline, pq: false, note: `This index cannot be explained step by step: ${why}. Its pipeline and answer are shown.` };
}
