import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { EngineError } from '../../../app/contract/errors.js';
import { startEngine, jobEnd } from '../../helpers/engine.js';

let ctx: Awaited<ReturnType<typeof startEngine>>;
before(async () => {
  ctx = await startEngine({ defaults: [{ id: 'small', name: 'small', source: { kind: 'generate', generator: 'blobs', n: 3000, dim: 32, nq: 20 } }] });
});
after(async () => ctx.stop());

// each of these crashed, hung or aborted faiss 1.7.3's worker before the grammar checked it
const CRASHERS = ['HNSW0', 'HNSW1', 'IVF0,Flat', 'IVF16_HNSW0,Flat', 'PQ0', 'PQ8x0', 'IVF16,PQ0', 'HNSW8_PQ0', 'OPQ0,Flat', 'OPQ8_0,Flat', 'Flat,Refine(PQ0)', 'HNSW99999999999999999999'];

test('factory strings that crash faiss are refused at the request, and the worker lives', async () => {
  const pid = ctx.engine.workerPid;
  for (const factory of CRASHERS) {
    await assert.rejects(ctx.engine.handle('buildIndex', { dataset: 'small', factory, metric: 'l2' }), (err: unknown) => err instanceof EngineError && err.code === 'BAD_PARAM', factory);
  }
  assert.equal(ctx.engine.workerPid, pid, 'the worker was never restarted');
  assert.deepEqual(await ctx.engine.handle('health', {}), { status: 'ok', version: 'test' });
});

test('the lab checks its configurations with the same grammar, in the worker', async () => {
  const pid = ctx.engine.workerPid;
  for (const factory of ['HNSW0', 'PQ8x0', 'NSG32']) {
    const { job } = (await ctx.engine.handle('labRun', { dataset: 'small', metric: 'l2', k: 5, configs: [{ label: 'x', factory, param: null, sweep: [] }] })) as { job: string };
    const end = await jobEnd(ctx.events, job);
    assert.equal(end.status, 'failed', factory);
    assert.ok(end.error && ['BAD_PARAM', 'BAD_FACTORY'].includes(end.error.code), `${factory}: ${JSON.stringify(end.error)}`);
  }
  assert.equal(ctx.engine.workerPid, pid);
});

test('a checked string still builds and searches', async () => {
  const { job } = (await ctx.engine.handle('buildIndex', { dataset: 'small', factory: 'HNSW2', metric: 'l2' })) as { job: string };
  assert.equal((await jobEnd(ctx.events, job)).status, 'done');
});
