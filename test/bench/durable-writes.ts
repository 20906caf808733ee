import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { IndexInfo } from '../../app/contract/operations.js';
import { tutorialSet } from '../../app/datasets/generators.js';
import { logBaseOf, WriteLog } from '../../main/engine/write-log.js';
import { jobEnd, startEngine } from '../helpers/engine.js';
import { row, type BenchRow } from './report.js';

const BATCH = 1000;
const BATCHES = 100;
const DIM = 64;
const FACTORIES = ['Flat', 'IVF64,Flat'];

type Engine = Awaited<ReturnType<typeof startEngine>>;

async function buildOn(ctx: Engine, factory: string): Promise<IndexInfo> {
  const { job } = (await ctx.engine.handle('buildIndex', { dataset: 'base', factory, metric: 'l2' })) as { job: string };
  await jobEnd(ctx.events, job);
  return (await ctx.engine.handle('jobResult', { id: job })) as IndexInfo;
}

/** The log on its own, as the engine keeps it once a save has emptied it: each batch's record written and synced. */
async function logAlone(dir: string, extra: Float32Array): Promise<number> {
  const file = path.join(dir, 'alone.faiss');
  writeFileSync(file, 'an index file');
  const base = await logBaseOf(file);
  const { log } = await WriteLog.open(path.join(dir, 'alone.wal'), base);
  const appendAll = async () => {
    await log.restart(base);
    for (let b = 0; b < BATCHES; b++) await log.append({ kind: 'add', dim: DIM, vectors: extra.subarray(b * BATCH * DIM, (b + 1) * BATCH * DIM) });
  };
  try {
    await appendAll(); // writes the space ahead
    const t0 = performance.now();
    await appendAll();
    return (performance.now() - t0) / BATCHES;
  } finally {
    await log.close();
  }
}

/**
 * What the write log costs: batches of 1,000 vectors added through the engine with every write
 * logged and synced before its answer, against the same adds with no log (the file following
 * later, as before). Batches alternate between the two engines so the machine's other work falls
 * on both alike. Measured twice: on a new log, which writes its space ahead as it fills, and
 * after a save, when the log reuses that space (a server that has been running); and the log on
 * its own, the least a logged add can cost on this disk.
 */
export async function run(): Promise<{ rows: BenchRow[]; vectorsPerSecond: Record<string, { logged: number; unlogged: number }> }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fe-bench-durable-'));
  const defaults = [{ id: 'base', name: 'base', source: { kind: 'generate' as const, generator: 'tutorial' as const, n: 20_000, nq: 0 } }];
  const logged = await startEngine({ dataDir: path.join(dir, 'logged'), defaults });
  const unlogged = await startEngine({ dataDir: path.join(dir, 'unlogged'), defaults, logWrites: false });
  const extra = tutorialSet({ n: BATCH * BATCHES, nq: 0, seed: 7 }).base;
  const rows: BenchRow[] = [];
  const vectorsPerSecond: Record<string, { logged: number; unlogged: number }> = {};
  const perSecond = (ms: number) => (BATCH * BATCHES) / (ms / 1000);
  try {
    for (const factory of FACTORIES) {
      const sides = [
        ['logged', logged, await buildOn(logged, factory)],
        ['unlogged', unlogged, await buildOn(unlogged, factory)],
      ] as const;
      for (const phase of ['new log', 'log space reused after a save'] as const) {
        const took = { logged: 0, unlogged: 0 };
        for (let b = 0; b < BATCHES; b++) {
          const vectors = extra.slice(b * BATCH * DIM, (b + 1) * BATCH * DIM);
          for (const [side, ctx, ix] of sides) {
            const t0 = performance.now();
            await ctx.engine.handle('addVectors', { index: ix.id, vectors });
            took[side] += performance.now() - t0;
          }
        }
        for (const [, ctx, ix] of sides) await ctx.engine.handle('saveIndex', { index: ix.id });
        if (phase !== 'new log') vectorsPerSecond[factory] = { logged: perSecond(took.logged), unlogged: perSecond(took.unlogged) };
        rows.push(row(`add ${BATCHES}×${BATCH} vectors (d=${DIM}, ${factory}), logged and synced, ${phase}`, took.logged / BATCHES, took.unlogged / BATCHES, 'ms/batch', 'same adds, no log', 1.3));
      }
    }
    const aloneMs = await logAlone(dir, extra);
    rows.push(row(`the log alone: ${BATCH}×${DIM} appended and synced, space reused`, aloneMs, rows[rows.length - 1].reference, 'ms/batch', `IVF64,Flat adds, no log`));
  } finally {
    await logged.stop();
    await unlogged.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return { rows, vectorsPerSecond };
}
