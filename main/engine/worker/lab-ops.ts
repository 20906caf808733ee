import { statSync } from 'node:fs';
import { EngineError, toErrorValue } from '../../../app/contract/errors.js';
import { LAB_LIMITS, type LabIndexResult, type LabRun, type LabRunInput } from '../../../app/contract/lab.js';
import type { IndexSpec } from '../../../app/contract/operations.js';
import { normaliseRows } from '../../../app/datasets/generators.js';
import { exactDistance } from '../../../app/eval/recall.js';
import { checkFactoryForData } from '../../../app/indexes/factory-checks.js';
import { gatherRows, trainingRows } from '../../../app/indexes/training.js';
import type { FaissIndex } from '../faiss-binding.js';
import { buildInMemory, createIndex, writeInBackground } from './index-ops.js';
import { writeThroughPrivateDir } from '../atomic-files.js';
import { metricBase } from './knn-graph.js';
import { indexInternals } from './lab-internals.js';
import { measurePoint, type QuerySet, type Truth } from './lab-measure.js';
import { faissVersion, machineFacts } from './machine.js';
import { faissCall, getDataset, indexes, type Ctx, type Dataset, type Handlers } from './state.js';

const DEFAULT_SEED = 1234;

interface LabIndex {
  index: FaissIndex;
  spec: IndexSpec;
  train_ms: number;
  add_ms: number;
}

/** The last run's indexes, kept so a chart point can be explored; a new run replaces them. */
let lastRun: { id: string; indexes: (LabIndex | null)[] } | null = null;
let runCounter = 0;

/** A seeded sample of the query set (or of the base set when there is none), prepared like the base. */
function pickQueries(ds: Dataset, input: LabRunInput, seed: number): { q: QuerySet; rows: Int32Array | null; fromQuerySet: boolean } {
  const fromQuerySet = ds.nq > 0;
  const pool = fromQuerySet ? ds.queries : ds.base;
  const available = fromQuerySet ? ds.nq : ds.n;
  const n = Math.min(available, input.queries ?? LAB_LIMITS.queries.default);
  const rows = trainingRows(available, n, seed);
  let x = gatherRows(pool, ds.dim, rows, n);
  if (input.metric === 'cosine') {
    x = x.slice();
    normaliseRows(x, ds.dim);
  }
  return { q: { x, n, dim: ds.dim, width: Math.min(ds.n, Math.max(input.k, 10)) }, rows, fromQuerySet };
}

/** The file's ground truth when it answers these queries for this metric and width; else exact search. */
async function groundTruth(ds: Dataset, input: LabRunInput, picked: ReturnType<typeof pickQueries>, ctx: Ctx): Promise<{ truth: Truth; source: 'file' | 'exact'; ms: number }> {
  const { q, rows, fromQuerySet } = picked;
  const exact = { distance: exactDistance(metricBase(ds, input.metric), q.x, ds.dim, input.metric), metric: input.metric };
  const file = ds.groundTruth;
  if ((input.groundTruth ?? 'auto') === 'auto' && file && fromQuerySet && file.k >= q.width && ds.metric === input.metric) {
    const labels = new Int32Array(q.n * file.k);
    for (let i = 0; i < q.n; i++) {
      const r = rows ? rows[i] : i;
      labels.set(file.labels.subarray(r * file.k, (r + 1) * file.k), i * file.k);
    }
    return { truth: { labels, width: file.k, ...exact }, source: 'file', ms: 0 };
  }
  const stage = (phase: string, done: number, total: number) => ctx.progress(`ground truth: ${phase}`, done, total);
  const { index } = await buildInMemory({ dataset: ds.info.id, factory: 'Flat', metric: input.metric }, { progress: stage, checkpoint: ctx.checkpoint });
  stage('exact search', 0, 1);
  await ctx.checkpoint();
  const t0 = performance.now();
  const r = faissCall('exact search', () => index.search(q.x, q.width));
  const ms = performance.now() - t0;
  return { truth: { labels: Float64Array.from(r.labels, Number), width: q.width, ...exact }, source: 'exact', ms };
}

