import { rmSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { EngineError, toErrorValue, type ErrorValue } from '../../app/contract/errors.js';
import type { EngineEvent } from '../../app/contract/events.js';
import { isJobOp, type DatasetInfo, type DatasetSource, type IndexInfo, type JobInfo, type OpInput, type OpName } from '../../app/contract/operations.js';
import { checkInput, checkOp } from '../../app/contract/validate.js';
import type { FromWorker, WorkerOpName, WorkerOps } from '../../app/contract/worker-protocol.js';
import type { ReadLimits } from '../../app/datasets/readers/claims.js';
import { checkVectors, packRows } from '../../app/datasets/vectors.js';
import { checkFactoryForData } from '../../app/indexes/factory-checks.js';
import type { LoggedWrite } from '../../app/indexes/write-log-records.js';
import { CrashSuspects } from '../../app/supervision/crash-suspects.js';
import { RestartBackoff, type BackoffOptions } from '../../app/supervision/restart-backoff.js';
import { removeTempLeftovers } from './atomic-files.js';
import { catalogueFile, readCatalogue, readSavedCatalogue, writeCatalogue, type CatalogueDataset } from './catalogue.js';
import { PathPolicy } from './path-policy.js';
import { IndexWriteLogs } from './index-write-logs.js';
import { SerialLanes } from './serial-lanes.js';
import { removeStrayIndexFiles } from './stray-index-files.js';
import { memoryBudgetFromEnv } from './memory-budget.js';
import { probeIndexFile } from './index-probe.js';
import { NOT_SERVING, type ServeControl } from './serve-control.js';
import type { SpawnWorker, WorkerHandle } from './worker-handle.js';

export interface EngineHostOptions {
  spawnWorker: SpawnWorker;
  dataDir: string;
  /** directories besides the data directory whose files requests may name (--allow-dir) */
  allowDirs?: readonly string[];
  version: string;
  /** datasets opened on every start, before the user's own */
  defaults?: { id: string; name: string; source: DatasetSource }[];
  /** bytes all loaded datasets may take together (default: FAISS_EXPLORER_MEMORY_BUDGET, else half the machine's memory) */
  memoryBudget?: number;
  log?: (line: string) => void;
  /** waits between restarts of a crashed worker (tests shorten them) */
  restartBackoff?: BackoffOptions;
  /** false only to measure what durability costs (the bench): writes then live until the next save */
  logWrites?: boolean;
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: EngineError): void;
  onProgress?: (phase: string, done: number, total: number) => void;
  /** the catalogued index this call works on, if any: a suspect when the worker dies */
  index?: string;
}

interface Job {
  info: JobInfo;
  requestId: number | null;
  result?: unknown;
}

