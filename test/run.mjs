// Runs every *.test.ts under the given folders with node's test runner (Node 20 does not expand
// globs itself). One file at a time: the integration tests share two cores with a faiss worker.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

function collect(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) return collect(p);
      return name.endsWith('.test.ts') ? [p] : [];
    });
}

const dirs = process.argv.slice(2);
const files = (dirs.length ? dirs : ['test/unit', 'test/integration', 'test/e2e']).flatMap(collect);
if (files.length === 0) {
  console.error('test: no test files found');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
