import { Type, type Static } from '@sinclair/typebox';
import { call, job } from './op-def.js';
import { Id, Metric, Projection, QuerySource, SearchParams, SearchResult } from './schemas.js';
import { Float32ArrayT, Float64ArrayT, Int32ArrayT } from './typed-arrays.js';
import { UMAP_RANGES } from '../projection/umap-options.js';
import { LIMITS } from './limits.js';

// Operations of the exploration views: UMAP, exact search, per-point diagnostics, row facts.

const int = (r: { min: number; max: number }) => Type.Integer({ minimum: r.min, maximum: r.max });

const GraphKind = Type.Union([Type.Literal('flat'), Type.Literal('ivf'), Type.Literal('hnsw')]);

export const UmapParams = Type.Object(
  {
    nNeighbors: int(UMAP_RANGES.nNeighbors),
    minDist: Type.Number({ minimum: UMAP_RANGES.minDist.min, maximum: UMAP_RANGES.minDist.max }),
    epochs: int(UMAP_RANGES.epochs),
    seed: int(UMAP_RANGES.seed),
    graph: Type.Union([Type.Literal('auto'), GraphKind]),
  },
  { additionalProperties: false },
);
export type UmapParams = Static<typeof UmapParams>;

export const UmapInput = Type.Object({ dataset: Id, params: UmapParams }, { additionalProperties: false });
export type UmapInput = Static<typeof UmapInput>;
export const UmapResult = Type.Composite([
  Projection,
  Type.Object({
    params: UmapParams,
    knn_ms: Type.Number(),
    /** the graph faiss found ('auto' resolved) and its recall@k against exact search on a sample of rows (1 when exact) */
    knn_graph: GraphKind,
    knn_recall: Type.Number(),
    layout_ms: Type.Number(),
    cached: Type.Boolean(),
  }),
]);
export type UmapResult = Static<typeof UmapResult>;

/** Which projection of a dataset a diagnostic is about. */
export const ProjectionRef = Type.Union([
  Type.Object({ method: Type.Literal('pca') }, { additionalProperties: false }),
  Type.Object({ method: Type.Literal('umap'), params: UmapParams }, { additionalProperties: false }),
]);
export type ProjectionRef = Static<typeof ProjectionRef>;

const Sample = Type.Integer({ minimum: 1, maximum: 10_000_000 });
const K = Type.Integer({ minimum: 1, maximum: LIMITS.analysisK });

export const ExactSearchInput = Type.Object(
  {
    dataset: Id,
    metric: Metric,
    queries: QuerySource,
    k: K,
    /** base rows (an index's answer, say) whose exact distance to each query is wanted too: marks that count ties need them */
    rows: Type.Optional(Type.Array(Type.Integer({ minimum: -1 }), { maxItems: 1000 })),
  },
  { additionalProperties: false },
);
export type ExactSearchInput = Static<typeof ExactSearchInput>;
export const ExactSearchResult = Type.Object({
  ...SearchResult.properties,
  /** n × rows.length exact distances of the rows asked for (NaN for -1), in the metric's own sense */
  row_distances: Type.Optional(Float64ArrayT),
});
export type ExactSearchResult = Static<typeof ExactSearchResult>;

export const PointRecallInput = Type.Object(
  { dataset: Id, index: Id, k: K, params: Type.Optional(SearchParams), sample: Type.Optional(Sample), seed: Type.Optional(Type.Integer({ minimum: 0 })) },
  { additionalProperties: false },
);
export const PointRecallResult = Type.Object({
  /** recall@k per base point as a query; NaN where the point was not in the sample */
  recall: Float32ArrayT,
  evaluated: Type.Integer(),
  mean: Type.Number(),
  k: Type.Integer(),
});
export type PointRecallResult = Static<typeof PointRecallResult>;

export const OverlapInput = Type.Object(
  { dataset: Id, projection: ProjectionRef, k: K, sample: Type.Optional(Sample), seed: Type.Optional(Type.Integer({ minimum: 0 })) },
  { additionalProperties: false },
);
export const OverlapResult = Type.Object({
  /** per point: share of its k nearest in the full space that are among its k nearest on the map */
  overlap: Float32ArrayT,
  meanOverlap: Type.Number(),
  trustworthiness: Type.Number(),
  /** rows the trustworthiness was computed over (all, or a seeded sample) */
  trustRows: Type.Integer(),
  k: Type.Integer(),
});
export type OverlapResult = Static<typeof OverlapResult>;

