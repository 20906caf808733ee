import { Type, type Static } from '@sinclair/typebox';
import { call, job } from './op-def.js';
import { ErrorValueT, Id, IndexInfo, Metric, type IndexSpec } from './schemas.js';
import { LIMITS } from './limits.js';

// The index lab: several index configurations built on one dataset, each swept over its search
// parameter and measured for recall, speed and size.

export const SweepParam = Type.Union([Type.Literal('nprobe'), Type.Literal('efSearch')]);
export type SweepParam = Static<typeof SweepParam>;

export const LabConfig = Type.Object(
  {
    label: Type.String({ minLength: 1, maxLength: 200 }),
    factory: Type.String({ minLength: 1, maxLength: 256 }),
    /** the search parameter swept; null: the index has none (Flat, PQ) */
    param: Type.Union([SweepParam, Type.Null()]),
    sweep: Type.Array(Type.Integer({ minimum: 1, maximum: 1_000_000 }), { maxItems: 32 }),
    /** HNSW graph quality while adding; faiss's default when absent */
    efConstruction: Type.Optional(Type.Integer({ minimum: 1, maximum: 4096 })),
  },
  { additionalProperties: false },
);
export type LabConfig = Static<typeof LabConfig>;

export const LAB_LIMITS = {
  configs: 12,
  queries: { min: 1, max: 100_000, default: 1_000 },
  singleQueries: { min: 0, max: 10_000, default: 200 },
  repeats: { min: 1, max: 20, default: 5 },
  k: { min: 1, max: LIMITS.analysisK, default: 10 },
} as const;

const int = (r: { min: number; max: number }) => Type.Integer({ minimum: r.min, maximum: r.max });

export const LabRunInput = Type.Object(
  {
    dataset: Id,
    metric: Metric,
    k: int(LAB_LIMITS.k),
    configs: Type.Array(LabConfig, { minItems: 1, maxItems: LAB_LIMITS.configs }),
    /** how many queries: a seeded sample of the query set (all when it has fewer) */
    queries: Type.Optional(int(LAB_LIMITS.queries)),
    /** how many of those are also searched one at a time, for latency */
    singleQueries: Type.Optional(int(LAB_LIMITS.singleQueries)),
    /** timed repeats of each measurement after one warm-up; the median is reported */
    repeats: Type.Optional(int(LAB_LIMITS.repeats)),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1 })),
    /** auto: the dataset file's ground truth when it fits (metric and k), else exact search */
    groundTruth: Type.Optional(Type.Union([Type.Literal('auto'), Type.Literal('exact')])),
  },
  { additionalProperties: false },
);
export type LabRunInput = Static<typeof LabRunInput>;

export const LabPoint = Type.Object({
  /** the swept parameter's value; null for an index without one */
  value: Type.Union([Type.Integer(), Type.Null()]),
  /** k@k: share of the true k nearest among the k found */
  recall: Type.Number(),
  recall_1: Type.Number(),
  /** null when the data has fewer than 10 vectors */
  recall_10_at_10: Type.Union([Type.Number(), Type.Null()]),
  qps_batch: Type.Number(),
  /** median wall time of one batch search of all queries */
  batch_ms: Type.Number(),
  /** the fastest and slowest of the timed repeats: how much of a QPS difference is noise */
  batch_ms_min: Type.Optional(Type.Number()),
  batch_ms_max: Type.Optional(Type.Number()),
  qps_single: Type.Union([Type.Number(), Type.Null()]),
  latency_mean_ms: Type.Union([Type.Number(), Type.Null()]),
  /** absent in runs saved before it was measured */
  latency_median_ms: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
  latency_p99_ms: Type.Union([Type.Number(), Type.Null()]),
});
export type LabPoint = Static<typeof LabPoint>;

export const Histogram = Type.Object({
  /** left edge of bin 0 and the width of every bin */
  start: Type.Number(),
  width: Type.Number(),
  counts: Type.Array(Type.Integer()),
});
export type Histogram = Static<typeof Histogram>;

