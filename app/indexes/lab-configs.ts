import type { LabConfig, SweepParam } from '../contract/lab.js';
import { factoryFacts } from './factory-checks.js';
import { buildOptions, factoryString, PARAMS, type IndexChoice } from './kinds.js';
import { LIMITS } from '../contract/limits.js';
import { suggestedNlist } from './nlist-rule.js';

/** The search parameter worth sweeping: nprobe for IVF (also IVF with an HNSW quantizer), efSearch for HNSW. */
export function sweepParam(factory: string): SweepParam | null {
  if (/(?:^|,)IVF\d+/.test(factory)) return 'nprobe';
  if (/(?:^|,)HNSW\d+/.test(factory)) return 'efSearch';
  return null;
}

const EF_SEARCH = [16, 32, 64, 128, 256, 512];

/**
 * Powers of two for nprobe, from one list to all of them (the last is exhaustive: IVF's recall
 * ceiling); efSearch from 16 to 512, never below k, since HNSW searches max(efSearch, k) anyway.
 */
export function defaultSweep(factory: string, k: number): number[] {
  const param = sweepParam(factory);
  if (param === 'nprobe') {
    const nlist = factoryFacts(factory).nlist ?? 1;
    const values: number[] = [];
    for (let v = 1; v < nlist && values.length < 11; v *= 2) values.push(v);
    return [...values, nlist];
  }
  if (param === 'efSearch') return [...new Set([k, ...EF_SEARCH].filter((v) => v >= k))].sort((a, b) => a - b);
  return [];
}

/** A lab configuration with its default sweep, from a guided choice or a factory string. */
export function labConfig(choice: IndexChoice | string, k: number): LabConfig {
  const guided = typeof choice === 'string' ? { kind: 'factory' as const, factory: choice } : choice;
  const factory = factoryString(guided);
  const { efConstruction } = buildOptions(guided);
  const tuned = efConstruction !== undefined && efConstruction !== PARAMS.efConstruction.default;
  return {
    label: tuned ? `${factory} efC=${efConstruction}` : factory,
    factory,
    param: sweepParam(factory),
    sweep: defaultSweep(factory, k),
    ...(tuned ? { efConstruction } : {}),
  };
}

/** Sweep values as the user types them: "1, 4, 16"; null when any is not a whole number ≥ 1. */
export function parseSweep(text: string): number[] | null {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  const values = parts.map(Number);
  if (values.some((v) => !Number.isInteger(v) || v < 1 || v > LIMITS.searchParam)) return null;
  return [...new Set(values)].sort((a, b) => a - b);
}

/** The largest divisor of dim that is at most `target`: PQ needs its sub-vectors to split dim evenly. */
export function pqSplit(dim: number, target: number): number {
  for (let m = Math.max(1, Math.min(dim, Math.floor(target))); m > 1; m--) if (dim % m === 0) return m;
  return 1;
}

export interface LabPreset {
  id: string;
  title: string;
  /** what to look for in the charts, in one sentence */
  lesson: string;
  configs(data: { n: number; dim: number }, k: number): LabConfig[];
}

export const LAB_PRESETS: LabPreset[] = [
  {
    id: 'families',
    title: 'Flat vs IVF vs HNSW vs PQ on this data',
    lesson: 'Flat sits at recall 1 as the exact reference: look for the index that reaches your recall target at the highest QPS, then check what it costs in build time and bytes.',
    configs: ({ n, dim }, k) => {
      const nlist = suggestedNlist(n);
      return [
        labConfig({ kind: 'flat' }, k),
        labConfig({ kind: 'ivfflat', params: { nlist } }, k),
        labConfig({ kind: 'hnsw', params: { M: 32 } }, k),
        labConfig({ kind: 'ivfpq', params: { nlist, m: pqSplit(dim, dim / 4) } }, k),
      ];
    },
  },
  {
    id: 'nprobe',
    title: 'What nprobe buys',
    lesson: 'Each doubling of nprobe scans twice the lists: recall climbs steeply, then flattens while QPS keeps halving; the knee of the curve is the nprobe to use.',
    configs: ({ n }, k) => {
      const nlist = suggestedNlist(n);
      return [labConfig({ kind: 'flat' }, k), labConfig({ kind: 'ivfflat', params: { nlist } }, k), labConfig({ kind: 'ivfflat', params: { nlist: Math.max(1, nlist / 4) } }, k)];
    },
  },
  {
    id: 'compression',
    title: 'The cost of compression',
    lesson: 'Same lists, smaller codes: bytes per vector fall 4 to 16 times, and the recall the curve can reach at full nprobe falls with them; read it off the size-vs-recall chart.',
    configs: ({ n, dim }, k) => {
      const nlist = suggestedNlist(n);
      return [
        labConfig({ kind: 'ivfflat', params: { nlist } }, k),
        labConfig({ kind: 'ivfsq8', params: { nlist } }, k),
        labConfig({ kind: 'ivfpq', params: { nlist, m: pqSplit(dim, dim / 2) } }, k),
        labConfig({ kind: 'ivfpq', params: { nlist, m: pqSplit(dim, dim / 8) } }, k),
      ];
    },
  },
];
