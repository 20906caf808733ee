import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ErrorValue } from '../../app/contract/errors.js';
import type { DatasetSource, IndexInfo } from '../../app/contract/operations.js';
import { writeFileAtomically } from './atomic-files.js';

/** What survives a restart of the app or the worker: how to reopen each dataset and index. */
export interface CatalogueDataset {
  id: string;
  name: string;
  source: DatasetSource;
  /** set when reopening it crashed the worker: it is not opened again */
  error?: ErrorValue;
}

export interface CatalogueFile {
  version: 1;
  datasets: CatalogueDataset[];
  indexes: IndexInfo[];
}

export function catalogueFile(dataDir: string): string {
  return path.join(dataDir, 'catalogue.json');
}

/** The catalogue as saved; null when there is none or it cannot be read. */
export function readSavedCatalogue(dataDir: string): CatalogueFile | null {
  try {
    const parsed = JSON.parse(readFileSync(catalogueFile(dataDir), 'utf8')) as CatalogueFile;
    if (parsed.version === 1 && Array.isArray(parsed.datasets) && Array.isArray(parsed.indexes)) return parsed;
  } catch {
    // missing or unreadable: the caller decides what that means
  }
  return null;
}

/** A missing or unreadable catalogue means a first start. */
export function readCatalogue(dataDir: string): CatalogueFile {
  return readSavedCatalogue(dataDir) ?? { version: 1, datasets: [], indexes: [] };
}

export function writeCatalogue(dataDir: string, cat: CatalogueFile): void {
  writeFileAtomically(catalogueFile(dataDir), JSON.stringify(cat, null, 2));
}
