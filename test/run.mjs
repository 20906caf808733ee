// Runs the tests: `node test/run.mjs` checks and builds everything, then runs every suite;
// `node test/run.mjs PATH...` runs just those files and folders. Unit tests share nothing and run
// side by side; integration and e2e files run one at a time, since they share two cores with a
// faiss worker (and Chromium). Integration helpers rebuild the worker themselves when it is stale.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const SUITES = ['test/unit', 'test/integration', 'test/e2e'];

function collect(target) {
  if (!existsSync(target)) fail(`test: ${target} does not exist`);
  if (!statSync(target).isDirectory()) return target.endsWith('.test.ts') ? [target] : fail(`test: ${target} is not a .test.ts file`);
  return readdirSync(target)
    .sort()
    .flatMap((name) => {
      const p = path.join(target, name);
      return statSync(p).isDirectory() || name.endsWith('.test.ts') ? collect(p) : [];
    });
}

function fail(message) {
  console.error(message);
  process.exit(1);
}

function run(command, args) {
  const r = spawnSync(command, args, { stdio: 'inherit', cwd: root });
  return r.status ?? 1;
}

const npm = (script) => run('npm', ['run', '--silent', script]);
// a test that hangs (a promise never settled, a timer left running) fails after `timeoutMs` instead of stalling the run
const nodeTest = (files, concurrency, timeoutMs) =>
  files.length === 0
    ? 0
    : run(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, `--test-timeout=${timeoutMs}`, '--test-reporter=spec', ...files]);

const targets = process.argv.slice(2);
const files = [...new Set((targets.length ? targets : SUITES).map((t) => path.relative(root, path.resolve(t))).flatMap(collect))];
if (files.length === 0) fail('test: no test files found');
const isUnit = (f) => f.startsWith(`test${path.sep}unit${path.sep}`);

if (targets.length === 0) {
  for (const script of ['build', 'typecheck', 'lint', 'electronegativity']) if (npm(script) !== 0) fail(`test: npm run ${script} failed`);
} else if (files.some((f) => f.startsWith(`test${path.sep}e2e${path.sep}`)) || (!files.every(isUnit) && !existsSync(path.join(root, 'dist', 'renderer', 'index.html')))) {
  // the page the e2e tests drive is the built renderer
  if (npm('build') !== 0) fail('test: npm run build failed');
}

const unit = nodeTest(files.filter(isUnit), os.availableParallelism(), 60_000);
const serial = nodeTest(files.filter((f) => !isUnit(f)), 1, 900_000);
process.exit(unit || serial);
