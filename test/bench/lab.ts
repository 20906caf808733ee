import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LabRun } from '../../app/contract/lab.js';
import { tutorialSet } from '../../app/datasets/generators.js';
import { labRows, type LabRow } from '../../app/eval/lab-results.js';
import { LAB_PRESETS } from '../../app/indexes/lab-configs.js';
import { jobEnd, python, startEngine } from '../helpers/engine.js';
import { row, type BenchRow } from './report.js';

const K = 10;

/** The lab's table as markdown: one line per sweep point. */
function labTable(rows: LabRow[]): string {
  const f = (v: number | null, d = 3) => (v === null ? '–' : v.toFixed(d));
  const lines = [
    '| index | setting | recall@10 | R@1 | QPS batch | QPS single | mean ms | p99 ms | build s | size MiB | frontier |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.label} | ${r.param ? `${r.param}=${r.value}` : '–'} | ${f(r.recall)} | ${f(r.recall_1)} | ${Math.round(r.qps_batch)} | ${r.qps_single === null ? '–' : Math.round(r.qps_single)} | ${f(r.latency_mean_ms)} | ${f(r.latency_p99_ms)} | ${f((r.train_ms + r.add_ms) / 1000, 2)} | ${f(r.size_bytes / 2 ** 20, 2)} | ${r.pareto ? '★' : ''} |`,
    );
  }
  return lines.join('\n');
}

/**
 * The "Flat vs IVF vs HNSW vs PQ" preset on the tutorial set (d=64, 100k, all 10k queries), run
 * through the engine like the UI does; Python faiss builds the same indexes and measures the same
 * points, so each index's recall and batch QPS come with a reference measured in the same run.
 */
export async function run(): Promise<{ rows: BenchRow[]; table: string; lab: LabRun }> {
  const set = tutorialSet();
  const configs = LAB_PRESETS.find((p) => p.id === 'families')!.configs(set, K);
  const ctx = await startEngine({ defaults: [{ id: 'tutorial', name: 'faiss tutorial (d=64)', source: { kind: 'generate', generator: 'tutorial' } }] });
  let lab: LabRun;
  try {
    const { job } = (await ctx.engine.handle('labRun', { dataset: 'tutorial', metric: 'l2', k: K, configs, queries: set.nq, singleQueries: 200, repeats: 3 })) as { job: string };
    const end = await jobEnd(ctx.events, job, 3_600_000);
    if (end.status !== 'done') throw new Error(`lab run ${end.status}: ${end.error?.message}`);
    lab = (await ctx.engine.handle('jobResult', { id: job })) as LabRun;
  } finally {
    await ctx.stop();
  }

  // the lab's own table first: the reference below can take a while on a busy machine
  const table = labTable(labRows(lab));
  console.error(`\nlab on the tutorial set (${lab.queries} queries, k=${K}, faiss ${lab.faiss}, ${lab.machine.cpus} CPUs ${lab.machine.model}):\n${table}\n`);

  const dir = mkdtempSync(path.join(os.tmpdir(), 'fe-bench-lab-'));
  writeFileSync(path.join(dir, 'xb.f32'), set.base);
  writeFileSync(path.join(dir, 'xq.f32'), set.queries);
  const reference = JSON.parse(
    python(
      `import sys, json, time, statistics, numpy as np, faiss
d = sys.argv[1]
xb = np.fromfile(d + '/xb.f32', dtype='float32').reshape(-1, 64)
xq = np.fromfile(d + '/xq.f32', dtype='float32').reshape(-1, 64)
configs = json.loads(sys.argv[2])
flat = faiss.IndexFlatL2(64); flat.add(xb)
_, gt = flat.search(xq, 10)
out = []
for c in configs:
    index = faiss.index_factory(64, c['factory'])
    index.train(xb); index.add(xb)
    ps = faiss.ParameterSpace()
    points = []
    for v in (c['sweep'] or [None]):
        if v is not None: ps.set_index_parameter(index, c['param'], v)
        _, I = index.search(xq, 10)
        times = []
        for _ in range(3):
            t0 = time.perf_counter(); index.search(xq, 10); times.append(time.perf_counter() - t0)
        hits = sum(len(set(I[i]) & set(gt[i])) for i in range(len(xq)))
        points.append({'recall': hits / gt.size, 'qps': len(xq) / statistics.median(times)})
    out.append(points)
print(json.dumps(out))`,
      [dir, JSON.stringify(configs)],
    ),
  ) as { recall: number; qps: number }[][];
  rmSync(dir, { recursive: true, force: true });

  // per index, the first setting that reaches recall 0.9 (else its best): where one would run it
  const rows: BenchRow[] = [];
  lab.indexes.forEach((ix, i) => {
    const found = ix.points.findIndex((q) => q.recall >= 0.9);
    const j = found >= 0 ? found : ix.points.length - 1;
    const p = ix.points[j];
    const setting = ix.param ? ` ${ix.param}=${p.value}` : '';
    rows.push(row(`lab ${ix.label}${setting}: recall@10`, p.recall, reference[i][j].recall, '', 'python faiss'));
    rows.push(row(`lab ${ix.label}${setting}: batch QPS`, p.qps_batch, reference[i][j].qps, 'q/s', 'python faiss'));
  });
  return { rows, table, lab };
}
