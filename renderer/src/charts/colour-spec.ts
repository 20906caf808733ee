import type { ColumnValues } from '../../../app/contract/explore.js';

/** How the scatter's points are coloured: by category (with names) or by a number (with a scale). */
export type ColourSpec =
  | { kind: 'category'; title: string; codes: Int32Array; names: string[] }
  | {
      kind: 'number';
      title: string;
      values: Float32Array | Float64Array | Int32Array;
      /** only these rows carry a value (a sample); the others are drawn plain */
      rows?: Int32Array;
      range?: [number, number];
      /** hover format, e.g. '.0%' */
      format?: string;
    };

/** At most this many distinct whole numbers make a column of classes (digits 0-9, a class id), not a measure. */
export const MAX_WHOLE_CATEGORIES = 30;

/**
 * A number column that holds only a few distinct whole numbers, as categories in increasing
 * order (codes index names; -1 where a row has no value); null when it is a real measure.
 */
export function wholeNumberCategories(values: ArrayLike<number>): { codes: Int32Array; names: string[] } | null {
  const distinct = new Set<number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    if (!Number.isInteger(v)) return null;
    distinct.add(v);
    if (distinct.size > MAX_WHOLE_CATEGORIES) return null;
  }
  if (distinct.size < 2) return null;
  const sorted = [...distinct].sort((a, b) => a - b);
  const code = new Map(sorted.map((v, i) => [v, i]));
  const codes = Int32Array.from({ length: values.length }, (_, i) => code.get(values[i]) ?? -1);
  return { codes, names: sorted.map(String) };
}

/** `wholeAsCategories`: a column of a few whole numbers is coloured by class, each its own colour. */
export function colourFromColumn(title: string, values: ColumnValues, wholeAsCategories = true): ColourSpec {
  if (values.kind === 'category') return { kind: 'category', title, codes: values.codes, names: values.names };
  const classes = wholeAsCategories ? wholeNumberCategories(values.values) : null;
  return classes ? { kind: 'category', title, ...classes } : { kind: 'number', title, values: values.values };
}

/** A sampled per-point measure (NaN where not computed) as a colour over just the rows that have it. */
export function sampledColour(title: string, values: Float32Array, range: [number, number], format: string): ColourSpec {
  const rows: number[] = [];
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) rows.push(i);
  if (rows.length === values.length) return { kind: 'number', title, values, range, format };
  const at = Int32Array.from(rows);
  return { kind: 'number', title, values: Float32Array.from(at, (r) => values[r]), rows: at, range, format };
}
