import { Type, type Static } from '@sinclair/typebox';
import { ERROR_CODES } from './errors.js';
import { Float32ArrayT, Float64ArrayT, Int32ArrayT } from './typed-arrays.js';
import { FilePath } from './file-paths.js';
import { LIMITS } from './limits.js';

export const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
export const Metric = Type.Union([Type.Literal('l2'), Type.Literal('ip'), Type.Literal('cosine')]);
export type Metric = Static<typeof Metric>;

export const GeneratorName = Type.Union([Type.Literal('tutorial'), Type.Literal('blobs')]);
export type GeneratorName = Static<typeof GeneratorName>;

export const DatasetSource = Type.Union([
  Type.Object(
    {
      kind: Type.Literal('generate'),
      generator: GeneratorName,
      seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1 })),
      n: Type.Optional(Type.Integer({ minimum: 10, maximum: 10_000_000 })),
      dim: Type.Optional(Type.Integer({ minimum: 2, maximum: 4096 })),
      nq: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
      clusters: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('file'),
      path: FilePath('read'),
      format: Type.Optional(Type.String({ maxLength: 16 })),
      /** jsonl/json/parquet: the field holding the vector */
      field: Type.Optional(Type.String({ maxLength: 200 })),
      /** npz: the array; hdf5: the dataset used as the base set */
      array: Type.Optional(Type.String({ maxLength: 200 })),
      /** csv/tsv: the columns forming the vector */
      columns: Type.Optional(Type.Array(Type.Integer({ minimum: 0 }), { maxItems: 65536 })),
      /** a .tsv/.csv with one row of metadata per vector; by default one found beside the file ("x.npy" → "x.metadata.tsv") */
      metadata: Type.Optional(FilePath('read')),
      /** a second file whose vectors are the query set */
      queries: Type.Optional(FilePath('read')),
      /** or hold out this many of the file's last rows as the query set */
      holdout: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000_000 })),
    },
    { additionalProperties: false },
  ),
]);
export type DatasetSource = Static<typeof DatasetSource>;

export const DatasetInfo = Type.Object({
  id: Id,
  name: Type.String(),
  n: Type.Integer(),
  dim: Type.Integer(),
  dtype: Type.String(),
  nq: Type.Integer({ description: 'rows in the query set; 0 when the dataset has none' }),
  labels: Type.Boolean(),
  /** the metadata column the labels are read from, when they are one: the same data, listed once */
  labelColumn: Type.Optional(Type.String()),
  source: DatasetSource,
  metadata: Type.Optional(Type.Array(Type.Object({ name: Type.String(), type: Type.Union([Type.Literal('string'), Type.Literal('number')]) }))),
  /** the metric the file asks for (ann-benchmarks HDF5) */
  metric: Type.Optional(Metric),
  /** k of the ground truth the file carries, if any */
  groundTruthK: Type.Optional(Type.Integer()),
  stats: Type.Optional(
    Type.Object({
      norm_min: Type.Number(),
      norm_mean: Type.Number(),
      norm_max: Type.Number(),
      zero_vectors: Type.Integer(),
      /** bytes the vectors take in the engine (base and queries, float32) */
      memory_bytes: Type.Integer(),
    }),
  ),
});
export type DatasetInfo = Static<typeof DatasetInfo>;

export const IndexStatus = Type.Union([Type.Literal('building'), Type.Literal('ready'), Type.Literal('failed')]);
export const ErrorValueT = Type.Object({ code: Type.Union(ERROR_CODES.map((c) => Type.Literal(c))), message: Type.String() });

export const IndexSpec = Type.Object(
  {
    dataset: Id,
    factory: Type.String({ minLength: 1, maxLength: 256 }),
    metric: Metric,
    name: Type.Optional(Type.String({ maxLength: 200 })),
    /** HNSW graph quality while adding (faiss's default is 40) */
    efConstruction: Type.Optional(Type.Integer({ minimum: 1, maximum: 4096 })),
    /** how many vectors to train on, drawn with `seed`; default: all, up to 256 per IVF list */
    train_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000_000 })),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1 })),
  },
  { additionalProperties: false },
);
export type IndexSpec = Static<typeof IndexSpec>;

export const IndexInfo = Type.Object({
  id: Id,
  name: Type.String(),
  dataset: Type.String(),
  factory: Type.String(),
  metric: Metric,
  dim: Type.Integer(),
  ntotal: Type.Integer(),
  status: IndexStatus,
  memory_bytes: Type.Integer(),
  is_trained: Type.Optional(Type.Boolean()),
  train_ms: Type.Number(),
  add_ms: Type.Number(),
  path: Type.Optional(Type.String()),
  error: Type.Optional(ErrorValueT),
  /** e.g. too few training points per IVF list */
  warnings: Type.Optional(Type.Array(Type.String())),
});
export type IndexInfo = Static<typeof IndexInfo>;

export const SearchParams = Type.Object(
  {
    nprobe: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.searchParam })),
    efSearch: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.searchParam })),
  },
  { additionalProperties: false },
);
export type SearchParams = Static<typeof SearchParams>;

