import type { RunningJob } from '../../../app/contract/client.js';
import type { JobOpName, OpInput } from '../../../app/contract/operations.js';
import type { ColumnValues, DuplicatesResult, HubsResult, OverlapResult, PointRecallResult, ProjectionRef } from '../../../app/contract/explore.js';
import { umapKey } from '../../../app/projection/umap-options.js';
import { selectActiveIndex } from './index-slice.js';
import { searchParams } from './query-slice.js';
import { isCancelled, uiError } from './errors.js';
import { cancelRunning, runJob } from './jobs.js';
import type { AppState, JobView, SliceCreator, UiError } from './types.js';
import { selectUmap } from './umap-slice.js';
import { LIMITS } from '../../../app/contract/limits.js';

/** What the scatter is coloured by: nothing, the labels, a metadata column, or a diagnostic. */
export type ColourBy = 'none' | 'label' | `meta:${string}` | 'recall' | 'overlap' | 'hubs';

/** Where a column's values are kept: by the colour choice itself, so a metadata column named "label" is not the labels. */
export function columnKey(dataset: string, colourBy: 'label' | `meta:${string}`): string {
  return `${dataset}|${colourBy}`;
}
export type DiagnosticKind = 'recall' | 'overlap' | 'hubs' | 'duplicates';

export interface DiagnosticsSlice {
  colourBy: ColourBy;
  /** colour a column of a few whole numbers (class ids, digits) by class rather than on a scale */
  wholeAsCategories: boolean;
  /** categories of the current colouring hidden from the map by a click on the legend */
  hiddenCategories: number[];
  /** label and metadata columns by `dataset|column` */
  columns: Record<string, ColumnValues>;
  recall: Record<string, PointRecallResult>;
  overlap: Record<string, OverlapResult>;
  hubs: Record<string, HubsResult>;
  duplicates: Record<string, DuplicatesResult>;
  duplicateRadius: number;
  diagnosticJob: (JobView & { kind: DiagnosticKind }) | null;
  diagnosticError: (UiError & { kind: DiagnosticKind | 'colour' }) | null;
  setColourBy(colour: ColourBy): Promise<void>;
  setWholeAsCategories(on: boolean): void;
  toggleCategory(code: number): void;
  setDuplicateRadius(radius: number): void;
  runDiagnostic(kind: DiagnosticKind): Promise<void>;
  cancelDiagnostic(): Promise<void>;
}

/** recall and hubs are per index and k; overlap per projection and k; duplicates per index and radius */
export function diagnosticKey(state: AppState, kind: DiagnosticKind): string | null {
  const index = selectActiveIndex(state);
  switch (kind) {
    case 'recall':
    case 'hubs':
      return index && index.dataset === state.datasetId ? `${index.id}|${state.k}` : null;
    case 'duplicates':
      return index && index.dataset === state.datasetId ? `${index.id}|${state.duplicateRadius}` : null;
    case 'overlap': {
      const ref = projectionRef(state);
      return ref && state.datasetId ? `${ref.method === 'umap' ? umapKey(state.datasetId, ref.params) : `${state.datasetId}|pca`}|${state.k}` : null;
    }
  }
}

/** The projection on screen, as the engine names it. */
export function projectionRef(state: AppState): ProjectionRef | null {
  const umap = state.projectionMethod === 'umap' ? selectUmap(state) : null;
  if (umap) return { method: 'umap', params: umap.params };
  return state.datasetId && state.projections[state.datasetId] ? { method: 'pca' } : null;
}

