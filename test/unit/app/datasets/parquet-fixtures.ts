import { parquetWriteBuffer } from 'hyparquet-writer';

/** A column for writeParquet: a scalar column, or a list column of FLOAT or DOUBLE. */
export type FixtureColumn =
  | { name: string; list: 'FLOAT' | 'DOUBLE'; data: (number[] | null)[] }
  | { name: string; type: 'INT64'; data: bigint[] }
  | { name: string; type: 'STRING'; data: (string | null)[] }
  | { name: string; type: 'DOUBLE'; data: number[] };

/** Parquet bytes written by hyparquet-writer, with list columns spelled out as parquet's LIST groups. */
export function writeParquet(columns: FixtureColumn[], rowGroupSize = 1000): ArrayBuffer {
  const schema: Record<string, unknown>[] = [{ name: 'root', num_children: columns.length }];
  for (const c of columns) {
    if ('list' in c) {
      schema.push(
        { name: c.name, repetition_type: 'OPTIONAL', num_children: 1, converted_type: 'LIST', logical_type: { type: 'LIST' } },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        { name: 'element', type: c.list, repetition_type: 'OPTIONAL' },
      );
    } else if (c.type === 'STRING') schema.push({ name: c.name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' });
    else schema.push({ name: c.name, type: c.type, repetition_type: 'REQUIRED' });
  }
  return parquetWriteBuffer({
    columnData: columns.map((c) => ({ name: c.name, data: c.data })),
    schema: schema as never,
    rowGroupSize,
  });
}
