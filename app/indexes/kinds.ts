import { EngineError } from '../contract/errors.js';

/** The tunable numbers of the guided index choices, with their valid ranges. */
export const PARAMS = {
  nlist: { label: 'nlist (lists)', min: 1, max: 65536, default: 256, hint: 'clusters the data is split into; about √n is a good start' },
  M: { label: 'M (links per node)', min: 4, max: 128, default: 32, hint: 'more links: better recall, more memory' },
  efConstruction: { label: 'efConstruction', min: 8, max: 1024, default: 40, hint: 'search depth while building the graph: better graph, slower build' },
  m: { label: 'm (sub-vectors)', min: 1, max: 256, default: 16, hint: 'PQ code bytes per vector at 8 bits; must divide the dimension' },
  nbits: { label: 'bits per code', min: 4, max: 12, default: 8, hint: 'more bits: finer codes, slower training' },
} as const;
export type ParamName = keyof typeof PARAMS;
export type ParamValues = Partial<Record<ParamName, number>>;

interface KindDef {
  label: string;
  hint: string;
  params: ParamName[];
  factory(p: Record<ParamName, number>): string;
}

/** Every guided choice: what it is called, what it is for, and the factory string it stands for. */
export const KINDS = {
  flat: { label: 'Flat (exact)', hint: 'Brute force: exact results, the reference for recall.', params: [], factory: () => 'Flat' },
  ivfflat: { label: 'IVF-Flat', hint: 'Clusters the data into nlist lists; a search visits nprobe of them.', params: ['nlist'], factory: (p) => `IVF${p.nlist},Flat` },
  ivfpq: { label: 'IVF-PQ', hint: 'IVF lists holding compressed codes: small and fast, approximate distances.', params: ['nlist', 'm', 'nbits'], factory: (p) => `IVF${p.nlist},PQ${p.m}x${p.nbits}` },
  ivfsq8: { label: 'IVF-SQ8', hint: 'IVF lists with one byte per dimension: a quarter of the memory of Flat.', params: ['nlist'], factory: (p) => `IVF${p.nlist},SQ8` },
  hnsw: { label: 'HNSW', hint: 'A navigable graph with M links per node: fast, memory-hungry.', params: ['M', 'efConstruction'], factory: (p) => `HNSW${p.M}` },
  pq: { label: 'PQ', hint: 'Product quantization, scanned exhaustively: m bytes per vector.', params: ['m', 'nbits'], factory: (p) => `PQ${p.m}x${p.nbits}` },
  sq8: { label: 'SQ8', hint: 'Scalar quantization to 8 bits per dimension, scanned exhaustively.', params: [], factory: () => 'SQ8' },
  sq4: { label: 'SQ4', hint: 'Scalar quantization to 4 bits per dimension: half of SQ8, coarser.', params: [], factory: () => 'SQ4' },
  sqfp16: { label: 'SQfp16', hint: 'Half-precision floats: half the memory of Flat, nearly exact.', params: [], factory: () => 'SQfp16' },
  lsh: { label: 'LSH', hint: 'Random-projection hashing to d bits, compared by Hamming distance.', params: [], factory: () => 'LSH' },
  opqivfpq: { label: 'OPQ-IVF-PQ', hint: 'A learned rotation before IVF-PQ, so PQ loses less.', params: ['nlist', 'm'], factory: (p) => `OPQ${p.m},IVF${p.nlist},PQ${p.m}` },
  factory: { label: 'Factory string', hint: 'Any faiss index_factory description, e.g. "OPQ16,IVF256,PQ16".', params: [], factory: () => '' },
} satisfies Record<string, KindDef>;

export type IndexKind = keyof typeof KINDS;
export const INDEX_KINDS = (Object.keys(KINDS) as IndexKind[]).map((kind) => ({ kind, ...KINDS[kind] }));

export interface IndexChoice {
  kind: IndexKind;
  params?: ParamValues;
  /** the free string, for kind "factory" */
  factory?: string;
}

export function defaultParams(): Record<ParamName, number> {
  return Object.fromEntries((Object.keys(PARAMS) as ParamName[]).map((p) => [p, PARAMS[p].default])) as Record<ParamName, number>;
}

function checked(name: ParamName, value: number | undefined): number {
  const r = PARAMS[name];
  const v = value ?? r.default;
  if (!Number.isInteger(v) || v < r.min || v > r.max) {
    throw new EngineError('BAD_PARAM', `${name} must be a whole number from ${r.min} to ${r.max}, got ${value}`);
  }
  return v;
}

// Factory strings are a comma-separated list of components made of letters, digits and a few
// marks; this refuses obvious garbage before faiss is asked (faiss itself has the last word).
const FACTORY_SYNTAX = /^[A-Za-z][A-Za-z0-9_]*(?:[x,_=:/.+-][A-Za-z0-9_]+)*$/;

export function factoryString(choice: IndexChoice): string {
  if (choice.kind === 'factory') {
    const f = (choice.factory ?? '').trim();
    if (!FACTORY_SYNTAX.test(f)) throw new EngineError('BAD_FACTORY', `"${choice.factory ?? ''}" is not a faiss factory string`);
    return f;
  }
  const def: KindDef = KINDS[choice.kind];
  const values = defaultParams();
  for (const p of def.params) values[p] = checked(p, choice.params?.[p]);
  return def.factory(values);
}

/** Build settings that are not part of the factory string. */
export function buildOptions(choice: IndexChoice): { efConstruction?: number } {
  return (KINDS[choice.kind].params as readonly ParamName[]).includes('efConstruction') ? { efConstruction: checked('efConstruction', choice.params?.efConstruction) } : {};
}
