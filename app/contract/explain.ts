import { Type, type Static } from '@sinclair/typebox';
import { call } from './op-def.js';
import { Id, QuerySource, SearchParams } from './schemas.js';
import { Int32ArrayT } from './typed-arrays.js';
import { LIMITS } from './limits.js';

// Explaining one search: the steps faiss went through for one query, read from the index itself.
// Plain number arrays, so one schema serves the UI and the public API's JSON.

const Ints = Type.Array(Type.Integer());
const Numbers = Type.Array(Type.Number());
/** null where there is no value (fewer than k found so far) */
const MaybeNumbers = Type.Array(Type.Union([Type.Number(), Type.Null()]));

export const ExplainInput = Type.Object(
  {
    index: Id,
    /** exactly one query */
    query: QuerySource,
    k: Type.Integer({ minimum: 1, maximum: LIMITS.analysisK }),
    params: Type.Optional(SearchParams),
  },
  { additionalProperties: false },
);
export type ExplainInput = Static<typeof ExplainInput>;

const Neighbours = Type.Object({
  labels: Type.Array(Type.Integer(), { description: '-1 where there is no neighbour' }),
  distances: MaybeNumbers,
});

export const IvfSteps = Type.Object({
  nlist: Type.Integer(),
  nprobe: Type.Integer(),
  /** every list, nearest centroid first: the quantizer's own search */
  order: Ints,
  order_distances: Numbers,
  /** vectors in each list, by list number */
  sizes: Ints,
  /** vectors scanned at this nprobe */
  scanned: Type.Integer(),
  answer_lists: Type.Array(Type.Integer(), { description: 'the list each answer came from' }),
  exact_lists: Type.Optional(Ints),
  /** rank of each exact neighbour's list in `order`: it is found from nprobe >= rank + 1 */
  exact_list_ranks: Type.Optional(Ints),
  /** for nprobe = i + 1: the share of the set scanned */
  scanned_by_nprobe: Numbers,
  /** for nprobe = i + 1: the share of exact neighbours in the scanned lists (the recall, for IVF-Flat) */
  reachable_by_nprobe: Type.Optional(Numbers),
  nprobe_for_all: Type.Optional(Type.Integer()),
});

export const HnswSteps = Type.Object({
  ef_search: Type.Integer(),
  max_level: Type.Integer(),
  nodes_per_level: Type.Array(Type.Integer(), { description: 'nodes whose top level is 0, 1, ...' }),
  entry: Type.Object({ node: Type.Integer(), distance: Type.Number() }),
  upper: Type.Array(
    Type.Object({ level: Type.Integer(), path: Ints, path_distances: Numbers, distances: Type.Integer() }),
    { description: 'the greedy walk on each upper level, top first' },
  ),
  level0: Type.Object({
    expanded: Type.Array(Type.Integer(), { description: 'the node expanded at each step' }),
    visited: Type.Array(Type.Integer(), { description: 'every node whose distance was computed on level 0, in order' }),
    visited_distances: Numbers,
    visited_end: Type.Array(Type.Integer(), { description: 'after step s, visited[0 .. visited_end[s]) are computed' }),
    candidates: Type.Array(Type.Integer(), { description: 'candidates left in the queue after each step' }),
    kth: MaybeNumbers,
    stop: Type.Union([Type.Literal('exhausted'), Type.Literal('relative-distance'), Type.Literal('steps')]),
  }),
  /** the replay ended on exactly faiss's answer */
  matches_faiss: Type.Boolean(),
});

export const PqSteps = Type.Object({
  M: Type.Integer(),
  ksub: Type.Integer(),
  /** distance tables, each M × ksub row-major; IVF-PQ has one per list of the answer */
  tables: Numbers,
  /** per answer: its table, its code (M centroid numbers), the constant added (inner product by residual) */
  table_of: Ints,
  codes: Ints,
  bias: Numbers,
  /** per answer: the sum of its code's table cells, and its exact distance */
  approx: Numbers,
  exact_distances: Type.Optional(Numbers),
  /** per answer: its place when the answer is ordered by exact distance */
  exact_order: Type.Optional(Ints),
  /** what re-ranking with exact distances would return, from the answer and from 4k candidates */
  refined: Type.Optional(Type.Object({ labels: Ints, recall: Type.Number(), k_factor: Type.Integer(), k_factor_labels: Ints, k_factor_recall: Type.Number() })),
});

export const Explanation = Type.Object(
  {
    kind: Type.Union([Type.Literal('flat'), Type.Literal('ivf'), Type.Literal('hnsw'), Type.Literal('pq'), Type.Literal('other')]),
    factory: Type.String(),
    pipeline: Type.Array(Type.String()),
    note: Type.String(),
    metric: Type.String(),
    ntotal: Type.Integer(),
    k: Type.Integer(),
    /** faiss's own index.search of this query */
    answer: Neighbours,
    /** exact search over the index's dataset, when the index has one of the same size */
    exact: Type.Optional(Neighbours),
    recall: Type.Optional(Type.Number()),
    /** distances this search computed (coarse centroids included for IVF) */
    distance_count: Type.Integer(),
    ivf: Type.Optional(IvfSteps),
    hnsw: Type.Optional(HnswSteps),
    pq: Type.Optional(PqSteps),
  },
  { title: 'Explanation' },
);
export type Explanation = Static<typeof Explanation>;

/** The inverted list of every stored vector, by row: what colours the map by list. */
export const IvfAssignmentInput = Type.Object({ index: Id }, { additionalProperties: false });
export const IvfAssignment = Type.Object({
  /** per row, its list; -1 for a row no list holds (removed) */
  lists: Int32ArrayT,
  nlist: Type.Integer(),
});
export type IvfAssignment = Static<typeof IvfAssignment>;

export const EXPLAIN_OPERATIONS = {
  explain: call(ExplainInput, Explanation),
  ivfAssignment: call(IvfAssignmentInput, IvfAssignment),
} as const;

/** The worker handler: the host adds the index's dataset and factory string. */
export interface ExplainWorkerOps {
  explain: { in: ExplainInput & { dataset?: string; factory: string }; out: Explanation };
  ivfAssignment: { in: { index: string }; out: IvfAssignment };
}
