import { existsSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { EngineError, toErrorValue, type ErrorValue } from '../../app/contract/errors.js';
import type { EngineEvent } from '../../app/contract/events.js';
import { isJobOp, type DatasetInfo, type DatasetSource, type IndexInfo, type JobInfo, type OpInput, type OpName } from '../../app/contract/operations.js';
import { checkInput, checkOp } from '../../app/contract/validate.js';
import type { FromWorker, WorkerOpName, WorkerOps } from '../../app/contract/worker-protocol.js';
import type { ReadLimits } from '../../app/datasets/readers/claims.js';
import { checkFactoryForData } from '../../app/indexes/factory-checks.js';
import { memoryBudgetFromEnv } from './memory-budget.js';
import { readCatalogue, writeCatalogue } from './catalogue.js';
import { probeIndexFile } from './index-probe.js';
import { NOT_SERVING, type ServeControl } from './serve-control.js';
import type { SpawnWorker, WorkerHandle } from './worker-handle.js';

export interface EngineHostOptions {
  spawnWorker: SpawnWorker;
  dataDir: string;
  version: string;
  /** datasets opened on every start, before the user's own */
  defaults?: { id: string; name: string; source: DatasetSource }[];
  /** bytes all loaded datasets may take together (default: FAISS_EXPLORER_MEMORY_BUDGET, else half the machine's memory) */
  memoryBudget?: number;
  log?: (line: string) => void;
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: EngineError): void;
  onProgress?: (phase: string, done: number, total: number) => void;
}

interface Job {
  info: JobInfo;
  requestId: number | null;
  result?: unknown;
}

const STOP_GRACE_MS = 2000;
const MAX_RESTARTS_PER_MINUTE = 5;
const KEPT_JOBS = 200;
const SAVE_DELAY_MS = 1000;

export const DEFAULT_DATASETS: NonNullable<EngineHostOptions['defaults']> = [
  { id: 'tutorial', name: 'faiss tutorial (d=64)', source: { kind: 'generate', generator: 'tutorial' } },
  { id: 'blobs', name: 'Gaussian blobs (10 labels)', source: { kind: 'generate', generator: 'blobs' } },
];

const newId = (prefix: string) => `${prefix}-${randomBytes(5).toString('hex')}`;

/**
 * Owns the catalogue of datasets and indexes and supervises the faiss worker: it validates every
 * request, runs long operations as jobs, and restarts a dead worker, reloading what was saved.
 */
export class EngineHost {
  private worker: WorkerHandle | null = null;
  private ready: Promise<void> = Promise.resolve();
  private nextRequest = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly jobs = new Map<string, Job>();
  private readonly datasets = new Map<string, DatasetInfo>();
  private readonly indexes = new Map<string, IndexInfo>();
  private readonly listeners = new Set<(e: EngineEvent) => void>();
  private readonly restarts: number[] = [];
  private stopping = false;
  private serve: ServeControl = NOT_SERVING;
  private readonly dirty = new Set<string>();
  private saveTimer: NodeJS.Timeout | null = null;
  private readonly log: (line: string) => void;
  private readonly memoryBudget: number;

  constructor(private readonly opts: EngineHostOptions) {
    this.log = opts.log ?? ((line) => console.error(line));
    this.memoryBudget = opts.memoryBudget ?? memoryBudgetFromEnv();
  }

  get workerPid(): number | undefined {
    return this.worker?.pid;
  }

  get dataDir(): string {
    return this.opts.dataDir;
  }

  /** Set by whoever runs the HTTP server, once it exists (it needs the engine first). */
  setServeControl(control: ServeControl): void {
    this.serve = control;
  }

  /** Resolves once the worker runs and every saved dataset and index is open again. */
  start(): Promise<void> {
    this.ready = this.spawnAndRestore();
    return this.ready;
  }

