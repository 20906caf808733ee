import type { RunningJob } from '../../../app/contract/client.js';
import { LAB_LIMITS, type LabConfig, type LabRun } from '../../../app/contract/lab.js';
import type { Metric } from '../../../app/contract/operations.js';
import { parseLabJson } from '../../../app/eval/lab-results.js';
import { LAB_PRESETS } from '../../../app/indexes/lab-configs.js';
import { selectDataset } from './dataset-slice.js';
import { isCancelled, uiError } from './errors.js';
import { cancelRunning, runJob } from './jobs.js';
import type { JobView, SliceCreator, UiError } from './types.js';

export type AppView = 'explore' | 'lab';

export interface LabOptions {
  metric: Metric;
  k: number;
  queries: number;
  singleQueries: number;
  repeats: number;
  seed: number;
}

export interface LabSlice {
  activeView: AppView;
  labConfigs: LabConfig[];
  /** the preset the configs came from, while they are unchanged */
  labPreset: string | null;
  labOptions: LabOptions;
  labRun: LabRun | null;
  /** finished and loaded runs, newest first, kept between sessions */
  labHistory: LabRun[];
  labJob: JobView | null;
  labError: UiError | null;
  labNotice: string | null;
  /** the index whose internals are shown, by position in the run */
  labInspect: number;
  /** catalogue ids of lab indexes already kept, by "run:position" */
  labKept: Record<string, string>;
  setActiveView(view: AppView): void;
  applyLabPreset(id: string): void;
  addLabConfig(config: LabConfig): void;
  removeLabConfig(position: number): void;
  setLabSweep(position: number, sweep: number[]): void;
  setLabOptions(options: Partial<LabOptions>): void;
  setLabInspect(position: number): void;
  runLab(): Promise<void>;
  cancelLab(): Promise<void>;
  /** Shows a run exported earlier (its JSON text). */
  loadLabRun(text: string): void;
  /** Shows a kept run again, by its id. */
  openLabRun(id: string): void;
  /** Switches the explore views to one index of the run at one parameter value. */
  exploreLabPoint(position: number, value: number | null): Promise<void>;
  /** ...and queries with one base vector (a badly reconstructed one, say). */
  exploreLabVector(position: number, row: number): Promise<void>;
}

export const DEFAULT_LAB_OPTIONS: LabOptions = {
  metric: 'l2',
  k: LAB_LIMITS.k.default,
  queries: LAB_LIMITS.queries.default,
  singleQueries: LAB_LIMITS.singleQueries.default,
  repeats: LAB_LIMITS.repeats.default,
  seed: 1234,
};

const LAB_HISTORY_MAX = 10;
const REOPENED = 'A kept run: if the engine has restarted since, its indexes are gone and its points cannot be explored.';

