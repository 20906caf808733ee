import { sampleRows } from '../eval/neighbourhoods.js';
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

/** The training rows: a seeded sample of `count` of `n`, or null for all of them (then no copy is needed). */
export function trainingRows(n: number, count: number, seed: number): Int32Array | null {
  return count >= n ? null : sampleRows(n, count, mulberry32(seed));
}

/** Copies the chosen rows into one block; with no sample, the first rows as a view. */
export function gatherRows(data: Float32Array, dim: number, rows: Int32Array | null, count: number): Float32Array {
  if (!rows) return data.subarray(0, count * dim);
  const out = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => out.set(data.subarray(r * dim, r * dim + dim), i * dim));
  return out;
}