export const IvfStats = Type.Object({
  nlist: Type.Integer(),
  empty: Type.Integer(),
  min: Type.Integer(),
  max: Type.Integer(),
  mean: Type.Number(),
  /** faiss's imbalance factor: 1 for equal lists, higher means some searches scan far more */
  imbalance: Type.Number(),
  histogram: Histogram,
});
export type IvfStats = Static<typeof IvfStats>;

export const HnswStats = Type.Object({
  /** nodes whose top level is 0, 1, 2, ... */
  levels: Type.Array(Type.Integer()),
  /** links per node on level 0 (the level every search ends on) */
  degree: Histogram,
  max_degree: Type.Integer(),
  mean_degree: Type.Number(),
});
export type HnswStats = Static<typeof HnswStats>;

export const CodecStats = Type.Object({
  /** per vector: |x - decode(encode(x))|² / |x|² */
  mean: Type.Number(),
  median: Type.Number(),
  p99: Type.Number(),
  max: Type.Number(),
  histogram: Histogram,
  worst: Type.Array(Type.Object({ id: Type.Integer(), error: Type.Number() })),
});
export type CodecStats = Static<typeof CodecStats>;

export const IndexInternals = Type.Object({
  ivf: Type.Optional(IvfStats),
  hnsw: Type.Optional(HnswStats),
  codec: Type.Optional(CodecStats),
  /** what could not be looked at, and why */
  notes: Type.Array(Type.String()),
});
export type IndexInternals = Static<typeof IndexInternals>;

export const LabIndexResult = Type.Object({
  label: Type.String(),
  factory: Type.String(),
  className: Type.String(),
  param: Type.Union([SweepParam, Type.Null()]),
  train_ms: Type.Number(),
  add_ms: Type.Number(),
  /** the serialised index */
  size_bytes: Type.Integer(),
  /** growth of the worker's resident memory while building (approximate) */
  memory_bytes: Type.Integer(),
  ntotal: Type.Integer(),
  points: Type.Array(LabPoint),
  internals: IndexInternals,
  warnings: Type.Array(Type.String()),
  /** a configuration that failed leaves the others measured */
  error: Type.Optional(ErrorValueT),
});
export type LabIndexResult = Static<typeof LabIndexResult>;

export const Machine = Type.Object({
  cpus: Type.Integer(),
  model: Type.String(),
  memory_gb: Type.Number(),
  platform: Type.String(),
  node: Type.String(),
});

export const LabRun = Type.Object({
  format: Type.Literal('faiss-explorer-lab/1'),
  /** the worker keeps this run's indexes until the next run, for keepLabIndex */
  id: Type.String(),
  created: Type.String(),
  dataset: Type.Object({ id: Type.String(), name: Type.String(), n: Type.Integer(), dim: Type.Integer(), nq: Type.Integer() }),
  metric: Metric,
  k: Type.Integer(),
  queries: Type.Integer(),
  single_queries: Type.Integer(),
  repeats: Type.Integer(),
  seed: Type.Integer(),
  ground_truth: Type.Union([Type.Literal('exact'), Type.Literal('file')]),
  ground_truth_ms: Type.Number(),
  machine: Machine,
  faiss: Type.String(),
  indexes: Type.Array(LabIndexResult),
});
export type LabRun = Static<typeof LabRun>;

export const KeepLabIndexInput = Type.Object({ run: Type.String({ minLength: 1, maxLength: 64 }), position: Type.Integer({ minimum: 0 }) }, { additionalProperties: false });
export type KeepLabIndexInput = Static<typeof KeepLabIndexInput>;

export const LAB_OPERATIONS = {
  labRun: job(LabRunInput, LabRun),
  /** registers a lab index in the catalogue (saved like a built one), so explore can search it */
  keepLabIndex: call(KeepLabIndexInput, IndexInfo),
} as const;

export interface LabWorkerOps {
  keepLabIndex: {
    in: KeepLabIndexInput & { id: string; savePath: string };
    out: { spec: Pick<IndexSpec, 'dataset' | 'factory' | 'metric'>; ntotal: number; dim: number; memory_bytes: number; train_ms: number; add_ms: number };
  };
}
