import type { RunningJob } from '../../../app/contract/client.js';
import type { UmapParams, UmapResult } from '../../../app/contract/explore.js';
import type { Projection } from '../../../app/contract/operations.js';
import { UMAP_DEFAULTS, umapKey, umapProblem } from '../../../app/projection/umap-options.js';
import { isCancelled, uiError } from './errors.js';
import { cancelRunning, runJob } from './jobs.js';
import type { AppState, JobView, SliceCreator, UiError } from './types.js';
import { selectProjection } from './view-slice.js';

export type ProjectionMethod = 'pca' | 'umap';

export interface UmapSlice {
  projectionMethod: ProjectionMethod;
  /** 3: the scatter in 3D where the shown projection has a third axis (a choice kept across methods) */
  projectionDims: 2 | 3;
  umapParams: UmapParams;
  /** finished layouts by dataset and parameters: switching back to one is instant */
  umapResults: Record<string, UmapResult>;
  umapJob: JobView | null;
  umapError: UiError | null;
  umapNotice: string | null;
  setProjectionMethod(method: ProjectionMethod): void;
  setProjectionDims(dims: 2 | 3): void;
  setUmapParams(patch: Partial<UmapParams>): void;
  runUmap(): Promise<void>;
  cancelUmap(): Promise<void>;
}

export const createUmapSlice: SliceCreator<UmapSlice> = ({ client, jobPollMs = 2000 }) => (set, get) => {
  let running: RunningJob<UmapResult> | null = null;
  return {
    projectionMethod: 'pca',
    projectionDims: 2,
    umapParams: { ...UMAP_DEFAULTS },
    umapResults: {},
    umapJob: null,
    umapError: null,
    umapNotice: null,

    setProjectionMethod: (projectionMethod) => set({ projectionMethod }),
    setProjectionDims: (projectionDims) => set({ projectionDims }),
    setUmapParams: (patch) => set((s) => ({ umapParams: { ...s.umapParams, ...patch }, umapError: null, umapNotice: null })),

    async runUmap() {
      const s = get();
      const dataset = s.datasets.find((d) => d.id === s.datasetId);
      if (!dataset || s.umapJob) return;
      const problem = umapProblem(s.umapParams, dataset.n);
      if (problem) {
        set({ umapError: { code: 'BAD_PARAM', message: problem } });
        return;
      }
      const params = { ...s.umapParams };
      const key = umapKey(dataset.id, params);
      if (s.umapResults[key]) {
        set({ projectionMethod: 'umap' });
        return;
      }
      set({ umapJob: { job: null, phase: 'starting', done: 0, total: 0 }, umapError: null, umapNotice: null, projectionMethod: 'umap' });
      const onProgress = (p: { phase: string; done: number; total: number }) => set((st) => (st.umapJob ? { umapJob: { ...st.umapJob, ...p } } : {}));
      try {
        const result = await runJob(client, 'umap', { dataset: dataset.id, params }, jobPollMs, onProgress, (job) => {
          running = job;
          set((st) => (st.umapJob ? { umapJob: { ...st.umapJob, job: job.job } } : {}));
        });
        set((st) => ({ umapJob: null, umapResults: { ...st.umapResults, [key]: result } }));
      } catch (err) {
        set(isCancelled(err) ? { umapJob: null, umapNotice: 'UMAP cancelled.' } : { umapJob: null, umapError: uiError(err) });
      } finally {
        running = null;
      }
    },

    async cancelUmap() {
      if (!running) return;
      set((st) => (st.umapJob ? { umapJob: { ...st.umapJob, phase: 'cancelling' } } : {}));
      await cancelRunning(running, (umapError) => set({ umapError }));
    },
  };
};

/** The UMAP layout for the current dataset and parameters, once computed. */
export function selectUmap(state: AppState): UmapResult | null {
  return state.datasetId ? (state.umapResults[umapKey(state.datasetId, state.umapParams)] ?? null) : null;
}

/** What the scatter shows: UMAP when chosen and computed, else PCA. */
export function selectShownProjection(state: AppState): Projection | null {
  return (state.projectionMethod === 'umap' ? selectUmap(state) : null) ?? selectProjection(state);
}

/** How many axes the scatter draws: 3 only when chosen and the shown projection has a third. */
export function selectShownDims(state: AppState): 2 | 3 {
  return state.projectionDims === 3 && selectShownProjection(state)?.baseZ ? 3 : 2;
}
