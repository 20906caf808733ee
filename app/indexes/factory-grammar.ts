import { EngineError } from '../contract/errors.js';

/**
 * The part of faiss's index_factory grammar this app accepts, parsed before faiss sees a string:
 * faiss 1.7.3 trusts its numbers (HNSW0 segfaults, PQ0 and IVF0 abort, HNSW1 never returns), so
 * every component's parameters are range-checked here, and a component faiss would read some
 * other way, or that is not listed, is refused rather than left for faiss to guess at.
 *
 *   [IDMap|IDMap2,] {transform,} (coarse,ivfCodec | flatCodec | LSH[r][t] | HNSW<M>[_store]) [,RFlat|,Refine(flatCodec)]
 */

export type Transform =
  | { kind: 'PCA' | 'PCAR' | 'PCAW' | 'PCAWR' | 'RR'; dOut: number }
  | { kind: 'OPQ'; M: number; dOut: number | null }
  | { kind: 'L2norm' };

export type Codec =
  | { kind: 'Flat' }
  | { kind: 'PQ'; M: number; nbits: number | null; fastScan: boolean }
  | { kind: 'SQ'; type: string };

export type Coarse = { kind: 'IVF'; nlist: number; hnswM: number | null } | { kind: 'IMI'; bits: number };

export type MainIndex =
  | { kind: 'IVF'; coarse: Coarse; codec: Codec }
  | { kind: 'Codec'; codec: Codec }
  | { kind: 'LSH' }
  | { kind: 'HNSW'; M: number; storage: Codec };

export interface FactoryPlan {
  idMap: 'IDMap' | 'IDMap2' | null;
  transforms: Transform[];
  main: MainIndex;
  refine: Codec | null;
}

/** Beyond these, builds cost more memory than a laptop has, or faiss misbehaves. */
export const FACTORY_LIMITS = {
  /** IVF lists: the centroid table and one list per entry */
  nlist: { min: 1, max: 1 << 20 },
  /** HNSW links per node; below 2 faiss's level draw divides by log(1) and never ends */
  hnswM: { min: 2, max: 256 },
  /** PQ bits per sub-vector code: 2^nbits centroids per sub-space */
  pqBits: { min: 1, max: 16 },
  /** faiss 1.7.3's IVF-PQ refuses codes wider than a byte */
  ivfPqBits: { min: 1, max: 8 },
  /** IMI2xB: 2^B centroids per half, 4^B lists */
  imiBits: { min: 1, max: 10 },
  /** a transform may widen (a random rotation pads) by at most this factor */
  widening: 4,
} as const;

const NUMBER = '(\\d+)';
const SQ_TYPES = new Set(['SQ4', 'SQ6', 'SQ8', 'SQfp16']);
const TRANSFORM = new RegExp(`^(PCAWR|PCAW|PCAR|PCA|RR)${NUMBER}$`);
const OPQ = new RegExp(`^OPQ${NUMBER}(?:_${NUMBER})?$`);
const IVF = new RegExp(`^IVF${NUMBER}(?:_HNSW${NUMBER})?$`);
const IMI = new RegExp(`^IMI2x${NUMBER}$`);
const PQ = new RegExp(`^PQ${NUMBER}(?:x${NUMBER})?(np)?$`);
const PQ_FAST = new RegExp(`^PQ${NUMBER}x4fs(r)?$`);
const HNSW = new RegExp(`^HNSW${NUMBER}(?:_(.+))?$`);
const REFINE = /^Refine\((.*)\)$/;

function bad(message: string): never {
  throw new EngineError('BAD_FACTORY', message);
}

function codec(text: string, ivf: boolean): Codec | null {
  if (text === 'Flat') return { kind: 'Flat' };
  if (SQ_TYPES.has(text)) return { kind: 'SQ', type: text };
  const pq = PQ.exec(text);
  if (pq) return { kind: 'PQ', M: Number(pq[1]), nbits: pq[2] === undefined ? null : Number(pq[2]), fastScan: false };
  const fast = PQ_FAST.exec(text);
  // the "r" (residual) form only exists under IVF in faiss 1.7.3
  if (fast && (ivf || !fast[2])) return { kind: 'PQ', M: Number(fast[1]), nbits: 4, fastScan: true };
  return null;
}

