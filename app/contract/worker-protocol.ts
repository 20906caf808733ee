import type { ErrorValue } from './errors.js';
import type { LabWorkerOps } from './lab.js';
import type { ExplainWorkerOps } from './explain.js';
import type { ReadLimits } from '../datasets/readers/claims.js';
import type {
  DatasetInfo,
  DatasetSource,
  IndexSpec,
  JobOpName,
  JobResult,
  Metric,
  OpInput,
  OpName,
  OpOutput,
  Projection,
  ProjectInput,
  RangeSearchInput,
  RangeSearchResult,
  SearchInput,
  SearchResult,
} from './operations.js';

/**
 * The operations the engine host answers with bookkeeping of its own (catalogue, jobs, files).
 * Every other operation is forwarded to the worker handler of the same name, which must exist:
 * the worker's handler table is typed over all of them.
 */
export const HOST_OPS = [
  'health',
  'listDatasets',
  'openDataset',
  'listIndexes',
  'getIndex',
  'buildIndex',
  'loadIndex',
  'saveIndex',
  'addVectors',
  'removeVectors',
  'dropIndex',
  'search',
  'rangeSearch',
  'reconstruct',
  'project',
  'getJob',
  'cancelJob',
  'jobResult',
  'serveStatus',
  'setServe',
  'keepLabIndex',
  'explain',
  'ivfAssignment',
] as const satisfies readonly OpName[];
export type HostOpName = (typeof HOST_OPS)[number];
export function isHostOp(op: OpName): op is HostOpName {
  return (HOST_OPS as readonly OpName[]).includes(op);
}
export type ForwardedOpName = Exclude<OpName, HostOpName>;

/** What a forwarded operation's worker handler answers: a job's result, or a call's output. */
type WorkerReply<K extends OpName> = K extends JobOpName ? JobResult<K> : OpOutput<K>;
type ForwardedWorkerOps = { [K in ForwardedOpName]: { in: OpInput<K>; out: WorkerReply<K> } };

/** The worker operations behind the host's own: their inputs carry what the host adds (ids, paths, limits). */
interface HostWorkerOps extends LabWorkerOps, ExplainWorkerOps {
  /** `limits`: the dataset memory budget and what of it is left, checked before anything is allocated */
  openDataset: { in: { id: string; name: string; source: DatasetSource; limits?: ReadLimits }; out: DatasetInfo };
  dropDataset: { in: { id: string }; out: null };
  checkIndexSpec: { in: { dim: number; factory: string; metric: Metric }; out: { className: string } };
  buildIndex: {
    in: { id: string; spec: IndexSpec; savePath: string };
    out: { ntotal: number; dim: number; memory_bytes: number; train_ms: number; add_ms: number; is_trained: boolean };
  };
  loadIndex: {
    in: { id: string; path: string; metric?: Metric };
    out: { ntotal: number; dim: number; memory_bytes: number; metric: Metric; className: string; is_trained: boolean };
  };
  saveIndex: { in: { id: string; path: string }; out: { memory_bytes: number } };
  addVectors: { in: { id: string; data: number[][] | Float32Array; ids?: Float64Array }; out: { ntotal: number } };
  removeVectors: { in: { id: string; ids: Float64Array }; out: { removed: number; ntotal: number } };
  dropIndex: { in: { id: string }; out: null };
  search: { in: SearchInput & { dataset: string }; out: SearchResult };
  rangeSearch: { in: RangeSearchInput & { dataset: string }; out: RangeSearchResult };
  reconstruct: { in: { index: string; id: number }; out: { vector: Float32Array } };
  project: { in: ProjectInput; out: Projection };
}

/** What the engine host asks of the faiss worker. The worker trusts these: the host validated them. */
export interface WorkerOps extends HostWorkerOps, ForwardedWorkerOps {}
export type WorkerOpName = keyof WorkerOps;

export type ToWorker =
  | { type: 'call'; id: number; op: WorkerOpName; input: unknown }
  | { type: 'cancel'; id: number };

export type FromWorker =
  | { type: 'ready'; pid: number }
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: ErrorValue }
  | { type: 'progress'; id: number; phase: string; done: number; total: number };
