import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { IndexInfo } from '../../app/contract/operations.js';
import { tutorialSet } from '../../app/datasets/generators.js';
import { jobEnd, startEngine } from '../helpers/engine.js';
import { row, type BenchRow } from './report.js';

const BATCH = 1000;
const BATCHES = 60;
const DIM = 64;
const FACTORIES = ['Flat', 'IVF64,Flat'];

type Engine = Awaited<ReturnType<typeof startEngine>>;

async function buildOn(ctx: Engine, factory: string): Promise<IndexInfo> {
  const { job } = (await ctx.engine.handle('buildIndex', { dataset: 'base', factory, metric: 'l2' })) as { job: string };
  await jobEnd(ctx.events, job);
  return (await ctx.engine.handle('jobResult', { id: job })) as IndexInfo;
}

/**
 * What the write log costs: batches of 1,000 vectors added through the engine with every write
 * logged and fsynced before its answer, against the same adds with no log (the file following
 * later, as before). Batches alternate between the two engines so the machine's other work
 * falls on both alike.
 */
export async function run(): Promise<{ rows: BenchRow[]; vectorsPerSecond: Record<string, { logged: number; unlogged: number }> }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fe-bench-durable-'));
  const defaults = [{ id: 'base', name: 'base', source: { kind: 'generate' as const, generator: 'tutorial' as const, n: 20_000, nq: 0 } }];
  const logged = await startEngine({ dataDir: path.join(dir, 'logged'), defaults });
  const unlogged = await startEngine({ dataDir: path.join(dir, 'unlogged'), defaults, logWrites: false });
  const extra = tutorialSet({ n: BATCH * BATCHES, nq: 0, seed: 7 }).base;
  const rows: BenchRow[] = [];
  const vectorsPerSecond: Record<string, { logged: number; unlogged: number }> = {};
  try {
    for (const factory of FACTORIES) {
      const ixLogged = await buildOn(logged, factory);
      const ixUnlogged = await buildOn(unlogged, factory);
      const took = { logged: 0, unlogged: 0 };
      for (let b = 0; b < BATCHES; b++) {
        const vectors = extra.slice(b * BATCH * DIM, (b + 1) * BATCH * DIM);
        for (const [side, ctx, ix] of [
          ['logged', logged, ixLogged],
          ['unlogged', unlogged, ixUnlogged],
        ] as const) {
          const t0 = performance.now();
          await ctx.engine.handle('addVectors', { index: ix.id, vectors });
          took[side] += performance.now() - t0;
        }
      }
      const perSecond = (ms: number) => (BATCH * BATCHES) / (ms / 1000);
      vectorsPerSecond[factory] = { logged: perSecond(took.logged), unlogged: perSecond(took.unlogged) };
      rows.push(row(`add ${BATCHES}×${BATCH} vectors (d=${DIM}, ${factory}), logged and fsynced`, took.logged / BATCHES, took.unlogged / BATCHES, 'ms/batch', 'same adds, no log', 1.3));
    }
  } finally {
    await logged.stop();
    await unlogged.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return { rows, vectorsPerSecond };
}
