/**
 * recall@k of approximate labels against exact ones, both n×k row-major: the share of the exact
 * k nearest that the approximate search found (missing neighbours, -1, never count).
 */
export function recallAtK(approx: ArrayLike<number>, exact: ArrayLike<number>, n: number, k: number): number {
  if (n === 0 || k === 0) return 0;
  let hits = 0;
  let wanted = 0;
  for (let q = 0; q < n; q++) {
    const truth = new Set<number>();
    for (let j = 0; j < k; j++) {
      const t = exact[q * k + j];
      if (t >= 0) truth.add(t);
    }
    wanted += truth.size;
    for (let j = 0; j < k; j++) if (truth.has(approx[q * k + j])) hits++;
  }
  return wanted === 0 ? 0 : hits / wanted;
}
