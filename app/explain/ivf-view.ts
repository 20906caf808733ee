// What an IVF search's probe order means for one query: the rank of each list, how much of the
// set each nprobe scans, and which exact neighbours each nprobe can reach.

/** rank[l] = position of list l in the query's probe order (0 = nearest centroid). */
export function listRanks(order: Int32Array, nlist: number): Int32Array {
  const rank = new Int32Array(nlist).fill(-1);
  order.forEach((l, i) => (rank[l] = i));
  return rank;
}

/** share of the set scanned with nprobe = p + 1, for every p */
export function scannedByNprobe(order: Int32Array, sizes: Int32Array): Float64Array {
  const total = sizes.reduce((s, v) => s + v, 0);
  const out = new Float64Array(order.length);
  let sum = 0;
  order.forEach((l, i) => {
    sum += sizes[l];
    out[i] = total ? sum / total : 0;
  });
  return out;
}

/**
 * Share of the exact neighbours that lie in the first p + 1 lists, for every p. For IVF-Flat this
 * is the search's recall (distances inside the lists are exact); for compressed codes, its ceiling.
 */
export function reachableByNprobe(neighbourListRanks: Int32Array, nlist: number): Float64Array {
  const out = new Float64Array(nlist);
  const valid = Array.from(neighbourListRanks).filter((r) => r >= 0);
  if (!valid.length) return out;
  const counts = new Int32Array(nlist);
  for (const r of valid) counts[r]++;
  let sum = 0;
  for (let p = 0; p < nlist; p++) {
    sum += counts[p];
    out[p] = sum / neighbourListRanks.length;
  }
  return out;
}

/** The smallest nprobe that reaches every exact neighbour (their largest list rank + 1). */
export function nprobeForAll(neighbourListRanks: Int32Array): number {
  return neighbourListRanks.reduce((m, r) => Math.max(m, r + 1), 0);
}
