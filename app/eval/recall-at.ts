import { recallAtK } from './recall.js';

/** The first r columns of an n-row, `width`-wide row-major table. */
function firstColumns(table: ArrayLike<number>, width: number, n: number, r: number): Float64Array {
  const out = new Float64Array(n * r);
  for (let q = 0; q < n; q++) for (let j = 0; j < r; j++) out[q * r + j] = table[q * width + j];
  return out;
}

/**
 * r@r recall from tables of other widths: one search of width max(k, 10) against a ground truth
 * of any width ≥ r gives recall@1, recall@k and 10@10 alike.
 */
export function recallAt(approx: ArrayLike<number>, approxK: number, exact: ArrayLike<number>, exactK: number, n: number, r: number): number {
  return recallAtK(firstColumns(approx, approxK, n, r), firstColumns(exact, exactK, n, r), n, r);
}
