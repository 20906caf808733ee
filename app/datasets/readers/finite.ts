import type { EngineError } from '../../contract/errors.js';
import { fileError } from './place.js';

const EXPONENT = 0x7f800000;

/** Position of the first NaN or infinity in `values[from, to)`, or -1. */
export function firstNonFinite(values: Float32Array, from: number, to: number): number {
  // NaN and ±Infinity are the floats whose exponent bits are all ones; testing the bits as
  // integers is the fastest scan V8 gives us (it runs over every loaded value)
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  for (let i = from; i < to; i++) if ((bits[i] & EXPONENT) === EXPONENT) return i;
  return -1;
}

/**
 * Throws NON_FINITE naming row and column of the first NaN/Inf in `values[from, to)`, where
 * `values` holds rows of `dim` starting at row `firstRow`.
 */
export function checkFiniteRange(values: Float32Array, from: number, to: number, dim: number, firstRow = 0, what = 'value', scan = firstNonFinite): void {
  const i = scan(values, from, to);
  if (i >= 0) throw nonFinite(values[i], firstRow + Math.floor(i / dim), i % dim, what);
}

export function nonFinite(value: number, row: number, column: number, what = 'value'): EngineError {
  return fileError('NON_FINITE', `${what} ${value} (not a finite number)`, { row, column });
}
