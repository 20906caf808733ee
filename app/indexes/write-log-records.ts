/**
 * The bytes of an index's write log: a header naming the index file the log applies to, then one
 * record per acknowledged add or remove, each framed by its length and a CRC-32 so that a record
 * torn by a crash is seen and dropped rather than read as data.
 */

/** An add or a remove as it was asked of the index (vectors as sent: cosine normalises them again on replay). */
export type LoggedWrite = { kind: 'add'; dim: number; vectors: Float32Array; ids?: Float64Array } | { kind: 'remove'; ids: Float64Array };

/** Which index file a log applies to: the file's inode and size when the log was started. */
export interface LogBase {
  ino: bigint;
  size: bigint;
}

const MAGIC = 0x4c575846; // 'FXWL'
const VERSION = 1;
export const HEADER_BYTES = 32;
const FRAME_BYTES = 8;
const RECORD_HEAD_BYTES = 16;
const KIND = { add: 1, remove: 2 } as const;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (the zlib one). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function sameBase(a: LogBase, b: LogBase): boolean {
  return a.ino === b.ino && a.size === b.size;
}

export function encodeHeader(base: LogBase): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES);
  const v = new DataView(out.buffer);
  v.setUint32(0, MAGIC, true);
  v.setUint32(4, VERSION, true);
  v.setBigUint64(8, base.ino, true);
  v.setBigUint64(16, base.size, true);
  v.setUint32(24, crc32(out.subarray(0, 24)), true);
  return out;
}

export function encodeWrite(w: LoggedWrite): Uint8Array {
  const n = w.ids ? w.ids.length : w.kind === 'add' ? w.vectors.length / w.dim : 0;
  const dim = w.kind === 'add' ? w.dim : 0;
  const vectorBytes = w.kind === 'add' ? w.vectors.byteLength : 0;
  const idBytes = w.ids ? w.ids.byteLength : 0;
  const payload = RECORD_HEAD_BYTES + vectorBytes + idBytes;
  const out = new Uint8Array(FRAME_BYTES + payload);
  const v = new DataView(out.buffer);
  v.setUint8(FRAME_BYTES, KIND[w.kind]);
  v.setUint8(FRAME_BYTES + 1, w.ids ? 1 : 0);
  v.setUint32(FRAME_BYTES + 4, n, true);
  v.setUint32(FRAME_BYTES + 8, dim, true);
  let at = FRAME_BYTES + RECORD_HEAD_BYTES;
  if (w.kind === 'add') {
    out.set(new Uint8Array(w.vectors.buffer, w.vectors.byteOffset, vectorBytes), at);
    at += vectorBytes;
  }
  if (w.ids) out.set(new Uint8Array(w.ids.buffer, w.ids.byteOffset, idBytes), at);
  v.setUint32(0, payload, true);
  v.setUint32(4, crc32(out.subarray(FRAME_BYTES)), true);
  return out;
}

export interface DecodedLog {
  /** null when the header is missing or torn: then the log holds nothing */
  base: LogBase | null;
  writes: LoggedWrite[];
  /** bytes up to the end of the last whole record; what follows is a torn tail */
  validBytes: number;
}

export function decodeLog(bytes: Uint8Array): DecodedLog {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < HEADER_BYTES || v.getUint32(0, true) !== MAGIC || v.getUint32(4, true) !== VERSION || v.getUint32(24, true) !== crc32(bytes.subarray(0, 24))) {
    return { base: null, writes: [], validBytes: 0 };
  }
  const base = { ino: v.getBigUint64(8, true), size: v.getBigUint64(16, true) };
  const writes: LoggedWrite[] = [];
  let at = HEADER_BYTES;
  for (;;) {
    if (at + FRAME_BYTES > bytes.length) break;
    const length = v.getUint32(at, true);
    const start = at + FRAME_BYTES;
    if (length < RECORD_HEAD_BYTES || start + length > bytes.length) break;
    const payload = bytes.subarray(start, start + length);
    if (crc32(payload) !== v.getUint32(at + 4, true)) break;
    const w = decodeRecord(payload);
    if (!w) break;
    writes.push(w);
    at = start + length;
  }
  return { base, writes, validBytes: at };
}

/** A copy of bytes [from, to) in a buffer of its own: aligned for any element type (Buffer's slice would share). */
function copyOf(p: Uint8Array, from: number, to: number): ArrayBuffer {
  return new Uint8Array(p.subarray(from, to)).buffer;
}

function decodeRecord(p: Uint8Array): LoggedWrite | null {
  const v = new DataView(p.buffer, p.byteOffset, p.byteLength);
  const kind = v.getUint8(0);
  const hasIds = v.getUint8(1) === 1;
  const n = v.getUint32(4, true);
  const dim = v.getUint32(8, true);
  const vectorBytes = kind === KIND.add ? n * dim * 4 : 0;
  const idBytes = hasIds ? n * 8 : 0;
  if (RECORD_HEAD_BYTES + vectorBytes + idBytes !== p.length) return null;
  const ids = hasIds ? new Float64Array(copyOf(p, RECORD_HEAD_BYTES + vectorBytes, p.length)) : undefined;
  if (kind === KIND.add && dim > 0) {
    const vectors = new Float32Array(copyOf(p, RECORD_HEAD_BYTES, RECORD_HEAD_BYTES + vectorBytes));
    return ids ? { kind: 'add', dim, vectors, ids } : { kind: 'add', dim, vectors };
  }
  if (kind === KIND.remove && ids) return { kind: 'remove', ids };
  return null;
}
