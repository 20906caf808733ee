import type { SearchParams } from '../../app/contract/operations.js';
import { searchParamString } from '../../app/indexes/search-params.js';
import type { EngineHost } from '../engine/engine-host.js';
import { SearchBatcher, type BatcherOptions } from './search-batcher.js';
import type { Neighbours } from './vector-codec.js';

export type Query = { kind: 'vectors'; data: Float32Array; n: number } | { kind: 'ids'; ids: number[] };

interface Item {
  query: Query;
  k: number;
  params?: SearchParams;
}

export type BatchTuning = Pick<BatcherOptions<Item, Neighbours>, 'windowMs' | 'maxWeight' | 'maxRunning'>;

/**
 * A batch waits at most 2 ms for company, little next to an HTTP round trip; 256 rows keep a
 * batch's answer quick. One running batch per index: the worker does one faiss call at a time
 * anyway, and the next batch grows while it waits.
 */
export const DEFAULT_BATCHING: BatchTuning = { windowMs: 2, maxWeight: 256, maxRunning: 1 };

/**
 * Every search, add, remove, save and drop of the public API goes through here, one lane per
 * index: vector searches with the same k and parameters are merged into one engine call, and
 * writes are ordered against reads (see SearchBatcher).
 */
export class IndexLanes {
  private readonly batcher: SearchBatcher<Item, Neighbours>;
  private idsSeq = 0;

  constructor(
    private readonly engine: EngineHost,
    tuning: Partial<BatchTuning> = {},
  ) {
    const t = { ...DEFAULT_BATCHING, ...tuning };
    this.batcher = new SearchBatcher<Item, Neighbours>({
      ...t,
      // a search by ids runs alone: it weighs a whole batch
      weight: (item) => (item.query.kind === 'vectors' ? item.query.n : t.maxWeight),
      runBatch: (index, items) => this.run(index, items),
    });
  }

  search(index: string, query: Query, k: number, params?: SearchParams): Promise<Neighbours> {
    const key = query.kind === 'ids' ? `ids#${this.idsSeq++}` : `${k}|${searchParamString(params)}`;
    return this.batcher.read(index, key, { query, k, params });
  }

  write<T>(index: string, fn: () => Promise<T>): Promise<T> {
    return this.batcher.write(index, fn);
  }

  /** After the index is dropped. */
  forget(index: string): void {
    this.batcher.forget(index);
  }

  private async run(index: string, items: Item[]): Promise<Neighbours[]> {
    const { k, params } = items[0];
    const first = items[0].query;
    if (first.kind === 'ids') return [await this.engineSearch(index, { kind: 'ids', ids: first.ids }, k, params)];
    const vectors = items.map((i) => i.query as Extract<Query, { kind: 'vectors' }>);
    const rows = vectors.reduce((sum, q) => sum + q.n, 0);
    let data = first.data;
    if (vectors.length > 1) {
      data = new Float32Array((first.data.length / first.n) * rows);
      let at = 0;
      for (const q of vectors) {
        data.set(q.data, at);
        at += q.data.length;
      }
    }
    const all = await this.engineSearch(index, { kind: 'packed', data }, k, params);
    let row = 0;
    return vectors.map((q) => {
      const part: Neighbours = {
        n: q.n,
        k,
        distances: all.distances.subarray(row * k, (row + q.n) * k),
        labels: all.labels.subarray(row * k, (row + q.n) * k),
        ignored_params: all.ignored_params,
      };
      row += q.n;
      return part;
    });
  }

  private async engineSearch(index: string, queries: { kind: 'ids'; ids: number[] } | { kind: 'packed'; data: Float32Array }, k: number, params?: SearchParams): Promise<Neighbours> {
    const r = await this.engine.call('search', { index, queries, k, ...(params ? { params } : {}) });
    return { n: r.n, k: r.k, distances: r.distances, labels: r.labels, ignored_params: r.ignored_params };
  }
}
