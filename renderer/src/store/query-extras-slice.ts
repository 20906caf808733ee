import type { DistanceSample, FindRowsResult, RowInfo } from '../../../app/contract/explore.js';
import type { SearchResult } from '../../../app/contract/operations.js';
import { answerMarks, type AnswerMarks } from '../../../app/eval/recall.js';
import { imageSideOf } from '../../../app/explore/vector-image.js';
import { parseVectors } from '../../../app/explore/vector-text.js';
import { uiError } from './errors.js';
import { selectActiveIndex } from './index-slice.js';
import { kProblem, searchParams, type QueryResult } from './query-slice.js';
import type { SliceCreator, UiError } from './types.js';

/** What the table and charts show beside the current result, each tagged with the result it belongs to. */
export interface AnswerExtras {
  result: QueryResult;
  facts: RowInfo | null;
  /** the answer judged against exact search (ties count as found), when the index is approximate */
  marks: AnswerMarks | null;
  sample: DistanceSample | null;
}

export interface BatchResult {
  name: string;
  dataset: string;
  index: string;
  /** where each query came from, in words */
  describe: string[];
  answer: SearchResult;
}

export interface CompareResult {
  result: QueryResult;
  other: string;
  ids: Float64Array;
  distances: Float32Array;
  exactIds: Float64Array;
}

const HISTOGRAM_SAMPLE = 5_000;

export interface QueryExtrasSlice {
  extras: AnswerExtras | null;
  vectorText: string;
  vectorError: UiError | null;
  /** the vector behind a 'vector' result, to ask the same question again (exact, another index) */
  pastedVector: Float32Array | null;
  found: FindRowsResult | null;
  findError: UiError | null;
  batch: BatchResult | null;
  batchRunning: boolean;
  batchError: UiError | null;
  compareIndex: string | null;
  compare: CompareResult | null;
  compareError: UiError | null;
  /** the vector of the point under the mouse on the map, when the dataset's vectors may be images */
  hoverVector: { dataset: string; row: number; vector: Float32Array } | null;
  /** Fetches a base row's vector for the hover card (null clears it). */
  loadHoverVector(row: number | null): Promise<void>;
  /** Fetches the facts, exact answer and distance sample for the result on screen. */
  loadExtras(): Promise<void>;
  setVectorText(text: string): void;
  runVectorQuery(): Promise<void>;
  findRows(text: string): Promise<void>;
  runBatchText(name: string, text: string): Promise<void>;
  runBatchRows(name: string, rows: number[]): Promise<void>;
  setCompareIndex(id: string | null): Promise<void>;
}

/** The query behind a result, to ask it again: its row, or the pasted vector. */
export function resultQuery(r: QueryResult, pastedVector: Float32Array | null) {
  return r.source === 'vector' ? { kind: 'packed' as const, data: pastedVector ?? new Float32Array(0) } : { kind: r.source, rows: [r.row] };
}