function transform(text: string): Transform | null {
  if (text === 'L2norm') return { kind: 'L2norm' };
  const t = TRANSFORM.exec(text);
  if (t) return { kind: t[1] as 'PCA', dOut: Number(t[2]) };
  const opq = OPQ.exec(text);
  if (opq) return { kind: 'OPQ', M: Number(opq[1]), dOut: opq[2] === undefined ? null : Number(opq[2]) };
  return null;
}

function coarse(text: string): Coarse | null {
  const ivf = IVF.exec(text);
  if (ivf) return { kind: 'IVF', nlist: Number(ivf[1]), hnswM: ivf[2] === undefined ? null : Number(ivf[2]) };
  const imi = IMI.exec(text);
  if (imi) return { kind: 'IMI', bits: Number(imi[1]) };
  return null;
}

function mainIndex(parts: string[], whole: string): MainIndex {
  const [first, second, ...rest] = parts;
  if (first === undefined) bad(`"${whole}" names no index, only transforms`);
  if (rest.length) bad(`"${rest[0]}" in "${whole}" is not understood: after the index only ",RFlat" or ",Refine(...)" may follow`);
  const quantizer = coarse(first);
  if (quantizer) {
    if (second === undefined) bad(`"${first}" needs the codes its lists hold, e.g. "${first},Flat" or "${first},PQ16"`);
    const c = codec(second, true);
    if (!c) bad(`"${second}" is not a code this app builds under ${first} (Flat, PQ<m>[x<bits>], PQ<m>x4fs[r], SQ4, SQ6, SQ8, SQfp16)`);
    return { kind: 'IVF', coarse: quantizer, codec: c };
  }
  if (second !== undefined) bad(`"${second}" in "${whole}" is not understood: "${first}" takes nothing after it but a refine`);
  if (/^LSHr?t?$/.test(first)) return { kind: 'LSH' };
  const hnsw = HNSW.exec(first);
  if (hnsw) {
    const storage = hnsw[2] === undefined ? { kind: 'Flat' as const } : codec(hnsw[2], false);
    if (!storage || (storage.kind === 'PQ' && (storage.nbits !== null || storage.fastScan))) {
      bad(`"${first}": HNSW stores Flat, PQ<m> or SQ4/SQ6/SQ8/SQfp16 codes after its "_"`);
    }
    return { kind: 'HNSW', M: Number(hnsw[1]), storage };
  }
  const c = codec(first, false);
  if (c) return { kind: 'Codec', codec: c };
  if (transform(first)) bad(`"${whole}" ends with the transform "${first}": an index must follow it`);
  return bad(`"${first}" is not a faiss index component this app builds (Flat, IVF<n>,<codes>, IMI2x<b>,<codes>, HNSW<M>, PQ<m>, SQ8, LSH, ...)`);
}

/** Reads a factory string into its components; the numbers are checked against the data by checkFactory. */
export function parseFactory(factory: string): FactoryPlan {
  if (factory.length === 0 || factory.length > 256) bad('a factory string has 1 to 256 characters');
  const parts = factory.split(',');
  if (parts.some((p) => p === '')) bad(`"${factory}" has an empty component (a stray comma)`);
  let idMap: FactoryPlan['idMap'] = null;
  if (parts[0] === 'IDMap' || parts[0] === 'IDMap2') idMap = parts.shift() as 'IDMap';
  let refine: Codec | null = null;
  const last = parts[parts.length - 1];
  if (parts.length > 1 && last === 'RFlat') {
    refine = { kind: 'Flat' };
    parts.pop();
  } else if (parts.length > 1 && last !== undefined && REFINE.test(last)) {
    const inner = REFINE.exec(last)?.[1] ?? '';
    refine = codec(inner, false);
    if (!refine || (refine.kind === 'PQ' && refine.fastScan)) bad(`"Refine(${inner})": a refine holds Flat, PQ<m>[x<bits>] or SQ4/SQ6/SQ8/SQfp16 codes`);
    parts.pop();
  }
  // faiss puts the refine outside the id map, and a refine's add cannot take ids
  if (idMap && refine) bad(`"${factory}": an ${idMap} index cannot also be refined`);
  const transforms: Transform[] = [];
  for (let t = parts[0] !== undefined ? transform(parts[0]) : null; t; t = parts[0] !== undefined ? transform(parts[0]) : null) {
    transforms.push(t);
    parts.shift();
  }
  return { idMap, transforms, main: mainIndex(parts, factory), refine };
}

