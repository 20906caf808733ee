import type { LabPoint } from '../../../app/contract/lab.js';
import { latencyStats, median } from '../../../app/eval/latency.js';
import { meanRecall, recallPerQuery, type ExactDistance } from '../../../app/eval/recall.js';
import type { Metric } from '../../../app/contract/schemas.js';
import type { FaissIndex } from '../faiss-binding.js';
import { faissCall, type Ctx } from './state.js';

const MIN_TIMED_MS = 100;
const MAX_LOOPS = 100;

export interface QuerySet {
  x: Float32Array;
  n: number;
  dim: number;
  /** width searched: max(k, 10), so 10@10 comes from the same search */
  width: number;
}

export interface Truth {
  labels: ArrayLike<number>;
  width: number;
  /** exact distance from a query row to a base row, to count ties as found */
  distance: ExactDistance;
  metric: Metric;
}

/** recall@r of one search of width `width` against the truth: recall@1, recall@k and 10@10 from one search. */
function recallAt(labels: ArrayLike<number>, width: number, truth: Truth, n: number, r: number): number {
  return meanRecall(recallPerQuery({ ids: labels, width }, { ids: truth.labels, width: truth.width }, n, r, truth.distance, truth.metric));
}

/**
 * One sweep point. Each timed search runs uninterrupted (the worker is single-threaded, so no
 * other request runs during it); between timed runs the job yields so cancel gets in. One
 * untimed warm-up precedes the timed repeats, and medians are reported.
 */
export async function measurePoint(
  index: FaissIndex,
  q: QuerySet,
  truth: Truth,
  k: number,
  params: string,
  value: number | null,
  opts: { single: number; repeats: number },
  ctx: Ctx,
): Promise<LabPoint> {
  const warmT0 = performance.now();
  const warm = faissCall('search', () => index.search(q.x, q.width, params));
  const warmMs = performance.now() - warmT0;
  const labels = Float64Array.from(warm.labels, Number);
  // a batch of a few milliseconds is mostly timer and scheduler noise: each timed repeat runs
  // the batch enough times to last MIN_TIMED_MS, and reports the time of one batch
  const loops = Math.max(1, Math.min(MAX_LOOPS, Math.ceil(MIN_TIMED_MS / Math.max(warmMs, 0.01))));
  const batchMs: number[] = [];
  for (let r = 0; r < opts.repeats; r++) {
    await ctx.checkpoint();
    const t0 = performance.now();
    for (let l = 0; l < loops; l++) index.search(q.x, q.width, params);
    batchMs.push((performance.now() - t0) / loops);
  }
  const batch = median(batchMs);

  let single: ReturnType<typeof latencyStats> | null = null;
  const m = Math.min(opts.single, q.n);
  if (m > 0) {
    const rows = Array.from({ length: m }, (_, i) => q.x.subarray(i * q.dim, (i + 1) * q.dim));
    for (const row of rows.slice(0, 20)) index.search(row, q.width, params);
    const passes: Float64Array[] = [];
    for (let r = 0; r < opts.repeats; r++) {
      await ctx.checkpoint();
      const times = new Float64Array(m);
      for (let i = 0; i < m; i++) {
        const t0 = performance.now();
        index.search(rows[i], q.width, params);
        times[i] = performance.now() - t0;
      }
      passes.push(times);
    }
    single = latencyStats(passes);
  }

  return {
    value,
    recall: recallAt(labels, q.width, truth, q.n, k),
    recall_1: recallAt(labels, q.width, truth, q.n, 1),
    recall_10_at_10: q.width >= 10 && truth.width >= 10 ? recallAt(labels, q.width, truth, q.n, 10) : null,
    qps_batch: (q.n * 1000) / Math.max(batch, 1e-6),
    batch_ms: batch,
    batch_ms_min: Math.min(...batchMs),
    batch_ms_max: Math.max(...batchMs),
    qps_single: single ? single.qps : null,
    latency_mean_ms: single ? single.mean : null,
    latency_median_ms: single ? single.median : null,
    latency_p99_ms: single ? single.p99 : null,
  };
}
