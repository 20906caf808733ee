import { EngineError, type ErrorCode } from '../../../app/contract/errors.js';
import type { DatasetInfo, Metric, Projection } from '../../../app/contract/operations.js';
import type { WorkerOpName, WorkerOps } from '../../../app/contract/worker-protocol.js';
import type { VectorSet } from '../../../app/datasets/generators.js';
import type { MetadataColumn, VectorMemory } from '../../../app/datasets/readers/types.js';
import { loadBinding, type FaissIndex } from '../faiss-binding.js';

/** What the worker process holds: the faiss binding, every loaded dataset and index. */
export const faiss = loadBinding();

/** Loaded vectors live in native memory, so that a Flat index over them can take them without a copy. */
export const nativeMemory: VectorMemory = {
  alloc: (length) => faiss.allocVectors(length) ?? new Float32Array(length),
  firstNonFinite: (values, from, to) => faiss.firstNonFinite(values, from, to),
};

export interface Dataset extends VectorSet {
  info: DatasetInfo;
  metadata?: MetadataColumn[];
  groundTruth?: { k: number; labels: Int32Array };
  metric?: Metric;
}

export interface LoadedIndex {
  index: FaissIndex;
  metric: Metric;
  dim: number;
}

export const datasets = new Map<string, Dataset>();
export const indexes = new Map<string, LoadedIndex>();
export const projections = new Map<string, Projection>();

export interface Ctx {
  progress(phase: string, done: number, total: number): void;
  /** lets cancel messages in, then throws if this call was cancelled */
  checkpoint(): Promise<void>;
}

/** A group of operation handlers; the worker's table is the union of these groups. */
export type Handlers<K extends WorkerOpName> = { [P in K]: (input: WorkerOps[P]['in'], ctx: Ctx) => Promise<WorkerOps[P]['out']> };

export const METRIC_NUMBER: Record<Metric, number> = { l2: 1, ip: 0, cosine: 0 };

/** Runs a binding call; its exception becomes an EngineError (`code` for what the caller asked of the index). */
export function faissCall<T>(what: string, fn: () => T, code: ErrorCode = 'FAISS_ERROR'): T {
  try {
    return fn();
  } catch (err) {
    throw faissError(what, err, code);
  }
}

/** A binding exception as an EngineError: its first line, prefixed with what was being done. */
export function faissError(what: string, err: unknown, code: ErrorCode = 'FAISS_ERROR'): EngineError {
  if (err instanceof EngineError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if ((err as { code?: string }).code === 'CANCELLED') return new EngineError('CANCELLED', `${what} was cancelled`);
  if (message.startsWith('UNKNOWN_PARAM:')) return new EngineError('BAD_PARAM', message.slice('UNKNOWN_PARAM:'.length).trim());
  return new EngineError(code, `${what}: ${message.split('\n')[0]}`);
}

export function getDataset(id: string): Dataset {
  const ds = datasets.get(id);
  if (!ds) throw new EngineError('DATASET_NOT_FOUND', `no dataset "${id}"`);
  return ds;
}

export function getIndex(id: string): LoadedIndex {
  const ix = indexes.get(id);
  if (!ix) throw new EngineError('INDEX_NOT_FOUND', `no index "${id}"`);
  return ix;
}
