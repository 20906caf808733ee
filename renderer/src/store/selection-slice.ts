import { toCsv, toJson } from '../../../app/explore/table-export.js';
import { exportName, provenance, selectionTable } from '../export-tables.js';
import { uiError } from './errors.js';
import { selectActiveIndex } from './index-slice.js';
import type { SliceCreator, UiError } from './types.js';
import { selectShownProjection } from './umap-slice.js';

/** What dragging on the scatter does: zoom, pan, or select a box or a lasso of points. */
export type DragMode = 'zoom' | 'pan' | 'select' | 'lasso';

/** A file to save: its name, text and type. */
export interface Exported {
  name: string;
  text: string;
  type: string;
}

export interface SelectionSlice {
  dragMode: DragMode;
  /** base rows picked on the scatter (box or lasso), for the current dataset */
  selection: { dataset: string; rows: number[] } | null;
  selectionError: UiError | null;
  setDragMode(mode: DragMode): void;
  setSelection(rows: number[] | null): void;
  /** The selection with ids, facts, map coordinates, distances to the query, and how it was made. */
  exportSelection(format: 'csv' | 'json'): Promise<Exported | null>;
}

export const createSelectionSlice: SliceCreator<SelectionSlice> = ({ client }) => (set, get) => ({
  dragMode: 'zoom',
  selection: null,
  selectionError: null,
  setDragMode: (dragMode) => set({ dragMode }),
  setSelection(rows) {
    const dataset = get().datasetId;
    set({ selection: rows && rows.length && dataset ? { dataset, rows } : null, selectionError: null });
  },

  async exportSelection(format) {
    const s = get();
    const selection = s.selection;
    if (!selection) return null;
    try {
      const facts = await client.call('rowInfo', { dataset: selection.dataset, rows: selection.rows });
      const projection = selectShownProjection(s);
      const result = s.result?.dataset === selection.dataset ? s.result : null;
      const table = selectionTable(selection.rows, projection, facts, result);
      const dataset = s.datasets.find((d) => d.id === selection.dataset) ?? null;
      const name = exportName(dataset?.name ?? selection.dataset, 'selection');
      if (format === 'csv') return { name: `${name}.csv`, text: toCsv(table), type: 'text/csv' };
      const about = provenance(dataset, selectActiveIndex(s), {
        projection: projection?.method === 'umap' ? { method: 'umap', ...s.umapParams } : { method: projection?.method ?? 'none' },
        k: s.k,
        query: result ? { source: result.source, row: result.row } : null,
        selected: selection.rows.length,
      });
      return { name: `${name}.json`, text: toJson(table, about), type: 'application/json' };
    } catch (err) {
      set({ selectionError: uiError(err) });
      return null;
    }
  },
});
