/** Facts about a set of vectors that tell whether it looks like what the user expects. */
export interface VectorStats {
  norm_min: number;
  norm_mean: number;
  norm_max: number;
  /** all-zero rows: they have no direction, so cosine cannot place them */
  zero_vectors: number;
}

/** The L2 norm of each row. */
export function rowNorms(data: Float32Array, dim: number): Float32Array {
  const n = Math.floor(data.length / dim);
  const out = new Float32Array(n);
  for (let i = 0, off = 0; i < n; i++, off += dim) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += data[off + j] * data[off + j];
    out[i] = Math.sqrt(s);
  }
  return out;
}

/** The facts from the rows' norms (the worker computes those natively). */
export function normStats(norms: Float32Array): VectorStats {
  const n = norms.length;
  if (n === 0) return { norm_min: 0, norm_mean: 0, norm_max: 0, zero_vectors: 0 };
  let min = Infinity;
  let max = 0;
  let sum = 0;
  let zeros = 0;
  for (let i = 0; i < n; i++) {
    const norm = norms[i];
    if (norm === 0) zeros++;
    if (norm < min) min = norm;
    if (norm > max) max = norm;
    sum += norm;
  }
  return { norm_min: min, norm_mean: sum / n, norm_max: max, zero_vectors: zeros };
}

/**
 * A query set held out of the base: the last `count` rows, as views (no copy). The rows are the
 * file's own order, so a file sorted by something should be shuffled first.
 */
export function holdOut(base: Float32Array, n: number, dim: number, count: number): { base: Float32Array; n: number; queries: Float32Array; nq: number } {
  const nq = Math.max(0, Math.min(count, n - 1));
  return { base: base.subarray(0, (n - nq) * dim), n: n - nq, queries: base.subarray((n - nq) * dim, n * dim), nq };
}
