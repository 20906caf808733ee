import type { Metric } from '../../app/contract/operations.js';

const whole = new Intl.NumberFormat('en-US');

export const formatCount = (n: number): string => whole.format(n);

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  // three significant digits at most: keeps the fact tiles narrow
  return `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ${units[unit]}`;
}

export function formatMs(ms: number): string {
  if (ms === 0) return '0 ms';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** Distances span many magnitudes across metrics; keep five significant digits. */
export function formatDistance(d: number): string {
  if (!Number.isFinite(d)) return String(d);
  const a = Math.abs(d);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return d.toExponential(3);
  return Number(d.toPrecision(5)).toString();
}

/** What faiss's returned number means for each metric. */
export const METRICS: { metric: Metric; label: string; hint: string; measure: string }[] = [
  { metric: 'l2', label: 'L2 (Euclidean)', hint: 'Smaller is closer. faiss reports squared L2 distances.', measure: 'squared L2 distance' },
  { metric: 'ip', label: 'Inner product', hint: 'Larger is closer. Vectors are used as they are.', measure: 'inner product' },
  { metric: 'cosine', label: 'Cosine', hint: 'Normalises every vector to unit length, then ranks by inner product: larger is closer.', measure: 'cosine similarity' },
];

export const metricInfo = (metric: Metric) => METRICS.find((m) => m.metric === metric) ?? METRICS[0];

export function percent(done: number, total: number): number {
  return total > 0 ? Math.max(0, Math.min(100, Math.round((done / total) * 100))) : 0;
}

/** faiss's C++ messages lead with a function signature and source line; the words come after. */
export function plainWords(message: string): string {
  return message.replace(/Error in .*? at \S+:\d+: (?:Error: )?/g, '').trim();
}

/** "1 neighbour", "10 neighbours": a count with its noun, in the plural unless it is one. */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${formatCount(n)} ${n === 1 ? noun : nouns}`;
}

/** 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st... */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${formatCount(n)}${suffix}`;
}
