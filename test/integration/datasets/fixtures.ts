import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readDatasetFile, type LoadedFile, type ReadDatasetOptions } from '../../../main/engine/dataset-files.js';

/** A temp folder for one test file's fixtures, removed by `remove()`. */
export function fixtureDir(prefix: string): { dir: string; file(name: string, data?: string | Uint8Array): string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `faiss-explorer-${prefix}-`));
  return {
    dir,
    file(name, data) {
      const p = path.join(dir, name);
      if (data !== undefined) writeFileSync(p, data);
      return p;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

const PYTHON = '/usr/bin/python3';

/** Which of numpy and h5py Debian's Python has here (the tests that need them skip, saying so, without). */
export function pythonModules(): { numpy: boolean; h5py: boolean } {
  const has = (mod: string) => spawnSync(PYTHON, ['-c', `import ${mod}`]).status === 0;
  return { numpy: has('numpy'), h5py: has('h5py') };
}

/** Runs a Python script with the fixture folder as its first argument. */
export function python(script: string, dir: string): string {
  const r = spawnSync(PYTHON, ['-c', script, dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return r.stdout;
}

export interface Loaded extends LoadedFile {
  progress: [number, number][];
}

/** readDatasetFile with progress recorded and a checkpoint that never cancels. */
export async function load(filePath: string, opts: ReadDatasetOptions = {}): Promise<Loaded> {
  const progress: [number, number][] = [];
  const file = await readDatasetFile(filePath, opts, (done, total) => progress.push([done, total]), async () => {});
  return { ...file, progress };
}
