import { Type, type Static } from '@sinclair/typebox';
import { call, job } from './op-def.js';
import {
  AddVectorsInput,
  ById,
  DatasetInfo,
  IndexInfo,
  IndexSpec,
  JobInfo,
  LoadIndexInput,
  Nothing,
  Ok,
  OpenDatasetInput,
  Projection,
  ProjectInput,
  RangeSearchInput,
  RangeSearchResult,
  RemoveVectorsInput,
  SaveIndexInput,
  SearchInput,
  SearchResult,
  ServeStatus,
  Id,
} from './schemas.js';
import { Float32ArrayT } from './typed-arrays.js';
import { LAB_OPERATIONS } from './lab.js';
import { EXPLORE_OPERATIONS } from './explore.js';
import { EXPLAIN_OPERATIONS } from './explain.js';

export * from './schemas.js';
export { JobStarted } from './op-def.js';

/** Every operation the UI (or any client) can ask of the engine. */
export const OPERATIONS = {
  health: call(Nothing, Type.Object({ status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')], { description: 'degraded while a crashed engine restarts' }), version: Type.String() })),
  listDatasets: call(Nothing, Type.Array(DatasetInfo)),
  openDataset: job(OpenDatasetInput, DatasetInfo),
  listIndexes: call(Nothing, Type.Array(IndexInfo)),
  getIndex: call(ById, IndexInfo),
  /** answers with the job and the id the index will have */
  buildIndex: { input: IndexSpec, output: Type.Object({ job: Id, index: Id }), result: IndexInfo },
  loadIndex: call(LoadIndexInput, IndexInfo),
  saveIndex: call(SaveIndexInput, Type.Object({ path: Type.String() })),
  addVectors: call(AddVectorsInput, Type.Object({ ntotal: Type.Integer() })),
  removeVectors: call(RemoveVectorsInput, Type.Object({ removed: Type.Integer(), ntotal: Type.Integer() })),
  dropIndex: call(ById, Ok),
  search: call(SearchInput, SearchResult),
  rangeSearch: call(RangeSearchInput, RangeSearchResult),
  reconstruct: call(Type.Object({ index: Id, id: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }), Type.Object({ vector: Float32ArrayT })),
  project: job(ProjectInput, Projection),
  getJob: call(ById, JobInfo),
  cancelJob: call(ById, JobInfo),
  /** what a finished job produced: its op's `result` schema */
  jobResult: call(ById, Type.Unknown()),
  serveStatus: call(Nothing, ServeStatus),
  setServe: call(Type.Object({ on: Type.Boolean() }, { additionalProperties: false }), ServeStatus),
  ...LAB_OPERATIONS,
  ...EXPLORE_OPERATIONS,
  ...EXPLAIN_OPERATIONS,
} as const;

export type Operations = typeof OPERATIONS;
export type OpName = keyof Operations;
export type JobOpName = { [K in OpName]: Operations[K]['result'] extends null ? never : K }[OpName];
export type CallOpName = Exclude<OpName, JobOpName>;
export type OpInput<K extends OpName> = Static<Operations[K]['input']>;
export type OpOutput<K extends OpName> = Static<Operations[K]['output']>;
export type JobResult<K extends JobOpName> = Static<NonNullable<Operations[K]['result']>>;

/** What answers one operation; the host's table has one for every operation, so none can be missed. */
export type OpHandler<K extends OpName> = (input: OpInput<K>) => Promise<OpOutput<K>>;
export type OpHandlers = { [K in OpName]: OpHandler<K> };

export const OP_NAMES = Object.keys(OPERATIONS) as OpName[];
export function isOpName(value: unknown): value is OpName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(OPERATIONS, value);
}
export function isJobOp(op: OpName): op is JobOpName {
  return OPERATIONS[op].result !== null;
}
