import type { MetadataColumn } from './readers/types.js';

/** More distinct values than this and a column is an attribute, not a category to colour by. */
export const MAX_CATEGORIES = 64;

/** Names that say a column of whole numbers is a class (scikit-learn's `y`, an .npz's `labels`). */
const LABEL_NAME = /^(labels?|y|targets?|class(es)?|digits?|categor(y|ies))$/i;

/**
 * Category numbers per row from the first string column with few distinct values, else from a
 * column of few whole numbers named as labels (digits 0-9), so a projection can be coloured without
 * being asked; null when no column fits.
 */
export function labelsFromMetadata(columns: MetadataColumn[] | undefined, n: number): { column: string; labels: Int32Array; names: string[] } | null {
  return textLabels(columns, n) ?? numberLabels(columns, n);
}

function numberLabels(columns: MetadataColumn[] | undefined, n: number): { column: string; labels: Int32Array; names: string[] } | null {
  for (const col of columns ?? []) {
    if (col.type !== 'number' || !LABEL_NAME.test(col.name) || col.values.length !== n) continue;
    const distinct = [...new Set(col.values)];
    if (distinct.length < 2 || distinct.length > MAX_CATEGORIES || !distinct.every((v) => typeof v === 'number' && Number.isInteger(v))) continue;
    const order = (distinct as number[]).sort((a, b) => a - b);
    const code = new Map(order.map((v, i) => [v, i]));
    return { column: col.name, labels: Int32Array.from(col.values, (v) => code.get(v as number)!), names: order.map(String) };
  }
  return null;
}

function textLabels(columns: MetadataColumn[] | undefined, n: number): { column: string; labels: Int32Array; names: string[] } | null {
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
