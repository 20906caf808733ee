import { MetadataColumnBuilder } from './metadata-column.js';
import type { DelimitedOptions, DelimitedTable } from './delimited.js';
import { count, fileError } from './place.js';
import type { MetadataColumn } from './types.js';

/**
 * The TensorFlow Embedding Projector's pair: vectors.tsv (numbers only, no header) and
 * metadata.tsv next to it, one row per vector, with a header row when it has more than one
 * column. A single column has a header only when it has one row more than there are vectors.
 */

/** The metadata file that goes with a vectors file ("vectors.tsv" → "metadata.tsv", "a_vectors.tsv" → "a_metadata.tsv"), or null. */
export function projectorMetadataName(vectorsName: string): string | null {
  const m = /^(.*)vectors(\.tsv)$/i.exec(vectorsName);
  return m ? `${m[1]}metadata${m[2]}` : null;
}

/**
 * The names a metadata file beside any vectors file may have, in the order they are looked for:
 * the Projector's pair, then "digits.npy" → "digits.metadata.tsv", "digits_metadata.csv", ...
 */
export function metadataNames(vectorsName: string): string[] {
  const stem = vectorsName.replace(/\.[^.]+$/, '');
  const beside = ['.metadata', '_metadata'].flatMap((sep) => ['tsv', 'csv'].map((ext) => `${stem}${sep}.${ext}`));
  const projector = projectorMetadataName(vectorsName);
  return projector ? [projector, ...beside] : beside;
}

/** How a metadata file is read: the Projector's TSV rule, or a CSV with a header row (as pandas writes one). */
export function metadataOptions(metadataName: string): DelimitedOptions {
  return /\.csv$/i.test(metadataName) ? { delimiter: ',', quoting: true, metadataOnly: true, header: true } : PROJECTOR_METADATA;
}

export const PROJECTOR_METADATA: DelimitedOptions = { delimiter: '\t', quoting: false, metadataOnly: true, header: (width) => width > 1 };

/** Lines up metadata.tsv's columns with the n vectors, or says which file has how many rows. */
export function joinProjectorMetadata(n: number, meta: DelimitedTable, metadataName: string): MetadataColumn[] {
  let columns = meta.metadata ?? [];
  let rows = meta.n;
  if (!meta.header && columns.length === 1 && rows === n + 1) {
    // a one-column file with a header row after all
    const [col] = columns;
    const builder = new MetadataColumnBuilder(String(col.values[0] ?? 'label'));
    for (let i = 1; i < col.values.length; i++) builder.push(col.values[i] === null ? null : String(col.values[i]));
    columns = [builder.finish(true)];
    rows = n;
  } else if (!meta.header && columns.length === 1) {
    columns = [{ ...columns[0], name: 'label' }];
  }
  if (rows !== n) throw fileError('RAGGED_ROWS', `${metadataName} has ${count(rows, 'row')} but there are ${count(n, 'vector')}`);
  return columns;
}
