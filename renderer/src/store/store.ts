import { createStore, type StoreApi } from 'zustand/vanilla';
import { createDatasetSlice } from './dataset-slice.js';
import { createExplainSlice } from './explain-slice.js';
import { createExploreSlice } from './explore-slice.js';
import { createIndexSlice } from './index-slice.js';
import { createLabSlice } from './lab-slice.js';
import { createQuerySlice } from './query-slice.js';
import { createServeSlice } from './serve-slice.js';
import type { AppState, StoreDeps } from './types.js';
import { createViewSlice } from './view-slice.js';

export type AppStore = StoreApi<AppState>;

/** The one store: slices over one state, each able to read and call the others. */
export function createAppStore(deps: StoreDeps): AppStore {
  return createStore<AppState>()((...a) => ({
    ...createDatasetSlice(deps)(...a),
    ...createIndexSlice(deps)(...a),
    ...createQuerySlice(deps)(...a),
    ...createViewSlice(deps)(...a),
    ...createLabSlice(deps)(...a),
    ...createExploreSlice(deps)(...a),
    ...createServeSlice(deps)(...a),
    ...createExplainSlice(deps)(...a),
  }));
}

/** Feeds the engine's pushed events to the store; returns the unsubscribe. */
export function connectEngineEvents(store: AppStore, deps: StoreDeps): () => void {
  return deps.client.onEvent((event) => store.getState().handleEngineEvent(event));
}
