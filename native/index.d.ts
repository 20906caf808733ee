// Types of the patched faiss-node binding built by native/build.mjs
// (native/build/Release/faiss_node.node). Load it with require(); this file
// only declares its shape.
import type { HnswGraphArrays } from '../app/explain/hnsw-replay.js';
import type { PqCodes } from '../app/explain/pq-view.js';

/** faiss::MetricType: 0 = inner product, 1 = L2, then L1, Linf, Lp, 20+ = Canberra, BrayCurtis, JensenShannon, Jaccard. */
export type MetricType = number;

/** Vectors, n*d floats row-major. Float32Array is read in place; a plain array is copied (original faiss-node API). */
export type VectorsInput = Float32Array | readonly number[];

/** Ids. BigInt64Array is read in place; a plain array is copied. */
export type IdsInput = BigInt64Array | readonly (number | bigint)[];

export interface SearchResult {
  /** n*k distances, row-major; padding entries (k > ntotal) hold +/-inf or +/-FLT_MAX. */
  distances: Float32Array;
  /** n*k labels, row-major; -1n where fewer than k results exist. */
  labels: BigInt64Array;
  /** Parameter names of the call's `params` that are valid faiss parameters but do not apply to this index. */
  ignoredParams: string[];
}

/** Result of search() called with a plain number array (the original faiss-node API). */
export interface PlainSearchResult {
  distances: number[];
  labels: number[];
  ignoredParams: string[];
}

export interface RangeSearchResult {
  /** n+1 offsets: the results of query i are [lims[i], lims[i+1]). */
  lims: Float64Array;
  /** Distances of all results (unsorted within a query). */
  distances: Float32Array;
  labels: BigInt64Array;
  ignoredParams: string[];
}

/**
 * A faiss index. All errors (including faiss exceptions) are thrown as JS Errors; argument
 * errors are TypeError/RangeError. Search-parameter errors carry `code`:
 * "UNKNOWN_PARAM" (message starts with "UNKNOWN_PARAM:") or "INVALID_PARAM".
 */
export interface FaissIndex {
  ntotal(): number;
  getDimension(): number;
  isTrained(): boolean;
  metricType(): MetricType;
  /** Dynamic C++ class, e.g. "IndexIVFFlat", "IndexIDMap", "IndexPreTransform". */
  className(): string;
  /** Bytes per encoded vector; throws for indexes without a standalone codec (e.g. IDMap). */
  codeSize(): number;

  train(x: VectorsInput): void;
  /**
   * train() on a libuv thread, so the caller's event loop keeps running. While it runs, every
   * other method throws (code "BUSY"); cancelJob() stops it at faiss's next check and the
   * promise rejects with code "CANCELLED".
   */
  trainAsync(x: Float32Array): Promise<void>;
  /** write() the same way, in pieces: cancelJob() stops it between pieces (the caller removes the partial file). */
  writeAsync(path: string): Promise<void>;
  /** Progress of the running trainAsync (faiss's interrupt checks: a sign of life, not a fraction) or writeAsync (bytes written). */
  jobTicks(): number;
  cancelJob(): void;
  /**
   * An empty plain Flat index takes `x`, which allocVectors() made, as its storage without a
   * copy; false when it cannot (then add as usual). While lent, the index reads x's memory; it
   * copies the vectors before anything would change them (add, remove, train, merge).
   */
  adoptVectors(x: Float32Array): boolean;
  add(x: VectorsInput): void;
  /** Needs an index that stores ids (IDMap/IDMap2 wrapper, or IVF); ids.length must equal n. */
  addWithIds(x: VectorsInput, ids: IdsInput): void;

  /**
   * k nearest neighbours of each of the n query vectors. `params` is a faiss ParameterSpace
   * string ("nprobe=16,efSearch=64") applied to this call only.
   */
  search(x: Float32Array, k: number, params?: string): SearchResult;
  search(x: readonly number[], k: number, params?: string): PlainSearchResult;
  search(x: VectorsInput, k: number, params?: string): SearchResult | PlainSearchResult;
  rangeSearch(x: VectorsInput, radius: number, params?: string): RangeSearchResult;

