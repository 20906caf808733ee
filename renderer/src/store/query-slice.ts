import type { DatasetInfo, SearchInput } from '../../../app/contract/operations.js';
import { selectDataset } from './dataset-slice.js';
import { uiError } from './errors.js';
import { selectActiveIndex } from './index-slice.js';
import type { AppState, SliceCreator, UiError } from './types.js';

export type QuerySourceKind = 'queryRows' | 'baseRows';

export const K_RANGE = { min: 1, max: 1000, default: 10 } as const;

/** One query's answer, kept as the typed arrays the engine sent. */
export interface QueryResult {
  dataset: string;
  index: string;
  /** 'vector': a pasted vector, not a row (row is then -1) */
  source: QuerySourceKind | 'vector';
  row: number;
  k: number;
  /** neighbour ids in rank order; -1 marks a missing neighbour */
  ids: Float64Array;
  distances: Float32Array;
  tookMs: number;
  /** the search parameters sent with it (nprobe, efSearch), so a changed field can mark it */
  params: NonNullable<SearchInput['params']>;
  ignoredParams: string[];
}

export interface QuerySlice {
  /** the last k that was valid: what every view, snippet and diagnostic uses */
  k: number;
  /** what the k field holds, valid or not (NaN when empty); never spreads beyond the field */
  kField: number;
  querySource: QuerySourceKind;
  queryRow: number;
  /** null: leave faiss's default */
  nprobe: number | null;
  efSearch: number | null;
  result: QueryResult | null;
  queryRunning: boolean;
  queryError: UiError | null;
  setK(k: number): void;
  setQuerySource(source: QuerySourceKind): void;
  setQueryRow(row: number): void;
  setNprobe(value: number | null): void;
  setEfSearch(value: number | null): void;
  /** Back to a fresh query for a newly chosen dataset. */
  resetQuery(dataset: DatasetInfo): void;
  runQuery(): Promise<void>;
  /** Makes base vector `row` the query and runs it (a click on the projection). */
  queryBasePoint(row: number): Promise<void>;
}

export const createQuerySlice: SliceCreator<QuerySlice> = ({ client }) => (set, get) => {
  // only the latest request may write its answer, however the replies are ordered
  let latest = 0;

  return {
    k: K_RANGE.default,
    kField: K_RANGE.default,
    querySource: 'queryRows',
    queryRow: 0,
    nprobe: null,
    efSearch: null,
    result: null,
    queryRunning: false,
    queryError: null,

    setK: (k) => set(kProblem(k) ? { kField: k } : { kField: k, k, queryError: null }),
    setQuerySource: (querySource) => set({ querySource, queryRow: 0, queryError: null }),
    setQueryRow: (queryRow) => set({ queryRow }),
    setNprobe: (nprobe) => set({ nprobe }),
    setEfSearch: (efSearch) => set({ efSearch }),

    resetQuery(dataset) {
      latest++;
      set({
        querySource: dataset.nq > 0 ? 'queryRows' : 'baseRows',
        queryRow: 0,
        result: null,
        queryRunning: false,
        queryError: null,
        focusedRank: null,
      });
    },

    async runQuery() {
      const state = get();
      const problem = queryProblem(state);
      if (problem) {
        set({ queryError: problem });
        return;
      }
      const index = selectActiveIndex(state)!;
      const input: SearchInput = {
        index: index.id,
        queries: { kind: state.querySource, rows: [state.queryRow] },
        k: state.k,
      };
      const params = searchParams(index.factory, state);
      if (params) input.params = params;

      const ticket = ++latest;
      set({ queryRunning: true, queryError: null });
      try {
        const answer = await client.call('search', input);
        if (ticket !== latest) return;
        set({
          queryRunning: false,
          focusedRank: null,
          result: {
            dataset: index.dataset,
            index: index.id,
            source: state.querySource,
            row: state.queryRow,
            k: answer.k,
            ids: answer.labels.subarray(0, answer.k),
            distances: answer.distances.subarray(0, answer.k),
            tookMs: answer.took_ms,
            params: params ?? {},
            ignoredParams: answer.ignored_params,
          },
        });
      } catch (err) {
        if (ticket === latest) set({ queryRunning: false, queryError: uiError(err) });
      }
    },

    async queryBasePoint(row) {
      set({ querySource: 'baseRows', queryRow: row });
      await get().runQuery();
    },
  };
};

