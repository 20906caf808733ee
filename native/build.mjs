#!/usr/bin/env node
// Builds native/build/Release/faiss_node.node: faiss-node's published
// src/faiss.cc with the project's patch (native/faiss-node.patch), compiled by
// node-gyp (native/binding.gyp) against the system's static libfaiss.
//
//   node native/build.mjs           build if missing or out of date
//   node native/build.mjs --force   clean rebuild
//
// Environment: FAISS_NODE_PATCH_TOOL=patch|git|builtin forces how the patch
// is applied (default: the first available, in that order).
import { createHash } from 'node:crypto';
import {
  copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const nativeDir = dirname(fileURLToPath(import.meta.url));
const root = resolve(nativeDir, '..');
const buildDir = join(nativeDir, 'build');
const output = join(buildDir, 'Release', 'faiss_node.node');
const stampFile = join(buildDir, 'Release', 'faiss_node.stamp');
const patchFile = join(nativeDir, 'faiss-node.patch');
const pristineSource = join(root, 'node_modules', 'faiss-node', 'src', 'faiss.cc');
const FAISS_NODE_VERSION = '0.5.1';

class BuildError extends Error {}

function fail(message) {
  throw new BuildError(message);
}

function which(command) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, command))) return join(dir, command);
  }
  return null;
}

function libDirs() {
  const dirs = ['/usr/local/lib', '/usr/lib', '/usr/lib64', '/lib'];
  for (const base of ['/usr/lib', '/lib']) {
    try {
      for (const name of readdirSync(base)) if (/-linux-gnu/.test(name)) dirs.push(join(base, name));
    } catch {
      // not a multiarch layout
    }
  }
  return dirs;
}

function findLib(names) {
  for (const dir of libDirs()) for (const name of names) if (existsSync(join(dir, name))) return join(dir, name);
  return null;
}

function findSystemDeps() {
  const header = ['/usr/include/faiss/index_factory.h', '/usr/local/include/faiss/index_factory.h'].find((p) =>
    existsSync(p),
  );
  return {
    header: header ?? null,
    faiss: findLib(['libfaiss.a']),
    openblas: findLib(['libopenblas.so', 'libopenblas.a']),
  };
}

function missingDeps(deps) {
  const missing = [];
  if (!deps.header) missing.push('faiss headers (faiss/index_factory.h)');
  if (!deps.faiss) missing.push('static libfaiss.a');
  if (!deps.openblas) missing.push('libopenblas');
  return missing;
}

function missingTools() {
  return ['g++', 'make', 'python3'].filter((tool) => !which(tool));
}

// Inputs that determine the binary; a change in any of them forces a rebuild.
function inputsHash(deps) {
  const hash = createHash('sha256');
  for (const file of [
    patchFile,
    join(nativeDir, 'binding.gyp'),
    join(nativeDir, 'compat', 'faiss_idx_t.h'),
    join(nativeDir, 'probe', 'index-probe.cc'),
    fileURLToPath(import.meta.url),
    pristineSource,
    join(root, 'node_modules', 'node-addon-api', 'package.json'),
  ]) {
    hash.update(file).update('\0').update(readFileSync(file)).update('\0');
  }
  if (deps.faiss) {
    const st = statSync(deps.faiss);
    hash.update(`${deps.faiss}:${st.size}:${st.mtimeMs}`);
  }
  hash.update(`${process.platform}-${process.arch}`);
  return hash.digest('hex');
}

const SMOKE_TEST = `
const b = require(process.argv[1]);
const index = b.Index.fromFactory(4, 'Flat');
index.add(new Float32Array([0, 0, 0, 0, 1, 1, 1, 1]));
const r = index.search(new Float32Array([1, 1, 1, 0.9]), 3, 'nprobe=2');
if (r.labels[0] !== 1n || r.labels[2] !== -1n || r.ignoredParams[0] !== 'nprobe' || typeof b.PCAMatrix !== 'function')
  throw new Error('unexpected smoke test result: ' + JSON.stringify(Array.from(r.labels, String)));
`;

// Loads the module in a child process (a broken binary must not take this one down).
function smokeTest() {
  const result = spawnSync(process.execPath, ['-e', SMOKE_TEST, output], { encoding: 'utf8', timeout: 60_000 });
  return { ok: result.status === 0, detail: (result.stderr || result.error?.message || '').trim() };
}

function isUpToDate(hash) {
  if (!existsSync(output) || !existsSync(stampFile)) return false;
  if (readFileSync(stampFile, 'utf8').trim() !== hash) return false;
  return smokeTest().ok;
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) fail(`native: could not run ${command}: ${result.error.message}`);
  return result.status === 0;
}

