import { EngineError } from '../contract/errors.js';
import { checkFactory, parseFactory, type Codec, type FactoryPlan } from './factory-grammar.js';

/** faiss's k-means asks for at least this many training points per centroid, else it warns. */
export const MIN_POINTS_PER_CENTROID = 39;
/** ...and samples down to this many per centroid (its recommended maximum). */
export const MAX_POINTS_PER_CENTROID = 256;

export interface FactoryFacts {
  nlist: number | null;
  pqM: number | null;
  pqBits: number | null;
}

function mainCodec(plan: FactoryPlan): Codec | null {
  const { main } = plan;
  if (main.kind === 'IVF' || main.kind === 'Codec') return main.codec;
  if (main.kind === 'HNSW') return main.storage;
  return null;
}

/** What the factory string says about training: the IVF list count and the PQ code shape (nulls for a string that does not parse). */
export function factoryFacts(factory: string): FactoryFacts {
  let plan: FactoryPlan;
  try {
    plan = parseFactory(factory);
  } catch {
    return { nlist: null, pqM: null, pqBits: null };
  }
  const coarse = plan.main.kind === 'IVF' ? plan.main.coarse : null;
  const codec = mainCodec(plan);
  const pq = codec?.kind === 'PQ' ? codec : null;
  return {
    nlist: coarse?.kind === 'IVF' ? coarse.nlist : null,
    pqM: pq ? pq.M : null,
    pqBits: pq ? pq.nbits : null,
  };
}

/**
 * Checks a factory string against the data it will be built on, before any work: every
 * parameter's range (faiss crashes on some), errors that faiss would only raise deep in
 * training, and a warning where training will be poor.
 */
export function checkFactoryForData(factory: string, n: number, dim: number): string[] {
  const { plan } = checkFactory(factory, dim);
  const facts = factoryFacts(factory);
  const warnings: string[] = [];
  const coarse = plan.main.kind === 'IVF' ? plan.main.coarse : null;
  if (coarse?.kind === 'IMI' && n < 2 ** coarse.bits) {
    throw new EngineError('BAD_PARAM', `IMI2x${coarse.bits} needs at least ${2 ** coarse.bits} vectors to train; the dataset has ${n}`);
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
