// Runs Electronegativity over the Electron code and the page it loads; fails on any finding that
// is neither fixed nor explained by a comment "electronegativity: RULE_ID ..." on or above its line.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const electronVersion = createRequire(import.meta.url)(path.join(root, 'node_modules/electron/package.json')).version;
const stage = mkdtempSync(path.join(os.tmpdir(), 'eneg-'));
const sources = path.join(root, 'main', 'electron');
for (const f of readdirSync(sources)) cpSync(path.join(sources, f), path.join(stage, f));
cpSync(path.join(root, 'renderer', 'index.html'), path.join(stage, 'index.html'));
const out = path.join(stage, 'report.sarif');

// -e: it cannot look the version up offline; its release-list fetch fails here and is skipped
const run = spawnSync(path.join(root, 'node_modules/.bin/electronegativity'), ['-i', stage, '-e', electronVersion, '-o', out, '-v', 'false'], {
  encoding: 'utf8',
  timeout: 180_000,
});
let results;
try {
  results = JSON.parse(readFileSync(out, 'utf8')).runs[0].results;
} catch {
  console.error(run.stdout, run.stderr);
  console.error('electronegativity: no report was written');
  process.exit(1);
}

const unexplained = [];
for (const r of results) {
  const loc = r.locations[0].physicalLocation;
  const file = loc.artifactLocation.uri.replace(/^file:\/\//, '');
  const line = loc.region?.startLine ?? 1;
  let lines = [];
  try {
    lines = readFileSync(file, 'utf8').split('\n');
  } catch {
    // a global finding names no real file
  }
  const near = lines.slice(Math.max(0, line - 3), line).join('\n');
  const explained = near.includes(`electronegativity: ${r.ruleId}`);
  const where = `${path.basename(file) || '(global)'}:${line}`;
  console.log(`${explained ? 'explained' : 'FINDING  '} ${r.level.padEnd(7)} ${r.ruleId} ${where} ${explained ? '' : r.message.text.slice(0, 120)}`);
  if (!explained && r.level !== 'none') unexplained.push(r.ruleId);
}
rmSync(stage, { recursive: true, force: true });
if (unexplained.length) {
  console.error(`electronegativity: ${unexplained.length} unexplained finding(s): ${unexplained.join(', ')}`);
  process.exit(1);
}
console.log(`electronegativity: ${results.length} finding(s), all fixed or explained (Electron ${electronVersion})`);
