// Makes a fresh machine ready: system packages, npm packages, Electron's runtime (if it can be
// had), the faiss binding. Idempotent and quick when everything is already there.
// Usage: node native/setup.mjs [--test]   (--test adds what the tests need: Chromium, Python faiss)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const forTests = process.argv.includes('--test');
const t0 = Date.now();

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.status !== 0) {
    console.error(`setup: "${cmd} ${args.join(' ')}" failed (${r.error?.message ?? `exit ${r.status}`})`);
    process.exit(1);
  }
}

function installed(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

// Debian package -> what it is for, so a message can say why it is needed
const packages = { 'libfaiss-dev': 'faiss headers and library', 'libopenblas-dev': 'BLAS for faiss', 'python3-faiss': 'reference faiss for tests' };
if (forTests) Object.assign(packages, { chromium: 'browser for UI tests', 'python3-numpy': 'reference files for tests', 'python3-h5py': 'reference HDF5 files for tests', 'fonts-dejavu-core': 'fonts for screenshots' });
const isDebian = existsSync('/etc/debian_version');
const missing = isDebian ? Object.keys(packages).filter((p) => !installed(p)) : [];
if (missing.length) {
  if (process.getuid?.() !== 0) {
    console.error(`setup: missing system packages: ${missing.map((p) => `${p} (${packages[p]})`).join(', ')}`);
    console.error(`setup: install them with: sudo apt-get install -y ${missing.join(' ')}`);
    process.exit(1);
  }
  console.log(`setup: installing ${missing.join(' ')}`);
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
} else if (!isDebian && !existsSync('/usr/include/faiss/index_factory.h') && !existsSync('/usr/local/include/faiss/index_factory.h')) {
  console.error('setup: faiss (>= 1.7.3, headers and static library) and OpenBLAS are needed; on Debian/Ubuntu: apt-get install libfaiss-dev libopenblas-dev');
  process.exit(1);
}

// npm packages: dependency install scripts stay off (faiss-node's would download a binary,
// Electron's its runtime: both fail offline); the binding is built below instead.
const lock = path.join(root, 'package-lock.json');
const stamp = path.join(root, 'node_modules', '.package-lock.json');
if (!existsSync(stamp) || statSync(stamp).mtimeMs < statSync(lock).mtimeMs) {
  console.log('setup: installing npm packages');
  run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } });
}

// Electron's runtime: tried once per install; where it cannot be downloaded the app runs in the browser.
const electronTried = path.join(root, 'node_modules', '.electron-runtime-tried');
if (!existsSync(path.join(root, 'node_modules/electron/path.txt')) && !existsSync(electronTried)) {
  const r = spawnSync(process.execPath, ['node_modules/electron/install.js'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  writeFileSync(electronTried, new Date().toISOString());
  console.log(r.status === 0 ? "setup: Electron's runtime installed" : "setup: Electron's runtime could not be downloaded; the app will run in browser mode");
}

run(process.execPath, [path.join(root, 'native', 'build.mjs')]);
const version = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version;
console.log(`setup: ready (faiss-explorer ${version}) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
