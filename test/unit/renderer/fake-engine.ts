import { createClient, type Transport } from '../../../app/contract/client.js';
import { connectEngineEvents, createAppStore } from '../../../renderer/src/store/store.js';
import { EngineError } from '../../../app/contract/errors.js';
import type { EngineEvent } from '../../../app/contract/events.js';
import type { DatasetInfo, IndexInfo, OpName, Projection } from '../../../app/contract/operations.js';
import { sampleRun } from '../app/eval/lab-fixture.js';

/** A tiny in-memory stand-in for the engine, speaking the Transport interface. */
export class FakeEngine implements Transport {
  readonly calls: { op: OpName; input: any }[] = [];
  readonly listeners = new Set<(e: EngineEvent) => void>();
  datasets: DatasetInfo[] = [
    { id: 'tutorial', name: 'tutorial', n: 1000, dim: 8, dtype: 'float32', nq: 50, labels: false, source: { kind: 'generate', generator: 'tutorial' } },
    { id: 'blobs', name: 'blobs', n: 500, dim: 4, dtype: 'float32', nq: 0, labels: true, source: { kind: 'generate', generator: 'blobs' } },
  ];
  indexes: IndexInfo[] = [];
  results = new Map<string, unknown>();
  /** jobs end by themselves unless held; held jobs wait for finish() or cancel */
  holdJobs = false;
  /** drop every event: only polling can tell that a job ended */
  muteEvents = false;
  failNext: Partial<Record<OpName, EngineError>> = {};
  /** replies of these operations wait for releaseReply(), so a test can make them cross */
  holdReplies = new Set<OpName>();
  private readonly heldReplies: (() => void)[] = [];
  private nextJob = 1;
  private held = new Map<string, () => void>();

  async call(op: OpName, input: any): Promise<unknown> {
    this.calls.push({ op, input });
    await Promise.resolve();
    if (this.holdReplies.has(op)) await new Promise<void>((release) => this.heldReplies.push(release));
    const fail = this.failNext[op];
    if (fail) {
      delete this.failNext[op];
      throw fail;
    }
    switch (op) {
      case 'listDatasets':
        return [...this.datasets];
      case 'listIndexes':
        return [...this.indexes];
      case 'buildIndex':
        return this.startJob('buildIndex', () => {
          const info: IndexInfo = {
            id: `idx${this.indexes.length + 1}`, name: input.factory, dataset: input.dataset, factory: input.factory, metric: input.metric,
            dim: 8, ntotal: 1000, status: 'ready', memory_bytes: 32000, train_ms: 1, add_ms: 2,
          };
          this.indexes.push(info);
          return info;
        });
      case 'openDataset':
        return this.startJob('openDataset', (): DatasetInfo => {
          const info: DatasetInfo = { id: `file${this.datasets.length}`, name: input.name ?? input.source.path.split('/').pop(), n: 100, dim: 8, dtype: 'float32', nq: 0, labels: false, source: input.source };
          this.datasets.push(info);
          return info;
        });
      case 'project':
        return this.startJob('project', (): Projection => {
          const d = this.datasets.find((x) => x.id === input.dataset)!;
          return { dataset: d.id, method: 'pca', base: new Float32Array(d.n * 2), queries: new Float32Array(d.nq * 2), baseZ: new Float32Array(d.n), queriesZ: new Float32Array(d.nq), explained: [0.5, 0.25, 0.1] };
        });
      case 'search': {
        const k = input.k as number;
        return {
          n: 1, k,
          distances: Float32Array.from({ length: k }, (_, i) => i / 10),
          labels: Float64Array.from({ length: k }, (_, i) => i + input.queries.rows[0]),
          took_ms: 0.5, ignored_params: [],
        };
      }
      case 'jobResult':
        if (!this.results.has(input.id)) throw new EngineError('JOB_NOT_FOUND', 'no such job');
        return this.results.get(input.id);
      case 'getJob': {
        const status = this.results.has(input.id) ? 'done' : this.held.has(input.id) ? 'running' : 'cancelled';
        return { id: input.id, kind: 'job', phase: 'x', done: 0, total: 1, status };
      }
      case 'cancelJob': {
        const end = this.held.get(input.id);
        this.held.delete(input.id);
        if (end) this.emit({ type: 'job-end', job: input.id, kind: 'job', status: 'cancelled' });
        return { id: input.id, kind: 'job', phase: 'cancelled', done: 0, total: 1, status: 'cancelled' };
      }
      case 'labRun':
        return this.startJob('labRun', () => sampleRun());
      case 'keepLabIndex': {
        const info: IndexInfo = {
          id: `kept${input.position}`, name: 'lab', dataset: 'tutorial', factory: sampleRun().indexes[input.position].factory, metric: 'l2',
          dim: 8, ntotal: 1000, status: 'ready', memory_bytes: 1, train_ms: 1, add_ms: 1,
        };
        this.indexes.push(info);
        return info;
      }
      case 'dropIndex':
        this.indexes = this.indexes.filter((i) => i.id !== input.id);
        return { ok: true };
      case 'columnValues': {
        // labels: three named classes; a column: its row numbers
        const n = this.datasets.find((d) => d.id === input.dataset)!.n;
        if (input.column === undefined) return { kind: 'category', codes: Int32Array.from({ length: n }, (_, i) => i % 3), names: ['a', 'b', 'c'] };
        return { kind: 'number', values: Float64Array.from({ length: n }, (_, i) => i) };
      }
      default:
        throw new EngineError('BAD_REQUEST', `fake has no ${op}`);
    }
  }

  onEvent(listener: (e: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(e: EngineEvent): void {
    if (!this.muteEvents) for (const l of [...this.listeners]) l(e);
  }

  /** How many replies are waiting for releaseReply(). */
  get heldReplyCount(): number {
    return this.heldReplies.length;
  }

  /** Lets the `i`-th held reply go (numbered in the order the calls came). */
  releaseReply(i: number): void {
    this.heldReplies[i]();
  }

  /** Ends every held job successfully. */
  finish(): void {
    for (const [, end] of [...this.held]) end();
  }

  private startJob(kind: string, make: () => unknown): { job: string } {
    const job = `job${this.nextJob++}`;
    const end = () => {
      this.held.delete(job);
      this.emit({ type: 'progress', job, kind, phase: 'adding', done: 1, total: 1 });
      this.results.set(job, make());
      this.emit({ type: 'job-end', job, kind, status: 'done' });
    };
    this.held.set(job, end);
    if (!this.holdJobs) {
      setTimeout(() => this.emit({ type: 'progress', job, kind, phase: 'adding', done: 0, total: 1 }), 0);
      setTimeout(() => this.held.has(job) && end(), 1);
    }
    return { job };
  }

  count(op: OpName): number {
    return this.calls.filter((c) => c.op === op).length;
  }
}

/** A store on `engine` with its events connected and the tutorial set chosen (the set with a query set). */
export async function storeOnTutorial<E extends FakeEngine>(engine: E) {
  const deps = { client: createClient(engine), jobPollMs: 5 };
  const store = createAppStore(deps);
  connectEngineEvents(store, deps);
  await store.getState().loadDatasets();
  await store.getState().selectDataset('tutorial');
  return { engine, store };
}