function installSystemPackages(packages) {
  console.log(`native: installing ${packages.join(' ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!run('apt-get', ['update'], { env })) fail('native: apt-get update failed');
  if (!run('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { env })) {
    fail(`native: apt-get install ${packages.join(' ')} failed`);
  }
}

function ensureSystemDeps() {
  let deps = findSystemDeps();
  const missing = missingDeps(deps);
  const tools = missingTools();
  if (missing.length === 0 && tools.length === 0) return deps;

  const isDebian = existsSync('/etc/debian_version');
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const packages = [];
  if (missing.length > 0) packages.push('libfaiss-dev', 'libopenblas-dev');
  if (tools.includes('g++') || tools.includes('make')) packages.push('g++', 'make');
  if (tools.includes('python3')) packages.push('python3');

  if (isDebian && isRoot) {
    installSystemPackages(packages);
    deps = findSystemDeps();
    const still = [...missingDeps(deps), ...missingTools()];
    if (still.length > 0) fail(`native: still missing after apt-get install: ${still.join(', ')}`);
    return deps;
  }
  const what = [...missing, ...tools].join(', ');
  fail(
    `native: missing ${what}.\n` +
      (isDebian
        ? `  Install them with: sudo apt-get install ${packages.join(' ')}\n`
        : '  Install faiss >= 1.7.3 development headers and its static library (libfaiss.a), OpenBLAS,\n' +
          '  and a C++17 toolchain (g++, make) with python3 for node-gyp.\n' +
          '  On Debian/Ubuntu: apt-get install libfaiss-dev libopenblas-dev g++ make python3\n') +
      '  Then run: npm run build:native',
  );
}

// node-gyp only downloads Node headers when it has none: point it at local ones.
function nodeDirArgs() {
  const candidates = [process.env.npm_config_nodedir, resolve(dirname(process.execPath), '..')].filter(Boolean);
  for (const dir of candidates) {
    if (existsSync(join(dir, 'include', 'node', 'node_api.h')) && existsSync(join(dir, 'include', 'node', 'common.gypi'))) {
      return [`--nodedir=${dir}`];
    }
  }
  const devDir =
    process.env.npm_config_devdir ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'node-gyp');
  if (existsSync(join(devDir, process.versions.node, 'include', 'node', 'node_api.h'))) return [];
  console.warn(`native: no local Node ${process.versions.node} headers found; node-gyp will try to download them`);
  return [];
}

// Minimal unified-diff applier (exact context match) for systems without patch and git.
function applyUnifiedDiff(source, diff) {
  const src = source.split('\n');
  const lines = diff.split('\n');
  const out = [];
  let cursor = 0;
  let i = 0;
  while (i < lines.length && !lines[i].startsWith('@@')) i++;
  while (i < lines.length && lines[i].startsWith('@@')) {
    const header = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@/.exec(lines[i]);
    if (!header) fail(`native: malformed hunk header in patch: ${lines[i]}`);
    i++;
    const oldLines = [];
    const newLines = [];
    while (i < lines.length && !lines[i].startsWith('@@')) {
      const line = lines[i];
      if (line.startsWith('\\')) {
        i++;
        continue;
      }
      if (line === '' && i === lines.length - 1) break;
      const tag = line[0];
      const text = line.slice(1);
      if (tag === ' ' || tag === '-') oldLines.push(text);
      if (tag === ' ' || tag === '+') newLines.push(text);
      if (tag !== ' ' && tag !== '-' && tag !== '+') fail(`native: unexpected patch line: ${line}`);
      i++;
    }
    const expected = Math.max(0, Number(header[1]) - (oldLines.length === 0 ? 0 : 1));
    const matchesAt = (pos) => oldLines.every((text, k) => src[pos + k] === text);
    let at = -1;
    for (let delta = 0; delta < src.length && at < 0; delta++) {
      if (expected + delta >= cursor && matchesAt(expected + delta)) at = expected + delta;
      else if (delta > 0 && expected - delta >= cursor && matchesAt(expected - delta)) at = expected - delta;
    }
    if (at < 0) fail(`native: patch hunk at line ${header[1]} does not apply to faiss.cc`);
    out.push(...src.slice(cursor, at), ...newLines);
    cursor = at + oldLines.length;
  }
  out.push(...src.slice(cursor));
  return out.join('\n');
}

function patchedSource() {
  const work = mkdtempSync(join(tmpdir(), 'faiss-node-patch-'));
  try {
    const target = join(work, 'src', 'faiss.cc');
    mkdirSync(dirname(target));
    copyFileSync(pristineSource, target);
    const tool = process.env.FAISS_NODE_PATCH_TOOL ?? (which('patch') ? 'patch' : which('git') ? 'git' : 'builtin');
    if (tool === 'patch') {
      const r = spawnSync('patch', ['-p1', '--batch', '--forward', '--no-backup-if-mismatch', '-d', work, '-i', patchFile], {
        encoding: 'utf8',
      });
      if (r.status !== 0) fail(`native: patch failed:\n${r.stdout}${r.stderr}`);
    } else if (tool === 'git') {
      // The ceiling keeps git from treating an enclosing repository as the target.
      const r = spawnSync('git', ['apply', '-p1', patchFile], {
        cwd: work,
        encoding: 'utf8',
        env: { ...process.env, GIT_CEILING_DIRECTORIES: dirname(work) },
      });
      if (r.status !== 0) fail(`native: git apply failed:\n${r.stdout}${r.stderr}`);
    } else if (tool === 'builtin') {
      writeFileSync(target, applyUnifiedDiff(readFileSync(target, 'utf8'), readFileSync(patchFile, 'utf8')));
    } else {
      fail(`native: unknown FAISS_NODE_PATCH_TOOL=${tool} (use patch, git or builtin)`);
    }
    return readFileSync(target);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function nodeGyp(args) {
  const bin = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'node-gyp.cmd' : 'node-gyp');
  if (!existsSync(bin)) fail('native: node_modules/.bin/node-gyp not found; run npm install');
  const script = realpathSync(bin);
  // Runs in native/ so that node-gyp uses native/binding.gyp and native/build/.
  const r = spawnSync(process.execPath, [script, ...args], { cwd: nativeDir, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) fail(`native: could not run node-gyp: ${r.error.message}`);
  if (r.status !== 0) {
    const log = `${r.stdout}${r.stderr}`.split('\n').filter((l) => !l.startsWith('gyp info'));
    fail(`native: node-gyp ${args[0]} failed:\n${log.slice(-60).join('\n')}`);
  }
}

// Serialises concurrent builds of this checkout (e.g. parallel test runs).
async function withLock(fn) {
  const lock = join(tmpdir(), `faiss-explorer-native-${createHash('sha1').update(root).digest('hex').slice(0, 12)}.lock`);
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      try {
        if (Date.now() - statSync(lock).mtimeMs > 15 * 60_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // removed meanwhile
      }
      if (Date.now() > deadline) fail(`native: timed out waiting for build lock ${lock}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  const release = () => rmSync(lock, { recursive: true, force: true });
  process.once('exit', release);
  try {
    return await fn();
  } finally {
    release();
  }
}

async function main() {
  const force = process.argv.includes('--force');
  if (!existsSync(pristineSource)) fail('native: node_modules/faiss-node/src/faiss.cc not found; run npm install');
  const version = JSON.parse(readFileSync(join(root, 'node_modules', 'faiss-node', 'package.json'), 'utf8')).version;
  if (version !== FAISS_NODE_VERSION) {
    console.warn(`native: faiss-node is ${version}, the patch was written for ${FAISS_NODE_VERSION}`);
  }

  if (!force && isUpToDate(inputsHash(findSystemDeps()))) {
    console.log('native: up to date');
    return;
  }

  await withLock(async () => {
    const deps = ensureSystemDeps();
    const hash = inputsHash(deps);
    if (!force && isUpToDate(hash)) {
      console.log('native: up to date');
      return;
    }
    const started = process.hrtime.bigint();
    const source = patchedSource();
    // Incremental by default: processes that load the module meanwhile keep
    // finding a file (make replaces it at the end). --force starts clean.
    if (force) rmSync(buildDir, { recursive: true, force: true });
    rmSync(stampFile, { force: true });
    mkdirSync(join(buildDir, 'src'), { recursive: true });
    writeFileSync(join(buildDir, 'src', 'faiss.cc'), source);
    // configure + build rather than rebuild: rebuild's clean step would delete build/src.
    nodeGyp(['configure', ...nodeDirArgs()]);
    nodeGyp(['build']);
    const smoke = smokeTest();
    if (!smoke.ok) fail(`native: the built module failed its smoke test:\n${smoke.detail}`);
    writeFileSync(stampFile, `${hash}\n`);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(`native: built ${join('native', 'build', 'Release', 'faiss_node.node')} in ${seconds.toFixed(1)} s`);
  });
}

main().catch((err) => {
  console.error(err instanceof BuildError ? err.message : err);
  process.exit(1);
});
