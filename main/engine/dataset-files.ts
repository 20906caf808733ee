import { lstat, open, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { EngineError } from '../../app/contract/errors.js';
import { readAnnHdf5, type H5FileLike } from '../../app/datasets/readers/ann-hdf5.js';
import { DelimitedReader } from '../../app/datasets/readers/delimited.js';
import { baseName, resolveFormat } from '../../app/datasets/readers/formats.js';
import { checkDataClaim, checkMemoryClaim, DEFLATE_MAX_RATIO, type ReadLimits } from '../../app/datasets/readers/claims.js';
import { checkHdf5Head, HDF5_HEAD_BYTES } from '../../app/datasets/readers/hdf5-signature.js';
import { JsonRecordsReader } from '../../app/datasets/readers/json-records.js';
import { NpyReader } from '../../app/datasets/readers/npy.js';
import { readParquet } from '../../app/datasets/readers/parquet.js';
import { fileError } from '../../app/datasets/readers/place.js';
import { joinProjectorMetadata, metadataNames, metadataOptions } from '../../app/datasets/readers/projector.js';
import type { LoadedFile, MetadataColumn, StreamReader, VectorMemory, VectorTable } from '../../app/datasets/readers/types.js';
import { VecsReader } from '../../app/datasets/readers/vecs.js';
import {
  END_SEARCH_BYTES,
  entryDecoder,
  findCentralDirectory,
  LOCAL_HEADER_BYTES,
  localDataOffset,
  parseCentralDirectory,
  parseZip64End,
  ZIP64_END_BYTES,
  type ZipEntry,
} from '../../app/datasets/readers/zip.js';

export type { LoadedFile } from '../../app/datasets/readers/types.js';

export interface ReadDatasetOptions {
  /** a format or extension ('npy', 'csv', ...); default: the file's extension */
  format?: string;
  /** jsonl/json/parquet: the field holding the vector */
  field?: string;
  /** npz: the array to read; hdf5: the dataset to use as the base set */
  array?: string;
  /** csv/tsv: the columns (0-based) forming the vector */
  columns?: number[];
  /** npy/npz: where the vectors go (default: the JS heap) */
  memory?: VectorMemory;
  /** the dataset memory budget this read must fit in */
  limits?: ReadLimits;
  /** a .tsv/.csv of one row per vector; else one found beside the file by name (metadataNames) */
  metadata?: string;
}

type Progress = (bytesDone: number, bytesTotal: number) => void;
type Checkpoint = () => Promise<void>;

/** Big enough that per-chunk overhead vanishes, small enough that progress and cancel stay lively. */
const CHUNK_BYTES = 4 << 20;

/**
 * Reads a dataset file in the worker: node file I/O here, parsing in app/datasets/readers.
 * Streams in chunks, reports bytes read, and calls `checkpoint` between chunks so a cancel can
 * stop it. Errors are EngineErrors whose message names the place in the file.
 */
export async function readDatasetFile(filePath: string, opts: ReadDatasetOptions, onProgress: Progress, checkpoint: Checkpoint): Promise<LoadedFile> {
  try {
    return await readChecked(filePath, opts, onProgress, checkpoint);
  } catch (err) {
    if (err instanceof EngineError) throw err;
    // whatever a reader did not foresee (a RangeError from a huge length, a stack overflow) is still the file's fault
    throw new EngineError('BAD_FILE', `"${baseName(filePath)}" could not be read: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function readChecked(filePath: string, opts: ReadDatasetOptions, onProgress: Progress, checkpoint: Checkpoint): Promise<LoadedFile> {
  const file = await readVectorsFile(filePath, opts, onProgress, checkpoint);
  const metaPath = opts.metadata ?? (await foundBeside(filePath));
  if (!metaPath) return file;
  const vectorBytes = file.base.byteLength + file.queries.byteLength;
  const limits = opts.limits && { ...opts.limits, memoryLeft: opts.limits.memoryLeft - vectorBytes };
  const columns = await readMetadataFile(metaPath, file.n, limits, onProgress, checkpoint);
  const taken = new Set(columns.map((c) => c.name));
  // the metadata file's columns win over the vectors file's own of the same name
  return { ...file, metadata: [...(file.metadata ?? []).filter((c) => !taken.has(c.name)), ...columns] };
}

/** The first metadata file beside `filePath` that exists, by the names metadataNames gives. */
async function foundBeside(filePath: string): Promise<string | null> {
  for (const name of metadataNames(path.basename(filePath))) {
    const candidate = path.join(path.dirname(filePath), name);
    // lstat: a link planted beside the file could lead outside the directories the path rules allow
    if (await lstat(candidate).then((s) => s.isFile() && s.size > 0, () => false)) return candidate;
  }
  return null;
}

/** A metadata file's columns, one row per vector, or an error naming the file and what went wrong. */
async function readMetadataFile(metaPath: string, n: number, limits: ReadLimits | undefined, onProgress: Progress, checkpoint: Checkpoint): Promise<MetadataColumn[]> {
  const name = baseName(metaPath);
  const size = await fileSize(metaPath);
  if (size === 0) throw new EngineError('EMPTY_FILE', `the metadata file "${name}" is empty (0 bytes)`);
  // parsed text takes several times its bytes as strings: about one float's worth per byte
  checkMemoryClaim(`the metadata file "${name}"`, size, limits);
  const handle = await open(metaPath, 'r');
  try {
    const meta = await pump(handle, new DelimitedReader(metadataOptions(name)), 0, size, (done) => onProgress(done, size), checkpoint);
    return joinProjectorMetadata(n, meta, name);
  } catch (err) {
    // places in the second file: say which file
    if (err instanceof EngineError && err.code !== 'CANCELLED' && !err.message.startsWith(name)) throw new EngineError(err.code, `${name}: ${err.message}`);
    throw err;
  } finally {
    await handle.close();
  }
}

async function readVectorsFile(filePath: string, opts: ReadDatasetOptions, onProgress: Progress, checkpoint: Checkpoint): Promise<LoadedFile> {
  const size = await fileSize(filePath);
  const format = resolveFormat(filePath, opts.format);
  if (size === 0) throw new EngineError('EMPTY_FILE', `"${baseName(filePath)}" is empty (0 bytes)`);
  const handle = await open(filePath, 'r');
  try {
    const bytes = (total: number) => byteCounter(total, onProgress);
    switch (format) {
      case 'npy':
        return fromTable(await pump(handle, new NpyReader(opts.memory, { totalBytes: size, limits: opts.limits }), 0, size, bytes(size), checkpoint));
      case 'npz':
        return fromTable(await readNpz(handle, size, opts, onProgress, checkpoint));
      case 'fvecs':
      case 'ivecs':
      case 'bvecs':
        return fromTable(await pump(handle, new VecsReader(format, size, opts.limits), 0, size, bytes(size), checkpoint));
      case 'csv':
      case 'tsv':
        return fromTable(await pump(handle, new DelimitedReader({ delimiter: format === 'tsv' ? '\t' : undefined, quoting: format !== 'tsv', columns: opts.columns, totalBytes: size, limits: opts.limits }), 0, size, bytes(size), checkpoint));
      case 'jsonl':
      case 'json':
        return fromTable(await pump(handle, new JsonRecordsReader({ format, field: opts.field, totalBytes: size, limits: opts.limits }), 0, size, bytes(size), checkpoint));
      case 'parquet':
        return fromTable(await readParquet(fileBuffer(handle, size), { field: opts.field }, onProgress, checkpoint));
      case 'hdf5':
        return await readHdf5(handle, filePath, size, opts, onProgress, checkpoint);
    }
  } finally {
    await handle.close();
  }
}

async function fileSize(filePath: string): Promise<number> {
  try {
    const s = await stat(filePath);
    if (s.isDirectory()) throw new EngineError('BAD_FILE', `"${filePath}" is a folder, not a file`);
    return s.size;
  } catch (err) {
    if (err instanceof EngineError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new EngineError('FILE_NOT_FOUND', `no file at "${filePath}"`);
    throw new EngineError('BAD_FILE', `cannot open "${filePath}": ${(err as Error).message}`);
  }
}

function fromTable(t: VectorTable): LoadedFile {
  return { n: t.n, dim: t.dim, base: t.base, dtype: t.dtype, nq: 0, queries: new Float32Array(0), metadata: t.metadata };
}

/** Turns per-chunk byte counts into running (done, total) progress. */
function byteCounter(total: number, onProgress: Progress, start = 0): (bytes: number) => void {
  let done = start;
  return (bytes) => {
    done += bytes;
    onProgress(done, total);
  };
}

/** Feeds `length` bytes from `start` to a reader, one reused buffer at a time. */
async function pump<T>(handle: FileHandle, reader: StreamReader<T>, start: number, length: number, report: (bytes: number) => void, checkpoint: Checkpoint): Promise<T> {
  // a plain Uint8Array, not a Buffer: readers call slice() expecting a copy, and Buffer.slice is a view
  const buffer = new Uint8Array(Math.min(CHUNK_BYTES, Math.max(1, length)));
  const end = start + length;
  for (let pos = start; pos < end; ) {
    const slot = reader.slot?.();
    const into = slot?.length ? slot : buffer;
    const { bytesRead } = await handle.read(into, 0, Math.min(into.length, CHUNK_BYTES, end - pos), pos);
    if (bytesRead === 0) break; // the file shrank while we read it: the reader reports what is missing
    if (into === slot) reader.filled!(bytesRead);
    else reader.push(buffer.subarray(0, bytesRead));
    pos += bytesRead;
    report(bytesRead);
    await checkpoint();
  }
  return reader.end();
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(out, filled, length - filled, position + filled);
    if (bytesRead === 0) throw fileError('FILE_TRUNCATED', `the file ends before byte ${position + length}`, { byte: position + filled });
    filled += bytesRead;
  }
  return out;
}

/** hyparquet reads byte ranges through this. */
function fileBuffer(handle: FileHandle, size: number): { byteLength: number; slice(start: number, end?: number): Promise<ArrayBuffer> } {
  return {
    byteLength: size,
    async slice(start, end = size) {
      const bytes = await readAt(handle, start, Math.max(0, Math.min(end, size) - start));
      return bytes.buffer as ArrayBuffer;
    },
  };
}

async function readNpz(handle: FileHandle, size: number, { array, memory, limits }: ReadDatasetOptions, onProgress: Progress, checkpoint: Checkpoint): Promise<VectorTable> {
  const head = await readAt(handle, 0, Math.min(4, size));
  const tailLength = Math.min(size, END_SEARCH_BYTES);
  let dir = findCentralDirectory(await readAt(handle, size - tailLength, tailLength), size - tailLength, head);
  if ('zip64EndOffset' in dir) dir = parseZip64End(await readAt(handle, dir.zip64EndOffset, ZIP64_END_BYTES), dir.zip64EndOffset);
  if (dir.offset + dir.size > size) throw fileError('FILE_TRUNCATED', 'the zip directory lies past the end of the file', { byte: size });
  const entries = parseCentralDirectory(await readAt(handle, dir.offset, dir.size), dir).filter((e) => e.name.endsWith('.npy'));
  const names = entries.map((e) => e.name.slice(0, -'.npy'.length));
  const entry = array === undefined ? entries[0] : entries.find((e) => e.name === array || e.name === `${array}.npy`);
  if (!entry) {
    const what = array === undefined ? 'no .npy arrays in the .npz archive' : `no array "${array}" in the .npz archive (it has: ${names.join(', ') || 'none'})`;
    throw fileError('MISSING_FIELD', what, array === undefined ? {} : { field: array });
  }
  const table = await readNpzEntry(handle, size, entry, memory, limits, byteCounter(size, onProgress), checkpoint);
  const metadata = await npzColumns(handle, size, entries, entry, table.n, checkpoint);
  onProgress(size, size); // the other arrays and the directory were skipped, not left unread
  return metadata.length ? { ...table, metadata } : table;
}

/** One .npy of an .npz, stored or deflated, read as a table. */
async function readNpzEntry(
  handle: FileHandle,
  size: number,
  entry: ZipEntry,
  memory: ReadDatasetOptions['memory'],
  limits: ReadDatasetOptions['limits'],
  report: (bytes: number) => void,
  checkpoint: Checkpoint,
): Promise<VectorTable> {
  const dataStart = localDataOffset(await readAt(handle, entry.localHeaderOffset, LOCAL_HEADER_BYTES), entry);
  if (dataStart + entry.compressedSize > size) {
    throw fileError('FILE_TRUNCATED', `array "${entry.name.slice(0, -'.npy'.length)}" needs ${entry.compressedSize} bytes from byte ${dataStart}, the file has ${size}`, { byte: size });
  }
  // the directory's sizes bound the array's header; deflate bounds the directory's
  const inflatable = entry.method === 0 ? entry.compressedSize : entry.compressedSize * DEFLATE_MAX_RATIO;
  checkDataClaim(`array "${entry.name}" in the .npz`, entry.size, inflatable, { byte: entry.localHeaderOffset });
  const npy = new NpyReader(memory, { totalBytes: entry.size, limits });
  const decoder = entryDecoder(entry, (chunk) => npy.push(chunk));
  const reader: StreamReader<VectorTable> = {
    push: (chunk) => decoder.push(chunk),
    end: () => {
      decoder.end();
      return npy.end();
    },
  };
  try {
    return await pump(handle, reader, dataStart, entry.compressedSize, report, checkpoint);
  } catch (err) {
    // byte offsets inside the array are offsets in the .npy it holds: say which one
    if (err instanceof EngineError && err.code !== 'CANCELLED') throw new EngineError(err.code, `array "${entry.name}" in the .npz: ${err.message}`);
    throw err;
  }
}

/** Room for a .npy header beside n values of up to 8 bytes: larger arrays are not one value per vector. */
const npyColumnBytes = (n: number) => 8 * n + 4096;

/**
 * The other arrays of an .npz that hold one number per vector (`labels`, say), as metadata columns
 * named by the array; arrays of another size or of a type that is not numeric are left alone.
 */
async function npzColumns(handle: FileHandle, size: number, entries: ZipEntry[], vectors: ZipEntry, n: number, checkpoint: Checkpoint): Promise<MetadataColumn[]> {
  const columns: MetadataColumn[] = [];
  for (const e of entries) {
    if (e === vectors || e.size > npyColumnBytes(n)) continue;
    let t: VectorTable;
    try {
      t = await readNpzEntry(handle, size, e, undefined, undefined, () => {}, checkpoint);
    } catch (err) {
      if (err instanceof EngineError && err.code === 'CANCELLED') throw err;
      continue; // not an array of numbers (strings, objects): not a column this reader can give
    }
    if (t.n !== 1 || t.dim !== n) continue;
    columns.push({ name: e.name.slice(0, -'.npy'.length), type: 'number', values: Array.from(t.base) });
  }
  return columns;
}

interface H5Module {
  ready: Promise<unknown>;
  File: new (filename: string, mode: 'r') => H5FileLike & { close(): unknown };
}

/** h5wasm is loaded on first use: its WebAssembly HDF5 library is large and most sessions never open HDF5. */
let h5wasm: Promise<H5Module> | null = null;
function loadH5wasm(): Promise<H5Module> {
  h5wasm ??= import('h5wasm/node').then(async (m) => {
    const lib = m.default as unknown as H5Module;
    await lib.ready;
    return lib;
  });
  return h5wasm;
}

async function readHdf5(handle: FileHandle, filePath: string, size: number, { array, limits }: ReadDatasetOptions, onProgress: Progress, checkpoint: Checkpoint): Promise<LoadedFile> {
  checkHdf5Head(await readAt(handle, 0, Math.min(size, HDF5_HEAD_BYTES)), size);
  const lib = await loadH5wasm();
  let file: H5FileLike & { close(): unknown };
  try {
    file = new lib.File(path.resolve(filePath), 'r');
  } catch (err) {
    throw new EngineError('BAD_FILE', `the HDF5 library cannot open "${baseName(filePath)}": ${(err as Error).message}`);
  }
  try {
    return await readAnnHdf5(file, { array, fileBytes: size, limits }, (done, total) => onProgress(Math.round((done / Math.max(1, total)) * size), size), checkpoint);
  } finally {
    file.close();
  }
}
