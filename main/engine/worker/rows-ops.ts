import { EngineError } from '../../../app/contract/errors.js';
import { labelsFromMetadata } from '../../../app/datasets/labels.js';
import type { MetadataColumn } from '../../../app/datasets/readers/types.js';
import { getDataset, type Dataset, type Handlers } from './state.js';
import { rowsOf } from './vectors.js';
import { ROW_VECTOR_MAX_DIM } from '../../../app/contract/explore.js';

const DEFAULT_FIND_LIMIT = 50;

/** Names of each label number: from the metadata column the labels came from, else the numbers themselves. */
const labelNames = new WeakMap<Dataset, string[] | null>();
function namesOf(ds: Dataset): string[] | null {
  // names only for labels read from a metadata column; labels of the file itself are numbers
  if (!labelNames.has(ds)) labelNames.set(ds, ds.info.labelColumn ? (labelsFromMetadata(ds.metadata, ds.n)?.names ?? null) : null);
  return labelNames.get(ds) ?? null;
}

function labelText(ds: Dataset, row: number): string | null {
  if (!ds.labels) return null;
  const code = ds.labels[row];
  return namesOf(ds)?.[code] ?? String(code);
}

function column(ds: Dataset, name: string): MetadataColumn {
  const col = ds.metadata?.find((c) => c.name === name);
  if (!col) throw new EngineError('NOT_FOUND', `dataset "${ds.info.name}" has no metadata column "${name}"`);
  return col;
}

export const rowsOps: Handlers<'rowInfo' | 'columnValues' | 'findRows'> = {
  async rowInfo({ dataset, rows, vectors }) {
    const ds = getDataset(dataset);
    for (const r of rows) if (r >= ds.n) throw new EngineError('ROW_OUT_OF_RANGE', `row ${r} is outside 0..${ds.n - 1}`);
    return {
      ...(vectors && ds.dim <= ROW_VECTOR_MAX_DIM ? { vectors: rowsOf(ds.base, ds.dim, rows) } : {}),
      ...(ds.labels ? { labels: rows.map((r) => labelText(ds, r)) } : {}),
      columns: (ds.metadata ?? []).map((c) => ({ name: c.name, values: rows.map((r) => c.values[r] ?? null) })),
    };
  },

  async columnValues({ dataset, column: name }) {
    const ds = getDataset(dataset);
    // no column: the labels; a column named "label" is a column like any other
    if (name === undefined) {
      if (!ds.labels) throw new EngineError('NOT_FOUND', `dataset "${ds.info.name}" has no labels`);
      let classes = 0;
      for (const l of ds.labels) classes = Math.max(classes, l + 1);
      const names = namesOf(ds) ?? Array.from({ length: classes }, (_, i) => String(i));
      return { kind: 'category', codes: ds.labels, names };
    }
    const col = column(ds, name);
    if (col.type === 'number') return { kind: 'number', values: Float64Array.from(col.values, (v) => (typeof v === 'number' ? v : Number.NaN)) };
    const codes = new Int32Array(ds.n);
    const index = new Map<string, number>();
    col.values.forEach((v, i) => {
      if (v === null) {
        codes[i] = -1;
        return;
      }
      const key = String(v);
      let c = index.get(key);
      if (c === undefined) index.set(key, (c = index.size));
      codes[i] = c;
    });
    return { kind: 'category', codes, names: [...index.keys()] };
  },

  async findRows({ dataset, text, limit }) {
    const ds = getDataset(dataset);
    const want = text.trim().toLowerCase();
    const max = limit ?? DEFAULT_FIND_LIMIT;
    const rows: number[] = [];
    const matches: string[] = [];
    let total = 0;
    // a bare number is also a row id
    if (/^\d+$/.test(want) && Number(want) < ds.n) {
      rows.push(Number(want));
      matches.push(`row ${want}`);
      total++;
    }
    const texts: { name: string; at: (row: number) => string | null }[] = [];
    if (ds.labels) texts.push({ name: 'label', at: (r) => labelText(ds, r) });
    for (const c of ds.metadata ?? []) if (c.type === 'string') texts.push({ name: c.name, at: (r) => (c.values[r] === null ? null : String(c.values[r])) });
    for (let r = 0; r < ds.n; r++) {
      for (const t of texts) {
        const v = t.at(r);
        if (v === null || !v.toLowerCase().includes(want)) continue;
        total++;
        if (rows.length < max) {
          rows.push(r);
          matches.push(`${t.name}: ${v}`);
        }
        break;
      }
    }
    return { rows, matches, total };
  },
};