export const createDiagnosticsSlice: SliceCreator<DiagnosticsSlice> = ({ client, jobPollMs = 2000 }) => (set, get) => {
  let running: RunningJob<unknown> | null = null;

  const store = (kind: DiagnosticKind, key: string, value: unknown) =>
    set((s) => {
      const field = kind === 'duplicates' ? 'duplicates' : kind;
      return { [field]: { ...s[field], [key]: value } } as Partial<AppState>;
    });

  return {
    colourBy: 'label',
    wholeAsCategories: true,
    hiddenCategories: [],
    columns: {},
    recall: {},
    overlap: {},
    hubs: {},
    duplicates: {},
    duplicateRadius: 1,
    diagnosticJob: null,
    diagnosticError: null,

    setWholeAsCategories: (wholeAsCategories) => set({ wholeAsCategories, hiddenCategories: [] }),
    toggleCategory: (code) =>
      set((s) => ({ hiddenCategories: s.hiddenCategories.includes(code) ? s.hiddenCategories.filter((c) => c !== code) : [...s.hiddenCategories, code] })),

    async setColourBy(colourBy) {
      // hidden categories belong to the colouring that had them
      set((s) => ({ colourBy, diagnosticError: null, hiddenCategories: s.colourBy === colourBy ? s.hiddenCategories : [] }));
      const s = get();
      if (colourBy === 'recall' || colourBy === 'overlap' || colourBy === 'hubs') {
        const key = diagnosticKey(s, colourBy);
        if (key && !s[colourBy][key]) await get().runDiagnostic(colourBy);
        return;
      }
      if (colourBy === 'none' || !s.datasetId) return;
      const key = columnKey(s.datasetId, colourBy);
      if (s.columns[key]) return;
      try {
        const values = await client.call('columnValues', { dataset: s.datasetId, ...(colourBy === 'label' ? {} : { column: colourBy.slice('meta:'.length) }) });
        set((st) => ({ columns: { ...st.columns, [key]: values } }));
      } catch (err) {
        set({ diagnosticError: { ...uiError(err), kind: 'colour' } });
      }
    },

    setDuplicateRadius: (duplicateRadius) => set({ duplicateRadius }),

    async runDiagnostic(kind) {
      const s = get();
      if (s.diagnosticJob || !s.datasetId) return;
      const key = diagnosticKey(s, kind);
      const index = selectActiveIndex(s);
      if (!key) {
        const what = kind === 'overlap' ? 'a projection on screen' : 'a ready index for this dataset';
        set({ diagnosticError: { code: 'BAD_REQUEST', message: `This needs ${what} first.`, kind } });
        return;
      }
      const k = Math.min(s.k, LIMITS.diagnosticsK);
      const dataset = s.datasetId;
      set({ diagnosticJob: { kind, job: null, phase: 'starting', done: 0, total: 0 }, diagnosticError: null });
      const onProgress = (p: { phase: string; done: number; total: number }) => set((st) => (st.diagnosticJob ? { diagnosticJob: { ...st.diagnosticJob, ...p } } : {}));
      const onStarted = (job: RunningJob<unknown>) => {
        running = job;
        set((st) => (st.diagnosticJob ? { diagnosticJob: { ...st.diagnosticJob, job: job.job } } : {}));
      };
      const run = <K extends JobOpName>(op: K, input: OpInput<K>) => runJob(client, op, input, jobPollMs, onProgress, onStarted);
      try {
        const params = kind === 'recall' ? searchParams(index!.factory, s) : undefined;
        const result = await (kind === 'recall'
          ? run('pointRecall', { dataset, index: index!.id, k, ...(params ? { params } : {}) })
          : kind === 'hubs'
            ? run('hubs', { dataset, index: index!.id, k, top: 20 })
            : kind === 'duplicates'
              ? run('nearDuplicates', { dataset, index: index!.id, radius: s.duplicateRadius, maxPairs: 500 })
              : run('neighbourhoodOverlap', { dataset, projection: projectionRef(s)!, k, sample: 1000 }));
        store(kind, key, result);
        set({ diagnosticJob: null });
      } catch (err) {
        set({ diagnosticJob: null, diagnosticError: isCancelled(err) ? null : { ...uiError(err), kind } });
      } finally {
        running = null;
      }
    },

    async cancelDiagnostic() {
      if (!running) return;
      set((st) => (st.diagnosticJob ? { diagnosticJob: { ...st.diagnosticJob, phase: 'cancelling' } } : {}));
      await cancelRunning(running, (e) => set({ diagnosticError: { ...e, kind: get().diagnosticJob?.kind ?? 'recall' } }));
    },
  };
};

/** A diagnostic's result for what is on screen now, if computed. */
export function selectDiagnostic<K extends DiagnosticKind>(state: AppState, kind: K): DiagnosticsSlice[K extends 'duplicates' ? 'duplicates' : K][string] | null {
  const key = diagnosticKey(state, kind);
  const field = (kind === 'duplicates' ? 'duplicates' : kind) as 'recall' | 'overlap' | 'hubs' | 'duplicates';
  return key ? ((state[field] as Record<string, never>)[key] ?? null) : null;
}
