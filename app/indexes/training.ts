import { mulberry32 } from '../random/mulberry32.js';
import { factoryFacts, MAX_POINTS_PER_CENTROID } from './factory-checks.js';

/** Beyond this many rows training only costs time, whatever the index. */
export const TRAIN_CAP = 1_000_000;

/**
 * How many vectors to train on: the user's choice, else faiss's recommended maximum (256 per
 * k-means centroid, for the IVF lists and for PQ codebooks), never more than the data.
 */
export function trainingSize(n: number, factory: string, requested?: number): number {
  if (requested !== undefined) return Math.min(n, requested);
  const { nlist, pqBits, pqM } = factoryFacts(factory);
  const centroids = Math.max(nlist ?? 0, pqM !== null ? 2 ** (pqBits ?? 8) : 0);
  const wanted = centroids > 0 ? centroids * MAX_POINTS_PER_CENTROID : TRAIN_CAP;
  return Math.min(n, wanted, TRAIN_CAP);
}

/** A seeded sample of `count` distinct rows of `n`, in increasing order (cache-friendly to gather). */
export function sampleRows(n: number, count: number, seed: number): Int32Array | null {
  if (count >= n) return null;
  const rand = mulberry32(seed);
  // partial Fisher–Yates over a virtual identity array: only swapped slots are stored
  const swapped = new Map<number, number>();
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(rand() * (n - i));
    const vj = swapped.get(j) ?? j;
    out[i] = vj;
    swapped.set(j, swapped.get(i) ?? i);
  }
  return out.sort();
}

/** Copies the chosen rows into one block; with no sample, the first rows as a view. */
export function gatherRows(data: Float32Array, dim: number, rows: Int32Array | null, count: number): Float32Array {
  if (!rows) return data.subarray(0, count * dim);
  const out = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => out.set(data.subarray(r * dim, r * dim + dim), i * dim));
  return out;
}