  /** The stored vector with this id (IVF needs a direct map; IDMap2, not IDMap). */
  reconstruct(id: number | bigint): Float32Array;
  /** Vectors i0 .. i0+n-1 as n*d floats (i0 + n <= ntotal). */
  reconstructN(i0: number, n: number): Float32Array;
  /** Returns the number of vectors removed. */
  removeIds(ids: IdsInput): number;

  /**
   * Sets faiss ParameterSpace parameters for good (unlike search's per-call params), e.g.
   * "efConstruction=80" before adding to an HNSW index. Returns the names that do not apply.
   */
  setParams(params: string): string[];

  /** Inverted list sizes of an IVF index (also behind IDMap / PreTransform / Refine). */
  ivfListSizes(): Int32Array;

  /** faiss's HNSW graph (inside PreTransform / Refine), copied out; throws for other indexes. */
  hnswGraph(): HnswGraph;
  /**
   * Distances from one query (d floats, before any pre-transform) to stored vectors by position,
   * as the index's own search compares them: HNSW's storage (inner products negated) or a
   * flat-codes index (Flat exact, PQ/SQ approximate). Throws for other indexes.
   */
  searchDistances(query: Float32Array, ids: Int32Array): Float32Array;
  /** The IVF quantizer's own search for one query: its nprobe nearest lists, nearest first. */
  ivfProbe(query: Float32Array, nprobe: number): { lists: Int32Array; distances: Float32Array };
  /** Every inverted list's ids: sizes[l] ids of list l, the lists one after another. */
  ivfListIds(): { sizes: Int32Array; ids: Float64Array };
  /** PQ distance tables of one query and the codes of some ids (IndexPQ, IndexIVFPQ). */
  pqTables(query: Float32Array, ids: IdsInput): PqTables;

  write(path: string): void;
  toBuffer(): Buffer;
  mergeFrom(other: FaissIndex): void;
}

/** faiss's HNSW graph and its search settings. */
export interface HnswGraph extends HnswGraphArrays {
  efSearch: number;
  checkRelativeDistance: boolean;
  searchBoundedQueue: boolean;
  upperBeam: number;
}

/** PQ tables and codes (see PqCodes), and the inverted list holding each id (-1 for a plain PQ index). */
export interface PqTables extends PqCodes {
  lists: Int32Array;
}

export interface FaissFlatIndexStatic {
  /** An empty flat index of dimension d. */
  new (d: number): FaissIndex;
  read(path: string): FaissIndex;
  fromBuffer(buffer: Uint8Array): FaissIndex;
}

export interface FaissIndexStatic extends FaissFlatIndexStatic {
  /** faiss::index_factory, e.g. fromFactory(64, "IVF256,PQ16", 1). Metric defaults to L2 (1). */
  fromFactory(d: number, description: string, metric?: MetricType): FaissIndex;
}

export interface PCAMatrix {
  train(x: VectorsInput): void;
  /** Projects n vectors of dIn floats to n*dOut floats. */
  apply(x: VectorsInput): Float32Array;
  /** All dIn eigenvalues of the (unnormalised) covariance, decreasing. */
  eigenvalues(): Float32Array;
  isTrained(): boolean;
}

export interface PCAMatrixStatic {
  new (dIn: number, dOut: number): PCAMatrix;
}

/** The module object: require('native/build/Release/faiss_node.node'). */
export interface FaissBinding {
  /** A zero-filled Float32Array in native memory that a Flat index can adopt; null where the runtime refuses external memory (Electron). */
  allocVectors(length: number): Float32Array | null;
  /** Position of the first NaN or infinity in x[from, to), or -1. */
  firstNonFinite(x: Float32Array, from: number, to: number): number;
  /** L2 norm of each row of d floats. */
  rowNorms(x: Float32Array, d: number): Float32Array;
  Index: FaissIndexStatic;
  IndexFlatL2: FaissFlatIndexStatic;
  IndexFlatIP: FaissFlatIndexStatic;
  PCAMatrix: PCAMatrixStatic;
}
