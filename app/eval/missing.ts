/**
 * faiss fills the places it could not answer (fewer than k vectors reachable, an IVF probe of
 * empty lists) with id -1 and distance ±FLT_MAX, which is finite: left in, one such place
 * stretches a histogram's axis to 10³⁸ and drags a mean with it.
 */
const FLT_MAX = 3.4028234663852886e38;

/** A value a statistic or chart may use: finite and not faiss's ±FLT_MAX filler. */
export function isMeasured(value: number): boolean {
  return Number.isFinite(value) && Math.abs(value) < FLT_MAX;
}

/** The measured values alone, in their order. */
export function measuredValues(values: ArrayLike<number>): Float32Array {
  return Float32Array.from(values).filter(isMeasured);
}

/** Each row's distance to its k-th neighbour (n rows of k, row-major); NaN where faiss found no k-th. */
export function kthDistances(ids: ArrayLike<number>, distances: ArrayLike<number>, n: number, k: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const p = i * k + k - 1;
    out[i] = ids[p] >= 0 && isMeasured(distances[p]) ? distances[p] : Number.NaN;
  }
  return out;
}