export const HubsInput = Type.Object({ dataset: Id, index: Id, k: K, top: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }, { additionalProperties: false });
export const HubsResult = Type.Object({
  counts: Int32ArrayT,
  skewness: Type.Number(),
  orphans: Type.Integer(),
  top: Type.Array(Type.Object({ id: Type.Integer(), count: Type.Integer() })),
  /** each point's distance to its k-th neighbour (itself excluded) */
  kthDistances: Float32ArrayT,
  k: Type.Integer(),
});
export type HubsResult = Static<typeof HubsResult>;

export const DuplicatesInput = Type.Object(
  { dataset: Id, index: Id, radius: Type.Number({ minimum: 0 }), maxPairs: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })) },
  { additionalProperties: false },
);
export const DuplicatesResult = Type.Object({
  /** pair i joins rows a[i] < b[i] */
  a: Float64ArrayT,
  b: Float64ArrayT,
  distances: Float32ArrayT,
  /** pairs found in all, even when more than maxPairs */
  total: Type.Integer(),
  radius: Type.Number(),
  /** 'exact' when the chosen index cannot range-search (HNSW) and the exact index did it */
  via: Type.Union([Type.Literal('index'), Type.Literal('exact')]),
});
export type DuplicatesResult = Static<typeof DuplicatesResult>;

export const DistanceSampleInput = Type.Object(
  { dataset: Id, metric: Metric, queries: QuerySource, sample: Type.Integer({ minimum: 1, maximum: 1_000_000 }), seed: Type.Optional(Type.Integer({ minimum: 0 })) },
  { additionalProperties: false },
);
export const DistanceSample = Type.Object({ distances: Float32ArrayT, sampled: Type.Integer(), n: Type.Integer() });
export type DistanceSample = Static<typeof DistanceSample>;

const Rows = Type.Array(Type.Integer({ minimum: 0 }), { maxItems: 100_000 });
/** Vectors of at most this many dimensions can be asked for with the rows' facts (they may be small images). */
export const ROW_VECTOR_MAX_DIM = 1024;

export const RowInfoInput = Type.Object(
  {
    dataset: Id,
    rows: Rows,
    /** also the rows' vectors, when the dataset has at most ROW_VECTOR_MAX_DIM dimensions */
    vectors: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export const RowInfo = Type.Object({
  /** rows × dim, row-major, when asked for and small enough */
  vectors: Type.Optional(Float32ArrayT),
  /** label name (or number) of each row, when the dataset has labels */
  labels: Type.Optional(Type.Array(Type.Union([Type.String(), Type.Null()]))),
  columns: Type.Array(Type.Object({ name: Type.String(), values: Type.Array(Type.Union([Type.String(), Type.Number(), Type.Null()])) })),
});
export type RowInfo = Static<typeof RowInfo>;

/** `column` names a metadata column; without it, the dataset's labels */
export const ColumnValuesInput = Type.Object({ dataset: Id, column: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }, { additionalProperties: false });
export const ColumnValues = Type.Union([
  Type.Object({ kind: Type.Literal('number'), values: Float64ArrayT }),
  /** codes[i] indexes names; -1 where the row has no value */
  Type.Object({ kind: Type.Literal('category'), codes: Int32ArrayT, names: Type.Array(Type.String()) }),
]);
export type ColumnValues = Static<typeof ColumnValues>;

export const FindRowsInput = Type.Object(
  { dataset: Id, text: Type.String({ minLength: 1, maxLength: 200 }), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) },
  { additionalProperties: false },
);
export const FindRowsResult = Type.Object({ rows: Type.Array(Type.Integer()), matches: Type.Array(Type.String()), total: Type.Integer() });
export type FindRowsResult = Static<typeof FindRowsResult>;

export const EXPLORE_OPERATIONS = {
  umap: job(UmapInput, UmapResult),
  exactSearch: call(ExactSearchInput, ExactSearchResult),
  pointRecall: job(PointRecallInput, PointRecallResult),
  neighbourhoodOverlap: job(OverlapInput, OverlapResult),
  hubs: job(HubsInput, HubsResult),
  nearDuplicates: job(DuplicatesInput, DuplicatesResult),
  distanceSample: call(DistanceSampleInput, DistanceSample),
  rowInfo: call(RowInfoInput, RowInfo),
  columnValues: call(ColumnValuesInput, ColumnValues),
  findRows: call(FindRowsInput, FindRowsResult),
} as const;
