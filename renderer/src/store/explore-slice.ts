import { createDiagnosticsSlice, type DiagnosticsSlice } from './diagnostics-slice.js';
import { createQueryExtrasSlice, type QueryExtrasSlice } from './query-extras-slice.js';
import { createSelectionSlice, type SelectionSlice } from './selection-slice.js';
import type { SliceCreator } from './types.js';
import { createUmapSlice, type UmapSlice } from './umap-slice.js';

/** The exploration views' state: UMAP, colouring and diagnostics, selection, and extra ways to query. */
export type ExploreSlice = UmapSlice & DiagnosticsSlice & SelectionSlice & QueryExtrasSlice;

export const createExploreSlice: SliceCreator<ExploreSlice> = (deps) => (...a) => ({
  ...createUmapSlice(deps)(...a),
  ...createDiagnosticsSlice(deps)(...a),
  ...createSelectionSlice(deps)(...a),
  ...createQueryExtrasSlice(deps)(...a),
});
