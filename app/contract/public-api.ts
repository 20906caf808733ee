import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { FilePath } from './file-paths.js';
import { ERROR_CODES, type ErrorCode } from './errors.js';
import { Explanation } from './explain.js';
import { DatasetInfo, DatasetSource, GeneratorName, Id, IndexInfo, JobInfo, Metric, OPERATIONS } from './operations.js';
import { LIMITS } from './limits.js';

/**
 * The public HTTP API, version 1 (shared/API.md): every request and answer schema and every route.
 * The server validates with these schemas and /v1/openapi.json is generated from them, so the
 * document cannot drift from what is enforced. Top-level schemas carry a `title`: their name in
 * the OpenAPI components.
 */

/** The error code a schema's failures carry instead of BAD_REQUEST (read by validate.ts `check`). */
const failsWith = (code: ErrorCode) => ({ 'x-error-code': code });

/** Per-request limits; a server may be configured lower (k), never higher. */
export const V1_LIMITS = {
  maxK: LIMITS.searchK,
  /** query vectors or ids in one search */
  maxQueries: 10_000,
  /** queries x k in one search: bounds the size of an answer */
  maxResults: 2_000_000,
  /** vectors (or ids) in one add or remove */
  maxVectors: 1_000_000,
  maxDim: 65_536,
} as const;

const Name = Type.String({ minLength: 1, maxLength: 200 });
/** ids named by a client: anything unknown is a 404, so only the length is limited here */
const AnyId = Type.String({ minLength: 1, maxLength: 200 });
const PATH_RULE = 'an absolute path, or one relative to the data directory; it must lie inside the data directory or a directory the server allows (--allow-dir)';
const K = Type.Integer({ minimum: 1, maximum: V1_LIMITS.maxK, description: 'neighbours per query', ...failsWith('BAD_K') });
const Vector = Type.Array(Type.Number(failsWith('NOT_NUMERIC')), { minItems: 1, maxItems: V1_LIMITS.maxDim });
const VectorId = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, ...failsWith('NOT_NUMERIC') });

export const V1Health = Type.Object(OPERATIONS.health.output.properties, { title: 'Health' });

export const V1Dataset = Type.Pick(DatasetInfo, ['id', 'name', 'n', 'dim', 'dtype', 'labels'], { title: 'Dataset' });
export type V1Dataset = Static<typeof V1Dataset>;

export const V1OpenFile = Type.Object(
  {
    path: FilePath('read', PATH_RULE),
    format: Type.Optional(Type.String({ maxLength: 16, description: 'npy, fvecs, ivecs, bvecs, csv, tsv, jsonl, parquet, hdf5; from the extension when absent' })),
    name: Type.Optional(Name),
  },
  { additionalProperties: false, title: 'OpenDatasetFile' },
);
const GenerateSource = DatasetSource.anyOf[0];
export const V1Generate = Type.Object(
  {
    generate: GeneratorName,
    name: Type.Optional(Name),
    n: GenerateSource.properties.n,
    dim: GenerateSource.properties.dim,
    nq: GenerateSource.properties.nq,
    seed: GenerateSource.properties.seed,
    clusters: GenerateSource.properties.clusters,
  },
  { additionalProperties: false, title: 'GenerateDataset' },
);
export const V1CreateDataset = Type.Union([V1OpenFile, V1Generate], { title: 'CreateDataset' });

export const V1Index = Type.Pick(IndexInfo, ['id', 'name', 'factory', 'metric', 'dim', 'ntotal', 'status', 'memory_bytes', 'error'], {
  title: 'Index',
  description: '`error` is there when `status` is failed',
});
export type V1Index = Static<typeof V1Index>;