export const createLabSlice: SliceCreator<LabSlice> = ({ client, labRuns, jobPollMs = 2000 }) => (set, get) => {
  let running: RunningJob<LabRun> | null = null;
  const history = labRuns?.load() ?? [];

  const keep = (run: LabRun) => {
    const labHistory = [run, ...get().labHistory.filter((r) => r.id !== run.id)].slice(0, LAB_HISTORY_MAX);
    set({ labHistory });
    labRuns?.save(labHistory);
  };

  const edited = (labConfigs: LabConfig[]) => set({ labConfigs, labPreset: null, labError: null });

  /** The catalogue id of a run's index, keeping it first if need be. */
  async function keptIndex(run: LabRun, position: number): Promise<string> {
    const key = `${run.id}:${position}`;
    const known = get().labKept[key];
    if (known && get().indexes.some((i) => i.id === known)) return known;
    const info = await client.call('keepLabIndex', { run: run.id, position });
    set((s) => ({ labKept: { ...s.labKept, [key]: info.id }, indexes: [...s.indexes.filter((i) => i.id !== info.id), info] }));
    return info.id;
  }

  async function showInExplore(position: number, value: number | null): Promise<boolean> {
    const run = get().labRun;
    const ix = run?.indexes[position];
    if (!run || !ix) return false;
    try {
      if (get().datasetId !== run.dataset.id) await get().selectDataset(run.dataset.id);
      const id = await keptIndex(run, position);
      set({
        indexId: id,
        nprobe: ix.param === 'nprobe' ? value : get().nprobe,
        efSearch: ix.param === 'efSearch' ? value : get().efSearch,
        k: run.k,
        kField: run.k,
        activeView: 'explore',
        labError: null,
      });
      return true;
    } catch (err) {
      set({ labError: uiError(err) });
      return false;
    }
  }

  return {
    activeView: 'explore',
    labConfigs: [],
    labPreset: null,
    labOptions: DEFAULT_LAB_OPTIONS,
    // a reload reopens the last run rather than an empty lab
    labRun: history[0] ?? null,
    labHistory: history,
    labJob: null,
    labError: null,
    labNotice: history[0] ? REOPENED : null,
    labInspect: 0,
    labKept: {},

    setActiveView: (activeView) => set({ activeView }),

    applyLabPreset(id) {
      const preset = LAB_PRESETS.find((p) => p.id === id);
      const dataset = selectDataset(get());
      if (!preset || !dataset) return;
      set({ labConfigs: preset.configs(dataset, get().labOptions.k), labPreset: id, labError: null });
    },

    addLabConfig: (config) => edited([...get().labConfigs, config].slice(0, LAB_LIMITS.configs)),
    removeLabConfig: (position) => edited(get().labConfigs.filter((_, i) => i !== position)),
    setLabSweep: (position, sweep) => edited(get().labConfigs.map((c, i) => (i === position ? { ...c, sweep } : c))),
    setLabOptions: (options) => set((s) => ({ labOptions: { ...s.labOptions, ...options }, labError: null })),
    setLabInspect: (labInspect) => set({ labInspect }),

    async runLab() {
      const state = get();
      if (state.labJob) return;
      const dataset = state.datasetId;
      if (!dataset) return set({ labError: { code: 'DATASET_NOT_FOUND', message: 'Choose a dataset first.' } });
      if (state.labConfigs.length === 0) return set({ labError: { code: 'BAD_REQUEST', message: 'Add at least one index, or pick a preset.' } });
      const { metric, k, queries, singleQueries, repeats, seed } = state.labOptions;
      set({ labJob: { job: null, phase: 'starting', done: 0, total: 0 }, labError: null, labNotice: null });
      const onProgress = (p: { phase: string; done: number; total: number }) => set((s) => (s.labJob ? { labJob: { ...s.labJob, ...p } } : {}));
      try {
        const labRun = await runJob(client, 'labRun', { dataset, metric, k, configs: state.labConfigs, queries, singleQueries, repeats, seed }, jobPollMs, onProgress, (job) => {
          running = job;
          set((s) => (s.labJob ? { labJob: { ...s.labJob, job: job.job } } : {}));
        });
        set({ labJob: null, labRun, labInspect: 0 });
        keep(labRun);
      } catch (err) {
        if (isCancelled(err)) set({ labJob: null, labNotice: 'Lab run cancelled.' });
        else set({ labJob: null, labError: uiError(err) });
      } finally {
        running = null;
      }
    },

    async cancelLab() {
      const job = running;
      if (!job) return;
      set((s) => (s.labJob ? { labJob: { ...s.labJob, phase: 'cancelling' } } : {}));
      await cancelRunning(job, (labError) => set({ labError }));
    },

    loadLabRun(text) {
      try {
        const labRun = parseLabJson(text);
        set({ labRun, labInspect: 0, labError: null, labNotice: 'Loaded a saved run: its indexes are not in memory, so its points cannot be explored.' });
        keep(labRun);
      } catch (err) {
        set({ labError: uiError(err) });
      }
    },

    openLabRun(id) {
      const labRun = get().labHistory.find((r) => r.id === id);
      if (labRun) set({ labRun, labInspect: 0, labError: null, labNotice: REOPENED });
    },

    async exploreLabPoint(position, value) {
      if (await showInExplore(position, value)) await get().runQuery();
    },

    async exploreLabVector(position, row) {
      const ix = get().labRun?.indexes[position];
      if (await showInExplore(position, ix?.points.at(-1)?.value ?? null)) await get().queryBasePoint(row);
    },
  };
};