/** Why a k cannot be searched with, in words; null when it can. */
export function kProblem(k: number): UiError | null {
  if (Number.isInteger(k) && k >= K_RANGE.min && k <= K_RANGE.max) return null;
  return { code: 'BAD_K', message: `k must be a whole number from ${K_RANGE.min} to ${K_RANGE.max}.` };
}

/** What stops the current fields from making a valid search, in words; null when nothing does. */
export function queryProblem(state: AppState): UiError | null {
  const dataset = selectDataset(state);
  if (!dataset) return { code: 'DATASET_NOT_FOUND', message: 'Choose a dataset first.' };
  const bad = kProblem(state.kField);
  if (bad) return bad;
  const { queryRow, querySource } = state;
  const rows = querySource === 'queryRows' ? dataset.nq : dataset.n;
  if (querySource === 'queryRows' && rows === 0) return { code: 'NO_QUERY_SET', message: `${dataset.name} has no query set; query from its base vectors.` };
  if (!Number.isInteger(queryRow) || queryRow < 0 || queryRow >= rows) {
    const what = querySource === 'queryRows' ? 'Query-set row' : 'Base row';
    return { code: 'ROW_OUT_OF_RANGE', message: `${what} must be a whole number from 0 to ${rows - 1}.` };
  }
  const index = selectActiveIndex(state);
  if (!index || index.dataset !== dataset.id) return { code: 'INDEX_NOT_READY', message: 'Build an index for this dataset first.' };
  if (index.status !== 'ready') return { code: 'INDEX_NOT_READY', message: `Index ${index.name} is ${index.status}.` };
  const tunable = tunableParams(index.factory);
  for (const [name, value, used] of [['nprobe', state.nprobe, tunable.nprobe], ['efSearch', state.efSearch, tunable.efSearch]] as const) {
    if (used && value !== null && (!Number.isInteger(value) || value < 1)) {
      return { code: 'BAD_PARAM', message: `${name} must be a whole number of at least 1, or left empty.` };
    }
  }
  return null;
}

/**
 * How the fields now differ from what made the result on screen, in words (empty when they do
 * not): a result stays visible while its successor runs, and must not pass for it.
 */
export function resultDrift(state: AppState): string[] {
  const r = state.result;
  if (!r) return [];
  const drift: string[] = [];
  if (r.dataset !== state.datasetId) drift.push('the dataset has changed');
  const index = selectActiveIndex(state);
  if (r.index !== state.indexId) drift.push(index ? `the active index is now ${index.factory} (${index.id})` : 'its index is gone');
  if (r.k !== state.k) drift.push(`k is now ${state.k}`);
  const now = (index && index.id === r.index ? searchParams(index.factory, state) : r.params) ?? {};
  for (const name of ['nprobe', 'efSearch'] as const) {
    if (now[name] !== r.params[name]) drift.push(`${name} is now ${now[name] ?? 'the default'}`);
  }
  return drift;
}

/** Which search parameters the index's factory string can use. */
export function tunableParams(factory: string): { nprobe: boolean; efSearch: boolean } {
  return { nprobe: /IVF/i.test(factory), efSearch: /HNSW/i.test(factory) };
}

export function searchParams(factory: string, state: Pick<QuerySlice, 'nprobe' | 'efSearch'>): SearchInput['params'] | undefined {
  const tunable = tunableParams(factory);
  const params: NonNullable<SearchInput['params']> = {};
  if (tunable.nprobe && state.nprobe !== null) params.nprobe = state.nprobe;
  if (tunable.efSearch && state.efSearch !== null) params.efSearch = state.efSearch;
  return Object.keys(params).length ? params : undefined;
}
