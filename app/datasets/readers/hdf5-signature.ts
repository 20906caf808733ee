import { fileError } from './place.js';

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]; // \x89HDF\r\n\x1a\n

/** How much of the file's start to read: the superblock may follow a user block of 512, 1024, 2048... bytes. */
export const HDF5_HEAD_BYTES = 64 << 10;

/**
 * Checks the HDF5 superblock before handing the file to the HDF5 library, whose errors on a
 * foreign or cut-short file are vague: wrong signature is BAD_MAGIC, an end-of-file address past
 * the real size is FILE_TRUNCATED.
 */
export function checkHdf5Head(head: Uint8Array, fileSize: number): void {
  let at = -1;
  for (let offset = 0; offset + SIGNATURE.length <= head.length; offset = offset === 0 ? 512 : offset * 2) {
    if (SIGNATURE.every((b, i) => head[offset + i] === b)) {
      at = offset;
      break;
    }
  }
  if (at < 0) throw fileError('BAD_MAGIC', 'not an HDF5 file: no \\x89HDF signature at byte 0 or after a user block', { byte: 0 });
  const eof = endOfFileAddress(head, at);
  if (eof !== null && eof > fileSize) {
    throw fileError('FILE_TRUNCATED', `the HDF5 superblock says the file is ${eof} bytes long, it has ${fileSize}`, { byte: fileSize });
  }
}

/** Absolute end-of-file address from the superblock, or null when it cannot be read from `head`. */
function endOfFileAddress(head: Uint8Array, at: number): number | null {
  const version = head[at + 8];
  let sizeOfOffsets: number;
  let baseField: number;
  if (version === 0 || version === 1) {
    sizeOfOffsets = head[at + 13];
    baseField = at + (version === 0 ? 24 : 28);
  } else if (version === 2 || version === 3) {
    sizeOfOffsets = head[at + 9];
    baseField = at + 12;
  } else return null;
  if (sizeOfOffsets !== 8 && sizeOfOffsets !== 4) return null;
  const read = (p: number) => {
    if (p + sizeOfOffsets > head.length) return null;
    const v = new DataView(head.buffer, head.byteOffset + p, sizeOfOffsets);
    return sizeOfOffsets === 8 ? Number(v.getBigUint64(0, true)) : v.getUint32(0, true);
  };
  const base = read(baseField);
  const eof = read(baseField + 2 * sizeOfOffsets);
  if (base === null || eof === null || eof === 2 ** 64 - 1) return null;
  return base + eof;
}
