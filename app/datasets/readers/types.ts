import type { Metric } from '../../contract/operations.js';

/** One metadata column, row-aligned with the vectors; `null` where a row has no value. */
export interface MetadataColumn {
  name: string;
  type: 'string' | 'number';
  values: (string | number | null)[];
}

/** What a reader hands to the worker: vectors as float32, row-major, plus what the file says about them. */
export interface LoadedFile {
  n: number;
  dim: number;
  /** row-major n*dim */
  base: Float32Array;
  /** the type stored on disk: 'float32', 'float64', 'float16', 'int8', 'uint8', 'int32', ... or 'text' */
  dtype: string;
  /** query set when the file has one (hdf5 `test`), else 0 / empty */
  nq: number;
  queries: Float32Array;
  /** hdf5 `neighbors` */
  groundTruth?: { k: number; labels: Int32Array };
  /** hdf5 `distance` attribute */
  metric?: Metric;
  metadata?: MetadataColumn[];
  /** category index per row from a chosen metadata column; readers leave it undefined */
  labels?: Int32Array;
}

/** The part of a LoadedFile that a single-table reader produces. */
export interface VectorTable {
  n: number;
  dim: number;
  base: Float32Array;
  dtype: string;
  metadata?: MetadataColumn[];
}

/**
 * Where a reader puts the vectors it loads and how it scans them for NaN/Inf. The default is
 * the JS heap; the worker gives native memory that a Flat index can adopt without a copy, and
 * a native scan.
 */
export interface VectorMemory {
  alloc(length: number): Float32Array;
  /** position of the first NaN or infinity in values[from, to), or -1 */
  firstNonFinite(values: Float32Array, from: number, to: number): number;
}

/**
 * A parser fed a file chunk by chunk. A chunk is only valid during `push`: the caller reuses its
 * buffer, so a reader copies whatever it keeps.
 */
export interface StreamReader<T> {
  push(chunk: Uint8Array): void;
  end(): T;
  /**
   * Where the next bytes of the file can go as they are, when the reader keeps them raw: the
   * caller reads straight into it and then calls `filled`, saving a copy of every byte.
   */
  slot?(): Uint8Array | null;
  filled?(bytes: number): void;
}
