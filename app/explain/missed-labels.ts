/** A missed exact neighbour on the map, with the nprobe that would have found it (IVF), if known. */
export interface MissedPoint {
  x: number;
  y: number;
  nprobe?: number;
}

/**
 * One label per cluster of missed neighbours, so labels of neighbours drawn close together do not
 * overlap: the first of a cluster says "nprobe ≥ 4" (or "nprobe ≥ 4–7 · 3 here" for several), the
 * others say nothing. Two points are close when both offsets are within `near` (in map units; a
 * label is wider than tall, so x and y differ).
 */
export function missedLabels(points: readonly MissedPoint[], near: { x: number; y: number }): string[] {
  const labels = points.map(() => '');
  const taken = new Array<boolean>(points.length).fill(false);
  points.forEach((seed, i) => {
    if (taken[i] || seed.nprobe === undefined) return;
    const nprobes: number[] = [];
    points.forEach((p, j) => {
      if (taken[j] || p.nprobe === undefined || Math.abs(p.x - seed.x) > near.x || Math.abs(p.y - seed.y) > near.y) return;
      taken[j] = true;
      nprobes.push(p.nprobe);
    });
    const lo = Math.min(...nprobes);
    const hi = Math.max(...nprobes);
    labels[i] = `nprobe ≥ ${lo === hi ? lo : `${lo}–${hi}`}${nprobes.length > 1 ? ` · ${nprobes.length} here` : ''}`;
  });
  return labels;
}
