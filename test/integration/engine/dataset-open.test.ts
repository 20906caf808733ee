import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DatasetInfo, SearchResult } from '../../../app/contract/operations.js';
import { EngineError } from '../../../app/contract/errors.js';
import { startEngine, jobEnd } from '../../helpers/engine.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'fe-open-'));
const ctx = await startEngine({ defaults: [] });
after(() => ctx.stop());

// rows start at 10 so no first row reads like pandas' 0,1,2,... header
const csv = (rows: number, dim: number, offset = 0) =>
  Array.from({ length: rows }, (_, i) => Array.from({ length: dim }, (_, j) => (i + offset + 1) * 10 + j).join(',')).join('\n');

async function open(source: Record<string, unknown>): Promise<DatasetInfo> {
  const { job } = (await ctx.engine.handle('openDataset', { source: { kind: 'file', ...source } })) as { job: string };
  const end = await jobEnd(ctx.events, job);
  if (end.status !== 'done') throw new EngineError(end.error!.code as never, end.error!.message);
  return (await ctx.engine.handle('jobResult', { id: job })) as DatasetInfo;
}

test('a dataset reports its norms, zero vectors and memory', async () => {
  writeFileSync(path.join(dir, 'z.csv'), `0,0\n3,4\n6,8\n`);
  const info = await open({ path: path.join(dir, 'z.csv') });
  assert.deepEqual(info.stats, { norm_min: 0, norm_mean: 5, norm_max: 10, zero_vectors: 1, memory_bytes: 24 });
});

test('a query set from a second file, searched by row', async () => {
  writeFileSync(path.join(dir, 'base.csv'), csv(50, 4));
  writeFileSync(path.join(dir, 'q.csv'), csv(3, 4, 7));
  const info = await open({ path: path.join(dir, 'base.csv'), queries: path.join(dir, 'q.csv') });
  assert.deepEqual([info.n, info.nq], [50, 3]);
  const { job } = (await ctx.engine.handle('buildIndex', { dataset: info.id, factory: 'Flat', metric: 'l2' })) as { job: string };
  await jobEnd(ctx.events, job);
  const ix = (await ctx.engine.handle('jobResult', { id: job })) as { id: string };
  const r = (await ctx.engine.handle('search', { index: ix.id, queries: { kind: 'queryRows', rows: [0, 2] }, k: 1 })) as SearchResult;
  assert.deepEqual(Array.from(r.labels), [7, 9], 'each query file row equals base row 7 + i');
  writeFileSync(path.join(dir, 'q3.csv'), csv(2, 3));
  await assert.rejects(open({ path: path.join(dir, 'base.csv'), queries: path.join(dir, 'q3.csv') }), (e: unknown) => e instanceof EngineError && e.code === 'BAD_DIMENSION');
});

test('a held-out split: the last rows become the query set', async () => {
  const info = await open({ path: path.join(dir, 'base.csv'), holdout: 10 });
  assert.deepEqual([info.n, info.nq], [40, 10]);
});
