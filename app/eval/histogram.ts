import type { Histogram } from '../contract/lab.js';

/**
 * Counts values into `bins` equal bins spanning their range. Integer data (list sizes, link
 * counts) gets whole-number bins, so no bin straddles two values unevenly.
 */
export function histogram(values: ArrayLike<number>, bins: number, integers = false): Histogram {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (values[i] < lo) lo = values[i];
    if (values[i] > hi) hi = values[i];
  }
  if (values.length === 0) return { start: 0, width: 1, counts: [] };
  let width = (hi - lo) / bins || 1;
  if (integers) width = Math.max(1, Math.ceil((hi - lo + 1) / bins));
  const count = integers ? Math.floor((hi - lo) / width) + 1 : hi === lo ? 1 : bins;
  const counts = new Array<number>(count).fill(0);
  for (let i = 0; i < values.length; i++) counts[Math.min(count - 1, Math.floor((values[i] - lo) / width))]++;
  return { start: lo, width, counts };
}
