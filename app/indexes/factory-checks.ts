import { EngineError } from '../contract/errors.js';

/** faiss's k-means asks for at least this many training points per centroid, else it warns. */
export const MIN_POINTS_PER_CENTROID = 39;
/** ...and samples down to this many per centroid (its recommended maximum). */
export const MAX_POINTS_PER_CENTROID = 256;

export interface FactoryFacts {
  nlist: number | null;
  pqM: number | null;
  pqBits: number | null;
}

/** What the factory string says about training: the IVF list count and the PQ code shape. */
export function factoryFacts(factory: string): FactoryFacts {
  const ivf = /(?:^|,)IVF(\d+)/.exec(factory);
  const pq = /(?:^|,)(?:IVF\d+(?:_HNSW\d+)?,)?PQ(\d+)(?:x(\d+))?/.exec(factory) ?? /(?:^|,)PQ(\d+)(?:x(\d+))?/.exec(factory);
  return {
    nlist: ivf ? Number(ivf[1]) : null,
    pqM: pq ? Number(pq[1]) : null,
    pqBits: pq?.[2] ? Number(pq[2]) : null,
  };
}

/**
 * Checks a factory string against the data it will be built on, before any work: errors that
 * faiss would only raise deep in training, and a warning where training will be poor.
 */
export function checkFactoryForData(factory: string, n: number, dim: number): string[] {
  const facts = factoryFacts(factory);
  const warnings: string[] = [];
  const transformed = /(?:^|,)(?:OPQ|PCA|RR)\d+(?:_(\d+))?/.exec(factory);
  // PQ splits the vector PQ sees, which after OPQm_D / PCAD has D dims, not the data's
  const pqDim = transformed?.[1] ? Number(transformed[1]) : dim;
  if (facts.pqM !== null && pqDim % facts.pqM !== 0) {
    throw new EngineError('BAD_PARAM', `PQ${facts.pqM} needs a dimension divisible by ${facts.pqM}; the vectors have ${pqDim}`);
  }
  if (facts.nlist !== null) {
    if (facts.nlist > n) throw new EngineError('BAD_PARAM', `IVF${facts.nlist} needs at least ${facts.nlist} vectors to train; the dataset has ${n}`);
    if (n < facts.nlist * MIN_POINTS_PER_CENTROID) {
      warnings.push(`only ${Math.floor(n / facts.nlist)} training points per list (faiss wants ${MIN_POINTS_PER_CENTROID}+): lists will be poor; lower nlist to ${Math.max(1, Math.floor(n / MIN_POINTS_PER_CENTROID))} or fewer`);
    }
  }
  if (facts.pqBits !== null && n < 2 ** facts.pqBits) {
    throw new EngineError('BAD_PARAM', `PQ with ${facts.pqBits} bits needs at least ${2 ** facts.pqBits} training vectors; the dataset has ${n}`);
  }
  return warnings;
}
