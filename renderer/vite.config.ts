import { defineConfig } from 'vite';
import { HTTP_EVENTS_ROUTE, HTTP_OP_PREFIX } from '../app/contract/routes.js';

// Run from the repo root (`vite build --config renderer/vite.config.ts`): anchor on this folder,
// not on the working directory. import.meta.dirname keeps node imports out of renderer/.
const here = import.meta.dirname;

export default defineConfig({
  root: here,
  // relative asset URLs: the same build is loaded from file:// (Electron) and from the local server
  base: './',
  // no plugin-react: the built-in transformer compiles TSX with tsconfig's "jsx": "react-jsx"
  build: {
    // relative to root
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    // plotly.js-strict-dist-min alone is ~4.6 MB; it is lazy-loaded into its own chunk
    chunkSizeWarningLimit: 6000,
    // the timing report only says that vite's own CSS plugin ran; it drowns `--logLevel warn`
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  server: {
    // the shared contract in app/ lives beside renderer/
    fs: { allow: [`${here}/..`] },
    // `vite --config renderer/vite.config.ts` next to a running engine: same-origin calls reach it
    proxy: Object.fromEntries(
      [HTTP_OP_PREFIX, HTTP_EVENTS_ROUTE].map((route) => [route, process.env.ENGINE_URL ?? 'http://127.0.0.1:7400']),
    ),
  },
});