export const labOps: Handlers<'labRun' | 'keepLabIndex'> = {
  async labRun(input, ctx) {
    const ds = getDataset(input.dataset);
    const seed = input.seed ?? DEFAULT_SEED;
    const repeats = input.repeats ?? LAB_LIMITS.repeats.default;
    const single = input.singleQueries ?? LAB_LIMITS.singleQueries.default;
    // refuse a configuration faiss cannot build before spending minutes on the others
    const warnings = input.configs.map((c) => {
      const found = checkFactoryForData(c.factory, ds.n, ds.dim);
      createIndex(ds.dim, c.factory, input.metric);
      return found;
    });
    lastRun = null; // free the previous run's indexes before building new ones
    const id = `lab-${Date.now().toString(36)}-${++runCounter}`;
    const kept: (LabIndex | null)[] = [];

    const picked = pickQueries(ds, input, seed);
    const gt = await groundTruth(ds, input, picked, ctx);
    const totalPoints = input.configs.reduce((s, c) => s + Math.max(1, c.param ? c.sweep.length : 1), 0);
    let pointsDone = 0;
    const results: LabIndexResult[] = [];

    for (const [position, config] of input.configs.entries()) {
      const spec: IndexSpec = { dataset: ds.info.id, factory: config.factory, metric: input.metric, seed, ...(config.efConstruction ? { efConstruction: config.efConstruction } : {}) };
      const values = config.param && config.sweep.length ? config.sweep : [null];
      const result: LabIndexResult = {
        label: config.label,
        factory: config.factory,
        className: '',
        param: config.param,
        train_ms: 0,
        add_ms: 0,
        size_bytes: 0,
        memory_bytes: 0,
        ntotal: 0,
        points: [],
        internals: { notes: [] },
        warnings: warnings[position],
      };
      results.push(result);
      let built: Awaited<ReturnType<typeof buildInMemory>>;
      const rss0 = process.memoryUsage().rss;
      try {
        const stage = (phase: string, done: number, total: number) => ctx.progress(`build ${config.label}: ${phase}`, done, total);
        built = await buildInMemory(spec, { progress: stage, checkpoint: ctx.checkpoint });
      } catch (err) {
        const error = toErrorValue(err);
        if (error.code === 'CANCELLED') throw err;
        result.error = error;
        kept.push(null);
        pointsDone += values.length;
        continue;
      }
      const { index } = built;
      const serialised = faissCall('size', () => index.toBuffer());
      Object.assign(result, {
        className: index.className(),
        train_ms: built.train_ms,
        add_ms: built.add_ms,
        size_bytes: serialised.byteLength,
        memory_bytes: Math.max(0, process.memoryUsage().rss - rss0),
        ntotal: index.ntotal(),
        internals: indexInternals(index, config.factory, serialised, ds, input.metric),
      });
      kept.push({ index, spec, train_ms: built.train_ms, add_ms: built.add_ms });
      for (const value of values) {
        ctx.progress(`measure ${config.label}${value === null ? '' : ` ${config.param}=${value}`}`, pointsDone, totalPoints);
        await ctx.checkpoint();
        const params = value === null ? '' : `${config.param}=${value}`;
        result.points.push(await measurePoint(index, picked.q, gt.truth, input.k, params, value, { single, repeats }, ctx));
        pointsDone++;
      }
    }
    ctx.progress('done', totalPoints, totalPoints);
    lastRun = { id, indexes: kept };
    const run: LabRun = {
      format: 'faiss-explorer-lab/1',
      id,
      created: new Date().toISOString(),
      dataset: { id: ds.info.id, name: ds.info.name, n: ds.n, dim: ds.dim, nq: ds.nq },
      metric: input.metric,
      k: input.k,
      queries: picked.q.n,
      single_queries: Math.min(single, picked.q.n),
      repeats,
      seed,
      ground_truth: gt.source,
      ground_truth_ms: gt.ms,
      machine: machineFacts(),
      faiss: faissVersion(),
      indexes: results,
    };
    return run;
  },

  async keepLabIndex({ run, position, id, savePath }, ctx) {
    const found = lastRun?.id === run ? lastRun.indexes[position] : undefined;
    if (!found) throw new EngineError('LAB_RUN_NOT_FOUND', `the indexes of lab run "${run}" are gone (a later run or a restart replaced them); run the lab again`);
    await writeThroughPrivateDir(savePath, (tmp) => writeInBackground(found.index, tmp, ctx));
    const dim = found.index.getDimension();
    indexes.set(id, { index: found.index, metric: found.spec.metric, dim });
    const { dataset, factory, metric } = found.spec;
    return { spec: { dataset, factory, metric }, ntotal: found.index.ntotal(), dim, memory_bytes: statSync(savePath).size, train_ms: found.train_ms, add_ms: found.add_ms };
  },
};
