// Bundles the Node-side entry points (CLI, worker, Electron main and preload) with esbuild.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
// A fixed young generation: under a steady request load V8 otherwise grows it in steps for a
// minute or more, which reads as RSS growth with nothing retained (see test/bench/soak.ts).
const SERVER_V8_FLAGS = '--min-semi-space-size=16 --max-semi-space-size=16';

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  // h5wasm's node build uses top-level await and import.meta: it must stay a real module
  external: ['electron', 'h5wasm'],
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
};

await Promise.all([
  build({ ...common, entryPoints: ['main/cli/cli.ts'], outfile: 'dist/main/cli.cjs', banner: { js: `#!/usr/bin/env -S node ${SERVER_V8_FLAGS}` } }),
  build({ ...common, entryPoints: ['main/engine/worker.ts'], outfile: 'dist/main/worker.cjs' }),
  // the UMAP layout's threads, started by the worker from beside its own bundle
  build({ ...common, entryPoints: ['main/engine/worker/umap-thread.ts'], outfile: 'dist/main/umap-thread.cjs' }),
  build({ ...common, entryPoints: ['main/electron/main.ts'], outfile: 'dist/main/electron.cjs' }),
  // sandboxed preloads may require only 'electron': everything else is bundled in
  build({ ...common, entryPoints: ['main/electron/preload.ts'], outfile: 'dist/main/preload.cjs' }),
]);
