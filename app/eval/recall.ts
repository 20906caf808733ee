/**
 * recall@k of approximate labels against exact ones, both n×k row-major: the share of the exact
 * k nearest that the approximate search found (missing neighbours, -1, never count).
 */
export function recallAtK(approx: ArrayLike<number>, exact: ArrayLike<number>, n: number, k: number): number {
  if (n === 0 || k === 0) return 0;
  let hits = 0;
  let wanted = 0;
  for (let q = 0; q < n; q++) {
    const [h, w] = queryHits(approx, exact, q, k);
    hits += h;
    wanted += w;
  }
  return wanted === 0 ? 0 : hits / wanted;
}

/** recall@k of each query on its own (NaN where the exact list is empty). */
export function recallPerQuery(approx: ArrayLike<number>, exact: ArrayLike<number>, n: number, k: number): Float32Array {
  const out = new Float32Array(n);
  for (let q = 0; q < n; q++) {
    const [h, w] = queryHits(approx, exact, q, k);
    out[q] = w === 0 ? Number.NaN : h / w;
  }
  return out;
}

function queryHits(approx: ArrayLike<number>, exact: ArrayLike<number>, q: number, k: number): [number, number] {
  const truth = new Set<number>();
  for (let j = 0; j < k; j++) {
    const t = exact[q * k + j];
    if (t >= 0) truth.add(t);
  }
  let hits = 0;
  for (let j = 0; j < k; j++) if (truth.has(approx[q * k + j])) hits++;
  return [hits, truth.size];
}

/** Of one query's answer: which returned ids the exact search did not return (wrong), and which exact ids were missed. */
export function compareNeighbours(approx: ArrayLike<number>, exact: ArrayLike<number>): { wrong: number[]; missed: number[] } {
  const a = new Set(Array.from(approx).filter((v) => v >= 0));
  const e = new Set(Array.from(exact).filter((v) => v >= 0));
  return { wrong: [...a].filter((v) => !e.has(v)), missed: [...e].filter((v) => !a.has(v)) };
}
