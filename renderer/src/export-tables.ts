import type { RowInfo } from '../../app/contract/explore.js';
import type { DatasetInfo, IndexInfo, Projection } from '../../app/contract/operations.js';
import type { AnswerMarks } from '../../app/eval/recall.js';
import type { ExportTable } from '../../app/explore/table-export.js';
import type { BatchResult } from './store/query-extras-slice.js';
import type { QueryResult } from './store/query-slice.js';

// The tables the views export, built from what the store holds. Pure: tested without a browser.

function factColumns(facts: RowInfo | null): { names: string[]; at: (i: number) => (string | number | null)[] } {
  const columns = facts?.columns.map((c) => c.name) ?? [];
  // a metadata column may itself be called "label": the labels then take another header
  const names = [...(facts?.labels ? [columns.includes('label') ? 'labels' : 'label'] : []), ...columns];
  return {
    names,
    at: (i) => [...(facts?.labels ? [facts.labels[i] ?? null] : []), ...(facts?.columns.map((c) => c.values[i] ?? null) ?? [])],
  };
}

/** Whether a neighbour lies within the exact k-th distance (ties count): "yes", "no", or empty when missing. */
export const FOUND_COLUMN = 'within_exact_kth';

/** The neighbours on screen: rank, id, the index's number (and for cosine the distance 1 − s), facts. */
export function neighbourTable(result: QueryResult, metric: string, facts: RowInfo | null, marks: AnswerMarks | null): ExportTable {
  const ids = Array.from(result.ids);
  const valid = ids.filter((id) => id >= 0);
  const f = factColumns(facts);
  const measure = metric === 'cosine' ? ['similarity', 'cosine_distance'] : [metric === 'ip' ? 'inner_product' : 'squared_l2'];
  return {
    columns: ['rank', 'id', ...measure, ...(marks ? [FOUND_COLUMN] : []), ...f.names],
    rows: ids.map((id, rank) => {
      const d = result.distances[rank];
      const facts = id >= 0 ? f.at(valid.indexOf(id)) : f.names.map(() => null);
      return [rank + 1, id < 0 ? null : id, d, ...(metric === 'cosine' ? [1 - d] : []), ...(marks ? [id < 0 ? null : marks.wrong[rank] ? 'no' : 'yes'] : []), ...facts];
    }),
  };
}

/** Selected points with their facts and map coordinates, and the distance to the query when a neighbour. */
export function selectionTable(rows: number[], projection: Projection | null, facts: RowInfo | null, result: QueryResult | null): ExportTable {
  const f = factColumns(facts);
  const distance = new Map<number, number>();
  result?.ids.forEach((id, r) => distance.set(id, result.distances[r]));
  const coords = projection && projection.base.length / 2 >= Math.max(0, ...rows) + 1;
  return {
    columns: ['id', ...(coords ? ['x', 'y'] : []), ...(result ? ['distance_to_query'] : []), ...f.names],
    rows: rows.map((row, i) => [
      row,
      ...(coords ? [projection!.base[2 * row], projection!.base[2 * row + 1]] : []),
      ...(result ? [distance.get(row) ?? null] : []),
      ...f.at(i),
    ]),
  };
}

/** One line per query and neighbour rank. */
export function batchTable(batch: BatchResult): ExportTable {
  const { n, k, labels, distances } = batch.answer;
  const rows: (string | number | null)[][] = [];
  for (let q = 0; q < n; q++) {
    for (let r = 0; r < k; r++) {
      const id = labels[q * k + r];
      rows.push([q, batch.describe[q] ?? `query ${q}`, r + 1, id < 0 ? null : id, distances[q * k + r]]);
    }
  }
  return { columns: ['query', 'query_source', 'rank', 'id', 'distance'], rows };
}

/** How a result was produced, so it can be reproduced: the dataset by name, the index's factory string and search settings. */
export function provenance(dataset: DatasetInfo | null, index: IndexInfo | null, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    exported_at: new Date().toISOString(),
    ...(dataset ? { dataset: { name: dataset.name, id: dataset.id, n: dataset.n, dim: dataset.dim } } : {}),
    ...(index ? { index: { id: index.id, factory: index.factory, metric: index.metric, ntotal: index.ntotal } } : {}),
    ...extra,
  };
}

/** A file name that says whose data it holds: the dataset's own name, made safe for any file system. */
export function exportName(datasetName: string, what: string): string {
  const stem = datasetName.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'dataset';
  return `${stem}-${what}`;
}
