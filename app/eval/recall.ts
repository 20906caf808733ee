import type { Metric } from '../contract/schemas.js';

/**
 * How much farther than the k-th exact neighbour a found neighbour may lie and still count, as a
 * share of that distance: float32 search reports equal distances a few ulps apart (311 against
 * 311.00003), and ann-benchmarks likewise counts a neighbour within the k-th distance plus an epsilon.
 */
export const TIE_EPSILON = 1e-4;

/** The exact distance between query row q and base row id, in the metric's own sense. */
export type ExactDistance = (q: number, id: number) => number;

/**
 * Exact distances as faiss defines them (squared L2, else inner product; cosine rows already
 * normalised), in double precision so that equal distances compare equal.
 */
export function exactDistance(base: Float32Array, queries: Float32Array, dim: number, metric: Metric): ExactDistance {
  const l2 = metric === 'l2';
  return (q, id) => {
    const a = q * dim;
    const b = id * dim;
    let s = 0;
    for (let c = 0; c < dim; c++) {
      if (l2) {
        const d = queries[a + c] - base[b + c];
        s += d * d;
      } else s += queries[a + c] * base[b + c];
    }
    return s;
  };
}

/** Whether distance `d` is as near as `kth` or nearer, within the tie tolerance. */
export function withinKth(d: number, kth: number, metric: Metric): boolean {
  const slack = TIE_EPSILON * Math.abs(kth);
  return metric === 'l2' ? d <= kth + slack : d >= kth - slack;
}

/** Tables of neighbour ids, n rows of `width` (row-major, -1 = missing); only the first k of each row are read. */
export interface Neighbours {
  ids: ArrayLike<number>;
  width: number;
}

/**
 * recall@k of each query: the share of its k exact nearest that the approximate list matches,
 * where a returned neighbour counts as found when its exact distance lies within the k-th exact
 * distance (ties count, as in ann-benchmarks), so an exact index scores 1 against any exact
 * ground truth. Missing neighbours (-1) never count; NaN where the exact list is empty.
 */
export function recallPerQuery(approx: Neighbours, exact: Neighbours, n: number, k: number, distance: ExactDistance, metric: Metric): Float64Array {
  const out = new Float64Array(n);
  const seen = new Set<number>();
  for (let q = 0; q < n; q++) {
    let wanted = 0;
    let last = -1;
    for (let j = 0; j < Math.min(k, exact.width); j++) {
      const t = exact.ids[q * exact.width + j];
      if (t < 0) continue;
      wanted++;
      last = t;
    }
    if (wanted === 0) {
      out[q] = Number.NaN;
      continue;
    }
    const kth = distance(q, last);
    seen.clear();
    let hits = 0;
    for (let j = 0; j < Math.min(k, approx.width); j++) {
      const id = approx.ids[q * approx.width + j];
      if (id < 0 || seen.has(id)) continue;
      seen.add(id);
      if (withinKth(distance(q, id), kth, metric)) hits++;
    }
    out[q] = Math.min(hits, wanted) / wanted;
  }
  return out;
}

/** The mean over the queries that have an exact list (0 when none has). */
export function meanRecall(perQuery: ArrayLike<number>): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < perQuery.length; i++) {
    if (Number.isNaN(perQuery[i])) continue;
    sum += perQuery[i];
    count++;
  }
  return count === 0 ? 0 : sum / count;
}

/** One answer judged against exact search, ties counted as found. */
export interface AnswerMarks {
  /** per rank: a returned neighbour farther than the k-th exact distance (beyond the tie tolerance) */
  wrong: boolean[];
  /** exact neighbours the answer lacks, nearest first, once ties standing in for them are counted */
  missed: number[];
  /** recall@k of this answer, tie-aware as recallPerQuery */
  recall: number;
}

/**
 * Marks one answer (`ids`, with `idDistances` their exact distances to the query) against the exact
 * k nearest (`exactIds`, `exactDistances`): a neighbour tied with the k-th exact one is not wrong,
 * and the exact neighbour it stands in for is not missed.
 */
export function answerMarks(ids: ArrayLike<number>, idDistances: ArrayLike<number>, exactIds: ArrayLike<number>, exactDistances: ArrayLike<number>, metric: Metric): AnswerMarks {
  let wanted = 0;
  let kth = Number.NaN;
  for (let j = 0; j < exactIds.length; j++) {
    if (exactIds[j] < 0) continue;
    wanted++;
    kth = exactDistances[j];
  }
  const returned = new Set<number>();
  const wrong: boolean[] = [];
  let hits = 0;
  for (let r = 0; r < ids.length; r++) {
    const id = ids[r];
    const valid = id >= 0 && !returned.has(id);
    const found = valid && wanted > 0 && withinKth(idDistances[r], kth, metric);
    wrong.push(id >= 0 && !found);
    if (found) hits++;
    if (id >= 0) returned.add(id);
  }
  const missing = wanted - Math.min(hits, wanted);
  const missed = Array.from(exactIds).filter((id) => id >= 0 && !returned.has(id)).slice(0, missing);
  return { wrong, missed, recall: wanted === 0 ? Number.NaN : Math.min(hits, wanted) / wanted };
}