  onEvent(listener: (e: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The single entry point for every transport: validates, then dispatches. */
  async handle(opName: unknown, rawInput: unknown): Promise<unknown> {
    const op = checkOp(opName);
    const input = checkInput(op, rawInput);
    await this.ready;
    return this.dispatch(op, input);
  }

  async stop(): Promise<void> {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    if (this.worker && this.dirty.size) await this.flushSaves();
    this.stopping = true;
    const w = this.worker;
    if (!w) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        w.kill();
        resolve();
      }, STOP_GRACE_MS);
      w.onExit(() => {
        clearTimeout(timer);
        resolve();
      });
      w.kill();
    });
    this.worker = null;
  }

  private emit(e: EngineEvent): void {
    for (const l of this.listeners) l(e);
  }

  private persist(): void {
    const defaults = new Set((this.opts.defaults ?? []).map((d) => d.id));
    writeCatalogue(this.opts.dataDir, {
      version: 1,
      datasets: [...this.datasets.values()].filter((d) => !defaults.has(d.id)).map(({ id, name, source }) => ({ id, name, source })),
      indexes: [...this.indexes.values()].filter((i) => i.status === 'ready' && i.path),
    });
  }

  private async spawnAndRestore(): Promise<void> {
    const worker = this.opts.spawnWorker();
    this.worker = worker;
    const up = new Promise<void>((resolve, reject) => {
      worker.onMessage((m) => {
        if (m.type === 'ready') resolve();
        else this.onWorkerMessage(m);
      });
      worker.onExit((_code, reason) => {
        reject(new EngineError('WORKER_RESTARTED', `the faiss worker ${reason} while starting`));
        this.onWorkerExit(worker, reason);
      });
    });
    await up;
    this.log(`[engine] worker pid ${worker.pid} ready`);
    const saved = readCatalogue(this.opts.dataDir);
    const wanted = [...(this.opts.defaults ?? []), ...saved.datasets];
    const known = this.datasets.size > 0 ? [...this.datasets.values()] : wanted;
    for (const d of known) {
      try {
        const info = await this.workerCall('openDataset', { id: d.id, name: d.name, source: d.source, limits: this.memoryLimits() });
        this.datasets.set(d.id, info);
      } catch (err) {
        this.log(`[engine] could not reopen dataset ${d.id}: ${toErrorValue(err).message}`);
      }
    }
    const indexes = this.indexes.size > 0 ? [...this.indexes.values()] : saved.indexes;
    for (const ix of indexes) {
      if (ix.status !== 'ready' || !ix.path) continue;
      try {
        await this.workerCall('loadIndex', { id: ix.id, path: ix.path, metric: ix.metric });
        this.indexes.set(ix.id, ix);
      } catch (err) {
        this.indexes.set(ix.id, { ...ix, status: 'failed', error: toErrorValue(err) });
      }
    }
    this.emit({ type: 'engine', state: 'ready', message: 'engine ready' });
  }

  private onWorkerMessage(m: FromWorker): void {
    if (m.type === 'progress') {
      this.pending.get(m.id)?.onProgress?.(m.phase, m.done, m.total);
    } else if (m.type === 'reply') {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.value);
      else p.reject(new EngineError(m.error.code, m.error.message));
    }
  }

  private onWorkerExit(worker: WorkerHandle, reason: string): void {
    if (worker !== this.worker) return; // an old worker, already replaced
    this.worker = null;
    const message = `the faiss worker ${reason}; it was restarted and saved indexes reloaded`;
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(new EngineError('WORKER_RESTARTED', message));
    }
    for (const ix of this.indexes.values()) {
      if (ix.status === 'building') this.indexes.set(ix.id, { ...ix, status: 'failed', error: { code: 'WORKER_RESTARTED', message } });
    }
    if (this.stopping) return;
    const now = Date.now();
    this.restarts.push(now);
    while (this.restarts.length && this.restarts[0] < now - 60_000) this.restarts.shift();
    if (this.restarts.length > MAX_RESTARTS_PER_MINUTE) {
      this.log(`[engine] worker crashed ${this.restarts.length} times in a minute; not restarting`);
      this.ready = Promise.reject(new EngineError('WORKER_RESTARTED', 'the faiss worker keeps crashing; restart the app'));
      this.ready.catch(() => undefined);
      return;
    }
    this.log(`[engine] ${message}`);
    this.ready = this.spawnAndRestore();
    this.ready.catch((err) => this.log(`[engine] restart failed: ${toErrorValue(err).message}`));
    this.emit({ type: 'engine', state: 'restarted', message });
  }

  private workerCall<K extends WorkerOpName>(
    op: K,
    input: WorkerOps[K]['in'],
    onProgress?: Pending['onProgress'],
    onRequestId?: (id: number) => void,
  ): Promise<WorkerOps[K]['out']> {
    const w = this.worker;
    if (!w) return Promise.reject(new EngineError('WORKER_RESTARTED', 'the faiss worker is restarting; try again'));
    const id = this.nextRequest++;
    onRequestId?.(id);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onProgress });
      w.post({ type: 'call', id, op, input });
    });
  }

  /** The dataset memory budget, less what the loaded datasets take: enforced in the worker, for every transport. */
  private memoryLimits(): ReadLimits {
    const memoryBudget = this.memoryBudget;
    let used = 0;
    for (const d of this.datasets.values()) used += d.stats?.memory_bytes ?? 0;
    return { memoryBudget, memoryLeft: memoryBudget - used };
  }

  private dataset(id: string): DatasetInfo {
    const d = this.datasets.get(id);
    if (!d) throw new EngineError('DATASET_NOT_FOUND', `no dataset "${id}"`);
    return d;
  }

  private index(id: string): IndexInfo {
    const ix = this.indexes.get(id);
    if (!ix) throw new EngineError('INDEX_NOT_FOUND', `no index "${id}"`);
    return ix;
  }

  private readyIndex(id: string): IndexInfo {
    const ix = this.index(id);
    if (ix.status !== 'ready') throw new EngineError('INDEX_NOT_READY', `index "${ix.name}" is ${ix.status}`);
    return ix;
  }

  private ownPath(id: string): string {
    return path.join(this.opts.dataDir, 'indexes', `${id}.faiss`);
  }

  /**
   * Writes change the index in the worker at once; the file follows shortly after, batched, so a
   * stream of small adds does not rewrite a large file each time. stop() flushes what is left.
   */
  private afterWrite(ix: IndexInfo, ntotal: number): void {
    this.indexes.set(ix.id, { ...ix, ntotal, path: this.ownPath(ix.id) });
    this.dirty.add(ix.id);
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      void this.flushSaves();
    }, SAVE_DELAY_MS);
  }

  private async flushSaves(): Promise<void> {
    for (const id of [...this.dirty]) {
      this.dirty.delete(id);
      const ix = this.indexes.get(id);
      if (!ix) continue;
      try {
        const { memory_bytes } = await this.workerCall('saveIndex', { id, path: this.ownPath(id) });
        this.indexes.set(id, { ...ix, memory_bytes, path: this.ownPath(id) });
      } catch (err) {
        this.log(`[engine] could not save index ${id}: ${toErrorValue(err).message}`);
      }
    }
    this.persist();
  }

  private async loadIndex(req: OpInput<'loadIndex'>): Promise<IndexInfo> {
    const file = path.resolve(req.path);
    if (!existsSync(file)) throw new EngineError('FILE_NOT_FOUND', `no file ${file}`);
    // a crafted file would crash or bloat the worker: a throwaway process opens it first
    await probeIndexFile(file);
    const id = newId('ix');
    const loaded = await this.workerCall('loadIndex', { id, path: file, metric: req.metric });
    const info: IndexInfo = {
      id,
      name: req.name ?? path.basename(file),
      dataset: '',
      factory: loaded.className,
      metric: loaded.metric,
      dim: loaded.dim,
      ntotal: loaded.ntotal,
      status: 'ready',
      memory_bytes: loaded.memory_bytes,
      is_trained: loaded.is_trained,
      train_ms: 0,
      add_ms: 0,
      path: file,
    };
    this.indexes.set(id, info);
    this.persist();
    this.emit({ type: 'catalogue' });
    return info;
  }

  /** A lab index joins the catalogue, saved like a built one, so the explore views can search it. */
  private async keepLabIndex(req: OpInput<'keepLabIndex'>): Promise<IndexInfo> {
    const id = newId('ix');
    const kept = await this.workerCall('keepLabIndex', { ...req, id, savePath: this.ownPath(id) });
    const { spec, ...facts } = kept;
    const ds = this.dataset(spec.dataset);
    const info: IndexInfo = { id, name: `lab: ${spec.factory} on ${ds.name}`, ...spec, ...facts, status: 'ready', path: this.ownPath(id) };
    this.indexes.set(id, info);
    this.persist();
    this.emit({ type: 'catalogue' });
    return info;
  }

  private job(id: string): Job {
    const j = this.jobs.get(id);
    if (!j) throw new EngineError('JOB_NOT_FOUND', `no job "${id}"`);
    return j;
  }

  /** Starts a job around one worker call; progress and the end are broadcast as events. */
  private startJob<T>(kind: string, work: (onProgress: Pending['onProgress'], onRequestId: (id: number) => void) => Promise<T>, after?: (r: T) => void, onFail?: (e: ErrorValue) => void): { job: string } {
    const id = newId('job');
    const job: Job = { info: { id, kind, phase: 'queued', done: 0, total: 0, status: 'queued' }, requestId: null };
    this.jobs.set(id, job);
    if (this.jobs.size > KEPT_JOBS) this.jobs.delete(this.jobs.keys().next().value as string);
    const onProgress = (phase: string, done: number, total: number) => {
      job.info = { ...job.info, phase, done, total, status: 'running' };
      this.emit({ type: 'progress', job: id, kind, phase, done, total });
    };
    work(onProgress, (rid) => (job.requestId = rid)).then(
      (result) => {
        job.result = result;
        after?.(result);
        job.info = { ...job.info, status: 'done', phase: 'done' };
        this.emit({ type: 'job-end', job: id, kind, status: 'done' });
      },
      (err) => {
        const error = toErrorValue(err);
        const status = error.code === 'CANCELLED' ? 'cancelled' : 'failed';
        onFail?.(error);
        job.info = { ...job.info, status, error };
        this.emit({ type: 'job-end', job: id, kind, status, error });
      },
    );
    return { job: id };
  }

  private async dispatch(op: OpName, input: unknown): Promise<unknown> {
    switch (op) {
      case 'health':
        return { status: 'ok', version: this.opts.version };
      case 'listDatasets':
        return [...this.datasets.values()];
      case 'openDataset': {
        const { source, name } = input as OpInput<'openDataset'>;
        const id = newId('ds');
        const label = name ?? (source.kind === 'file' ? path.basename(source.path) : source.generator);
        return this.startJob(
          'openDataset',
          (p, r) => this.workerCall('openDataset', { id, name: label, source, limits: this.memoryLimits() }, p, r),
          (info) => {
            this.datasets.set(id, info);
            this.persist();
            this.emit({ type: 'catalogue' });
          },
        );
      }
      case 'listIndexes':
        return [...this.indexes.values()];
      case 'getIndex':
        return this.index((input as OpInput<'getIndex'>).id);
      case 'buildIndex':
        return this.buildIndex(input as OpInput<'buildIndex'>);
      case 'dropIndex': {
        const { id } = input as OpInput<'dropIndex'>;
        this.index(id);
        await this.workerCall('dropIndex', { id });
        this.indexes.delete(id);
        this.persist();
        this.emit({ type: 'catalogue' });
        return { ok: true };
      }
      case 'search': {
        const s = input as OpInput<'search'>;
        const ix = this.readyIndex(s.index);
        return this.workerCall('search', { ...s, dataset: ix.dataset });
      }
      case 'project': {
        const p = input as OpInput<'project'>;
        this.dataset(p.dataset);
        return this.startJob('project', (prog, r) => this.workerCall('project', p, prog, r));
      }
      case 'rangeSearch': {
        const s = input as OpInput<'rangeSearch'>;
        const ix = this.readyIndex(s.index);
        return this.workerCall('rangeSearch', { ...s, dataset: ix.dataset });
      }
      case 'reconstruct': {
        const r = input as OpInput<'reconstruct'>;
        this.readyIndex(r.index);
        return this.workerCall('reconstruct', r);
      }
      case 'loadIndex':
        return this.loadIndex(input as OpInput<'loadIndex'>);
      case 'keepLabIndex':
        return this.keepLabIndex(input as OpInput<'keepLabIndex'>);
      case 'saveIndex': {
        const { index, path: target } = input as OpInput<'saveIndex'>;
        const ix = this.readyIndex(index);
        const file = target ? path.resolve(target) : this.ownPath(ix.id);
        await this.workerCall('saveIndex', { id: ix.id, path: file });
        if (!target) this.dirty.delete(ix.id);
        return { path: file };
      }
      case 'addVectors': {
        const a = input as OpInput<'addVectors'>;
        const ix = this.readyIndex(a.index);
        const { ntotal } = await this.workerCall('addVectors', { id: ix.id, data: a.vectors, ids: a.ids ? Float64Array.from(a.ids) : undefined });
        this.afterWrite(ix, ntotal);
        return { ntotal };
      }
      case 'removeVectors': {
        const r = input as OpInput<'removeVectors'>;
        const ix = this.readyIndex(r.index);
        const out = await this.workerCall('removeVectors', { id: ix.id, ids: Float64Array.from(r.ids) });
        this.afterWrite(ix, out.ntotal);
        return out;
      }
      case 'getJob':
        return this.job((input as OpInput<'getJob'>).id).info;
      case 'cancelJob': {
        const j = this.job((input as OpInput<'cancelJob'>).id);
        if (j.requestId !== null && (j.info.status === 'running' || j.info.status === 'queued')) {
          this.worker?.post({ type: 'cancel', id: j.requestId });
        }
        return j.info;
      }
      case 'jobResult': {
        const j = this.job((input as OpInput<'jobResult'>).id);
        if (j.info.status !== 'done') throw new EngineError('BAD_REQUEST', `job "${j.info.id}" is ${j.info.status}, it has no result`);
        return j.result;
      }
      case 'serveStatus':
        return this.serve.status();
      case 'setServe':
        return this.serve.setOn((input as OpInput<'setServe'>).on);
      default:
        return this.forward(op, input);
    }
  }

  /**
   * Operations with no bookkeeping in the host go to the worker handler of the same name: calls
   * directly, jobs wrapped as jobs. New explore and lab operations need only a worker handler.
   */
  private forward(op: OpName, input: unknown): Promise<unknown> {
    const workerOp = op as WorkerOpName;
    if (isJobOp(op)) return Promise.resolve(this.startJob(op, (p, r) => this.workerCall(workerOp, input as never, p, r)));
    return this.workerCall(workerOp, input as never);
  }

  private async buildIndex(spec: OpInput<'buildIndex'>): Promise<{ job: string; index: string }> {
    const ds = this.dataset(spec.dataset);
    // fail fast: a factory faiss refuses is a bad request, not a failed job
    const warnings = checkFactoryForData(spec.factory, ds.n, ds.dim);
    await this.workerCall('checkIndexSpec', { dim: ds.dim, factory: spec.factory, metric: spec.metric });
    const id = newId('ix');
    const savePath = this.ownPath(id);
    const info: IndexInfo = {
      id,
      name: spec.name ?? `${spec.factory} ${spec.metric} on ${ds.name}`,
      dataset: ds.id,
      factory: spec.factory,
      metric: spec.metric,
      dim: ds.dim,
      ntotal: 0,
      status: 'building',
      memory_bytes: 0,
      train_ms: 0,
      add_ms: 0,
      ...(warnings.length ? { warnings } : {}),
    };
    this.indexes.set(id, info);
    this.emit({ type: 'catalogue' });
    const started = this.startJob(
      'buildIndex',
      async (p, r) => {
        const built = await this.workerCall('buildIndex', { id, spec, savePath }, p, r);
        const ready: IndexInfo = { ...info, ...built, status: 'ready', path: savePath };
        this.indexes.set(id, ready);
        return ready;
      },
      () => {
        this.persist();
        this.emit({ type: 'catalogue' });
      },
      (error) => {
        if (error.code === 'CANCELLED') this.indexes.delete(id);
        else this.indexes.set(id, { ...info, status: 'failed', error });
        this.emit({ type: 'catalogue' });
      },
    );
    return { ...started, index: id };
  }
}