export const V1CreateIndex = Type.Object(
  {
    dataset: AnyId,
    factory: Type.String({ minLength: 1, maxLength: 256, description: 'a faiss index_factory string, e.g. "Flat", "IVF256,Flat", "HNSW32"; checked by faiss before the build starts' }),
    metric: Metric,
    name: Type.Optional(Name),
  },
  { additionalProperties: false, title: 'CreateIndex' },
);
export const V1IndexCreated = Type.Object(
  { id: Id, status: Type.Literal('building'), job: Type.String({ description: 'the build job, for GET /v1/jobs/{id}' }) },
  { title: 'IndexCreated' },
);

const ParamValue = Type.Integer({ minimum: 1, maximum: LIMITS.searchParam, ...failsWith('BAD_PARAM') });
export const V1SearchParams = Type.Object(
  { nprobe: Type.Optional(ParamValue), efSearch: Type.Optional(ParamValue) },
  {
    additionalProperties: false,
    title: 'SearchParams',
    description: 'for this call only; known parameters that do not apply to the index are ignored and listed in `ignored_params`',
    ...failsWith('BAD_PARAM'),
  },
);
export const V1SearchByVectors = Type.Object(
  { vectors: Type.Array(Vector, { minItems: 1, maxItems: V1_LIMITS.maxQueries }), k: K, params: Type.Optional(V1SearchParams) },
  { additionalProperties: false, title: 'SearchByVectors' },
);
export const V1SearchByIds = Type.Object(
  {
    ids: Type.Array(VectorId, { minItems: 1, maxItems: V1_LIMITS.maxQueries, description: 'search with the vectors stored under these ids' }),
    k: K,
    params: Type.Optional(V1SearchParams),
  },
  { additionalProperties: false, title: 'SearchByIds' },
);
export const V1Search = Type.Union([V1SearchByVectors, V1SearchByIds], { title: 'Search' });
export type V1Search = Static<typeof V1Search>;

const ExplainK = Type.Integer({ minimum: 1, maximum: LIMITS.analysisK, description: 'neighbours to explain', ...failsWith('BAD_K') });
export const V1Explain = Type.Union(
  [
    Type.Object({ vector: Vector, k: ExplainK, params: Type.Optional(V1SearchParams) }, { additionalProperties: false, title: 'ExplainVector' }),
    Type.Object({ id: VectorId, k: ExplainK, params: Type.Optional(V1SearchParams) }, { additionalProperties: false, title: 'ExplainStoredVector' }),
  ],
  { title: 'Explain', description: 'one query: a vector, or the id of a vector stored in the index' },
);

/** The binary search form: a float32 little-endian body, its shape and parameters in the query. */
export const V1BinarySearchQuery = Type.Object(
  {
    k: K,
    dim: Type.Integer({ minimum: 1, maximum: V1_LIMITS.maxDim, description: 'dimensions of each query vector', ...failsWith('BAD_DIMENSION') }),
    nprobe: Type.Optional(ParamValue),
    efSearch: Type.Optional(ParamValue),
  },
  { additionalProperties: false, ...failsWith('BAD_PARAM') },
);

export const V1SearchAnswer = Type.Object(
  {
    distances: Type.Array(Type.Array(Type.Union([Type.Number(), Type.Null()])), {
      description: "one row per query: squared L2 for l2, inner product for ip and cosine; null where there is no neighbour",
    }),
    labels: Type.Array(Type.Array(Type.Integer()), { description: 'one row per query; -1 where there is no neighbour (k > ntotal)' }),
    took_ms: Type.Number({ description: 'server time for this search, including the wait to be batched with others' }),
    ignored_params: Type.Array(Type.String()),
  },
  { title: 'SearchAnswer' },
);
export type V1SearchAnswer = Static<typeof V1SearchAnswer>;

