/** Hubness from a kNN graph (n rows of k ids, row-major; -1 = missing). */
export interface Hubness {
  /** k-occurrence: how many other points list each point among their k nearest */
  counts: Int32Array;
  /** skewness of the k-occurrence distribution; large and positive means a few hubs dominate */
  skewness: number;
  /** the most listed points, most first */
  top: { id: number; count: number }[];
  /** points that no other point lists */
  orphans: number;
}

export function hubness(ids: ArrayLike<number>, n: number, k: number, top = 20): Hubness {
  const counts = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const id = ids[i * k + j];
      if (id >= 0 && id < n && id !== i) counts[id]++;
    }
  }
  let mean = 0;
  for (const c of counts) mean += c;
  mean /= Math.max(1, n);
  let m2 = 0;
  let m3 = 0;
  let orphans = 0;
  for (const c of counts) {
    const d = c - mean;
    m2 += d * d;
    m3 += d * d * d;
    if (c === 0) orphans++;
  }
  m2 /= Math.max(1, n);
  m3 /= Math.max(1, n);
  const skewness = m2 > 0 ? m3 / Math.pow(m2, 1.5) : 0;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => counts[b] - counts[a] || a - b);
  return { counts, skewness, orphans, top: order.slice(0, top).map((id) => ({ id, count: counts[id] })) };
}
