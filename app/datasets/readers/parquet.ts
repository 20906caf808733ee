import { parquetMetadataAsync, parquetRead, parquetSchema, type AsyncBuffer, type FileMetaData, type SchemaTree } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { EngineError } from '../../contract/errors.js';
import { DEFAULT_VECTOR_FIELDS } from './vector-fields.js';
import { MetadataColumnBuilder } from './metadata-column.js';
import { count, fileError, quote } from './place.js';
import type { VectorTable } from './types.js';

export interface ParquetOptions {
  /** the list column holding the vector; default 'embedding', 'vector', else the first list of numbers */
  field?: string;
}

const MAGIC = 'PAR1';

const LEAF_DTYPE: Record<string, string> = { FLOAT: 'float32', DOUBLE: 'float64', INT32: 'int32', INT64: 'int64' };

/**
 * Reads a parquet file one row group at a time with hyparquet: a list (or fixed-size list) column
 * of numbers becomes the vector, the other columns metadata. hyparquet decodes a whole row group
 * of a column at once, so memory beyond the output is about one row group.
 */
export async function readParquet(
  file: AsyncBuffer,
  opts: ParquetOptions,
  onProgress: (done: number, total: number) => void,
  checkpoint: () => Promise<void>,
): Promise<VectorTable> {
  await checkMagic(file);
  const metadata = await wrap(() => parquetMetadataAsync(file), 'the parquet footer');
  const schema = parquetSchema(metadata);
  const vector = chooseVectorColumn(schema, opts.field);
  const leaf = leafOf(vector)!;
  const metaColumns = schema.children.filter((c) => c !== vector);
  const n = Number(metadata.num_rows);
  if (n === 0) throw fileError('EMPTY_FILE', 'the parquet file has no rows');

  const builders = metaColumns.map((c) => new MetadataColumnBuilder(c.element.name));
  const columns = [vector.element.name, ...metaColumns.map((c) => c.element.name)];
  let out: Float32Array | null = null;
  let dim = 0;
  let groupStart = 0;
  let bytesDone = 0;
  for (const group of metadata.row_groups) {
    const groupEnd = groupStart + Number(group.num_rows);
    const chunks = new Map<string, { rowStart: number; data: ArrayLike<unknown> }[]>();
    await wrap(
      () =>
        parquetRead({
          file,
          metadata,
          columns,
          rowStart: groupStart,
          rowEnd: groupEnd,
          compressors,
          onChunk: ({ columnName, columnData, rowStart }) => {
            const list = chunks.get(columnName) ?? [];
            list.push({ rowStart, data: columnData as ArrayLike<unknown> });
            chunks.set(columnName, list);
          },
        }),
      `row group at row ${groupStart}`,
    );
    for (let row = groupStart; row < groupEnd; row++) {
      const value = cell(chunks.get(vector.element.name), row);
      const list = numbersOf(value, row, vector.element.name);
      if (!out) {
        dim = list.length;
        if (dim === 0) throw fileError('BAD_DIMENSION', 'the first vector is empty', { row, field: vector.element.name });
        out = new Float32Array(n * dim);
      } else if (list.length !== dim) {
        throw fileError('RAGGED_ROWS', `${count(list.length, 'number')} where the first vector has ${dim}`, { row, field: vector.element.name });
      }
      const base = row * dim;
      for (let j = 0; j < dim; j++) {
        const raw = list[j];
        const v = typeof raw === 'bigint' ? Number(raw) : raw;
        if (typeof v !== 'number') throw fileError('NOT_NUMERIC', `value ${quote(String(v))} is not a number`, { row, column: j, field: vector.element.name });
        const stored = Math.fround(v);
        if (stored - stored !== 0) throw fileError('NON_FINITE', `value ${v} is not a finite float32`, { row, column: j, field: vector.element.name });
        out[base + j] = stored;
      }
      metaColumns.forEach((c, k) => builders[k].push(metadataCell(cell(chunks.get(c.element.name), row))));
    }
    groupStart = groupEnd;
    bytesDone += groupBytes(group);
    onProgress(Math.min(bytesDone, file.byteLength), file.byteLength);
    await checkpoint();
  }
  onProgress(file.byteLength, file.byteLength);
  const metadataOut = builders.map((b) => b.finish());
  return {
    n,
    dim,
    base: out ?? new Float32Array(0),
    dtype: leafDtype(leaf),
    metadata: metadataOut.length ? metadataOut : undefined,
  };
}

