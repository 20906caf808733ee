import { EngineError } from '../contract/errors.js';
import { LabRun, type LabIndexResult, type LabPoint } from '../contract/lab.js';
import { check } from '../contract/validate.js';
import { paretoFrontier } from './pareto.js';

/** One sweep point with the facts of its index: a row of the lab's table and of its CSV. */
export interface LabRow extends LabPoint {
  /** position of the index in the run */
  position: number;
  label: string;
  factory: string;
  param: LabIndexResult['param'];
  train_ms: number;
  add_ms: number;
  size_bytes: number;
  memory_bytes: number;
  /** on its own index's recall-vs-QPS Pareto frontier */
  pareto: boolean;
}

/**
 * The batch QPS of the fastest and the slowest timed repeat: a difference between two points
 * inside these ranges is noise. Null for runs saved before the repeats were kept.
 */
export function qpsRange(p: LabPoint, queries: number): [number, number] | null {
  if (p.batch_ms_min === undefined || p.batch_ms_max === undefined) return null;
  return [(queries * 1000) / Math.max(p.batch_ms_max, 1e-6), (queries * 1000) / Math.max(p.batch_ms_min, 1e-6)];
}

/** Every measured point of a run, index by index, each marked if it is on its index's frontier. */
export function labRows(run: LabRun): LabRow[] {
  return run.indexes.flatMap((ix, position) => {
    const frontier = new Set(paretoFrontier(ix.points.map((p) => ({ recall: p.recall, qps: p.qps_batch }))));
    return ix.points.map((p, i) => ({
      ...p,
      position,
      label: ix.label,
      factory: ix.factory,
      param: ix.param,
      train_ms: ix.train_ms,
      add_ms: ix.add_ms,
      size_bytes: ix.size_bytes,
      memory_bytes: ix.memory_bytes,
      pareto: frontier.has(i),
    }));
  });
}

const CSV_COLUMNS = [
  'label', 'factory', 'param', 'value', 'recall', 'recall_1', 'recall_10_at_10', 'qps_batch', 'batch_ms', 'batch_ms_min', 'batch_ms_max', 'qps_single', 'latency_mean_ms', 'latency_median_ms', 'latency_p99_ms',
  'train_ms', 'add_ms', 'size_bytes', 'memory_bytes', 'pareto',
] as const;
const RUN_COLUMNS = ['dataset', 'n', 'dim', 'metric', 'k', 'queries', 'repeats', 'seed', 'ground_truth', 'faiss', 'cpus', 'cpu_model', 'created'] as const;

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One row per sweep point, with the run's dataset, machine and faiss version on every row. */
export function labCsv(run: LabRun): string {
  const shared = [run.dataset.name, run.dataset.n, run.dataset.dim, run.metric, run.k, run.queries, run.repeats, run.seed, run.ground_truth, run.faiss, run.machine.cpus, run.machine.model, run.created];
  const lines = [[...CSV_COLUMNS, ...RUN_COLUMNS].join(',')];
  for (const row of labRows(run)) lines.push([...CSV_COLUMNS.map((c) => row[c]), ...shared].map(csvCell).join(','));
  return `${lines.join('\n')}\n`;
}

export function labJson(run: LabRun): string {
  return JSON.stringify(run, null, 2);
}

/** A run exported as JSON, checked against the contract before the lab shows it. */
export function parseLabJson(text: string): LabRun {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new EngineError('BAD_FILE', 'this file is not JSON; the lab reloads the JSON it exported');
  }
  try {
    return check(LabRun, value, 'lab run');
  } catch (err) {
    throw new EngineError('BAD_FILE', `this is not a lab run exported by Faiss Explorer (${err instanceof Error ? err.message : String(err)})`);
  }
}
