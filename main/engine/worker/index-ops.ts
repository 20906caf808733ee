import { statSync } from 'node:fs';
import path from 'node:path';
import { EngineError } from '../../../app/contract/errors.js';
import type { IndexSpec, Metric } from '../../../app/contract/operations.js';
import { normaliseRows } from '../../../app/datasets/generators.js';
import type { FaissIndex } from '../faiss-binding.js';
import { writeThroughPrivateDir } from '../atomic-files.js';
import { checkFactory } from '../../../app/indexes/factory-grammar.js';
import { gatherRows, trainingRows, trainingSize } from '../../../app/indexes/training.js';
import { faiss, faissCall, faissError, getDataset, getIndex, indexes, METRIC_NUMBER, type Ctx, type Handlers } from './state.js';
import { packedVectors } from './vectors.js';

const ADD_FIRST_CHUNK = 5_000;
const ADD_MAX_CHUNK = 200_000;
const ADD_CHUNK_MS = 250;
const DEFAULT_SEED = 1234;
const HEARTBEAT_MS = 250;

function serializedSize(index: FaissIndex): number {
  return faissCall('size', () => index.toBuffer().byteLength);
}

export const indexOps: Handlers<'checkIndexSpec' | 'buildIndex' | 'loadIndex' | 'saveIndex' | 'addVectors' | 'removeVectors' | 'dropIndex'> = {
  async checkIndexSpec({ dim, factory, metric }) {
    const index = createIndex(dim, factory, metric);
    return { className: index.className() };
  },

  async buildIndex({ id, spec, savePath }, ctx) {
    const { index, dim, train_ms, add_ms } = await buildInMemory(spec, ctx);
    ctx.progress('save', 0, 1);
    await writeThroughPrivateDir(savePath, (tmp) => writeInBackground(index, tmp, ctx));
    ctx.progress('save', 1, 1);
    indexes.set(id, { index, metric: spec.metric, dim });
    return { ntotal: index.ntotal(), dim, memory_bytes: statSync(savePath).size, train_ms, add_ms, is_trained: index.isTrained() };
  },

  async loadIndex({ id, path: file, metric }) {
    let index: FaissIndex;
    try {
      index = faiss.Index.read(file);
    } catch (err) {
      throw new EngineError('BAD_FILE', `${path.basename(file)} is not a faiss index: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    }
    const fileMetric: Metric = index.metricType() === 0 ? 'ip' : 'l2';
    // cosine is inner product on normalised vectors: only the caller can say the file is that
    const used: Metric = metric === 'cosine' && fileMetric === 'ip' ? 'cosine' : fileMetric;
    indexes.set(id, { index, metric: used, dim: index.getDimension() });
    return { ntotal: index.ntotal(), dim: index.getDimension(), memory_bytes: serializedSize(index), metric: used, className: index.className(), is_trained: index.isTrained() };
  },

  async saveIndex({ id, path: file }) {
    const ix = getIndex(id);
    // a served index keeps answering searches meanwhile, so it is written on this thread
    await writeThroughPrivateDir(file, (tmp) => faissCall('write', () => ix.index.write(tmp)));
    return { memory_bytes: statSync(file).size };
  },

  async addVectors({ id, data, ids }) {
    const ix = getIndex(id);
    let x = packedVectors(data, ix.dim);
    if (ix.metric === 'cosine') {
      x = x.slice();
      normaliseRows(x, ix.dim);
    }
    if (ids) {
      if (ids.length * ix.dim !== x.length) throw new EngineError('BAD_REQUEST', `${ids.length} ids for ${x.length / ix.dim} vectors`);
      const big = BigInt64Array.from(ids, (v) => BigInt(v));
      faissCall('add with ids', () => ix.index.addWithIds(x, big), 'NOT_SUPPORTED');
    } else {
      faissCall('add', () => ix.index.add(x));
    }
    return { ntotal: ix.index.ntotal() };
  },

  async removeVectors({ id, ids }) {
    const ix = getIndex(id);
    const removed = faissCall('remove', () => ix.index.removeIds(BigInt64Array.from(ids, (v) => BigInt(v))), 'NOT_SUPPORTED');
    return { removed, ntotal: ix.index.ntotal() };
  },

  async dropIndex({ id }) {
    indexes.delete(id);
    return null;
  },
};

/** Creates, trains and fills an index from its dataset, with progress and cancel between chunks (builds and the lab). */
export async function buildInMemory(spec: IndexSpec, ctx: Ctx): Promise<{ index: FaissIndex; dim: number; train_ms: number; add_ms: number }> {
  const ds = getDataset(spec.dataset);
  const index = createIndex(ds.dim, spec.factory, spec.metric);
  let base = ds.base;
  if (spec.metric === 'cosine') {
    base = ds.base.slice();
    normaliseRows(base, ds.dim);
  }
  if (spec.efConstruction !== undefined) faissCall('efConstruction', () => index.setParams(`efConstruction=${spec.efConstruction}`));
  let trainMs = 0;
  if (!index.isTrained()) {
    const nTrain = trainingSize(ds.n, spec.factory, spec.train_size);
    ctx.progress('train', 0, nTrain);
    await ctx.checkpoint();
    const sample = gatherRows(base, ds.dim, trainingRows(ds.n, nTrain, spec.seed ?? DEFAULT_SEED), nTrain);
    const t0 = performance.now();
    await train(index, sample, nTrain, ctx);
    trainMs = performance.now() - t0;
    ctx.progress('train', nTrain, nTrain);
  }
  // a Flat index over the loaded vectors is those vectors: it takes their memory instead of a copy
  if (base === ds.base) {
    const t0 = performance.now();
    if (index.adoptVectors(base)) {
      ctx.progress('add', ds.n, ds.n);
      await ctx.checkpoint();
      return { index, dim: ds.dim, train_ms: trainMs, add_ms: performance.now() - t0 };
    }
  }
  let addMs = 0;
  const usesIds = index.className().startsWith('IndexIDMap');
  // chunks sized to ~250 ms each, so progress and cancel stay lively for slow indexes (HNSW)
  let chunk = ADD_FIRST_CHUNK;
  for (let start = 0; start < ds.n; ) {
    ctx.progress('add', start, ds.n);
    await ctx.checkpoint();
    const end = Math.min(ds.n, start + chunk);
    const t0 = performance.now();
    const chunkData = base.subarray(start * ds.dim, end * ds.dim);
    // an IDMap refuses plain add: give rows their own numbers as ids
    if (usesIds) faissCall('add', () => index.addWithIds(chunkData, rowIds(start, end)));
    else faissCall('add', () => index.add(chunkData));
    const took = performance.now() - t0;
    addMs += took;
    chunk = Math.max(1_000, Math.min(ADD_MAX_CHUNK, Math.round(((end - start) * ADD_CHUNK_MS) / Math.max(took, 1))));
    start = end;
  }
  ctx.progress('add', ds.n, ds.n);
  await ctx.checkpoint();
  return { index, dim: ds.dim, train_ms: trainMs, add_ms: addMs };
}

/**
 * Runs a training or a write off the worker's thread: faiss cannot say how far along a training
 * is, so the phase carries the time so far (an indeterminate bar); a cancel stops faiss at its
 * next check.
 */
async function inBackground(index: FaissIndex, job: Promise<void>, what: string, phase: () => string, ctx: Ctx): Promise<void> {
  let settled = false;
  const running = job.finally(() => (settled = true));
  try {
    while (!settled) {
      await Promise.race([running, new Promise((resolve) => setTimeout(resolve, HEARTBEAT_MS))]);
      if (settled) break;
      ctx.progress(phase(), 0, 0);
      await ctx.checkpoint();
    }
    await running;
  } catch (err) {
    if (!settled) {
      index.cancelJob();
      await running.catch(() => undefined);
    }
    throw faissError(what, err);
  }
}

async function train(index: FaissIndex, sample: Float32Array, nTrain: number, ctx: Ctx): Promise<void> {
  const t0 = performance.now();
  const phase = () => `training on ${nTrain.toLocaleString('en-US')} points · ${Math.round((performance.now() - t0) / 1000)} s`;
  await inBackground(index, index.trainAsync(sample), 'training', phase, ctx);
}

/** Writes an index off the worker's thread, with the bytes written as progress, and cancel. */
export async function writeInBackground(index: FaissIndex, file: string, ctx: Ctx): Promise<void> {
  const phase = () => `saving · ${(index.jobTicks() / 2 ** 20).toFixed(0)} MiB written`;
  await inBackground(index, index.writeAsync(file), 'saving', phase, ctx);
}

function rowIds(start: number, end: number): BigInt64Array {
  const ids = new BigInt64Array(end - start);
  for (let i = 0; i < ids.length; i++) ids[i] = BigInt(start + i);
  return ids;
}

export function createIndex(dim: number, factory: string, metric: Metric): FaissIndex {
  // faiss trusts a factory string's numbers (HNSW0 segfaults): none reaches it unchecked
  checkFactory(factory, dim);
  try {
    return faiss.Index.fromFactory(dim, factory, METRIC_NUMBER[metric]);
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new EngineError('BAD_FACTORY', `faiss cannot build "${factory}" for ${dim} dims: ${message}`);
  }
}