async function checkMagic(file: AsyncBuffer): Promise<void> {
  if (file.byteLength < 12) throw fileError('FILE_TRUNCATED', `a parquet file needs at least 12 bytes, this one has ${file.byteLength}`);
  const head = new TextDecoder().decode(await file.slice(0, 4));
  if (head !== MAGIC) throw fileError('BAD_MAGIC', 'not a parquet file: it does not start with PAR1', { byte: 0 });
  const tail = new TextDecoder().decode(await file.slice(file.byteLength - 4, file.byteLength));
  if (tail !== MAGIC) throw fileError('FILE_TRUNCATED', 'the parquet file does not end with PAR1: it was cut short', { byte: file.byteLength });
}

/** hyparquet throws plain Errors; give them a code and say what was being read. */
async function wrap<T>(run: () => Promise<T>, what: string): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof EngineError) throw err;
    throw fileError('BAD_FILE', `parquet: cannot read ${what}: ${(err as Error).message}`);
  }
}

/** The single leaf under a column when there is exactly one (a list of a primitive). */
function leafOf(node: SchemaTree): SchemaTree | null {
  let at = node;
  while (at.children.length === 1) at = at.children[0];
  return at.children.length === 0 ? at : null;
}

function isNumberList(node: SchemaTree): boolean {
  const leaf = leafOf(node);
  if (!leaf || leaf === node) return false;
  const repeated = node.element.converted_type === 'LIST' || node.element.logical_type?.type === 'LIST' || hasRepeated(node);
  return repeated && leaf.element.type !== undefined && leaf.element.type in LEAF_DTYPE;
}

function hasRepeated(node: SchemaTree): boolean {
  return node.element.repetition_type === 'REPEATED' || node.children.some(hasRepeated);
}

function leafDtype(leaf: SchemaTree): string {
  if (leaf.element.logical_type?.type === 'FLOAT16') return 'float16';
  return LEAF_DTYPE[leaf.element.type ?? ''] ?? String(leaf.element.type).toLowerCase();
}

function chooseVectorColumn(schema: SchemaTree, field: string | undefined): SchemaTree {
  const names = schema.children.map((c) => c.element.name);
  if (field !== undefined) {
    const chosen = schema.children.find((c) => c.element.name === field);
    if (!chosen) throw fileError('MISSING_FIELD', `no column "${field}" (columns: ${names.join(', ')})`, { field });
    if (!isNumberList(chosen)) throw fileError('NOT_NUMERIC', `column "${field}" is not a list of numbers`, { field });
    return chosen;
  }
  const lists = schema.children.filter(isNumberList);
  const preferred = lists.find((c) => DEFAULT_VECTOR_FIELDS.includes(c.element.name)) ?? lists[0];
  if (!preferred) throw fileError('MISSING_FIELD', `no column holds a list of numbers to use as the vector (columns: ${names.join(', ')})`);
  return preferred;
}

function cell(chunks: { rowStart: number; data: ArrayLike<unknown> }[] | undefined, row: number): unknown {
  for (const c of chunks ?? []) {
    const i = row - c.rowStart;
    if (i >= 0 && i < c.data.length) return c.data[i];
  }
  return undefined;
}

function numbersOf(value: unknown, row: number, field: string): ArrayLike<unknown> {
  if (Array.isArray(value) || ArrayBuffer.isView(value)) return value as unknown as ArrayLike<unknown>;
  throw fileError('NOT_NUMERIC', `the vector is ${value === null || value === undefined ? 'missing (null)' : typeof value}`, { row, field });
}

function metadataCell(value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

function groupBytes(group: FileMetaData['row_groups'][number]): number {
  if (group.total_compressed_size !== undefined) return Number(group.total_compressed_size);
  return group.columns.reduce((sum, c) => sum + Number(c.meta_data?.total_compressed_size ?? 0), 0);
}
