import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from '../../../app/contract/client.js';
import { inProcessTransport } from '../../../main/engine/in-process-transport.js';
import { PLAY_MS, selectExplainMap, selectExplainRun } from '../../../renderer/src/store/explain-slice.js';
import { connectEngineEvents, createAppStore, type AppStore } from '../../../renderer/src/store/store.js';
import { jobEnd, startEngine } from '../../helpers/engine.js';

// The explain slice over a real engine: the store asks the worker, faiss answers.
let ctx: Awaited<ReturnType<typeof startEngine>>;
let store: AppStore;
const ids: Record<string, string> = {};

before(async () => {
  ctx = await startEngine({ defaults: [{ id: 'blobs', name: 'blobs', source: { kind: 'generate', generator: 'blobs', n: 2000, nq: 20, dim: 16, clusters: 6 } }] });
  for (const factory of ['Flat', 'IVF16,Flat', 'HNSW8', 'PQ4x4']) {
    const { job } = (await ctx.engine.handle('buildIndex', { dataset: 'blobs', factory, metric: 'l2' })) as { job: string };
    assert.equal((await jobEnd(ctx.events, job)).status, 'done');
    ids[factory] = ((await ctx.engine.handle('jobResult', { id: job })) as { id: string }).id;
  }
  const deps = { client: createClient(inProcessTransport(ctx.engine)), jobPollMs: 50 };
  store = createAppStore(deps);
  connectEngineEvents(store, deps);
  await store.getState().loadDatasets();
  await store.getState().refreshIndexes();
});
after(async () => ctx.stop());

test('Explain on IVF: steps from the engine, the rows coloured by list, Next/Back clamped, the slider relights and re-searches', async () => {
  const s = () => store.getState();
  s().selectIndex(ids['IVF16,Flat']);
  s().setQueryRow(3);
  await s().runExplain();
  assert.equal(s().explainError, null);
  const run = selectExplainRun(s())!;
  assert.equal(run.explanation.kind, 'ivf');
  assert.equal(run.rowLists!.length, 2000);
  assert.equal(s().explainNprobe, 1);
  s().prevExplainStep();
  assert.equal(s().explainStep, 0, 'Back stops at the first step');
  for (let i = 0; i < 20; i++) s().nextExplainStep();
  assert.equal(s().explainStep, s().explainSteps.length - 1, 'Next stops at the last step');
  s().setExplainStep(2);
  assert.deepEqual(selectExplainMap(s())!.lists!.lit, run.explanation.ivf!.order.slice(0, 1));

  const pending = s().setExplainNprobe(4);
  // lit at once, before the engine answers
  assert.deepEqual(selectExplainMap(s())!.lists!.lit, run.explanation.ivf!.order.slice(0, 4));
  await pending;
  assert.equal(selectExplainRun(s())!.explanation.ivf!.nprobe, 4, 'searched again at the slider\'s nprobe');
  assert.equal(s().explainStep, 2, 'the step stays where the student was');
  assert.equal(selectExplainRun(s())!.rowLists, run.rowLists, 'the lists of rows are fetched once per index');
});

test('Play walks to the last step by itself and stops; Play again pauses', async () => {
  const s = () => store.getState();
  s().selectIndex(ids['HNSW8']);
  await s().runExplain();
  assert.equal(selectExplainRun(s())!.explanation.hnsw!.matches_faiss, true);
  s().setExplainStep(s().explainSteps.length - 2);
  s().toggleExplainPlay();
  assert.equal(s().explainPlaying, true);
  await new Promise((r) => setTimeout(r, PLAY_MS * 2 + 200));
  assert.equal(s().explainStep, s().explainSteps.length - 1);
  assert.equal(s().explainPlaying, false);
  s().toggleExplainPlay();
  assert.equal(s().explainStep, 0, 'Play at the end starts over');
  s().toggleExplainPlay();
  assert.equal(s().explainPlaying, false);
});

test('the lesson takes one query through Flat, IVF, HNSW and PQ; each step shows how that index ended', async () => {
  const s = () => store.getState();
  await s().runLesson();
  const lesson = s().lesson!;
  assert.deepEqual(lesson.runs.map((r) => r.explanation.kind), ['flat', 'ivf', 'hnsw', 'pq']);
  assert.deepEqual(lesson.missing, []);
  assert.equal(lesson.steps[0].distances, 2000);
  assert.ok(lesson.steps[1].distances < 2000 && lesson.steps[2].distances < 2000, 'IVF and HNSW skip most of the set');
  assert.equal(lesson.steps[3].distances, 2000, 'PQ still scans every code, each by table look-ups');
  assert.match(lesson.steps[3].sentence, /summing 4 table cells each/);
  s().nextExplainStep();
  assert.equal(s().lessonStep, 1);
  assert.equal(selectExplainRun(s())!.explanation.kind, 'ivf');
  assert.ok(selectExplainMap(s())!.lists, 'the IVF step of the lesson draws its lists');
  s().closeExplain();
  assert.equal(selectExplainRun(s()), null);
});

test('bad input: no index for the dataset, and a vector of the wrong size: clear errors, and it explains again after', async () => {
  const s = () => store.getState();
  s().selectIndex('nope');
  await s().runExplain();
  assert.equal(s().explainError?.code, 'INDEX_NOT_READY');
  s().selectIndex(ids.Flat);
  store.setState({ result: { dataset: 'blobs', index: ids.Flat, source: 'vector', row: -1, k: 10, ids: new Float64Array(10), distances: new Float32Array(10), tookMs: 0, params: {}, ignoredParams: [] }, pastedVector: new Float32Array(5) });
  await s().runExplain();
  assert.equal(s().explainError?.code, 'BAD_DIMENSION');
  store.setState({ result: null, pastedVector: null });
  await s().runExplain();
  assert.equal(s().explainError, null);
  assert.equal(selectExplainRun(s())!.explanation.kind, 'flat');
});
