// The esbuild bundles of the Node-side entry points (CLI, worker, Electron main and preload): one
// config for `npm run build` and for the tests, which rebuild them when a source is newer.
import { build } from 'esbuild';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
// A fixed young generation: under a steady request load V8 otherwise grows it in steps for a
// minute or more, which reads as RSS growth with nothing retained (see test/bench/soak.ts).
const SERVER_V8_FLAGS = '--min-semi-space-size=16 --max-semi-space-size=16';
// what the last build read, so a test run can tell whether the bundles are older than the code
const INPUTS = path.join(root, 'dist', 'main', 'build-inputs.json');

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  metafile: true,
  // h5wasm's node build uses top-level await and import.meta: it must stay a real module
  external: ['electron', 'h5wasm'],
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
};

const entries = [
  { ...common, entryPoints: ['main/cli/cli.ts'], outfile: 'dist/main/cli.cjs', banner: { js: `#!/usr/bin/env -S node ${SERVER_V8_FLAGS}` } },
  { ...common, entryPoints: ['main/engine/worker.ts'], outfile: 'dist/main/worker.cjs' },
  // the UMAP layout's threads, started by the worker from beside its own bundle
  { ...common, entryPoints: ['main/engine/worker/umap-thread.ts'], outfile: 'dist/main/umap-thread.cjs' },
  { ...common, entryPoints: ['main/electron/main.ts'], outfile: 'dist/main/electron.cjs' },
  // sandboxed preloads may require only 'electron': everything else is bundled in
  { ...common, entryPoints: ['main/electron/preload.ts'], outfile: 'dist/main/preload.cjs' },
];

export async function buildNode() {
  const results = await Promise.all(entries.map((e) => build(e)));
  const inputs = new Set(results.flatMap((r) => Object.keys(r.metafile.inputs)));
  writeFileSync(INPUTS, JSON.stringify([...inputs].sort()));
}

/** True when a bundle is missing or any file the last build read changed after it. */
export function nodeBuildIsStale() {
  if (!existsSync(INPUTS)) return true;
  const outputs = entries.map((e) => path.join(root, e.outfile));
  if (!outputs.every(existsSync)) return true;
  const builtAt = Math.min(...outputs.map((o) => statSync(o).mtimeMs));
  const inputs = JSON.parse(readFileSync(INPUTS, 'utf8'));
  // a new import shows as a change to the file that imports it; a deleted one as a missing input
  return inputs.some((f) => !existsSync(path.join(root, f)) || statSync(path.join(root, f)).mtimeMs > builtAt);
}

export async function buildNodeIfStale() {
  if (nodeBuildIsStale()) await buildNode();
}
