import type { ColumnValues, HubsResult, OverlapResult, PointRecallResult } from '../../../app/contract/explore.js';
import { colourFromColumn, sampledColour, type ColourSpec } from '../charts/colour-spec.js';
import { columnKey, selectDiagnostic, type ColourBy } from './diagnostics-slice.js';
import type { AppState } from './types.js';

type ColourSource = PointRecallResult | OverlapResult | HubsResult | ColumnValues | null;

/** What the current colouring is made from: a store object, so selecting it never re-renders needlessly. */
export function selectColourSource(state: AppState): ColourSource {
  const c = state.colourBy;
  if (c === 'recall' || c === 'overlap' || c === 'hubs') return selectDiagnostic(state, c);
  if (c === 'none' || !state.datasetId) return null;
  return state.columns[columnKey(state.datasetId, c)] ?? null;
}

/** The colouring to draw; null while its source is still loading (one colour meanwhile). */
export function colourSpec(colourBy: ColourBy, source: ColourSource, wholeAsCategories = true): ColourSpec | null {
  if (!source) return null;
  if ('recall' in source) return sampledColour(`recall@${source.k}`, source.recall, [0, 1], '.0%');
  // no fixed range: on sets whose neighbourhoods no map keeps (isotropic blobs) every point sits near 0
  if ('overlap' in source) return { kind: 'number', title: `overlap@${source.k}`, values: source.overlap, format: '.0%' };
  if ('counts' in source) return { kind: 'number', title: `k-occurrence (k=${source.k})`, values: source.counts };
  return colourFromColumn(colourBy === 'label' ? 'label' : colourBy.slice('meta:'.length), source, wholeAsCategories);
}
