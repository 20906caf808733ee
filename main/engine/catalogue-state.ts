import path from 'node:path';
import { EngineError, type ErrorValue } from '../../app/contract/errors.js';
import type { DatasetInfo, IndexInfo } from '../../app/contract/operations.js';
import type { ReadLimits } from '../../app/datasets/readers/claims.js';
import { writeCatalogue, type CatalogueDataset } from './catalogue.js';

/** The datasets and indexes the engine knows, by id, and the catalogue file that brings them back after a restart. */
export class Catalogue {
  readonly datasets = new Map<string, DatasetInfo>();
  readonly indexes = new Map<string, IndexInfo>();
  /** datasets that crashed the worker when reopened: kept in the catalogue, never opened again */
  readonly quarantinedDatasets = new Map<string, CatalogueDataset>();
  /** catalogued datasets a start has not reopened yet: saved with the rest meanwhile */
  readonly unopened = new Map<string, CatalogueDataset>();

  constructor(
    private readonly dataDir: string,
    /** the datasets every start opens: never written to the file */
    private readonly defaults: readonly CatalogueDataset[],
    private readonly memoryBudget: number,
    private readonly log: (line: string) => void,
  ) {}

  persist(): void {
    const defaults = new Set(this.defaults.map((d) => d.id));
    writeCatalogue(this.dataDir, {
      version: 1,
      datasets: [...this.datasets.values(), ...this.unopened.values()].filter((d) => !defaults.has(d.id)).map(({ id, name, source }) => ({ id, name, source })).concat([...this.quarantinedDatasets.values()]),
      // one that failed to reopen is kept as it was saved, so a later start tries again and its files stay
      indexes: [...this.indexes.values()].filter((i) => i.path || i.error?.code === 'QUARANTINED').map((i) => (i.status === 'failed' && i.error?.code !== 'QUARANTINED' ? { ...i, status: 'ready' as const, error: undefined } : i)),
    });
  }

  dataset(id: string): DatasetInfo {
    const d = this.datasets.get(id);
    if (!d) throw new EngineError('DATASET_NOT_FOUND', `no dataset "${id}"`);
    return d;
  }

  index(id: string): IndexInfo {
    const ix = this.indexes.get(id);
    if (!ix) throw new EngineError('INDEX_NOT_FOUND', `no index "${id}"`);
    return ix;
  }

  readyIndex(id: string): IndexInfo {
    const ix = this.index(id);
    if (ix.status !== 'ready') throw new EngineError('INDEX_NOT_READY', `index "${ix.name}" is ${ix.status}`);
    return ix;
  }

  /** the file the engine keeps an index in */
  ownPath(id: string): string {
    return path.join(this.dataDir, 'indexes', `${id}.faiss`);
  }

  /** The catalogued index a worker input names, by `index` or `id`, if any. */
  subjectIndex(input: unknown): string | undefined {
    const { index, id } = (input ?? {}) as { index?: unknown; id?: unknown };
    const named = typeof index === 'string' ? index : id;
    return typeof named === 'string' && this.indexes.has(named) ? named : undefined;
  }

  /** The dataset memory budget, less what the loaded datasets take: enforced in the worker, for every transport. */
  memoryLimits(): ReadLimits {
    const memoryBudget = this.memoryBudget;
    let used = 0;
    for (const d of this.datasets.values()) used += d.stats?.memory_bytes ?? 0;
    return { memoryBudget, memoryLeft: memoryBudget - used };
  }

  /** Marks what crashed the worker (`index:<id>` or `dataset:<id>`) as failed, in the file too, so that no start reopens it. */
  quarantine(key: string, reason: string): void {
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
}
