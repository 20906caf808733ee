import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

// `npm run dist` needs Electron's runtime, absent here: this keeps its config honest meanwhile.
test('electron-builder.yml makes AppImage, deb, dmg and nsis with the binding unpacked', () => {
  const cfg = parse(readFileSync('electron-builder.yml', 'utf8')) as Record<string, any>;
  assert.equal(typeof cfg.appId, 'string');
  assert.deepEqual(cfg.linux.target, ['AppImage', 'deb']);
  assert.deepEqual(cfg.mac.target, ['dmg']);
  assert.deepEqual(cfg.win.target, ['nsis']);
  assert.ok(cfg.asarUnpack.includes('native/build/Release/faiss_node.node'));
  assert.ok(cfg.asarUnpack.includes('dist/main/umap-thread.cjs'), 'the UMAP layout threads start from outside the archive');
  assert.ok(cfg.files.includes('native/build/Release/faiss_node.node'));
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  assert.equal(cfg.extraMetadata.main, pkg.main, 'packaged entry is the built Electron main');
  assert.ok(cfg.files.some((f: string) => pkg.main.startsWith(f.replace('/**', ''))));
});
