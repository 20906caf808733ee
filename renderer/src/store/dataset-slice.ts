import type { DatasetInfo } from '../../../app/contract/operations.js';
import { uiError } from './errors.js';
import type { SliceCreator, UiError } from './types.js';

export interface DatasetSlice {
  datasets: DatasetInfo[];
  datasetId: string | null;
  datasetsLoading: boolean;
  datasetError: UiError | null;
  /** Lists the engine's datasets; the first time, also selects one. */
  loadDatasets(): Promise<void>;
  /** Makes a dataset current: resets the query, picks its index, starts its projection. */
  selectDataset(id: string): Promise<void>;
}

/** The dataset a fresh UI opens on, when the engine has it. */
export const PREFERRED_DATASET = 'tutorial';

export const createDatasetSlice: SliceCreator<DatasetSlice> = ({ client }) => (set, get) => ({
  datasets: [],
  datasetId: null,
  datasetsLoading: false,
  datasetError: null,

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
    set({ datasetId: id, datasetError: null });
    get().resetQuery(dataset);
    const listed = get()
      .refreshIndexes()
      .then(() => {
        // with an index already built for it, a dataset opens with an answer on screen
        if (get().datasetId === id && get().indexId) return get().runQuery();
      });
    await Promise.all([listed, get().runProjection(id)]);
  },
});

/** The current dataset's facts, or null; a selector, so components re-render only when it changes. */
export function selectDataset(state: Pick<DatasetSlice, 'datasets' | 'datasetId'>): DatasetInfo | null {
  return state.datasets.find((d) => d.id === state.datasetId) ?? null;
}
