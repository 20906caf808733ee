import { EngineError } from '../contract/errors.js';

/** Index of the first non-finite value, or -1. */
export function firstNonFinite(data: ArrayLike<number>): number {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) return i;
  return -1;
}

/**
 * Checks vectors sent by a client: whole rows of `dim`, every value finite as float32 (this also
 * catches numbers JSON carries fine but float32 cannot hold, such as 1e39).
 */
export function checkVectors(data: Float32Array, dim: number): Float32Array {
  if (data.length === 0 || data.length % dim !== 0) throw new EngineError('BAD_DIMENSION', `${data.length} values do not make whole vectors of ${dim} dims`);
  const bad = firstNonFinite(data);
  if (bad >= 0) throw new EngineError('NON_FINITE', `vector ${Math.floor(bad / dim)} has a NaN or infinite value (for float32) at dimension ${bad % dim}`);
  return data;
}

/** JSON rows into one float32 block, each row's length checked against the index. */
export function packRows(rows: number[][], dim: number): Float32Array {
  const out = new Float32Array(rows.length * dim);
  rows.forEach((row, i) => {
    if (row.length !== dim) throw new EngineError('BAD_DIMENSION', `vector ${i} has ${row.length} dims, index has ${dim}`);
    out.set(row, i * dim);
  });
  return checkVectors(out, dim);
}
