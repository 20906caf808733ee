import { gaussian, mulberry32 } from '../random/mulberry32.js';

export interface VectorSet {
  n: number;
  dim: number;
  base: Float32Array;
  queries: Float32Array;
  nq: number;
  labels?: Int32Array;
}

export interface TutorialOptions {
  n?: number;
  nq?: number;
  dim?: number;
  seed?: number;
}

/**
 * The faiss tutorial set: uniform [0,1) with column 0 shifted by i/1000 so that neighbours
 * follow row order, as in faiss's own getting-started example.
 */
/** The sizes each generator makes unless told otherwise. */
export const GENERATED_DEFAULTS = {
  tutorial: { n: 100_000, nq: 10_000, dim: 64 },
  blobs: { n: 20_000, nq: 1_000, dim: 32 },
} as const;

/** How many vectors of how many dims a generator will make, known before it runs. */
export function generatedShape(generator: keyof typeof GENERATED_DEFAULTS, opts: { n?: number; nq?: number; dim?: number }): { n: number; nq: number; dim: number } {
  const d = GENERATED_DEFAULTS[generator];
  return { n: opts.n ?? d.n, nq: opts.nq ?? d.nq, dim: opts.dim ?? d.dim };
}

export function tutorialSet({ n = GENERATED_DEFAULTS.tutorial.n, nq = GENERATED_DEFAULTS.tutorial.nq, dim = GENERATED_DEFAULTS.tutorial.dim, seed = 1234 }: TutorialOptions = {}): VectorSet {
  const rand = mulberry32(seed);
  const fill = (rows: number) => {
    const out = new Float32Array(rows * dim);
    for (let i = 0; i < out.length; i++) out[i] = rand();
    for (let i = 0; i < rows; i++) out[i * dim] += i / 1000;
    return out;
  };
  const base = fill(n);
  const queries = fill(nq);
  return { n, dim, base, queries, nq };
}

export interface BlobsOptions {
  n?: number;
  nq?: number;
  dim?: number;
  clusters?: number;
  spread?: number;
  seed?: number;
}

/** Labelled Gaussian blobs: clusters that a projection should show apart. */
export function blobsSet({ n = GENERATED_DEFAULTS.blobs.n, nq = GENERATED_DEFAULTS.blobs.nq, dim = GENERATED_DEFAULTS.blobs.dim, clusters = 10, spread = 1, seed = 42 }: BlobsOptions = {}): VectorSet {
  const rand = mulberry32(seed);
  const normal = gaussian(rand);
  const centres = new Float32Array(clusters * dim);
  for (let i = 0; i < centres.length; i++) centres[i] = (rand() * 2 - 1) * 10;
  const draw = (rows: number, labels: Int32Array | null) => {
    const out = new Float32Array(rows * dim);
    for (let i = 0; i < rows; i++) {
      const c = Math.floor(rand() * clusters);
      if (labels) labels[i] = c;
      for (let j = 0; j < dim; j++) out[i * dim + j] = centres[c * dim + j] + normal() * spread;
    }
    return out;
  };
  const labels = new Int32Array(n);
  const base = draw(n, labels);
  const queries = draw(nq, null);
  return { n, dim, base, queries, nq, labels };
}

/** Scales each row to unit length in place (cosine = inner product on unit vectors). */
export function normaliseRows(data: Float32Array, dim: number): void {
  for (let off = 0; off < data.length; off += dim) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += data[off + j] * data[off + j];
    if (s === 0) continue;
    const inv = 1 / Math.sqrt(s);
    for (let j = 0; j < dim; j++) data[off + j] *= inv;
  }
}
