import { meanRecall, recallPerQuery, type ExactDistance } from '../eval/recall.js';

/** share of a sample's true neighbours that the lists an IVF graph searches must hold */
export const IVF_TARGET_RECALL = 0.95;

/** Points grouped by list: list l holds members[start[l]] .. members[start[l + 1] - 1], in row order. */
export interface Lists {
  start: Int32Array;
  members: Int32Array;
}

export function groupByList(assign: Int32Array, lists: number): Lists {
  const start = new Int32Array(lists + 1);
  for (let i = 0; i < assign.length; i++) start[assign[i] + 1]++;
  for (let l = 0; l < lists; l++) start[l + 1] += start[l];
  const members = new Int32Array(assign.length);
  const fill = start.slice(0, lists);
  for (let i = 0; i < assign.length; i++) members[fill[assign[i]]++] = i;
  return { start, members };
}

/** One k-means step: each centroid moves to the mean of its points; a centroid left without points stays. */
export function moveCentroids(x: Float32Array, dim: number, assign: Int32Array, centroids: Float32Array): void {
  const lists = centroids.length / dim;
  const sum = new Float64Array(centroids.length);
  const count = new Int32Array(lists);
  for (let i = 0; i < assign.length; i++) {
    const l = assign[i];
    count[l]++;
    for (let d = 0; d < dim; d++) sum[l * dim + d] += x[i * dim + d];
  }
  for (let l = 0; l < lists; l++) if (count[l] > 0) for (let d = 0; d < dim; d++) centroids[l * dim + d] = sum[l * dim + d] / count[l];
}

/**
 * The fewest lists to search per list (its own and the nearest others, in `order`) for which at
 * least `target` of the sampled rows' true neighbours lie in a searched list; null when all
 * `order` holds (the first `width` lists per list) falls short.
 */
export function probesFor(args: { rows: Int32Array; truth: Int32Array; k: number; assign: Int32Array; order: Int32Array; width: number; target: number }): number | null {
  const { rows, truth, k, assign, order, width, target } = args;
  // found[m]: true neighbours whose list is the m-th nearest of the row's list
  const found = new Int32Array(width);
  let total = 0;
  for (let r = 0; r < rows.length; r++) {
    const own = assign[rows[r]];
    for (let j = 0; j < k; j++) {
      const t = truth[r * k + j];
      if (t < 0) continue;
      total++;
      const list = assign[t];
      for (let m = 0; m < width; m++) {
        if (order[own * width + m] === list) {
          found[m]++;
          break;
        }
      }
    }
  }
  if (total === 0) return 1;
  let reached = 0;
  for (let m = 0; m < width; m++) {
    reached += found[m];
    if (reached >= target * total) return m + 1;
  }
  return null;
}

/**
 * The share of the sampled rows' true k neighbours that a kNN graph (n rows of k ids) lists for
 * them, ties counted as found; `distance(r, id)` is the exact distance from the r-th sampled row.
 */
export function graphRecall(ids: Int32Array, k: number, rows: Int32Array, truth: Int32Array, distance: ExactDistance): number {
  const listed = new Int32Array(rows.length * k);
  rows.forEach((row, r) => listed.set(ids.subarray(row * k, row * k + k), r * k));
  return rows.length === 0 ? 1 : meanRecall(recallPerQuery({ ids: listed, width: k }, { ids: truth, width: k }, rows.length, k, distance, 'l2'));
}
