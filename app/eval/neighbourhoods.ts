/** Measures of how a projection keeps neighbourhoods, from kNN lists (n rows of k, row-major). */

/** For each point, the share of its k nearest in the full space that are also among its k nearest on the map. */
export function neighbourhoodOverlap(high: ArrayLike<number>, low: ArrayLike<number>, n: number, k: number): Float32Array {
  const out = new Float32Array(n);
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) {
    seen.clear();
    for (let j = 0; j < k; j++) seen.add(high[i * k + j]);
    let hits = 0;
    for (let j = 0; j < k; j++) if (seen.has(low[i * k + j])) hits++;
    out[i] = hits / k;
  }
  return out;
}

/** Distances from one row to every row: squared L2, or minus the cosine for `cosine`. */
function distancesFrom(data: Float32Array, dim: number, row: number, cosine: boolean, out: Float32Array): void {
  const n = data.length / dim;
  const q = row * dim;
  if (!cosine) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      const o = i * dim;
      for (let c = 0; c < dim; c++) {
        const d = data[o + c] - data[q + c];
        s += d * d;
      }
      out[i] = s;
    }
    return;
  }
  let qq = 0;
  for (let c = 0; c < dim; c++) qq += data[q + c] * data[q + c];
  for (let i = 0; i < n; i++) {
    let dot = 0;
    let ii = 0;
    const o = i * dim;
    for (let c = 0; c < dim; c++) {
      dot += data[o + c] * data[q + c];
      ii += data[o + c] * data[o + c];
    }
    out[i] = -dot / (Math.sqrt(qq * ii) || 1);
  }
}

/** The k smallest entries of `dist` other than `self`, nearest first. */
function nearest(dist: Float32Array, self: number, k: number): number[] {
  const ids: number[] = [];
  for (let i = 0; i < dist.length; i++) {
    if (i === self) continue;
    const full = ids.length === k;
    if (full && dist[i] >= dist[ids[k - 1]]) continue;
    let p = full ? k - 1 : ids.push(i) - 1;
    while (p > 0 && dist[ids[p - 1]] > dist[i]) {
      ids[p] = ids[p - 1];
      p--;
    }
    ids[p] = i;
  }
  return ids;
}

/**
 * Trustworthiness (Venna & Kaski): 1 minus a penalty for points that are near on the map but far
 * in the full space, weighted by how far down the full-space ranking they sit. 1 is perfect.
 * Computed exactly for the given rows (all rows, or a sample for large sets), by brute force.
 */
export function trustworthiness(args: {
  high: Float32Array;
  highDim: number;
  low: Float32Array;
  lowDim: number;
  k: number;
  rows: ArrayLike<number>;
  cosine?: boolean;
}): number {
  const { high, highDim, low, lowDim, k, rows } = args;
  const n = high.length / highDim;
  const hd = new Float32Array(n);
  const ld = new Float32Array(n);
  let penalty = 0;
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    distancesFrom(high, highDim, i, args.cosine ?? false, hd);
    distancesFrom(low, lowDim, i, false, ld);
    const mapped = nearest(ld, i, k);
    for (const j of mapped) {
      // rank of j among i's full-space neighbours (1 = nearest)
      const dj = hd[j];
      let rank = 1;
      for (let m = 0; m < n; m++) if (m !== i && (hd[m] < dj || (hd[m] === dj && m < j))) rank++;
      if (rank > k) penalty += rank - k;
    }
  }
  const m = rows.length;
  return 1 - (2 / (m * k * (2 * n - 3 * k - 1))) * penalty;
}

/** `count` distinct rows of 0..n-1 drawn with a seeded random, in ascending order (cache-friendly to gather; all rows when count >= n). */
export function sampleRows(n: number, count: number, random: () => number): Int32Array {
  if (count >= n) return Int32Array.from({ length: n }, (_, i) => i);
  // partial Fisher–Yates over a virtual identity array: only swapped slots are stored
  const swapped = new Map<number, number>();
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (n - i));
    out[i] = swapped.get(j) ?? j;
    swapped.set(j, swapped.get(i) ?? i);
  }
  return out.sort();
}
