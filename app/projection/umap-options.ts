/** How faiss finds a kNN graph: exact (Flat) or approximate (IVF, HNSW). */
export type GraphKind = 'flat' | 'ivf' | 'hnsw';
/** A graph kind, or 'auto': exact below AUTO_IVF_FROM points, IVF from there. */
export type GraphChoice = GraphKind | 'auto';

/** from this many points on, 'auto' takes the IVF graph: exact search grows with n² */
export const AUTO_IVF_FROM = 50_000;

export function autoGraph(n: number): GraphKind {
  return n >= AUTO_IVF_FROM ? 'ivf' : 'flat';
}

/** UMAP's user-facing knobs, their valid ranges and defaults. */
export interface UmapOptions {
  /** neighbours per point in the kNN graph, the point itself included */
  nNeighbors: number;
  /** how tightly points may pack in the layout */
  minDist: number;
  epochs: number;
  seed: number;
  /** how faiss finds the kNN graph */
  graph: GraphChoice;
}

export const UMAP_RANGES = {
  nNeighbors: { min: 2, max: 200, default: 15 },
  minDist: { min: 0, max: 0.99, default: 0.1 },
  epochs: { min: 1, max: 2000, default: 200 },
  seed: { min: 0, max: 2 ** 31 - 1, default: 42 },
} as const;

export const UMAP_DEFAULTS: UmapOptions = {
  nNeighbors: UMAP_RANGES.nNeighbors.default,
  minDist: UMAP_RANGES.minDist.default,
  epochs: UMAP_RANGES.epochs.default,
  seed: UMAP_RANGES.seed.default,
  graph: 'auto',
};

/** What is wrong with the options in words, or null; n is the dataset size. */
export function umapProblem(opts: UmapOptions, n: number): string | null {
  for (const key of ['nNeighbors', 'minDist', 'epochs', 'seed'] as const) {
    const { min, max } = UMAP_RANGES[key];
    const v = opts[key];
    if (!Number.isFinite(v) || v < min || v > max) return `${key} must be between ${min} and ${max}`;
    if (key !== 'minDist' && !Number.isInteger(v)) return `${key} must be a whole number`;
  }
  if (opts.nNeighbors >= n) return `nNeighbors (${opts.nNeighbors}) must be smaller than the number of points (${n})`;
  return null;
}

/** One cache entry per dataset and parameter set: switching back to it is instant. */
export function umapKey(dataset: string, opts: UmapOptions): string {
  return `${dataset}|umap|${opts.nNeighbors}|${opts.minDist}|${opts.epochs}|${opts.seed}|${opts.graph}`;
}
