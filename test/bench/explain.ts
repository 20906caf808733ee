import type { IndexInfo } from '../../app/contract/operations.js';
import { startEngine, jobEnd } from '../helpers/engine.js';
import { percentile, row, type BenchRow } from './report.js';

// Explaining one query on a large set (1M points by default): each kind's explain time, beside the
// plain search of the same query measured in the same run, and the budget of 1 s.
const N = Number(process.env.BENCH_EXPLAIN_N ?? 1_000_000);
const QUERIES = 20;

export async function run(): Promise<{ rows: BenchRow[]; n: number }> {
  const ctx = await startEngine({ defaults: [{ id: 'big', name: 'big', source: { kind: 'generate', generator: 'tutorial', n: N, nq: QUERIES, dim: 64 } }] });
  const rows: BenchRow[] = [];
  try {
    for (const factory of ['IVF1024,Flat', 'IVF1024,PQ16', 'HNSW16']) {
      const { job } = (await ctx.engine.handle('buildIndex', { dataset: 'big', factory, metric: 'l2' })) as { job: string };
      const end = await jobEnd(ctx.events, job, 3_600_000);
      if (end.status !== 'done') throw new Error(`${factory}: ${JSON.stringify(end.error)}`);
      const ix = (await ctx.engine.handle('jobResult', { id: job })) as IndexInfo;
      const params = factory.startsWith('IVF') ? { nprobe: 16 } : { efSearch: 64 };
      const explainMs: number[] = [];
      const searchMs: number[] = [];
      for (let q = 0; q < QUERIES; q++) {
        const query = { kind: 'queryRows', rows: [q] };
        let t0 = performance.now();
        await ctx.engine.handle('search', { index: ix.id, queries: query, k: 10, params });
        searchMs.push(performance.now() - t0);
        t0 = performance.now();
        await ctx.engine.handle('explain', { index: ix.id, query, k: 10, params });
        explainMs.push(performance.now() - t0);
      }
      const median = percentile(explainMs, 50);
      rows.push(row(`explain one query, ${factory}, ${N} points (median)`, median, 1000, 'ms', "the issue's budget", 1));
      rows.push(row(`explain / search of the same query, ${factory}`, median, percentile(searchMs, 50), 'ms', 'index.search'));
      await ctx.engine.handle('dropIndex', { id: ix.id });
    }
  } finally {
    await ctx.stop();
  }
  return { rows, n: N };
}