export const V1AddVectors = Type.Object(
  {
    vectors: Type.Array(Vector, { minItems: 1, maxItems: V1_LIMITS.maxVectors }),
    ids: Type.Optional(Type.Array(VectorId, { maxItems: V1_LIMITS.maxVectors, description: 'one per vector; the index must keep ids (IDMap, IVF)' })),
  },
  { additionalProperties: false, title: 'AddVectors' },
);
export const V1Added = Type.Object(OPERATIONS.addVectors.output.properties, { title: 'Added' });
export const V1RemoveVectors = Type.Object(
  { ids: Type.Array(VectorId, { minItems: 1, maxItems: V1_LIMITS.maxVectors }) },
  { additionalProperties: false, title: 'RemoveVectors' },
);
export const V1Removed = Type.Object(OPERATIONS.removeVectors.output.properties, { title: 'Removed' });

export const V1SaveIndex = Type.Object(
  { path: Type.Optional(FilePath('write', PATH_RULE)) },
  { additionalProperties: false, title: 'SaveIndex', description: "without a path the index is saved to its own file in the data directory" },
);
export const V1Saved = Type.Object(OPERATIONS.saveIndex.output.properties, { title: 'Saved' });
export const V1LoadIndex = Type.Object(
  {
    path: FilePath('read', PATH_RULE),
    name: Type.Optional(Name),
    metric: Type.Optional(Metric),
  },
  {
    additionalProperties: false,
    title: 'LoadIndex',
    description: 'the file says whether the index is l2 or ip; metric "cosine" on an ip index says its vectors are normalised, so queries will be too',
  },
);

export const V1Job = Type.Object(JobInfo.properties, { title: 'Job' });
export const V1Error = Type.Object(
  { error: Type.Object({ code: Type.Union(ERROR_CODES.map((c) => Type.Literal(c))), message: Type.String() }) },
  { title: 'Error' },
);

export type HttpMethod = 'GET' | 'POST' | 'DELETE';
export interface V1Route {
  method: HttpMethod;
  /** with {id} for the one path parameter routes have */
  path: string;
  summary: string;
  body?: TSchema;
  /** the search alone also takes a binary body, described by its query parameters */
  binaryQuery?: TSchema;
  status: 200 | 201 | 202 | 204;
  answer?: TSchema;
  /** codes this route answers with besides the ones any route may (BAD_JSON, BODY_TOO_LARGE, UNAUTHORIZED, INTERNAL) */
  errors: readonly ErrorCode[];
}

const route = <R extends V1Route>(r: R): R => r;