function inRange(what: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new EngineError('BAD_PARAM', `${what} must be from ${min} to ${max}, got ${value}`);
  }
}

function checkCodec(c: Codec, dim: number, where: string, ivf: boolean): void {
  if (c.kind !== 'PQ') return;
  inRange(`${where}: PQ's sub-vector count`, c.M, 1, dim);
  if (dim % c.M !== 0) throw new EngineError('BAD_PARAM', `PQ${c.M} needs a dimension divisible by ${c.M}; the vectors it codes have ${dim}`);
  if (c.nbits !== null) {
    const limit = ivf ? FACTORY_LIMITS.ivfPqBits : FACTORY_LIMITS.pqBits;
    inRange(`${where}: PQ's bits per code`, c.nbits, limit.min, limit.max);
  }
}

/** The dimension after each transform, checked as it goes; the last is what the index sees. */
function transformedDim(transforms: Transform[], dim: number): number {
  let d = dim;
  for (const t of transforms) {
    if (t.kind === 'L2norm') continue;
    const widest = t.kind === 'RR' || t.kind === 'OPQ' ? d * FACTORY_LIMITS.widening : d;
    if (t.kind === 'OPQ') {
      const out = t.dOut ?? d;
      inRange(`OPQ${t.M}'s output dimension`, out, 1, widest);
      inRange(`OPQ's sub-vector count`, t.M, 1, out);
      if (out % t.M !== 0) throw new EngineError('BAD_PARAM', `OPQ${t.M} needs an output dimension divisible by ${t.M}, got ${out}`);
      d = out;
    } else {
      inRange(`${t.kind}'s output dimension (from ${d})`, t.dOut, 1, widest);
      d = t.dOut;
    }
  }
  return d;
}

/** What a valid factory string says, for training sizes and sweeps. */
export interface FactoryShape {
  plan: FactoryPlan;
  /** the dimension the index itself sees, after the transforms */
  indexDim: number;
}

/** Parses a factory string and range-checks every parameter against the data's dimension. */
export function checkFactory(factory: string, dim: number): FactoryShape {
  const plan = parseFactory(factory);
  const d = transformedDim(plan.transforms, dim);
  const { main } = plan;
  if (main.kind === 'IVF') {
    const q = main.coarse;
    if (q.kind === 'IVF') {
      inRange('IVF list count', q.nlist, FACTORY_LIMITS.nlist.min, FACTORY_LIMITS.nlist.max);
      if (q.hnswM !== null) inRange("the IVF quantizer's HNSW M", q.hnswM, FACTORY_LIMITS.hnswM.min, FACTORY_LIMITS.hnswM.max);
    } else {
      inRange('IMI2x bits', q.bits, FACTORY_LIMITS.imiBits.min, FACTORY_LIMITS.imiBits.max);
      if (d % 2 !== 0) throw new EngineError('BAD_PARAM', `IMI2x${q.bits} splits vectors in two halves; ${d} dims do not split`);
    }
    checkCodec(main.codec, d, 'the IVF codes', true);
  } else if (main.kind === 'HNSW') {
    inRange('HNSW M', main.M, FACTORY_LIMITS.hnswM.min, FACTORY_LIMITS.hnswM.max);
    checkCodec(main.storage, d, 'the HNSW storage', false);
  } else if (main.kind === 'Codec') {
    checkCodec(main.codec, d, 'the codes', false);
  }
  if (plan.refine) checkCodec(plan.refine, dim, 'the refine codes', false);
  return { plan, indexDim: d };
}
