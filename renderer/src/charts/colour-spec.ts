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

export function colourFromColumn(title: string, values: ColumnValues): ColourSpec {
  return values.kind === 'category' ? { kind: 'category', title, codes: values.codes, names: values.names } : { kind: 'number', title, values: values.values };
}

/** A sampled per-point measure (NaN where not computed) as a colour over just the rows that have it. */
export function sampledColour(title: string, values: Float32Array, range: [number, number], format: string): ColourSpec {
  const rows: number[] = [];
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) rows.push(i);
  if (rows.length === values.length) return { kind: 'number', title, values, range, format };
  const at = Int32Array.from(rows);
  return { kind: 'number', title, values: Float32Array.from(at, (r) => values[r]), rows: at, range, format };
}
