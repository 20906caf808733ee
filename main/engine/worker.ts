import { mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { EngineError, toErrorValue } from '../../app/contract/errors.js';
import type { DatasetInfo, Metric, Projection, SearchParams, SearchResult } from '../../app/contract/operations.js';
import type { ToWorker, WorkerOpName, WorkerOps } from '../../app/contract/worker-protocol.js';
import { blobsSet, firstNonFinite, normaliseRows, tutorialSet, type VectorSet } from '../../app/datasets/generators.js';
import { searchParamString } from '../../app/indexes/search-params.js';
import { labelsFromMetadata } from '../../app/datasets/labels.js';
import type { MetadataColumn } from '../../app/datasets/readers/types.js';
import { readDatasetFile } from './dataset-files.js';
import { connectToParent } from './parent-port.js';
import { loadBinding, type FaissIndex } from './faiss-binding.js';

/** The one process that owns faiss objects and dataset memory. */
const port = connectToParent();
const faiss = loadBinding();

interface Dataset extends VectorSet {
  info: DatasetInfo;
  metadata?: MetadataColumn[];
  groundTruth?: { k: number; labels: Int32Array };
  metric?: Metric;
}
interface LoadedIndex {
  index: FaissIndex;
  metric: Metric;
  dim: number;
}

const datasets = new Map<string, Dataset>();
const indexes = new Map<string, LoadedIndex>();
const projections = new Map<string, Projection>();
const cancelled = new Set<number>();

const ADD_FIRST_CHUNK = 5_000;
const ADD_MAX_CHUNK = 200_000;
const ADD_CHUNK_MS = 250;
const TRAIN_MAX = 1_000_000;

interface Ctx {
  progress(phase: string, done: number, total: number): void;
  /** lets cancel messages in, then throws if this call was cancelled */
  checkpoint(): Promise<void>;
}

const METRIC_NUMBER: Record<Metric, number> = { l2: 1, ip: 0, cosine: 0 };

function faissCall<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (message.startsWith('UNKNOWN_PARAM:')) throw new EngineError('BAD_PARAM', message.slice('UNKNOWN_PARAM:'.length).trim());
    throw new EngineError('FAISS_ERROR', `${what}: ${message.split('\n')[0]}`);
  }
}

function getDataset(id: string): Dataset {
  const ds = datasets.get(id);
  if (!ds) throw new EngineError('DATASET_NOT_FOUND', `no dataset "${id}"`);
  return ds;
}

function getIndex(id: string): LoadedIndex {
  const ix = indexes.get(id);
  if (!ix) throw new EngineError('INDEX_NOT_FOUND', `no index "${id}"`);
  return ix;
}

function rows(source: Float32Array, count: number, dim: number, wanted: number[], what: string): Float32Array {
  const out = new Float32Array(wanted.length * dim);
  wanted.forEach((r, i) => {
    if (r < 0 || r >= count) throw new EngineError('ROW_OUT_OF_RANGE', `${what} row ${r} is outside 0..${count - 1}`);
    out.set(source.subarray(r * dim, (r + 1) * dim), i * dim);
  });
  return out;
}

function checkFinite(data: ArrayLike<number>, dim: number): void {
  const bad = firstNonFinite(data);
  if (bad >= 0) throw new EngineError('NON_FINITE', `query ${Math.floor(bad / dim)} has a NaN or infinite value at dimension ${bad % dim}`);
}

function queryVectors(input: WorkerOps['search']['in'] | WorkerOps['rangeSearch']['in'], ix: LoadedIndex): Float32Array {
  const q = input.queries;
  const dim = ix.dim;
  switch (q.kind) {
    case 'ids': {
      const out = new Float32Array(q.ids.length * dim);
      q.ids.forEach((id, i) => out.set(reconstruct(ix, id), i * dim));
      return out;
    }
    case 'queryRows': {
      const ds = getDataset(input.dataset);
      if (ds.nq === 0) throw new EngineError('NO_QUERY_SET', `dataset "${ds.info.name}" has no query set`);
      return rows(ds.queries, ds.nq, dim, q.rows, 'query');
    }
    case 'allQueries': {
      const ds = getDataset(input.dataset);
      if (ds.nq === 0) throw new EngineError('NO_QUERY_SET', `dataset "${ds.info.name}" has no query set`);
      return ds.queries;
    }
    case 'baseRows': {
      const ds = getDataset(input.dataset);
      return rows(ds.base, ds.n, dim, q.rows, 'base');
    }
    case 'vectors':
    case 'packed':
      return packedVectors(q.data, dim);
  }
}