export const createQueryExtrasSlice: SliceCreator<QueryExtrasSlice> = ({ client }) => (set, get) => {
  let hoverTicket = 0;
  const queryOf = (r: QueryResult) => resultQuery(r, get().pastedVector);

  const runBatch = async (name: string, queries: { kind: 'packed'; data: Float32Array } | { kind: 'baseRows'; rows: number[] }, describe: string[]) => {
    const s = get();
    const index = selectActiveIndex(s);
    if (!index || index.dataset !== s.datasetId) {
      set({ batchError: { code: 'INDEX_NOT_FOUND', message: 'Build an index for this dataset first.' } });
      return;
    }
    const badK = kProblem(s.kField);
    if (badK) return set({ batchError: badK });
    set({ batchRunning: true, batchError: null });
    try {
      const params = searchParams(index.factory, s);
      const answer = await client.call('search', { index: index.id, queries, k: s.k, ...(params ? { params } : {}) });
      set({ batchRunning: false, batch: { name, dataset: index.dataset, index: index.id, describe, answer } });
    } catch (err) {
      set({ batchRunning: false, batchError: uiError(err) });
    }
  };

  return {
    extras: null,
    vectorText: '',
    vectorError: null,
    pastedVector: null,
    found: null,
    findError: null,
    batch: null,
    batchRunning: false,
    batchError: null,
    compareIndex: null,
    compare: null,
    compareError: null,
    hoverVector: null,

    async loadHoverVector(row) {
      const ticket = ++hoverTicket;
      const dataset = get().datasets.find((d) => d.id === get().datasetId);
      if (row === null || !dataset || !imageSideOf(dataset.dim)) return set({ hoverVector: null });
      const held = get().hoverVector;
      if (held && held.dataset === dataset.id && held.row === row) return;
      const info = await client.call('rowInfo', { dataset: dataset.id, rows: [row], vectors: true }).catch(() => null);
      // the mouse may have moved on meanwhile: only the latest point's vector is shown
      if (info?.vectors && ticket === hoverTicket && get().datasetId === dataset.id) set({ hoverVector: { dataset: dataset.id, row, vector: info.vectors } });
    },

    async loadExtras() {
      const s = get();
      const result = s.result;
      if (!result) {
        set({ extras: null, compare: null });
        return;
      }
      const index = s.indexes.find((i) => i.id === result.index);
      const metric = index?.metric ?? 'l2';
      const ids = Array.from(result.ids).filter((id) => id >= 0);
      const approximate = index ? index.factory.trim().toLowerCase() !== 'flat' : false;
      const query = queryOf(result);
      // each part is optional: one failing must not hide the others
      const [facts, exact, sample] = await Promise.all([
        // the neighbours' vectors only where they can be shown (small images): k x dim floats otherwise for nothing
        client.call('rowInfo', { dataset: result.dataset, rows: ids, vectors: imageSideOf(s.datasets.find((d) => d.id === result.dataset)?.dim ?? 0) !== null }).catch(() => null),
        approximate ? client.call('exactSearch', { dataset: result.dataset, metric, queries: query, k: result.k, rows: Array.from(result.ids) }).catch(() => null) : Promise.resolve(null),
        client.call('distanceSample', { dataset: result.dataset, metric, queries: query, sample: HISTOGRAM_SAMPLE }).catch(() => null),
      ]);
      if (get().result !== result) return;
      const marks = exact?.row_distances ? answerMarks(result.ids, exact.row_distances, exact.labels, exact.distances, metric) : null;
      set({ extras: { result, facts, marks, sample } });
      if (get().compareIndex) void get().setCompareIndex(get().compareIndex);
    },

    setVectorText: (vectorText) => set({ vectorText, vectorError: null }),

    async runVectorQuery() {
      const s = get();
      const dataset = s.datasets.find((d) => d.id === s.datasetId);
      const index = selectActiveIndex(s);
      if (!dataset || !index || index.dataset !== dataset.id) {
        set({ vectorError: { code: 'INDEX_NOT_FOUND', message: 'Build an index for this dataset first.' } });
        return;
      }
      let vector: Float32Array;
      try {
        vector = parseVectors(s.vectorText, dataset.dim);
      } catch (err) {
        set({ vectorError: { code: 'BAD_DIMENSION', message: err instanceof Error ? err.message : String(err) } });
        return;
      }
      const badK = kProblem(s.kField);
      if (badK) return set({ vectorError: badK });
      if (vector.length > dataset.dim) {
        set({ vectorError: { code: 'BAD_REQUEST', message: 'Paste one vector here; use a batch file for several.' } });
        return;
      }
      set({ vectorError: null, queryRunning: true, pastedVector: vector });
      try {
        const params = searchParams(index.factory, s);
        const answer = await client.call('search', { index: index.id, queries: { kind: 'packed', data: vector }, k: s.k, ...(params ? { params } : {}) });
        set({
          queryRunning: false,
          queryError: null,
          focusedRank: null,
          result: { dataset: dataset.id, index: index.id, source: 'vector', row: -1, k: answer.k, ids: answer.labels, distances: answer.distances, tookMs: answer.took_ms, params: params ?? {}, ignoredParams: answer.ignored_params },
        });
      } catch (err) {
        set({ queryRunning: false, vectorError: uiError(err) });
      }
    },

    async findRows(text) {
      const dataset = get().datasetId;
      if (!dataset || !text.trim()) {
        set({ found: null, findError: null });
        return;
      }
      try {
        set({ found: await client.call('findRows', { dataset, text, limit: 50 }), findError: null });
      } catch (err) {
        set({ findError: uiError(err) });
      }
    },

    async runBatchText(name, text) {
      const dataset = get().datasets.find((d) => d.id === get().datasetId);
      if (!dataset) return;
      let data: Float32Array;
      try {
        data = parseVectors(text, dataset.dim);
      } catch (err) {
        set({ batchError: { code: 'BAD_DIMENSION', message: `${name}: ${err instanceof Error ? err.message : String(err)}` } });
        return;
      }
      const n = data.length / dataset.dim;
      await runBatch(name, { kind: 'packed', data }, Array.from({ length: n }, (_, i) => `${name} #${i + 1}`));
    },

    async runBatchRows(name, rows) {
      await runBatch(name, { kind: 'baseRows', rows }, rows.map((r) => `base row ${r}`));
    },

    async setCompareIndex(other) {
      set({ compareIndex: other, compareError: null });
      const s = get();
      const result = s.result;
      if (!other || !result) {
        set({ compare: null });
        return;
      }
      const index = s.indexes.find((i) => i.id === other);
      const metric = s.indexes.find((i) => i.id === result.index)?.metric ?? 'l2';
      try {
        const query = queryOf(result);
        const [answer, exact] = await Promise.all([
          client.call('search', { index: other, queries: query, k: result.k }),
          client.call('exactSearch', { dataset: result.dataset, metric: index?.metric ?? metric, queries: query, k: result.k }),
        ]);
        if (get().result !== result) return;
        set({ compare: { result, other, ids: answer.labels, distances: answer.distances, exactIds: exact.labels } });
      } catch (err) {
        set({ compareError: uiError(err), compare: null });
      }
    },
  };
};
