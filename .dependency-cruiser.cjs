/** Layers by import (see shared/STYLE.md): a wrong import fails `npm test`. */
const rule = (name, comment, from, to) => ({ name, comment, severity: 'error', from, to });

module.exports = {
  forbidden: [
    rule('app-no-node', 'app/ runs in any process: no node built-ins', { path: '^app/' }, { dependencyTypes: ['core'] }),
    rule(
      'app-no-platform',
      'app/ imports no electron, DOM libraries, or code from main/renderer/native',
      { path: '^app/' },
      { path: ['^(main|renderer|native)/', 'node_modules/(electron|react|react-dom|zustand|plotly\\.js[^/]*)/'] },
    ),
    rule('renderer-no-node', 'the renderer never imports node', { path: '^renderer/', pathNot: '^renderer/vite\\.config\\.ts$' }, { dependencyTypes: ['core'] }),
    rule(
      'renderer-imports-app-and-itself',
      'the renderer reaches the engine only through the contract client',
      { path: '^renderer/', pathNot: '^renderer/vite\\.config\\.ts$' },
      { path: ['^(main|native)/', 'node_modules/electron/'] },
    ),
    rule('only-the-worker-loads-faiss', 'faiss objects live in the worker process alone', { pathNot: '^main/engine/(worker/state\\.ts|faiss-binding\\.ts)$' }, { path: ['^native/', '\\.node$'] }),
    rule('faiss-stays-in-the-worker', 'only the worker process loads the binding', { pathNot: '^main/engine/worker/' }, { path: '^main/engine/faiss-binding\\.ts$' }),
    rule('worker-code-stays-in-the-worker', 'worker modules hold faiss objects: only the worker entry uses them', { pathNot: '^main/engine/worker(\\.ts$|/)' }, { path: '^main/engine/worker/' }),
    rule(
      'engine-and-server-are-not-electron',
      'the engine and server run headless too (serve, browser mode)',
      { path: '^main/(engine|server|cli)/' },
      { path: ['node_modules/electron/', '^main/electron/'] },
    ),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
  },
};