/** Query vectors as the index wants them: for cosine, normalised like the base was. */
function prepareQueries(input: WorkerOps['search']['in'] | WorkerOps['rangeSearch']['in'], ix: LoadedIndex): Float32Array {
  const x = queryVectors(input, ix);
  if (ix.metric !== 'cosine') return x;
  const copy = x.slice();
  normaliseRows(copy, ix.dim);
  return copy;
}

function reconstruct(ix: LoadedIndex, id: number): Float32Array {
  try {
    return ix.index.reconstruct(id);
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    if (/not found|out of range|invalid key|id/i.test(message) && id >= 0) throw new EngineError('VECTOR_NOT_FOUND', `no vector with id ${id} in the index`);
    throw new EngineError('FAISS_ERROR', `cannot look up vectors by id in this index: ${message}`);
  }
}

function packedVectors(data: number[][] | Float32Array, dim: number): Float32Array {
  if (data instanceof Float32Array) {
    if (data.length === 0 || data.length % dim !== 0) throw new EngineError('BAD_DIMENSION', `${data.length} values do not make whole vectors of ${dim} dims`);
    checkFinite(data, dim);
    return data;
  }
  const out = new Float32Array(data.length * dim);
  data.forEach((v, i) => {
    if (v.length !== dim) throw new EngineError('BAD_DIMENSION', `vector ${i} has ${v.length} dims, index has ${dim}`);
    out.set(v, i * dim);
  });
  checkFinite(out, dim);
  return out;
}

function openGenerated(source: Extract<WorkerOps['openDataset']['in']['source'], { kind: 'generate' }>): VectorSet {
  const opts = { n: source.n, nq: source.nq, dim: source.dim, seed: source.seed };
  return source.generator === 'tutorial' ? tutorialSet(opts) : blobsSet({ ...opts, clusters: source.clusters });
}

function serializedSize(index: FaissIndex): number {
  return faissCall('size', () => index.toBuffer().byteLength);
}