export const QuerySource = Type.Union([
  Type.Object({ kind: Type.Literal('queryRows'), rows: Type.Array(Type.Integer({ minimum: 0 }), { minItems: 1, maxItems: 100_000 }) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('baseRows'), rows: Type.Array(Type.Integer({ minimum: 0 }), { minItems: 1, maxItems: 100_000 }) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('allQueries') }, { additionalProperties: false }),
  /** vectors stored in the index, by id (reconstructed by faiss) */
  Type.Object({ kind: Type.Literal('ids'), ids: Type.Array(Type.Integer({ minimum: 0 }), { minItems: 1, maxItems: 100_000 }) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('vectors'), data: Type.Array(Type.Array(Type.Number()), { minItems: 1, maxItems: 100_000 }) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('packed'), data: Float32ArrayT }, { additionalProperties: false }),
]);
export type QuerySource = Static<typeof QuerySource>;

export const SearchInput = Type.Object(
  {
    index: Id,
    queries: QuerySource,
    k: Type.Integer({ minimum: 1, maximum: LIMITS.searchK }),
    params: Type.Optional(SearchParams),
  },
  { additionalProperties: false },
);
export type SearchInput = Static<typeof SearchInput>;

export const SearchResult = Type.Object({
  n: Type.Integer(),
  k: Type.Integer(),
  distances: Float32ArrayT,
  /** ids as doubles: exact up to 2^53, and plain numbers for the UI; -1 marks a missing neighbour */
  labels: Float64ArrayT,
  took_ms: Type.Number(),
  ignored_params: Type.Array(Type.String()),
});
export type SearchResult = Static<typeof SearchResult>;

export const RangeSearchInput = Type.Object(
  { index: Id, queries: QuerySource, radius: Type.Number(), params: Type.Optional(SearchParams) },
  { additionalProperties: false },
);
export type RangeSearchInput = Static<typeof RangeSearchInput>;
export const RangeSearchResult = Type.Object({
  n: Type.Integer(),
  /** results of query i are [lims[i], lims[i+1]) */
  lims: Float64ArrayT,
  distances: Float32ArrayT,
  labels: Float64ArrayT,
  took_ms: Type.Number(),
  ignored_params: Type.Array(Type.String()),
});
export type RangeSearchResult = Static<typeof RangeSearchResult>;

export const ProjectInput = Type.Object(
  { dataset: Id, method: Type.Literal('pca') },
  { additionalProperties: false },
);
export type ProjectInput = Static<typeof ProjectInput>;

export const Projection = Type.Object({
  dataset: Type.String(),
  method: Type.String(),
  /** base points, interleaved x,y */
  base: Float32ArrayT,
  /** query-set points in the same plane, interleaved x,y (empty without a query set) */
  queries: Float32ArrayT,
  /** a third axis for a 3D view (PCA's third component, when the vectors have 3+ dimensions) */
  baseZ: Type.Optional(Float32ArrayT),
  queriesZ: Type.Optional(Float32ArrayT),
  labels: Type.Optional(Int32ArrayT),
  explained: Type.Array(Type.Number(), { description: 'fraction of variance per axis, the third axis included' }),
});
export type Projection = Static<typeof Projection>;

export const JobStatus = Type.Union([
  Type.Literal('queued'),
  Type.Literal('running'),
  Type.Literal('done'),
  Type.Literal('failed'),
  Type.Literal('cancelled'),
]);
export type JobStatus = Static<typeof JobStatus>;

export const JobInfo = Type.Object({
  id: Id,
  kind: Type.String(),
  phase: Type.String(),
  done: Type.Number(),
  total: Type.Number(),
  status: JobStatus,
  error: Type.Optional(ErrorValueT),
});
export type JobInfo = Static<typeof JobInfo>;

export const ById = Type.Object({ id: Id }, { additionalProperties: false });
export const Nothing = Type.Object({}, { additionalProperties: false });
export const Ok = Type.Object({ ok: Type.Literal(true) });

const Vectors = Type.Union([Type.Array(Type.Array(Type.Number()), { minItems: 1, maxItems: 1_000_000 }), Float32ArrayT]);
export const AddVectorsInput = Type.Object(
  { index: Id, vectors: Vectors, ids: Type.Optional(Type.Array(Type.Integer({ minimum: 0 }), { maxItems: 1_000_000 })) },
  { additionalProperties: false },
);
export type AddVectorsInput = Static<typeof AddVectorsInput>;
export const RemoveVectorsInput = Type.Object({ index: Id, ids: Type.Array(Type.Integer({ minimum: 0 }), { minItems: 1, maxItems: 1_000_000 }) }, { additionalProperties: false });
export const SaveIndexInput = Type.Object({ index: Id, path: Type.Optional(FilePath('write')) }, { additionalProperties: false });
export const LoadIndexInput = Type.Object(
  { path: FilePath('read'), name: Type.Optional(Type.String({ maxLength: 200 })), metric: Type.Optional(Metric) },
  { additionalProperties: false },
);
export type LoadIndexInput = Static<typeof LoadIndexInput>;

export const OpenDatasetInput = Type.Object(
  { source: DatasetSource, name: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);
export type OpenDatasetInput = Static<typeof OpenDatasetInput>;

/** Whether the engine is served to scripts over HTTP, and where. */
export const ServeStatus = Type.Object({
  running: Type.Boolean(),
  url: Type.Optional(Type.String()),
  /** false where the server also carries this UI (browser mode) or serving is not offered */
  canToggle: Type.Boolean(),
  token: Type.Boolean({ description: 'requests need a bearer token' }),
});
export type ServeStatus = Static<typeof ServeStatus>;