const STOP_GRACE_MS = 2000;
const KEPT_JOBS = 200;
/** a save folds the logs once writes pause this long... */
const SAVE_DELAY_MS = 1000;
/** ...or at the latest this long after the first unsaved write: a save rewrites the whole index file */
const SAVE_AT_MOST_MS = 30_000;
/** a log this long is folded at once, so that a reopening has little to replay */
const FOLD_LOG_BYTES = 64 << 20;

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
  private readonly backoff: RestartBackoff;
  private readonly suspects = new CrashSuspects();
  /** the worker died and is not back with everything reopened yet */
  private degraded = false;
  private wakeRestart: (() => void) | null = null;
  /** datasets that crashed the worker when reopened: kept in the catalogue, never opened again */
  private readonly quarantinedDatasets = new Map<string, CatalogueDataset>();
  /** catalogued datasets a start has not reopened yet: saved with the rest meanwhile */
  private readonly unopened = new Map<string, CatalogueDataset>();
  /** builds still running, by index id, so that dropping the index cancels its build */
  private readonly buildJobs = new Map<string, string>();
  private readonly writeLogs: IndexWriteLogs;
  /** per index: writes, saves, reopenings and the drop run one at a time */
  private readonly lanes = new SerialLanes();
  private stopping = false;
  private serve: ServeControl = NOT_SERVING;
  private readonly dirty = new Set<string>();
  private saveTimer: NodeJS.Timeout | null = null;
  private dirtySince: number | null = null;
  private readonly log: (line: string) => void;
  private readonly paths: PathPolicy;
  private readonly memoryBudget: number;

  constructor(private readonly opts: EngineHostOptions) {
    this.log = opts.log ?? ((line) => console.error(line));
    // the catalogue and the index files the host keeps are never save targets
    this.paths = new PathPolicy(opts.dataDir, opts.allowDirs, [catalogueFile(opts.dataDir), path.join(opts.dataDir, 'indexes')]);
    this.writeLogs = new IndexWriteLogs(path.join(opts.dataDir, 'indexes'));
    this.backoff = new RestartBackoff(opts.restartBackoff);
    this.memoryBudget = opts.memoryBudget ?? memoryBudgetFromEnv();
  }

  /** The desktop app's file dialog and drops: the user chose this file, so it may be read. */
  grantPickedFile(file: string): void {
    this.paths.grantRead(file);
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

  /** Resolves once the worker runs and every saved dataset and index is open again, after however many restarts that takes. */
  async start(): Promise<void> {
    const indexDir = path.join(this.opts.dataDir, 'indexes');
    for (const dir of [this.opts.dataDir, indexDir]) {
      for (const name of removeTempLeftovers(dir)) this.log(`[engine] removed ${name}, left by an interrupted write`);
    }
    const saved = readSavedCatalogue(this.opts.dataDir);
    if (saved) for (const name of removeStrayIndexFiles(indexDir, saved)) this.log(`[engine] removed ${name}: no catalogued index has it (its build ended as the engine died)`);
    this.ready = this.spawnAndRestore();
    for (;;) {
      const attempt = this.ready;
      try {
        return await attempt;
      } catch (err) {
        // a worker that died while starting has been given a successor: wait for that one
        if (this.stopping || this.ready === attempt) throw err;
      }
    }
  }

  onEvent(listener: (e: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The single entry point for every transport: validates, applies the path rules, then dispatches. */
  async handle(opName: unknown, rawInput: unknown): Promise<unknown> {
    const op = checkOp(opName);
    const input = this.paths.inputOf(op, checkInput(op, rawInput));
    // health answers at once, also while a crashed worker is being restarted
    if (op !== 'health') await this.ready;
    return this.dispatch(op, input);
  }

  async stop(): Promise<void> {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    if (this.worker && this.dirty.size) await this.flushSaves();
    this.stopping = true;
    this.wakeRestart?.();
    await this.writeLogs.closeAll();
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
      datasets: [...this.datasets.values(), ...this.unopened.values()].filter((d) => !defaults.has(d.id)).map(({ id, name, source }) => ({ id, name, source })).concat([...this.quarantinedDatasets.values()]),
      // one that failed to reopen is kept as it was saved, so a later start tries again and its files stay
      indexes: [...this.indexes.values()].filter((i) => i.path || i.error?.code === 'QUARANTINED').map((i) => (i.status === 'failed' && i.error?.code !== 'QUARANTINED' ? { ...i, status: 'ready' as const, error: undefined } : i)),
    });
  }

  private async spawnAndRestore(): Promise<void> {
    if (this.stopping) throw new EngineError('WORKER_RESTARTED', 'the engine is stopping');
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
    this.backoff.started(Date.now());
    this.log(`[engine] worker pid ${worker.pid} ready`);
    const saved = readCatalogue(this.opts.dataDir);
    // what is open now wins over the file; the file brings back what a failed start had not reopened yet
    const datasets = new Map<string, CatalogueDataset>([...(this.opts.defaults ?? []), ...saved.datasets].map((d) => [d.id, d]));
    for (const d of this.datasets.values()) datasets.set(d.id, d);
    for (const d of datasets.values()) {
      if (d.error || this.quarantinedDatasets.has(d.id)) this.quarantinedDatasets.set(d.id, this.quarantinedDatasets.get(d.id) ?? d);
      else if (!this.datasets.has(d.id)) this.unopened.set(d.id, d);
    }
    for (const d of datasets.values()) {
      if (this.quarantinedDatasets.has(d.id)) continue;
      this.suspects.reopeningStarted(`dataset:${d.id}`);
      try {
        const info = await this.workerCall('openDataset', { id: d.id, name: d.name, source: d.source, limits: this.memoryLimits() });
        this.datasets.set(d.id, info);
      } catch (err) {
        if (this.worker !== worker) throw err; // it died: its exit handler restarts it
        this.log(`[engine] could not reopen dataset ${d.id}: ${toErrorValue(err).message}`);
      }
      this.unopened.delete(d.id);
      this.suspects.reopeningEnded();
    }
    // every catalogued index is listed from here on, as it was saved, until reopened
    for (const ix of saved.indexes) if (!this.indexes.has(ix.id)) this.indexes.set(ix.id, ix);
    for (const ix of [...this.indexes.values()]) {
      if (ix.status !== 'ready' || !ix.path) continue;
      const file = ix.path;
      this.suspects.reopeningStarted(`index:${ix.id}`);
      try {
        await this.lanes.run(ix.id, () => this.reopenIndex({ ...ix, path: file }));
      } catch (err) {
        if (this.worker !== worker) throw err;
        this.indexes.set(ix.id, { ...ix, status: 'failed', error: toErrorValue(err) });
      }
      this.suspects.reopeningEnded();
    }
    this.suspects.restoreFinished();
    this.persist();
    this.degraded = false;
    this.emit({ type: 'engine', state: 'ready', message: 'engine ready' });
  }

  /** Loads an index's file and replays its write log over it: the state every acknowledged write left. Runs in the index's lane. */
  private async reopenIndex(ix: IndexInfo & { path: string }): Promise<void> {
    const loaded = await this.workerCall('loadIndex', { id: ix.id, path: ix.path, metric: ix.metric });
    const { writes, torn } = await this.writeLogs.recover(ix.id, ix.path);
    if (torn) this.log(`[engine] index ${ix.id}: a record torn at the end of its write log was dropped`);
    let ntotal = loaded.ntotal;
    for (const w of writes) {
      try {
        ntotal = (await this.applyWrite(ix.id, w)).ntotal;
      } catch (err) {
        // applies are deterministic: one that fails now failed when it was asked (a crash came before its void record)
        if (this.worker === null || toErrorValue(err).code === 'WORKER_RESTARTED') throw err;
        this.log(`[engine] index ${ix.id}: a logged ${w.kind} that fails to apply was skipped: ${toErrorValue(err).message}`);
      }
    }
    this.indexes.set(ix.id, { ...ix, ntotal, status: 'ready' });
    if (writes.length) this.markDirty(ix.id);
  }

  private applyWrite(id: string, w: LoggedWrite): Promise<{ ntotal: number; removed?: number }> {
    return w.kind === 'add' ? this.workerCall('addVectors', { id, data: w.vectors, ids: w.ids }) : this.workerCall('removeVectors', { id, ids: w.ids });
  }

  /**
   * Applies an add or remove in the worker while its record is appended to the index's log and
   * synced, and answers once both are done: an answered write survives a crash of the worker or of
   * this process. A write whose apply fails is voided in the log before its error is answered.
   */
  private durableWrite(id: string, w: LoggedWrite): Promise<{ ntotal: number; removed?: number }> {
    return this.lanes.run(id, async () => {
      const ix = this.readyIndex(id);
      if (this.opts.logWrites === false) {
        const out = await this.applyWrite(id, w);
        this.afterWrite(id, out.ntotal);
        return out;
      }
      const file = ix.path ?? this.ownPath(id);
      const [applied, logged] = await Promise.allSettled([this.applyWrite(id, w), this.writeLogs.record(id, file, w)]);
      const voided = applied.status === 'rejected' && logged.status === 'fulfilled' ? await this.writeLogs.voidLast(id).then(() => null, (err: unknown) => err) : null;
      const storageError = logged.status === 'rejected' ? logged.reason : voided;
      if (storageError) {
        // the worker and the log may disagree: bring the index back to what file and log say
        await this.reopenIndex({ ...ix, path: file }).catch(() => this.indexes.set(id, { ...ix, status: 'failed', error: toErrorValue(storageError) }));
        throw new EngineError('STORAGE_ERROR', `the write could not be made durable, so it was undone: ${toErrorValue(storageError).message}`);
      }
      if (applied.status === 'rejected') throw applied.reason;
      this.afterWrite(id, applied.value.ntotal);
      if (this.writeLogs.bytes(id) > FOLD_LOG_BYTES) {
        this.dirty.delete(id);
        // queued in the lane behind this write
        void this.fold(id).catch((err) => this.log(`[engine] could not save index ${id}: ${toErrorValue(err).message}`));
      }
      return applied.value;
    });
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
    const inFlight = new Set([...this.pending.values()].flatMap((p) => (p.index ? [p.index] : [])));
    for (const key of this.suspects.onDeath(inFlight)) this.quarantine(key, reason);
    const message = `the faiss worker ${reason}; it was restarted and saved indexes reloaded`;
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(new EngineError('WORKER_RESTARTED', message));
    }
    for (const ix of this.indexes.values()) {
      if (ix.status === 'building') this.indexes.set(ix.id, { ...ix, status: 'failed', error: { code: 'WORKER_RESTARTED', message } });
    }
    if (this.stopping) return;
    this.degraded = true;
    const delay = this.backoff.nextDelay(Date.now());
    this.log(`[engine] the faiss worker ${reason}; restarting it in ${delay} ms`);
    this.ready = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, delay);
      this.wakeRestart = () => {
        clearTimeout(timer);
        resolve();
      };
    }).then(() => this.spawnAndRestore());
    this.ready.catch((err) => this.log(`[engine] restart failed: ${toErrorValue(err).message}`));
    this.emit({ type: 'engine', state: 'restarted', message });
  }

  /** Marks what crashed the worker as failed, in the catalogue too, so that no start reopens it. */
  private quarantine(key: string, reason: string): void {
    const [kind, id] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
    const error: ErrorValue = { code: 'QUARANTINED', message: `the faiss worker ${reason} while working on this ${kind}, more than once; it is no longer opened` };
    this.log(`[engine] ${kind} ${id} quarantined: ${error.message}`);
    const ix = kind === 'index' ? this.indexes.get(id) : undefined;
    if (ix) this.indexes.set(id, { ...ix, status: 'failed', error });
    const ds = kind === 'dataset' ? this.datasets.get(id) : undefined;
    if (ds) {
      this.datasets.delete(id);
      this.quarantinedDatasets.set(id, { id, name: ds.name, source: ds.source, error });
    }
    this.persist();
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
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onProgress, index: this.subjectIndex(input) });
      w.post({ type: 'call', id, op, input });
    });
  }

  private subjectIndex(input: unknown): string | undefined {
    const { index, id } = (input ?? {}) as { index?: unknown; id?: unknown };
    const named = typeof index === 'string' ? index : id;
    return typeof named === 'string' && this.indexes.has(named) ? named : undefined;
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
   * A write is durable once logged; the index file takes it in shortly after, batched, so a
   * stream of small adds does not rewrite a large file each time. stop() folds what is left.
   */
  private afterWrite(id: string, ntotal: number): void {
    const ix = this.indexes.get(id);
    if (ix) this.indexes.set(id, { ...ix, ntotal });
    this.markDirty(id);
  }

  private markDirty(id: string): void {
    this.dirty.add(id);
    const now = Date.now();
    this.dirtySince ??= now;
    if (this.saveTimer) clearTimeout(this.saveTimer);
    // while writes stream in, the log holds them: rewriting the file each second would cost more than they do
    this.saveTimer = setTimeout(
      () => {
        this.saveTimer = null;
        this.dirtySince = null;
        void this.flushSaves();
      },
      Math.max(0, Math.min(SAVE_DELAY_MS, this.dirtySince + SAVE_AT_MOST_MS - now)),
    );
  }

  private async flushSaves(): Promise<void> {
    for (const id of [...this.dirty]) {
      this.dirty.delete(id);
      await this.fold(id).catch((err) => this.log(`[engine] could not save index ${id}: ${toErrorValue(err).message}`));
    }
  }

  /**
   * Saves an index to its own file and empties its log: in its lane, so no write falls between
   * the two. The catalogue names the new file before the log lets go of its writes.
   */
  private fold(id: string): Promise<void> {
    return this.lanes.run(id, async () => {
      const ix = this.indexes.get(id);
      if (!ix || ix.status !== 'ready') return;
      const file = this.ownPath(id);
      const { memory_bytes } = await this.workerCall('saveIndex', { id, path: file });
      this.indexes.set(id, { ...ix, memory_bytes, path: file });
      this.persist();
      await this.writeLogs.folded(id, file);
    });
  }

  /** After a build whose index was deleted meanwhile: the worker forgets it and its file goes. */
  private async discardDropped(id: string): Promise<never> {
    await this.workerCall('dropIndex', { id });
    rmSync(this.ownPath(id), { force: true });
    throw new EngineError('CANCELLED', 'the index was deleted while it was being built');
  }

  private async loadIndex(req: OpInput<'loadIndex'>): Promise<IndexInfo> {
    const file = req.path;
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
        return { status: this.degraded ? 'degraded' : 'ok', version: this.opts.version };
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
        const build = this.buildJobs.get(id);
        if (build) this.cancel(this.job(build));
        return this.lanes.run(id, async () => {
          this.index(id);
          await this.workerCall('dropIndex', { id });
          this.indexes.delete(id);
          this.dirty.delete(id);
          this.persist();
          await this.writeLogs.remove(id);
          rmSync(this.ownPath(id), { force: true });
          this.emit({ type: 'catalogue' });
          return { ok: true };
        });
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
      case 'explain': {
        const e = input as OpInput<'explain'>;
        const ix = this.readyIndex(e.index);
        return this.workerCall('explain', { ...e, dataset: ix.dataset, factory: ix.factory });
      }
      case 'ivfAssignment': {
        const a = input as OpInput<'ivfAssignment'>;
        this.readyIndex(a.index);
        return this.workerCall('ivfAssignment', a);
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
        if (!target) {
          this.dirty.delete(ix.id);
          await this.fold(ix.id);
          return { path: this.ownPath(ix.id) };
        }
        const file = target;
        await this.workerCall('saveIndex', { id: ix.id, path: file });
        return { path: file };
      }
      case 'addVectors': {
        const a = input as OpInput<'addVectors'>;
        const ix = this.readyIndex(a.index);
        const vectors = a.vectors instanceof Float32Array ? checkVectors(a.vectors, ix.dim) : packRows(a.vectors, ix.dim);
        // refused before it is logged: a record the index cannot take would only be voided
        if (a.ids && a.ids.length * ix.dim !== vectors.length) throw new EngineError('BAD_REQUEST', `${a.ids.length} ids for ${vectors.length / ix.dim} vectors`);
        const { ntotal } = await this.durableWrite(ix.id, { kind: 'add', dim: ix.dim, vectors, ids: a.ids ? Float64Array.from(a.ids) : undefined });
        return { ntotal };
      }
      case 'removeVectors': {
        const r = input as OpInput<'removeVectors'>;
        const ix = this.readyIndex(r.index);
        const { removed = 0, ntotal } = await this.durableWrite(ix.id, { kind: 'remove', ids: Float64Array.from(r.ids) });
        return { removed, ntotal };
      }
      case 'getJob':
        return this.job((input as OpInput<'getJob'>).id).info;
      case 'cancelJob': {
        const j = this.job((input as OpInput<'cancelJob'>).id);
        this.cancel(j);
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

  private cancel(j: Job): void {
    if (j.requestId !== null && (j.info.status === 'running' || j.info.status === 'queued')) {
      this.worker?.post({ type: 'cancel', id: j.requestId });
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
        if (!this.indexes.has(id)) return this.discardDropped(id);
        const ready: IndexInfo = { ...info, ...built, status: 'ready', path: savePath };
        this.indexes.set(id, ready);
        return ready;
      },
      () => {
        this.buildJobs.delete(id);
        this.persist();
        this.emit({ type: 'catalogue' });
      },
      (error) => {
        this.buildJobs.delete(id);
        // a deleted index stays deleted, however its build ended
        if (error.code === 'CANCELLED') this.indexes.delete(id);
        else if (this.indexes.has(id)) this.indexes.set(id, { ...info, status: 'failed', error });
        this.emit({ type: 'catalogue' });
      },
    );
    this.buildJobs.set(id, started.job);
    return { ...started, index: id };
  }
}