const handlers: { [K in WorkerOpName]: (input: WorkerOps[K]['in'], ctx: Ctx) => Promise<WorkerOps[K]['out']> } = {
  async openDataset({ id, name, source }, ctx) {
    let set: Omit<Dataset, 'info'>;
    let dtype = 'float32';
    if (source.kind === 'generate') {
      ctx.progress('generate', 0, 1);
      set = openGenerated(source);
      ctx.progress('generate', 1, 1);
    } else {
      const file = await readDatasetFile(source.path, source, (done, total) => ctx.progress('read', done, total), ctx.checkpoint);
      const category = labelsFromMetadata(file.metadata, file.n);
      set = { ...file, labels: file.labels ?? category?.labels };
      dtype = file.dtype;
    }
    const info: DatasetInfo = {
      id,
      name,
      n: set.n,
      dim: set.dim,
      dtype,
      nq: set.nq,
      labels: !!set.labels,
      source,
      ...(set.metadata ? { metadata: set.metadata.map(({ name: col, type }) => ({ name: col, type })) } : {}),
      ...(set.metric ? { metric: set.metric } : {}),
      ...(set.groundTruth ? { groundTruthK: set.groundTruth.k } : {}),
    };
    // only a fully read file replaces anything: a failed read leaves what was loaded alone
    datasets.set(id, { ...set, info });
    projections.delete(id);
    return info;
  },

  async dropDataset({ id }) {
    datasets.delete(id);
    projections.delete(id);
    return null;
  },

  async checkIndexSpec({ dim, factory, metric }) {
    const index = createIndex(dim, factory, metric);
    return { className: index.className() };
  },

  async buildIndex({ id, spec, savePath }, ctx) {
    const ds = getDataset(spec.dataset);
    const index = createIndex(ds.dim, spec.factory, spec.metric);
    let base = ds.base;
    if (spec.metric === 'cosine') {
      base = ds.base.slice();
      normaliseRows(base, ds.dim);
    }
    let trainMs = 0;
    if (!index.isTrained()) {
      const nTrain = Math.min(ds.n, TRAIN_MAX);
      ctx.progress('train', 0, nTrain);
      await ctx.checkpoint();
      const t0 = performance.now();
      faissCall('train', () => index.train(base.subarray(0, nTrain * ds.dim)));
      trainMs = performance.now() - t0;
      ctx.progress('train', nTrain, nTrain);
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
    ctx.progress('save', 0, 1);
    writeAtomically(index, savePath);
    ctx.progress('save', 1, 1);
    indexes.set(id, { index, metric: spec.metric, dim: ds.dim });
    return { ntotal: index.ntotal(), dim: ds.dim, memory_bytes: statSync(savePath).size, train_ms: trainMs, add_ms: addMs };
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
    return { ntotal: index.ntotal(), dim: index.getDimension(), memory_bytes: serializedSize(index), metric: used, className: index.className() };
  },

  async saveIndex({ id, path: file }) {
    const ix = getIndex(id);
    writeAtomically(ix.index, file);
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
      faissCall('add with ids', () => ix.index.addWithIds(x, big));
    } else {
      faissCall('add', () => ix.index.add(x));
    }
    return { ntotal: ix.index.ntotal() };
  },

  async removeVectors({ id, ids }) {
    const ix = getIndex(id);
    const removed = faissCall('remove', () => ix.index.removeIds(BigInt64Array.from(ids, (v) => BigInt(v))));
    return { removed, ntotal: ix.index.ntotal() };
  },

  async dropIndex({ id }) {
    indexes.delete(id);
    return null;
  },

  async search(input) {
    const ix = getIndex(input.index);
    const x = prepareQueries(input, ix);
    const t0 = performance.now();
    const r = faissCall('search', () => ix.index.search(x, input.k, searchParamString(input.params as SearchParams | undefined)));
    const took = performance.now() - t0;
    const result: SearchResult = {
      n: x.length / ix.dim,
      k: input.k,
      distances: r.distances,
      labels: Float64Array.from(r.labels, Number),
      took_ms: took,
      ignored_params: r.ignoredParams ?? [],
    };
    return result;
  },

  async rangeSearch(input) {
    const ix = getIndex(input.index);
    const x = prepareQueries(input, ix);
    const t0 = performance.now();
    const r = faissCall('range search', () => ix.index.rangeSearch(x, input.radius, searchParamString(input.params as SearchParams | undefined)));
    return {
      n: x.length / ix.dim,
      lims: r.lims,
      distances: r.distances,
      labels: Float64Array.from(r.labels, Number),
      took_ms: performance.now() - t0,
      ignored_params: r.ignoredParams,
    };
  },

  async reconstruct({ index, id }) {
    return { vector: reconstruct(getIndex(index), id) };
  },

  async project({ dataset }, ctx) {
    const cached = projections.get(dataset);
    if (cached) return cached;
    const ds = getDataset(dataset);
    ctx.progress('pca', 0, 3);
    const pca = faissCall('pca', () => new faiss.PCAMatrix(ds.dim, 2));
    faissCall('pca train', () => pca.train(ds.base));
    ctx.progress('pca', 1, 3);
    await ctx.checkpoint();
    const base = faissCall('pca apply', () => pca.apply(ds.base));
    ctx.progress('pca', 2, 3);
    const queries = ds.nq > 0 ? faissCall('pca apply', () => pca.apply(ds.queries)) : new Float32Array(0);
    const eig = pca.eigenvalues();
    const total = eig.reduce((a: number, b: number) => a + b, 0) || 1;
    const result: Projection = {
      dataset,
      method: 'pca',
      base,
      queries,
      labels: ds.labels,
      explained: [eig[0] / total, eig[1] / total],
    };
    projections.set(dataset, result);
    ctx.progress('pca', 3, 3);
    return result;
  },
};

function rowIds(start: number, end: number): BigInt64Array {
  const ids = new BigInt64Array(end - start);
  for (let i = 0; i < ids.length; i++) ids[i] = BigInt(start + i);
  return ids;
}

function createIndex(dim: number, factory: string, metric: Metric): FaissIndex {
  try {
    return faiss.Index.fromFactory(dim, factory, METRIC_NUMBER[metric]);
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new EngineError('BAD_FACTORY', `faiss cannot build "${factory}" for ${dim} dims: ${message}`);
  }
}

/** Writes beside the target and renames, so a crash never leaves a half-written index. */
function writeAtomically(index: FaissIndex, file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    faissCall('write', () => index.write(tmp));
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

async function run(id: number, op: WorkerOpName, input: unknown): Promise<void> {
  const ctx: Ctx = {
    progress: (phase, done, total) => port.post({ type: 'progress', id, phase, done, total }),
    checkpoint: async () => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (cancelled.has(id)) throw new EngineError('CANCELLED', `${op} was cancelled`);
    },
  };
  try {
    const handler = handlers[op] as (input: unknown, ctx: Ctx) => Promise<unknown>;
    if (!handler) throw new EngineError('BAD_REQUEST', `the worker has no operation "${op}"`);
    const value = await handler(input, ctx);
    port.post({ type: 'reply', id, ok: true, value });
  } catch (err) {
    port.post({ type: 'reply', id, ok: false, error: toErrorValue(err) });
  } finally {
    cancelled.delete(id);
  }
}

port.onMessage((msg: ToWorker) => {
  if (msg.type === 'cancel') cancelled.add(msg.id);
  else if (msg.type === 'call') void run(msg.id, msg.op, msg.input);
});
port.post({ type: 'ready', pid: process.pid });
