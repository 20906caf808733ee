import { Inflate } from 'fflate';
import { EngineError } from '../../contract/errors.js';
import { fileError } from './place.js';

/** Just enough of the zip format for .npz archives: find entries, then stream one out. */

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflate */
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

export interface CentralDirectory {
  offset: number;
  size: number;
  count: number;
}

const LOCAL_SIG = 0x04034b50;
const CENTRAL_SIG = 0x02014b50;
const END_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const ZIP64_END_SIG = 0x06064b50;
const U32_MAX = 0xffffffff;

/** The end record sits in the last 22 bytes plus at most a 64 KiB comment. */
export const END_SEARCH_BYTES = 22 + 0xffff;
export const LOCAL_HEADER_BYTES = 30;
export const ZIP64_END_BYTES = 56;

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

/** True when `head` (the file's first bytes) starts like a zip archive. */
export function looksLikeZip(head: Uint8Array): boolean {
  return head.length >= 4 && view(head).getUint32(0, true) === LOCAL_SIG;
}

/**
 * Finds the central directory from the file's tail (`tail` starts at file offset `tailOffset`).
 * Returns the zip64 end record's offset instead when the archive needs it.
 */
export function findCentralDirectory(tail: Uint8Array, tailOffset: number, head: Uint8Array): CentralDirectory | { zip64EndOffset: number } {
  const v = view(tail);
  for (let i = tail.length - 22; i >= 0; i--) {
    if (v.getUint32(i, true) !== END_SIG) continue;
    const count = v.getUint16(i + 10, true);
    const size = v.getUint32(i + 12, true);
    const offset = v.getUint32(i + 16, true);
    if (count === 0xffff || size === U32_MAX || offset === U32_MAX) {
      const at = i - 20;
      if (at < 0 || v.getUint32(at, true) !== ZIP64_LOCATOR_SIG) throw fileError('BAD_FILE', 'zip64 archive without its locator record', { byte: tailOffset + i });
      return { zip64EndOffset: Number(v.getBigUint64(at + 8, true)) };
    }
    return { offset, size, count };
  }
  if (looksLikeZip(head)) throw fileError('FILE_TRUNCATED', 'the zip archive has no end record: the file was cut short', { byte: tailOffset + tail.length });
  throw fileError('BAD_MAGIC', 'not a zip archive (.npz files are zip archives of .npy files)', { byte: 0 });
}

export function parseZip64End(bytes: Uint8Array, at: number): CentralDirectory {
  const v = view(bytes);
  if (bytes.length < ZIP64_END_BYTES || v.getUint32(0, true) !== ZIP64_END_SIG) throw fileError('BAD_FILE', 'damaged zip64 end record', { byte: at });
  return { count: Number(v.getBigUint64(32, true)), size: Number(v.getBigUint64(40, true)), offset: Number(v.getBigUint64(48, true)) };
}

export function parseCentralDirectory(bytes: Uint8Array, dir: CentralDirectory): ZipEntry[] {
  const v = view(bytes);
  const entries: ZipEntry[] = [];
  const names = new TextDecoder();
  let p = 0;
  for (let e = 0; e < dir.count; e++) {
    if (p + 46 > bytes.length || v.getUint32(p, true) !== CENTRAL_SIG) throw fileError('BAD_FILE', `damaged zip directory entry ${e}`, { byte: dir.offset + p });
    const nameLength = v.getUint16(p + 28, true);
    const extraLength = v.getUint16(p + 30, true);
    const commentLength = v.getUint16(p + 32, true);
    const entry: ZipEntry = {
      name: names.decode(bytes.subarray(p + 46, p + 46 + nameLength)),
      flags: v.getUint16(p + 8, true),
      method: v.getUint16(p + 10, true),
      compressedSize: v.getUint32(p + 20, true),
      size: v.getUint32(p + 24, true),
      localHeaderOffset: v.getUint32(p + 42, true),
    };
    applyZip64Extra(entry, bytes.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength));
    entries.push(entry);
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Sizes and offset that overflow 32 bits live in extra field 0x0001, in this order, when marked 0xffffffff. */
function applyZip64Extra(entry: ZipEntry, extra: Uint8Array): void {
  const v = view(extra);
  for (let p = 0; p + 4 <= extra.length; ) {
    const id = v.getUint16(p, true);
    const len = v.getUint16(p + 2, true);
    if (id === 0x0001) {
      let q = p + 4;
      const next = () => {
        const value = Number(v.getBigUint64(q, true));
        q += 8;
        return value;
      };
      if (entry.size === U32_MAX) entry.size = next();
      if (entry.compressedSize === U32_MAX) entry.compressedSize = next();
      if (entry.localHeaderOffset === U32_MAX) entry.localHeaderOffset = next();
      return;
    }
    p += 4 + len;
  }
}

/** Offset of the entry's data, from its local header (whose name and extra lengths may differ from the directory's). */
export function localDataOffset(header: Uint8Array, entry: ZipEntry): number {
  const v = view(header);
  if (header.length < LOCAL_HEADER_BYTES || v.getUint32(0, true) !== LOCAL_SIG) {
    throw fileError('BAD_FILE', `damaged local header of zip entry "${entry.name}"`, { byte: entry.localHeaderOffset });
  }
  return entry.localHeaderOffset + LOCAL_HEADER_BYTES + v.getUint16(26, true) + v.getUint16(28, true);
}

/** Turns an entry's stored or deflated bytes into its content, chunk by chunk. */
/**
 * Compressed bytes handed to the inflater at a time: it returns all a piece inflates to at once,
 * and deflate inflates up to ~1032-fold, so 16 KiB in is at most ~16 MiB out before the sink
 * (the .npy reader, with its checks) sees any of it. A whole 4 MiB read would be 4 GiB.
 */
const INFLATE_PIECE = 16 << 10;

export function entryDecoder(entry: ZipEntry, sink: (chunk: Uint8Array) => void): { push(chunk: Uint8Array): void; end(): void } {
  if (entry.flags & 1) throw fileError('UNSUPPORTED_DTYPE', `zip entry "${entry.name}" is encrypted`);
  if (entry.method === 0) return { push: sink, end: () => {} };
  if (entry.method !== 8) throw fileError('UNSUPPORTED_DTYPE', `zip entry "${entry.name}" uses compression method ${entry.method}; only stored and deflate are read`);
  const inflate = new Inflate((data) => {
    if (data.length) sink(data);
  });
  const run = (chunk: Uint8Array, final: boolean) => {
    try {
      inflate.push(chunk, final);
    } catch (err) {
      if (err instanceof EngineError) throw err; // from the sink, already placed
      const code = (err as { code?: number }).code;
      if (code === 0) throw fileError('FILE_TRUNCATED', `the compressed data of "${entry.name}" ends early`);
      throw fileError('BAD_FILE', `the compressed data of "${entry.name}" is damaged (${(err as Error).message})`);
    }
  };
  return {
    push: (chunk) => {
      for (let at = 0; at < chunk.length; at += INFLATE_PIECE) run(chunk.subarray(at, at + INFLATE_PIECE), false);
    },
    end: () => run(new Uint8Array(0), true),
  };
}
