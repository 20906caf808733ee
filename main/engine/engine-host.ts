import path from 'node:path';
import { toErrorValue } from '../../app/contract/errors.js';
import type { EngineEvent } from '../../app/contract/events.js';
import type { DatasetSource, OpHandler, OpHandlers, OpInput, OpName, OpOutput } from '../../app/contract/operations.js';
import { checkInput, checkOp } from '../../app/contract/validate.js';
import { CrashSuspects } from '../../app/supervision/crash-suspects.js';
import type { BackoffOptions } from '../../app/supervision/restart-backoff.js';
import { removeTempLeftovers } from './atomic-files.js';
import { catalogueFile, readCatalogue, readSavedCatalogue, type CatalogueDataset } from './catalogue.js';
import { Catalogue } from './catalogue-state.js';
import { handlerTable } from './host-handlers.js';
import { IndexDurability } from './index-durability.js';
import { IndexWriteLogs } from './index-write-logs.js';
import { JobRegistry } from './job-registry.js';
import { memoryBudgetFromEnv } from './memory-budget.js';
import { PathPolicy } from './path-policy.js';
import { RequestChannel } from './request-channel.js';
import { NOT_SERVING, type ServeControl } from './serve-control.js';
import { removeStrayIndexFiles } from './stray-index-files.js';
import type { SpawnWorker, WorkerHandle } from './worker-handle.js';
import { WorkerSupervisor, type WorkerExit } from './worker-supervisor.js';

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

export const DEFAULT_DATASETS: NonNullable<EngineHostOptions['defaults']> = [
  { id: 'tutorial', name: 'faiss tutorial (d=64)', source: { kind: 'generate', generator: 'tutorial' } },
  { id: 'blobs', name: 'Gaussian blobs (10 labels)', source: { kind: 'generate', generator: 'blobs' } },
];

/**
 * The engine as every transport sees it: validates each request and applies the path rules, then
 * runs the operation's handler. Its parts supervise the worker, carry requests to it, keep the
 * jobs, the catalogue and the durable writes; on a restart it reopens what was saved.
 */
export class EngineHost {
  private readonly listeners = new Set<(e: EngineEvent) => void>();
  private readonly suspects = new CrashSuspects();
  /** the worker died and is not back with everything reopened yet */
  private degraded = false;
  private serve: ServeControl = NOT_SERVING;
  private readonly log: (line: string) => void;
  private readonly paths: PathPolicy;
  private readonly supervisor: WorkerSupervisor;
  private readonly channel: RequestChannel;
  private readonly catalogue: Catalogue;
  private readonly writeLogs: IndexWriteLogs;
  private readonly durability: IndexDurability;
  private readonly handlers: OpHandlers;

  constructor(private readonly opts: EngineHostOptions) {
    this.log = opts.log ?? ((line) => console.error(line));
    const indexDir = path.join(opts.dataDir, 'indexes');
    // the catalogue and the index files the host keeps are never save targets
    this.paths = new PathPolicy(opts.dataDir, opts.allowDirs, [catalogueFile(opts.dataDir), indexDir]);
    this.catalogue = new Catalogue(opts.dataDir, opts.defaults ?? [], opts.memoryBudget ?? memoryBudgetFromEnv(), this.log);
    this.supervisor = new WorkerSupervisor({
      spawnWorker: opts.spawnWorker,
      restartBackoff: opts.restartBackoff,
      log: this.log,
      restore: (worker) => this.restore(worker),
      onMessage: (m) => this.channel.receive(m),
      onExit: (exit) => this.onWorkerExit(exit),
    });
    this.channel = new RequestChannel(
      () => this.supervisor.current,
      (input) => this.catalogue.subjectIndex(input),
    );
    this.writeLogs = new IndexWriteLogs(indexDir);
    this.durability = new IndexDurability({
      catalogue: this.catalogue,
      channel: this.channel,
      writeLogs: this.writeLogs,
      workerAlive: () => this.supervisor.current !== null,
      log: this.log,
      logWrites: opts.logWrites,
    });
    const emit = (e: EngineEvent) => this.emit(e);
    this.handlers = handlerTable({
      version: opts.version,
      catalogue: this.catalogue,
      jobs: new JobRegistry(emit, (requestId) => this.channel.cancel(requestId)),
      channel: this.channel,
      durability: this.durability,
      writeLogs: this.writeLogs,
      emit,
      degraded: () => this.degraded,
      serve: () => this.serve,
    });
  }

  /** The desktop app's file dialog and drops: the user chose this file, so it may be read. */
  grantPickedFile(file: string): void {
    this.paths.grantRead(file);
  }

  get workerPid(): number | undefined {
    return this.supervisor.current?.pid;
  }

  get dataDir(): string {
    return this.opts.dataDir;
  }

  /** Set by whoever runs the HTTP server, once it exists (it needs the engine first). */
  setServeControl(control: ServeControl): void {
    this.serve = control;
  }

