import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { CatalogueFile } from './catalogue.js';

/** The files the engine keeps for an index of its own: `<id>.faiss` and its write log `<id>.wal`. */
const OWN_FILE = /^(ix-[0-9a-f]+)\.(faiss|wal)$/;

/**
 * Removes the engine's index files that no catalogue entry names: a build that finished while the
 * process died leaves its file with no entry. Only the engine's own names are touched, and only
 * against a catalogue that was read (a missing or unreadable one says nothing about the files).
 */
export function removeStrayIndexFiles(dir: string, catalogue: CatalogueFile): string[] {
  const kept = new Set<string>();
  for (const ix of catalogue.indexes) {
    kept.add(ix.id);
    if (ix.path && path.dirname(path.resolve(ix.path)) === path.resolve(dir)) kept.add(path.basename(ix.path));
  }
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return []; // no indexes folder yet
  }
  const stray = names.filter((name) => {
    const own = OWN_FILE.exec(name);
    return own !== null && !kept.has(own[1]) && !kept.has(name);
  });
  for (const name of stray) rmSync(path.join(dir, name), { force: true });
  return stray;
}
