import type { Metric } from '../../contract/operations.js';
import { EngineError } from '../../contract/errors.js';
import { checkDataClaim, checkMemoryClaim, DEFLATE_MAX_RATIO, type ReadLimits } from './claims.js';
import { checkFiniteRange } from './finite.js';
import { fileError } from './place.js';
import type { LoadedFile } from './types.js';

/** The parts of an h5wasm Dataset this reader uses (kept structural so app/ needs no HDF5 library). */
export interface H5DatasetLike {
  readonly shape: number[] | null;
  readonly metadata: { type: number; size: number; signed: boolean; littleEndian: boolean };
  /** compression and other filters on the stored chunks */
  readonly filters?: readonly unknown[];
  slice(ranges: [number, number][]): unknown;
}

/** The parts of an h5wasm File this reader uses. */
export interface H5FileLike {
  keys(): string[];
  get(path: string): unknown;
  readonly attrs: Record<string, { value: unknown }>;
}

const H5T_INTEGER = 0;
const H5T_FLOAT = 1;

/** ann-benchmarks' distance names, and the common spellings of inner product. */
const METRICS: Record<string, Metric> = { euclidean: 'l2', l2: 'l2', angular: 'cosine', cosine: 'cosine', dot: 'ip', ip: 'ip', inner_product: 'ip' };

/** Rows per read: about 8 MiB at a time, so progress and cancel keep flowing. */
const SLICE_BYTES = 8 << 20;

export function metricFromDistance(distance: unknown): Metric | undefined {
  return typeof distance === 'string' ? METRICS[distance.trim().toLowerCase()] : undefined;
}

/**
 * ann-benchmarks' layout: `train` (base set), `test` (queries), `neighbors` (ground truth ids),
 * `distances`, and the root attribute `distance` naming the metric. A file without `train` may
 * name its base dataset with `array`, or hold exactly one 2-D dataset.
 */
export async function readAnnHdf5(
  file: H5FileLike,
  opts: { array?: string; fileBytes?: number; limits?: ReadLimits },
  onProgress: (done: number, total: number) => void,
  checkpoint: () => Promise<void>,
): Promise<LoadedFile> {
  const baseName = chooseBase(file, opts.array);
  const base = dataset(file, baseName)!;
  const test = opts.array === undefined || opts.array === 'train' ? dataset(file, 'test') : null;
  const neighbors = test ? dataset(file, 'neighbors') : null;
  const parts = [base, test, neighbors].filter((d): d is H5DatasetLike => d !== null);
  const total = parts.reduce((sum, d) => sum + elements(d) * d.metadata.size, 0);
  if (opts.fileBytes !== undefined) checkStorage({ [baseName]: base, test, neighbors }, opts.fileBytes);
  checkMemoryClaim('the HDF5 vectors', elements(base) + (test ? elements(test) : 0), opts.limits);
  let done = 0;
  const step = async (bytes: number) => {
    done += bytes;
    onProgress(done, total);
    await checkpoint();
  };

  const train = await readMatrix(base, baseName, step);
  const queries = test ? await readMatrix(test, 'test', step) : null;
  if (queries && queries.dim !== train.dim) {
    throw fileError('BAD_DIMENSION', `"test" vectors have ${queries.dim} dimensions, "train" vectors have ${train.dim}`, { field: 'test' });
  }
  const groundTruth = neighbors && queries ? await readNeighbors(neighbors, queries.n, step) : undefined;
  return {
    n: train.n,
    dim: train.dim,
    base: train.data,
    dtype: dtypeName(base, baseName),
    nq: queries?.n ?? 0,
    queries: queries?.data ?? new Float32Array(0),
    groundTruth,
    metric: metricFromDistance(file.attrs.distance?.value),
  };
}

/**
 * HDF5 returns fill values for storage never written, so a tiny file can claim any shape: the
 * claimed bytes must be in the file, or (compressed chunks) within what deflate can inflate from it.
 */
function checkStorage(parts: Record<string, H5DatasetLike | null>, fileBytes: number): void {
  let plain = 0;
  for (const [name, d] of Object.entries(parts)) {
    if (!d) continue;
    const bytes = elements(d) * d.metadata.size;
    const what = `dataset "${name}" (shape (${(d.shape ?? []).join(', ')}))`;
    if (d.filters?.length) checkDataClaim(`${what}, compressed,`, bytes, fileBytes * DEFLATE_MAX_RATIO, { field: name });
    else checkDataClaim(what, (plain += bytes), fileBytes, { field: name });
  }
}

function isDataset(node: unknown): node is H5DatasetLike {
  return typeof node === 'object' && node !== null && typeof (node as H5DatasetLike).slice === 'function' && 'shape' in node;
}

function dataset(file: H5FileLike, name: string): H5DatasetLike | null {
  let node: unknown;
  try {
    node = file.get(name);
  } catch {
    return null;
  }
  return isDataset(node) ? node : null;
}

