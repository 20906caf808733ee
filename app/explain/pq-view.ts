// A PQ code's approximate distance as the sum of the distance-table cells its code picks, and
// how PQ's ranking of its answer compares with exact distances.

/** A code's approximate distance is bias[i] + Σ_m tables[(tableOf[i]·M + m)·ksub + codes[i·M + m]]. */
export interface PqCodes {
  M: number;
  ksub: number;
  tables: Float32Array;
  codes: Int32Array;
  tableOf: Int32Array;
  bias: Float32Array;
}

/** bias + Σ_m table[m][code[m]] for code i, summed in float64 */
export function approxDistance(t: PqCodes, i: number): number {
  const table = t.tableOf[i] * t.M * t.ksub;
  let sum = t.bias[i];
  for (let m = 0; m < t.M; m++) sum += t.tables[table + m * t.ksub + t.codes[i * t.M + m]];
  return sum;
}

/** Each id's position when the ids are ordered by exact distance (best first). */
export function exactOrder(ids: readonly number[], exact: readonly number[], larger: boolean): number[] {
  const order = ids.map((_, i) => i).sort((a, b) => (larger ? exact[b] - exact[a] : exact[a] - exact[b]));
  const rank = new Array<number>(ids.length);
  order.forEach((i, r) => (rank[i] = r));
  return rank;
}

/** The k best of the candidates by exact distance: what refining (RFlat, k-factor) returns. */
export function refine(ids: readonly number[], exact: readonly number[], k: number, larger: boolean): number[] {
  const rank = exactOrder(ids, exact, larger);
  const out = new Array<number>(Math.min(k, ids.length));
  rank.forEach((r, i) => {
    if (r < k) out[r] = ids[i];
  });
  return out;
}
