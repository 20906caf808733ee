import { EngineError } from '../../contract/errors.js';

export const DATASET_FORMATS = ['npy', 'npz', 'fvecs', 'ivecs', 'bvecs', 'csv', 'tsv', 'jsonl', 'json', 'parquet', 'hdf5'] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

const BY_EXTENSION: Record<string, DatasetFormat> = {
  npy: 'npy',
  npz: 'npz',
  fvecs: 'fvecs',
  ivecs: 'ivecs',
  bvecs: 'bvecs',
  csv: 'csv',
  tsv: 'tsv',
  tab: 'tsv',
  jsonl: 'jsonl',
  ndjson: 'jsonl',
  json: 'json',
  parquet: 'parquet',
  pq: 'parquet',
  hdf5: 'hdf5',
  h5: 'hdf5',
  hdf: 'hdf5',
};

/** The part of a path after its last '/' or '\' (paths are plain strings here: app/ has no node:path). */
export function baseName(filePath: string): string {
  return filePath.slice(Math.max(filePath.lastIndexOf('/'), filePath.lastIndexOf('\\')) + 1);
}

/** The format named by `format` (a format or an extension), else by the file's extension. */
export function resolveFormat(filePath: string, format?: string): DatasetFormat {
  const known = `known: ${Object.keys(BY_EXTENSION).map((e) => `.${e}`).join(', ')}`;
  if (format !== undefined && format !== '') {
    const f = BY_EXTENSION[format.toLowerCase().replace(/^\./, '')];
    if (!f) throw new EngineError('UNKNOWN_FORMAT', `unknown format "${format}" (${known})`);
    return f;
  }
  const name = baseName(filePath);
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  const f = BY_EXTENSION[ext];
  if (!f) throw new EngineError('UNKNOWN_FORMAT', `cannot tell the format of "${name}" from ${ext ? `its extension ".${ext}"` : 'its name (no extension)'}: ${known}; or choose a format`);
  return f;
}
