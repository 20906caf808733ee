import { EngineError } from '../contract/errors.js';

/** The guided index choices and the faiss factory string each one stands for. */
export type IndexChoice =
  | { kind: 'flat' }
  | { kind: 'ivfflat'; nlist: number }
  | { kind: 'hnsw'; M: number }
  | { kind: 'factory'; factory: string };

export type IndexKind = IndexChoice['kind'];

export const INDEX_KINDS: { kind: IndexKind; label: string; hint: string }[] = [
  { kind: 'flat', label: 'Flat (exact)', hint: 'Brute force: exact results, the reference for recall.' },
  { kind: 'ivfflat', label: 'IVF-Flat', hint: 'Clusters the data into nlist lists; a search visits nprobe of them.' },
  { kind: 'hnsw', label: 'HNSW', hint: 'A navigable graph with M links per node: fast, memory-hungry.' },
  { kind: 'factory', label: 'Factory string', hint: 'Any faiss index_factory description, e.g. "OPQ16,IVF256,PQ16".' },
];

export const RANGES = {
  nlist: { min: 1, max: 65536, default: 256 },
  M: { min: 4, max: 128, default: 32 },
} as const;

function inRange(name: keyof typeof RANGES, value: number): number {
  const r = RANGES[name];
  if (!Number.isInteger(value) || value < r.min || value > r.max) {
    throw new EngineError('BAD_PARAM', `${name} must be a whole number from ${r.min} to ${r.max}, got ${value}`);
  }
  return value;
}

// Factory strings are a comma-separated list of components made of letters, digits and a few
// marks; this refuses obvious garbage before faiss is asked (faiss itself has the last word).
const FACTORY_SYNTAX = /^[A-Za-z][A-Za-z0-9_]*(?:[x,_=:/.+-][A-Za-z0-9_]+)*$/;

export function factoryString(choice: IndexChoice): string {
  switch (choice.kind) {
    case 'flat':
      return 'Flat';
    case 'ivfflat':
      return `IVF${inRange('nlist', choice.nlist)},Flat`;
    case 'hnsw':
      return `HNSW${inRange('M', choice.M)}`;
    case 'factory': {
      const f = choice.factory.trim();
      if (!FACTORY_SYNTAX.test(f)) throw new EngineError('BAD_FACTORY', `"${choice.factory}" is not a faiss factory string`);
      return f;
    }
  }
}

export function defaultChoice(kind: IndexKind): IndexChoice {
  switch (kind) {
    case 'flat':
      return { kind };
    case 'ivfflat':
      return { kind, nlist: RANGES.nlist.default };
    case 'hnsw':
      return { kind, M: RANGES.M.default };
    case 'factory':
      return { kind, factory: 'IVF256,PQ16' };
  }
}