/** Every v1 route; literal paths come before templated ones that could also match them. */
export const V1_ROUTES = {
  health: route({ method: 'GET', path: '/v1/health', summary: 'Is the server up, and which version', status: 200, answer: V1Health, errors: [] }),
  openapi: route({ method: 'GET', path: '/v1/openapi.json', summary: 'This document', status: 200, answer: Type.Object({}, { additionalProperties: true }), errors: [] }),
  createDataset: route({
    method: 'POST',
    path: '/v1/datasets',
    summary: 'Open a data file or generate a dataset; answers when it is loaded',
    body: V1CreateDataset,
    status: 201,
    answer: V1Dataset,
    errors: ['BAD_REQUEST', 'FILE_NOT_FOUND', 'PATH_NOT_ALLOWED', 'BAD_FILE', 'NON_FINITE', 'UNKNOWN_FORMAT', 'FILE_TRUNCATED', 'BAD_MAGIC', 'RAGGED_ROWS', 'NOT_NUMERIC', 'EMPTY_FILE', 'UNSUPPORTED_DTYPE', 'MISSING_FIELD'],
  }),
  listDatasets: route({ method: 'GET', path: '/v1/datasets', summary: 'Every open dataset', status: 200, answer: Type.Array(V1Dataset), errors: [] }),
  createIndex: route({
    method: 'POST',
    path: '/v1/indexes',
    summary: 'Build an index on a dataset, as a job',
    body: V1CreateIndex,
    status: 202,
    answer: V1IndexCreated,
    errors: ['BAD_REQUEST', 'BAD_FACTORY', 'DATASET_NOT_FOUND'],
  }),
  listIndexes: route({ method: 'GET', path: '/v1/indexes', summary: 'Every index', status: 200, answer: Type.Array(V1Index), errors: [] }),
  loadIndex: route({
    method: 'POST',
    path: '/v1/indexes/load',
    summary: 'Load an index file written by faiss (faiss.write_index)',
    body: V1LoadIndex,
    status: 201,
    answer: V1Index,
    errors: ['BAD_REQUEST', 'FILE_NOT_FOUND', 'PATH_NOT_ALLOWED', 'BAD_FILE'],
  }),
  getIndex: route({ method: 'GET', path: '/v1/indexes/{id}', summary: 'One index', status: 200, answer: V1Index, errors: ['INDEX_NOT_FOUND'] }),
  deleteIndex: route({ method: 'DELETE', path: '/v1/indexes/{id}', summary: 'Drop an index', status: 204, errors: ['INDEX_NOT_FOUND'] }),
  search: route({
    method: 'POST',
    path: '/v1/indexes/{id}/search',
    summary: 'k nearest neighbours of query vectors, or of vectors stored in the index by id',
    body: V1Search,
    binaryQuery: V1BinarySearchQuery,
    status: 200,
    answer: V1SearchAnswer,
    errors: ['BAD_REQUEST', 'BAD_K', 'BAD_DIMENSION', 'BAD_PARAM', 'NON_FINITE', 'NOT_NUMERIC', 'INDEX_NOT_FOUND', 'INDEX_NOT_READY', 'VECTOR_NOT_FOUND', 'NOT_SUPPORTED'],
  }),
  addVectors: route({
    method: 'POST',
    path: '/v1/indexes/{id}/vectors',
    summary: 'Add vectors',
    body: V1AddVectors,
    status: 200,
    answer: V1Added,
    errors: ['BAD_REQUEST', 'BAD_DIMENSION', 'NON_FINITE', 'NOT_NUMERIC', 'INDEX_NOT_FOUND', 'INDEX_NOT_READY', 'NOT_SUPPORTED'],
  }),
  removeVectors: route({
    method: 'DELETE',
    path: '/v1/indexes/{id}/vectors',
    summary: 'Remove vectors by id',
    body: V1RemoveVectors,
    status: 200,
    answer: V1Removed,
    errors: ['BAD_REQUEST', 'NOT_NUMERIC', 'INDEX_NOT_FOUND', 'INDEX_NOT_READY', 'NOT_SUPPORTED'],
  }),
  saveIndex: route({
    method: 'POST',
    path: '/v1/indexes/{id}/save',
    summary: "Write the index in faiss's own format (readable by faiss.read_index)",
    body: V1SaveIndex,
    status: 200,
    answer: V1Saved,
    errors: ['BAD_REQUEST', 'PATH_NOT_ALLOWED', 'INDEX_NOT_FOUND', 'INDEX_NOT_READY'],
  }),
  explain: route({
    method: 'POST',
    path: '/v1/indexes/{id}/explain',
    summary:
      "How faiss searched for one query, step by step: IVF's probe order, list sizes and which nprobe reaches each exact neighbour; HNSW's walk down the levels and its level-0 search, replayed over faiss's own graph; PQ's distance tables, the answer's codes and what exact re-ranking would change",
    body: V1Explain,
    status: 200,
    answer: Explanation,
    errors: ['BAD_REQUEST', 'BAD_K', 'BAD_DIMENSION', 'BAD_PARAM', 'NON_FINITE', 'NOT_NUMERIC', 'INDEX_NOT_FOUND', 'INDEX_NOT_READY', 'VECTOR_NOT_FOUND', 'NOT_SUPPORTED'],
  }),
  getJob: route({ method: 'GET', path: '/v1/jobs/{id}', summary: 'A job and its progress', status: 200, answer: V1Job, errors: ['JOB_NOT_FOUND'] }),
} as const;

export type V1RouteName = keyof typeof V1_ROUTES;
/** The validated body a route's handler receives. */
export type V1Body<K extends V1RouteName> = (typeof V1_ROUTES)[K] extends { body: infer S extends TSchema } ? Static<S> : undefined;
