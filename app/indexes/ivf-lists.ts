import type { IvfStats } from '../contract/lab.js';
import { histogram } from '../eval/histogram.js';

/**
 * How evenly an IVF index spread its vectors. The imbalance factor is faiss's own
 * (nlist·Σsize² / (Σsize)²): the expected cost of a search relative to perfectly equal lists.
 */
export function ivfStats(sizes: Int32Array): IvfStats {
  let total = 0;
  let squares = 0;
  let empty = 0;
  let min = Infinity;
  let max = 0;
  for (const s of sizes) {
    total += s;
    squares += s * s;
    if (s === 0) empty++;
    min = Math.min(min, s);
    max = Math.max(max, s);
  }
  const nlist = sizes.length;
  return {
    nlist,
    empty,
    min: nlist ? min : 0,
    max,
    mean: nlist ? total / nlist : 0,
    imbalance: total ? (nlist * squares) / (total * total) : 0,
    histogram: histogram(sizes, 30, true),
  };
}
