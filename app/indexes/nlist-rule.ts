import { MIN_POINTS_PER_CENTROID } from './factory-checks.js';

/**
 * An nlist that suits n vectors: about perRoot·√n (the lab's comparisons use faiss's rule of
 * thumb, 4·√n; the guided default √n, which trains fast), a power of two, and small enough that
 * every list gets the training points k-means asks for.
 */
export function suggestedNlist(n: number, perRoot = 4): number {
  const byRule = 2 ** Math.round(Math.log2(Math.max(1, perRoot * Math.sqrt(n))));
  const byTraining = Math.max(1, Math.floor(n / MIN_POINTS_PER_CENTROID));
  return Math.max(1, Math.min(byRule, 2 ** Math.floor(Math.log2(byTraining)), 65536));
}