  /** Resolves once the worker runs and every saved dataset and index is open again, after however many restarts that takes. */
  start(): Promise<void> {
    const indexDir = path.join(this.opts.dataDir, 'indexes');
    for (const dir of [this.opts.dataDir, indexDir]) {
      for (const name of removeTempLeftovers(dir)) this.log(`[engine] removed ${name}, left by an interrupted write`);
    }
    const saved = readSavedCatalogue(this.opts.dataDir);
    if (saved) for (const name of removeStrayIndexFiles(indexDir, saved)) this.log(`[engine] removed ${name}: no catalogued index has it (its build ended as the engine died)`);
    return this.supervisor.start();
  }

  onEvent(listener: (e: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The single entry point for every transport: the operation's name is checked, then call() checks its input; every fault is a rejection. */
  async handle(opName: unknown, rawInput: unknown): Promise<unknown> {
    const op = checkOp(opName);
    // not yet checked: call() validates it against the operation's schema first
    return this.call(op, rawInput as OpInput<typeof op>);
  }

  /** One operation, typed from the contract: validates its input, applies the path rules, then runs its handler. */
  async call<K extends OpName>(op: K, rawInput: OpInput<K>): Promise<OpOutput<K>> {
    const input = this.paths.inputOf(op, checkInput(op, rawInput));
    // health answers at once, also while a crashed worker is being restarted
    if (op !== 'health') await this.supervisor.ready;
    const handler: OpHandler<K> = this.handlers[op];
    return handler(input);
  }

  async stop(): Promise<void> {
    await this.durability.flush();
    await this.supervisor.stop(() => this.writeLogs.closeAll());
  }

  private emit(e: EngineEvent): void {
    for (const l of this.listeners) l(e);
  }

  /** On every new worker: reopens the defaults and the catalogue's datasets, then its indexes with their logs replayed. */
  private async restore(worker: WorkerHandle): Promise<void> {
    const { catalogue } = this;
    const saved = readCatalogue(this.opts.dataDir);
    // what is open now wins over the file; the file brings back what a failed start had not reopened yet
    const datasets = new Map<string, CatalogueDataset>([...(this.opts.defaults ?? []), ...saved.datasets].map((d) => [d.id, d]));
    for (const d of catalogue.datasets.values()) datasets.set(d.id, d);
    for (const d of datasets.values()) {
      if (d.error || catalogue.quarantinedDatasets.has(d.id)) catalogue.quarantinedDatasets.set(d.id, catalogue.quarantinedDatasets.get(d.id) ?? d);
      else if (!catalogue.datasets.has(d.id)) catalogue.unopened.set(d.id, d);
    }
    for (const d of datasets.values()) {
      if (catalogue.quarantinedDatasets.has(d.id)) continue;
      this.suspects.reopeningStarted(`dataset:${d.id}`);
      try {
        const info = await this.channel.call('openDataset', { id: d.id, name: d.name, source: d.source, limits: catalogue.memoryLimits() });
        catalogue.datasets.set(d.id, info);
      } catch (err) {
        if (this.supervisor.current !== worker) throw err; // it died: the supervisor restarts it
        this.log(`[engine] could not reopen dataset ${d.id}: ${toErrorValue(err).message}`);
      }
      catalogue.unopened.delete(d.id);
      this.suspects.reopeningEnded();
    }
    // every catalogued index is listed from here on, as it was saved, until reopened
    for (const ix of saved.indexes) if (!catalogue.indexes.has(ix.id)) catalogue.indexes.set(ix.id, ix);
    for (const ix of [...catalogue.indexes.values()]) {
      if (ix.status !== 'ready' || !ix.path) continue;
      const file = ix.path;
      this.suspects.reopeningStarted(`index:${ix.id}`);
      try {
        await this.durability.lanes.run(ix.id, () => this.durability.reopen({ ...ix, path: file }));
      } catch (err) {
        if (this.supervisor.current !== worker) throw err;
        catalogue.indexes.set(ix.id, { ...ix, status: 'failed', error: toErrorValue(err) });
      }
      this.suspects.reopeningEnded();
    }
    this.suspects.restoreFinished();
    catalogue.persist();
    this.degraded = false;
    this.emit({ type: 'engine', state: 'ready', message: 'engine ready' });
  }

  private onWorkerExit({ reason, restarting }: WorkerExit): void {
    for (const key of this.suspects.onDeath(this.channel.inFlightIndexes())) this.catalogue.quarantine(key, reason);
    const message = `the faiss worker ${reason}; it was restarted and saved indexes reloaded`;
    this.channel.failAll(message);
    for (const ix of this.catalogue.indexes.values()) {
      if (ix.status === 'building') this.catalogue.indexes.set(ix.id, { ...ix, status: 'failed', error: { code: 'WORKER_RESTARTED', message } });
    }
    if (!restarting) return;
    this.degraded = true;
    this.emit({ type: 'engine', state: 'restarted', message });
  }
}
