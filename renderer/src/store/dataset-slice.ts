import type { RunningJob } from '../../../app/contract/client.js';
import type { DatasetInfo } from '../../../app/contract/operations.js';
import { isCancelled, uiError } from './errors.js';
import { cancelRunning, runJob } from './jobs.js';
import type { AppState, JobView, RecentFile, SliceCreator, UiError } from './types.js';

const RECENT_MAX = 8;

export interface DatasetSlice {
  datasets: DatasetInfo[];
  datasetId: string | null;
  datasetsLoading: boolean;
  datasetError: UiError | null;
  /** Lists the engine's datasets; the first time, also selects one. */
  loadDatasets(): Promise<void>;
  /** Makes a dataset current: resets the query, picks its index, starts its projection. */
  selectDataset(id: string): Promise<void>;
  /** a file being sent to the engine or read by it */
  opening: JobView | null;
  openNotice: string | null;
  recentFiles: RecentFile[];
  /** Reads a file on the engine's machine as a new dataset and makes it current; `metadata`: a .tsv/.csv of one row per vector. */
  openPath(path: string, name?: string, metadata?: string): Promise<void>;
  /** The same for a picked or dropped file (streamed to the engine in browser mode). */
  openFile(file: File): Promise<void>;
  cancelOpen(): Promise<void>;
}

/**
 * What answers for one dataset only, cleared when another becomes current: errors and notices of
 * the last build, UMAP, diagnostic and side queries, the batch answer and the selection.
 */
const DATASET_BOUND = {
  datasetError: null,
  buildError: null,
  buildNotice: null,
  umapError: null,
  umapNotice: null,
  diagnosticError: null,
  hiddenCategories: [],
  selection: null,
  selectionError: null,
  vectorError: null,
  pastedVector: null,
  found: null,
  findError: null,
  batch: null,
  batchError: null,
  compareIndex: null,
  compare: null,
  compareError: null,
  extras: null,
  hoverVector: null,
} satisfies Partial<AppState>;

/** The dataset a fresh UI opens on, when the engine has it: labelled, so the first map shows structure. */
export const PREFERRED_DATASET = 'blobs';
/** faiss's own getting-started set, one click away from the first screen. */
export const TUTORIAL_DATASET = 'tutorial';

export const createDatasetSlice: SliceCreator<DatasetSlice> = ({ client, files, recent, jobPollMs = 2000 }) => (set, get) => {
  let running: RunningJob<DatasetInfo> | null = null;
  // one entry per name: an uploaded file is copied afresh each time, under a new path
  const remember = (path: string, name = path.split('/').pop() ?? path) => {
    const recentFiles = [{ path, name }, ...get().recentFiles.filter((r) => r.path !== path && r.name !== name)].slice(0, RECENT_MAX);
    set({ recentFiles });
    recent?.save(recentFiles);
  };
  const progress = (phase: string) => (done: number, total: number) => set((s) => (s.opening ? { opening: { ...s.opening, phase, done, total } } : {}));

  return {
    datasets: [],
    datasetId: null,
    datasetsLoading: false,
    datasetError: null,
    opening: null,
    openNotice: null,
    recentFiles: recent?.load() ?? [],

    async openPath(path, name, metadata) {
      if (get().opening) return;
      const trimmed = path.trim();
      if (!trimmed) {
        set({ datasetError: { code: 'FILE_NOT_FOUND', message: 'Type the path of a file to open.' } });
        return;
      }
      set({ opening: { job: null, phase: 'starting', done: 0, total: 0 }, datasetError: null, openNotice: null });
      try {
        const meta = metadata?.trim();
        const source = { kind: 'file' as const, path: trimmed, ...(meta ? { metadata: meta } : {}) };
        const info = await runJob(client, 'openDataset', { source, ...(name ? { name } : {}) }, jobPollMs, (p) => progress(p.phase)(p.done, p.total), (job) => {
          running = job;
        });
        remember(trimmed, name);
        set((s) => ({ opening: null, datasets: [...s.datasets.filter((d) => d.id !== info.id), info] }));
        await get().selectDataset(info.id);
      } catch (err) {
        if (isCancelled(err)) set({ opening: null, openNotice: 'Opening cancelled.' });
        else set({ opening: null, datasetError: uiError(err) });
      } finally {
        running = null;
      }
    },

    async openFile(file) {
      if (get().opening) return;
      if (!files) {
        set({ datasetError: { code: 'NOT_SUPPORTED', message: 'This window cannot hand files to the engine; type a path instead.' } });
        return;
      }
      set({ opening: { job: null, phase: 'upload', done: 0, total: file.size }, datasetError: null, openNotice: null });
      let path: string;
      try {
        path = await files(file, progress('upload'));
      } catch (err) {
        set({ opening: null, datasetError: uiError(err) });
        return;
      }
      set({ opening: null });
      await get().openPath(path, file.name);
    },

    async cancelOpen() {
      if (running) await cancelRunning(running, (error) => set({ datasetError: error }));
    },

    async loadDatasets() {
      set({ datasetsLoading: true });
      let datasets: DatasetInfo[];
      try {
        datasets = await client.call('listDatasets', {});
      } catch (err) {
        set({ datasetsLoading: false, datasetError: uiError(err) });
        return;
      }
      set({ datasets, datasetsLoading: false, datasetError: null });
      const current = get().datasetId;
      if (current && datasets.some((d) => d.id === current)) return;
      const next = datasets.find((d) => d.id === PREFERRED_DATASET) ?? datasets[0];
      if (next) await get().selectDataset(next.id);
      else set({ datasetId: null });
    },

    async selectDataset(id) {
      const dataset = get().datasets.find((d) => d.id === id);
      if (!dataset) {
        set({ datasetError: { code: 'DATASET_NOT_FOUND', message: `There is no dataset "${id}".` } });
        return;
      }
      if (get().datasetId === id) return;
      // a colouring by a column the new dataset lacks falls back to its labels
      const colourBy = get().colourBy;
      const colourKept = !colourBy.startsWith('meta:') || !!dataset.metadata?.some((m) => `meta:${m.name}` === colourBy);
      set({ datasetId: id, ...DATASET_BOUND, ...(colourKept ? {} : { colourBy: 'label' as const }) });
      get().resetQuery(dataset);
      get().fitIndexDefaults(dataset);
      const listed = get()
        .refreshIndexes()
        .then(() => {
          // with an index already built for it, a dataset opens with an answer on screen
          if (get().datasetId === id && get().indexId) return get().runQuery();
        });
      await Promise.all([listed, get().runProjection(id)]);
    },
  };
};

/** The current dataset's facts, or null; a selector, so components re-render only when it changes. */
export function selectDataset(state: Pick<DatasetSlice, 'datasets' | 'datasetId'>): DatasetInfo | null {
  return state.datasets.find((d) => d.id === state.datasetId) ?? null;
}
