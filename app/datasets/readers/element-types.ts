/** Numeric element types that binary formats store, read from bytes into float32 space. */
export interface ElementType {
  /** numpy's name for it, reported as the dataset's dtype */
  name: string;
  size: number;
  read(view: DataView, offset: number, littleEndian: boolean): number;
}

const HALF_EXP = new Float64Array(32).map((_, e) => 2 ** (e - 15));

/** IEEE 754 half precision, which has no DataView getter in Node 20. */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * HALF_EXP[exp];
}

const type = (name: string, size: number, read: ElementType['read']): ElementType => ({ name, size, read });

/** Keyed by numpy's kind letter and byte size, as in a dtype string like '<f4'. */
export const ELEMENT_TYPES: Readonly<Record<string, ElementType>> = {
  f2: type('float16', 2, (v, o, le) => halfToFloat(v.getUint16(o, le))),
  f4: type('float32', 4, (v, o, le) => v.getFloat32(o, le)),
  f8: type('float64', 8, (v, o, le) => v.getFloat64(o, le)),
  i1: type('int8', 1, (v, o) => v.getInt8(o)),
  u1: type('uint8', 1, (v, o) => v.getUint8(o)),
  i2: type('int16', 2, (v, o, le) => v.getInt16(o, le)),
  u2: type('uint16', 2, (v, o, le) => v.getUint16(o, le)),
  i4: type('int32', 4, (v, o, le) => v.getInt32(o, le)),
  u4: type('uint32', 4, (v, o, le) => v.getUint32(o, le)),
  // numpy's default integer: class labels (scikit-learn's y) come as int64
  i8: type('int64', 8, (v, o, le) => Number(v.getBigInt64(o, le))),
  u8: type('uint64', 8, (v, o, le) => Number(v.getBigUint64(o, le))),
};

export const SUPPORTED_TYPE_NAMES = Object.values(ELEMENT_TYPES).map((t) => t.name);

/** True on every platform we ship to; checked so the raw-copy fast paths stay honest. */
export const PLATFORM_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
