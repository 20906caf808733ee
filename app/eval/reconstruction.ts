import type { CodecStats } from '../contract/lab.js';
import { histogram } from './histogram.js';
import { mean, median, percentile } from './latency.js';

/** Per vector, |x - x̂|² / |x|²: the share of each vector that its compressed code lost. */
export function reconstructionErrors(original: Float32Array, decoded: Float32Array, dim: number): Float64Array {
  const n = Math.floor(original.length / dim);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let err = 0;
    let norm = 0;
    for (let j = i * dim; j < (i + 1) * dim; j++) {
      const d = original[j] - decoded[j];
      err += d * d;
      norm += original[j] * original[j];
    }
    out[i] = norm > 0 ? err / norm : err;
  }
  return out;
}

/** The distribution of reconstruction errors and the worst vectors by id (rows of the base set). */
export function codecStats(errors: Float64Array, worstCount = 10): CodecStats {
  const worst = Array.from(errors.keys())
    .sort((a, b) => errors[b] - errors[a])
    .slice(0, worstCount)
    .map((id) => ({ id, error: errors[id] }));
  return {
    mean: mean(errors),
    median: median(errors),
    p99: percentile(errors, 99),
    max: worst[0]?.error ?? 0,
    histogram: histogram(errors, 40),
    worst,
  };
}
