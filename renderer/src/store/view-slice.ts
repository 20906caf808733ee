import type { RunningJob } from '../../../app/contract/client.js';
import type { EngineEvent } from '../../../app/contract/events.js';
import type { Projection } from '../../../app/contract/operations.js';
import { isCancelled, uiError } from './errors.js';
import { cancelRunning, finishJob } from './jobs.js';
import type { JobView, SliceCreator, UiError } from './types.js';

export interface ViewSlice {
  /** finished projections by dataset id: coming back to a dataset costs nothing */
  projections: Record<string, Projection>;
  /** the projection job of the current dataset, while it runs */
  projectionJob: JobView | null;
  projectionError: UiError | null;
  /** the neighbour (rank, from 0) the table has focus on: drawn highlighted in the charts */
  focusedRank: number | null;
  /** what the engine last said about itself, when that matters to the user */
  engineNotice: string | null;
  runProjection(datasetId: string): Promise<void>;
  cancelProjection(): Promise<void>;
  setFocusedRank(rank: number | null): void;
  /** Reacts to what the engine pushes that is not a job's own progress. */
  handleEngineEvent(event: EngineEvent): void;
}

export const createViewSlice: SliceCreator<ViewSlice> = ({ client, jobPollMs = 2000 }) => (set, get) => {
  let running: { dataset: string; job: RunningJob<Projection> | null } | null = null;

  return {
    projections: {},
    projectionJob: null,
    projectionError: null,
    focusedRank: null,
    engineNotice: null,

    async runProjection(datasetId) {
      // one projection at a time: the previous dataset's is of no use any more
      if (running && running.dataset !== datasetId) {
        void running.job?.cancel().catch(() => {});
        running = null;
      }
      if (get().projections[datasetId]) {
        set({ projectionJob: null, projectionError: null });
        return;
      }
      if (running) return;
      const mine: { dataset: string; job: RunningJob<Projection> | null } = { dataset: datasetId, job: null };
      running = mine;
      const current = () => running === mine;
      const onProgress = (p: { phase: string; done: number; total: number }) => {
        if (current()) set((s) => ({ projectionJob: { job: s.projectionJob?.job ?? null, ...p } }));
      };
      set({ projectionJob: { job: null, phase: 'starting', done: 0, total: 0 }, projectionError: null });
      try {
        mine.job = await client.start('project', { dataset: datasetId, method: 'pca' }, onProgress);
        if (!current()) {
          void mine.job.cancel().catch(() => {});
          return;
        }
        set((s) => (s.projectionJob ? { projectionJob: { ...s.projectionJob, job: mine.job!.job } } : {}));
        const projection = await finishJob(client, mine.job, jobPollMs, onProgress);
        set((s) => ({ projections: { ...s.projections, [datasetId]: projection } }));
        if (current()) set({ projectionJob: null });
      } catch (err) {
        if (!current()) return;
        set({ projectionJob: null, projectionError: isCancelled(err) ? null : uiError(err) });
      } finally {
        if (current()) running = null;
      }
    },

    async cancelProjection() {
      const job = running?.job;
      if (job) await cancelRunning(job, (projectionError) => set({ projectionError }));
    },

    setFocusedRank: (focusedRank) => set({ focusedRank }),

    handleEngineEvent(event) {
      if (event.type === 'catalogue') {
        void get().loadDatasets();
        void get().refreshIndexes();
      } else if (event.type === 'engine') {
        set({ engineNotice: event.state === 'restarted' ? event.message : null });
        if (event.state === 'restarted') {
          void get().loadDatasets();
          void get().refreshIndexes();
        }
      }
    },
  };
};

/** The projection of the current dataset, once it exists. */
export function selectProjection(state: Pick<ViewSlice, 'projections'> & { datasetId: string | null }): Projection | null {
  return state.datasetId ? (state.projections[state.datasetId] ?? null) : null;
}
