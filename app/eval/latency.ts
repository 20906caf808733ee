/** The p-th percentile (0..100) by the nearest-rank method: a value that was measured. */
export function percentile(values: ArrayLike<number>, p: number): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** The middle value; the mean of the two middle ones for an even count. */
export function median(values: ArrayLike<number>): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function mean(values: ArrayLike<number>): number {
  if (values.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s / values.length;
}

/**
 * Single-query latencies from `repeats` timed passes over the same queries (ms, pass-major):
 * each query's time is its median over the passes, so one slow pass cannot skew the figures.
 */
export function latencyStats(passes: Float64Array[]): { mean: number; median: number; p99: number; qps: number } {
  const count = passes[0]?.length ?? 0;
  const perQuery = new Float64Array(count);
  const column = new Float64Array(passes.length);
  for (let q = 0; q < count; q++) {
    passes.forEach((pass, r) => (column[r] = pass[q]));
    perQuery[q] = median(column);
  }
  const m = mean(perQuery);
  // median and p99 come from the same values, so p99 is never below the median (the mean can
  // sit above p99 when a handful of queries are slow)
  return { mean: m, median: median(perQuery), p99: percentile(perQuery, 99), qps: 1000 / m };
}