function chooseBase(file: H5FileLike, array: string | undefined): string {
  const keys = file.keys();
  if (array !== undefined) {
    if (!dataset(file, array)) throw fileError('MISSING_FIELD', `no dataset "${array}" in the HDF5 file (it has: ${keys.join(', ') || 'nothing'})`, { field: array });
    return array;
  }
  if (dataset(file, 'train')) return 'train';
  const matrices = keys.filter((k) => dataset(file, k)?.shape?.length === 2);
  if (matrices.length === 1) return matrices[0];
  throw fileError('MISSING_FIELD', `no "train" dataset (ann-benchmarks layout) in the HDF5 file (it has: ${keys.join(', ') || 'nothing'}); choose one`, { field: 'train' });
}

function elements(d: H5DatasetLike): number {
  return (d.shape ?? []).reduce((a, b) => a * b, 1);
}

function dtypeName(d: H5DatasetLike, name: string): string {
  const { type, size, signed, littleEndian } = d.metadata;
  if (type === H5T_FLOAT && (size === 4 || size === 8)) return `float${size * 8}`;
  if (type === H5T_INTEGER && [1, 2, 4, 8].includes(size)) return `${signed ? 'int' : 'uint'}${size * 8}`;
  const what = type === H5T_FLOAT ? `float${size * 8}` : `HDF5 type class ${type} of ${size} bytes`;
  throw fileError('UNSUPPORTED_DTYPE', `dataset "${name}" holds ${what}, which is not read (float32, float64 and integers are; ${littleEndian ? '' : 'big-endian data is not; '}convert with astype("float32"))`, { field: name });
}

function checkOrder(d: H5DatasetLike, name: string): void {
  if (!d.metadata.littleEndian && d.metadata.size > 1) throw fileError('UNSUPPORTED_DTYPE', `dataset "${name}" is big-endian; save it little-endian`, { field: name });
}

async function readMatrix(d: H5DatasetLike, name: string, step: (bytes: number) => Promise<void>): Promise<{ n: number; dim: number; data: Float32Array }> {
  dtypeName(d, name);
  checkOrder(d, name);
  const shape = d.shape ?? [];
  if (shape.length !== 2) throw fileError('BAD_DIMENSION', `dataset "${name}" has shape (${shape.join(', ')}); vectors need (n, d)`, { field: name });
  const [n, dim] = shape;
  if (n === 0) throw fileError('EMPTY_FILE', `dataset "${name}" has no rows`, { field: name });
  if (dim === 0) throw fileError('BAD_DIMENSION', `dataset "${name}" has vectors of dimension 0`, { field: name });
  const data = new Float32Array(n * dim);
  const rowsPerSlice = Math.max(1, Math.floor(SLICE_BYTES / (dim * d.metadata.size)));
  for (let start = 0; start < n; start += rowsPerSlice) {
    const end = Math.min(n, start + rowsPerSlice);
    const part = readSlice(d, name, start, end);
    if (part instanceof Float32Array) data.set(part, start * dim);
    else for (let i = 0; i < part.length; i++) data[start * dim + i] = Number(part[i]);
    // reporting the dataset's own row, not the slice's
    try {
      checkFiniteRange(data, start * dim, end * dim, dim);
    } catch (err) {
      throw err instanceof EngineError ? new EngineError(err.code, `dataset "${name}": ${err.message}`) : err;
    }
    await step((end - start) * dim * d.metadata.size);
  }
  return { n, dim, data };
}

async function readNeighbors(d: H5DatasetLike, nq: number, step: (bytes: number) => Promise<void>): Promise<{ k: number; labels: Int32Array } | undefined> {
  const shape = d.shape ?? [];
  if (shape.length !== 2 || d.metadata.type !== H5T_INTEGER) return undefined; // not ground truth we can use; the vectors still load
  checkOrder(d, 'neighbors');
  const [rows, k] = shape;
  if (rows !== nq) throw fileError('BAD_DIMENSION', `"neighbors" has ${rows} rows, "test" has ${nq}`, { field: 'neighbors' });
  const part = readSlice(d, 'neighbors', 0, rows);
  const labels = part instanceof Int32Array ? part : Int32Array.from(part as ArrayLike<number>, (v) => Number(v));
  await step(rows * k * d.metadata.size);
  return { k, labels };
}

function readSlice(d: H5DatasetLike, name: string, start: number, end: number): ArrayLike<number | bigint> {
  let part: unknown;
  try {
    part = d.slice([[start, end]]);
  } catch (err) {
    throw fileError('BAD_FILE', `cannot read rows ${start}..${end - 1} of dataset "${name}": ${(err as Error).message}`, { row: start, field: name });
  }
  if (!ArrayBuffer.isView(part)) throw fileError('UNSUPPORTED_DTYPE', `dataset "${name}" does not hold plain numbers`, { field: name });
  return part as unknown as ArrayLike<number | bigint>;
}
