import { ELEMENT_TYPES, SUPPORTED_TYPE_NAMES, type ElementType } from './element-types.js';
import { fileError, quote } from './place.js';

/** The first bytes of every .npy file. */
export const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** numpy writes a few hundred bytes; anything past this is a damaged length field. */
const MAX_HEADER = 1 << 20;

export interface NpyHeader {
  element: ElementType;
  littleEndian: boolean;
  fortranOrder: boolean;
  shape: number[];
  /** byte offset where the array data starts */
  dataOffset: number;
}

/**
 * Bytes needed before the header can be parsed, or -1 while even that is unknown.
 * Layout: magic(6) version(2) header_len(2 in v1, 4 in v2/v3) header.
 */
export function npyPreambleLength(bytes: Uint8Array): number {
  checkMagic(bytes);
  if (bytes.length < 8) return -1;
  const major = bytes[6];
  if (major === 1) return bytes.length < 10 ? -1 : 10 + (bytes[8] | (bytes[9] << 8));
  if (major === 2 || major === 3) {
    if (bytes.length < 12) return -1;
    return 12 + (bytes[8] | (bytes[9] << 8) | (bytes[10] << 16)) + bytes[11] * 2 ** 24;
  }
  throw fileError('BAD_MAGIC', `unsupported .npy format version ${major}.${bytes[7]}`, { byte: 6 });
}

function checkMagic(bytes: Uint8Array): void {
  for (let i = 0; i < Math.min(bytes.length, NPY_MAGIC.length); i++) {
    if (bytes[i] !== NPY_MAGIC[i]) throw fileError('BAD_MAGIC', 'not a .npy file: it does not start with \\x93NUMPY', { byte: i });
  }
}

/** Parses the Python-literal header dict, e.g. {'descr': '<f4', 'fortran_order': False, 'shape': (100, 64), }. */
export function parseNpyHeader(bytes: Uint8Array): NpyHeader {
  const dataOffset = npyPreambleLength(bytes);
  if (dataOffset < 0 || bytes.length < dataOffset) throw fileError('FILE_TRUNCATED', 'the .npy header is cut short', { byte: bytes.length });
  const headerStart = bytes[6] === 1 ? 10 : 12;
  if (dataOffset - headerStart > MAX_HEADER) throw fileError('BAD_FILE', `the .npy header claims ${dataOffset - headerStart} bytes`, { byte: 8 });
  let text = '';
  for (let i = headerStart; i < dataOffset; i++) text += String.fromCharCode(bytes[i]);
  const place = { byte: headerStart };

  if (/['"]descr['"]\s*:\s*\[/.test(text)) {
    throw fileError('UNSUPPORTED_DTYPE', 'structured arrays (record dtypes) are not vectors: save a plain numeric array', place);
  }
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(text)?.[1];
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw fileError('BAD_FILE', `the .npy header ${quote(text.trim(), 80)} lacks descr, fortran_order or shape`, place);
  }
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => Number(s.replace(/L$/, '')));
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 0)) throw fileError('BAD_FILE', `the .npy shape (${shapeText}) is not a list of sizes`, place);

  const { element, littleEndian } = elementFromDescr(descr, place);
  return { element, littleEndian, fortranOrder: fortran === 'True', shape, dataOffset };
}

function elementFromDescr(descr: string, place: { byte: number }): { element: ElementType; littleEndian: boolean } {
  const m = /^([<>|=]?)([a-zA-Z])(\d*)$/.exec(descr);
  const kind = m?.[2];
  if (kind === 'O') throw fileError('UNSUPPORTED_DTYPE', 'object arrays (dtype=object) hold Python objects, not numbers: save a numeric array, e.g. np.stack(rows).astype("float32")', place);
  const element = m ? ELEMENT_TYPES[`${kind}${m[3]}`] : undefined;
  if (!m || !element) {
    throw fileError('UNSUPPORTED_DTYPE', `dtype ${quote(descr)} is not supported; supported: ${SUPPORTED_TYPE_NAMES.join(', ')}`, place);
  }
  return { element, littleEndian: m[1] !== '>' };
}
