import type { RunningJob } from '../../../app/contract/client.js';
import type { IndexInfo, Metric } from '../../../app/contract/operations.js';
import { buildOptions, defaultParams, factoryString, type IndexChoice, type IndexKind, type ParamName } from '../../../app/indexes/kinds.js';
import { suggestedNlist } from '../../../app/indexes/nlist-rule.js';
import { isCancelled, uiError } from './errors.js';
import { cancelRunning, runJob } from './jobs.js';
import type { JobView, SliceCreator, UiError } from './types.js';

export interface IndexSlice {
  indexKind: IndexKind;
  /** the guided kinds' numbers (nlist, M, ...), kept across kind changes */
  params: Record<ParamName, number>;
  factoryText: string;
  metric: Metric;
  /** every index the engine holds, for all datasets */
  indexes: IndexInfo[];
  indexId: string | null;
  build: JobView | null;
  buildError: UiError | null;
  /** a neutral word about the last build, e.g. that it was cancelled */
  buildNotice: string | null;
  indexListError: UiError | null;
  setIndexKind(kind: IndexKind): void;
  /** whether nlist was typed by the user: else it follows the dataset (about √n) */
  nlistEdited: boolean;
  setParam(name: ParamName, value: number): void;
  /** Fits the guided defaults that depend on the data (nlist) to a newly chosen dataset. */
  fitIndexDefaults(dataset: { n: number }): void;
  setFactoryText(value: string): void;
  setMetric(metric: Metric): void;
  refreshIndexes(): Promise<void>;
  selectIndex(id: string): void;
  buildIndex(): Promise<void>;
  cancelBuild(): Promise<void>;
  dropIndex(id: string): Promise<void>;
}

export const createIndexSlice: SliceCreator<IndexSlice> = ({ client, jobPollMs = 2000 }) => (set, get) => {
  let running: RunningJob<IndexInfo> | null = null;

  /** Keeps the current index if it still belongs to the dataset, else picks its newest ready one. */
  const pickIndex = (indexes: IndexInfo[], datasetId: string | null, current: string | null): string | null => {
    const own = indexes.filter((i) => i.dataset === datasetId && i.status === 'ready');
    if (current && own.some((i) => i.id === current)) return current;
    return own.at(-1)?.id ?? null;
  };

  /** The result on screen answers for the active index: asked again of a new one, dropped with none. */
  const followActiveIndex = () => {
    const { result, indexId } = get();
    if (!result || result.index === indexId) return;
    if (indexId) void get().runQuery();
    else set({ result: null, focusedRank: null });
  };

  return {
    indexKind: 'flat',
    params: defaultParams(),
    factoryText: 'IVF256,PQ16',
    metric: 'l2',
    indexes: [],
    indexId: null,
    build: null,
    buildError: null,
    buildNotice: null,
    indexListError: null,

    setIndexKind: (indexKind) => set({ indexKind, buildError: null, buildNotice: null }),
    nlistEdited: false,
    setParam: (name, value) => set((s) => ({ params: { ...s.params, [name]: value }, buildError: null, nlistEdited: s.nlistEdited || name === 'nlist' })),
    fitIndexDefaults: (dataset) => set((s) => (s.nlistEdited ? {} : { params: { ...s.params, nlist: suggestedNlist(dataset.n, 1) } })),
    setFactoryText: (factoryText) => set({ factoryText, buildError: null }),
    setMetric: (metric) => set({ metric, buildError: null }),

    async refreshIndexes() {
      try {
        const indexes = await client.call('listIndexes', {});
        set((s) => ({ indexes, indexListError: null, indexId: pickIndex(indexes, s.datasetId, s.indexId) }));
        followActiveIndex();
      } catch (err) {
        set({ indexListError: uiError(err) });
      }
    },

    selectIndex(id) {
      if (get().indexId === id) return;
      set({ indexId: id });
      followActiveIndex();
    },

    async buildIndex() {
      const state = get();
      if (state.build) return;
      const dataset = state.datasetId;
      if (!dataset) {
        set({ buildError: { code: 'DATASET_NOT_FOUND', message: 'Choose a dataset before building an index.' } });
        return;
      }
      const preview = factoryPreview(state);
      if ('error' in preview) {
        set({ buildError: preview.error });
        return;
      }
      set({ build: { job: null, phase: 'starting', done: 0, total: 0 }, buildError: null, buildNotice: null });
      const onProgress = (p: { phase: string; done: number; total: number }) =>
        set((s) => (s.build ? { build: { ...s.build, phase: p.phase, done: p.done, total: p.total } } : {}));
      try {
        const info = await runJob(client, 'buildIndex', { dataset, factory: preview.factory, metric: state.metric, ...preview.options }, jobPollMs, onProgress, (job) => {
          running = job;
          set((s) => (s.build ? { build: { ...s.build, job: job.job } } : {}));
        });
        set((s) => ({
          build: null,
          indexes: [...s.indexes.filter((i) => i.id !== info.id), info],
          indexId: info.dataset === s.datasetId ? info.id : s.indexId,
        }));
        followActiveIndex();
      } catch (err) {
        if (isCancelled(err)) set({ build: null, buildNotice: 'Build cancelled.' });
        else set({ build: null, buildError: uiError(err) });
      } finally {
        running = null;
      }
    },

    async cancelBuild() {
      const job = running;
      if (!job) return;
      set((s) => (s.build ? { build: { ...s.build, phase: 'cancelling' } } : {}));
      await cancelRunning(job, (buildError) => set({ buildError }));
    },

    async dropIndex(id) {
      try {
        await client.call('dropIndex', { id });
      } catch (err) {
        set({ indexListError: uiError(err) });
        return;
      }
      set((s) => {
        const indexes = s.indexes.filter((i) => i.id !== id);
        return { indexes, indexListError: null, indexId: pickIndex(indexes, s.datasetId, s.indexId === id ? null : s.indexId) };
      });
      followActiveIndex();
    },
  };
};

type ChoiceFields = Pick<IndexSlice, 'indexKind' | 'params' | 'factoryText'>;

/** The guided choice the panel's fields describe. */
export function indexChoice(state: ChoiceFields): IndexChoice {
  return { kind: state.indexKind, params: state.params, factory: state.factoryText };
}

/** The factory string (and build options) the fields stand for, or why they stand for none. */
export function factoryPreview(state: ChoiceFields): { factory: string; options: { efConstruction?: number } } | { error: UiError } {
  try {
    const choice = indexChoice(state);
    return { factory: factoryString(choice), options: buildOptions(choice) };
  } catch (err) {
    return { error: uiError(err) };
  }
}

/** The current dataset's indexes, in the order they were built. */
export function datasetIndexes(state: Pick<IndexSlice, 'indexes'> & { datasetId: string | null }): IndexInfo[] {
  return state.indexes.filter((i) => i.dataset === state.datasetId);
}

export function selectActiveIndex(state: Pick<IndexSlice, 'indexes' | 'indexId'>): IndexInfo | null {
  return state.indexes.find((i) => i.id === state.indexId) ?? null;
}
