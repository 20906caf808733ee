import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { markdownTable, type BenchRow } from './report.js';
import { python } from '../helpers/engine.js';

/** `npm run bench`: every benchmark in one run, ratios against references measured in the same run. */
const suites: Record<string, () => Promise<{ rows: BenchRow[] } & Record<string, unknown>>> = {
  engine: async () => (await import('./engine-seed.js')).run(),
  lab: async () => (await import('./lab.js')).run(),
  umap: async () => (await import('./umap.js')).run(),
  scatter: async () => (await import('./scatter.js')).run(),
  large: async () => (await import('./large-load.js')).run(),
  'server-load': async () => (await import('./server-load.js')).run(),
  soak: async () => (await import('./soak.js')).run(),
  durability: async () => (await import('./durable-writes.js')).run(),
  explain: async () => (await import('./explain.js')).run(),
  'explain-steps': async () => (await import('./explain-steps.js')).run(),
  fuzz: async () => (await import('./fuzz.js')).run(),
  'api-fuzz': async () => (await import('./api-fuzz.js')).run(),
};

const only = process.argv.slice(2);
const results: Record<string, unknown> = {
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memory_gb: Math.round(os.totalmem() / 2 ** 30), node: process.version },
  faiss: python('import faiss; print(faiss.__version__)').trim(),
  date: new Date().toISOString(),
};
const rows: BenchRow[] = [];
for (const [name, suite] of Object.entries(suites)) {
  if (only.length && !only.includes(name)) continue;
  console.error(`bench: ${name}…`);
  const r = await suite();
  results[name] = r;
  rows.push(...r.rows);
}
writeFileSync('bench-results.json', JSON.stringify(results, null, 2));
console.log(markdownTable(rows));
const missed = rows.filter((r) => r.pass === false);
console.log(missed.length ? `\n${missed.length} target(s) missed: ${missed.map((r) => r.name).join('; ')}` : '\nall targets met');
