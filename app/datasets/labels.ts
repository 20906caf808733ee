import type { MetadataColumn } from './readers/types.js';

/** More distinct values than this and a column is an attribute, not a category to colour by. */
export const MAX_CATEGORIES = 64;

/**
 * Category numbers per row from the first string column with few distinct values, so a
 * projection can be coloured without being asked; null when no column fits.
 */
export function labelsFromMetadata(columns: MetadataColumn[] | undefined, n: number): { column: string; labels: Int32Array; names: string[] } | null {
  for (const col of columns ?? []) {
    if (col.type !== 'string') continue;
    const codes = new Map<string, number>();
    const labels = new Int32Array(n);
    let fits = true;
    for (let i = 0; i < n; i++) {
      const v = String(col.values[i] ?? '');
      let c = codes.get(v);
      if (c === undefined) {
        if (codes.size >= MAX_CATEGORIES) {
          fits = false;
          break;
        }
        c = codes.size;
        codes.set(v, c);
      }
      labels[i] = c;
    }
    if (fits && codes.size > 1) return { column: col.name, labels, names: [...codes.keys()] };
  }
  return null;
}
