import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createClient } from '../../../app/contract/client.js';
import { EngineError } from '../../../app/contract/errors.js';
import { diagnosticKey } from '../../../renderer/src/store/diagnostics-slice.js';
import { resultDrift } from '../../../renderer/src/store/query-slice.js';
import { connectEngineEvents, createAppStore } from '../../../renderer/src/store/store.js';
import { FakeEngine, storeOnTutorial } from './fake-engine.js';
import { waitFor } from '../../helpers/wait-for.js';

const ready = (engine = new FakeEngine()) => storeOnTutorial(engine);

describe('results and errors belong to what made them', () => {
  it('a dataset switch clears the errors, notices and side answers of the dataset left', async () => {
    const { store, engine } = await ready();
    await store.getState().selectDataset('tutorial');
    engine.failNext.buildIndex = new EngineError('BAD_PARAM', 'IVF4096 needs at least 4096 vectors to train');
    await store.getState().buildIndex();
    await store.getState().buildIndex();
    await store.getState().runBatchRows('picked', [1, 2]);
    store.getState().setVectorText('1, 2');
    await store.getState().runVectorQuery();
    store.getState().setSelection([3, 4]);
    let s = store.getState();
    assert.equal(s.buildError, null, 'the second build went through');
    assert.equal(s.batch?.dataset, 'tutorial');
    assert.equal(s.vectorError?.code, 'BAD_DIMENSION');
    engine.failNext.buildIndex = new EngineError('BAD_PARAM', 'refused');
    await store.getState().buildIndex();
    assert.equal(store.getState().buildError?.code, 'BAD_PARAM');

    for (let i = 0; i < 10; i++) await store.getState().selectDataset(i % 2 ? 'tutorial' : 'blobs');
    s = store.getState();
    assert.equal(s.datasetId, 'tutorial');
    assert.equal(s.buildError, null);
    assert.equal(s.vectorError, null);
    assert.equal(s.batch, null, 'a batch answer of the dataset left is not shown for another');
    assert.equal(s.selection, null);
  });

  it('a new active index re-asks the query; until it answers, the old result says it is out of date', async () => {
    const { store } = await ready();
    await store.getState().buildIndex();
    await store.getState().runQuery();
    assert.equal(store.getState().result?.index, 'idx1');
    assert.deepEqual(resultDrift(store.getState()), []);

    store.getState().setIndexKind('hnsw');
    await store.getState().buildIndex();
    await waitFor(() => store.getState().result?.index === 'idx2', { what: 'the query asked of the new index' });
    assert.deepEqual(resultDrift(store.getState()), []);
  });

  it('a failed re-ask leaves the old result marked with what changed', async () => {
    const { store, engine } = await ready();
    await store.getState().buildIndex();
    store.getState().setIndexKind('ivfflat');
    await store.getState().buildIndex();
    await store.getState().runQuery();
    engine.failNext.search = new EngineError('WORKER_RESTARTED', 'the engine restarted');
    store.getState().selectIndex('idx1');
    await waitFor(() => !store.getState().queryRunning && store.getState().queryError !== null, { what: 'the failed search' });
    assert.equal(store.getState().result?.index, 'idx2');
    assert.deepEqual(resultDrift(store.getState()), ['the active index is now Flat (idx1)']);
  });

  it('a changed k or nprobe marks the result until it is run again', async () => {
    const { store } = await ready();
    store.getState().setIndexKind('ivfflat');
    await store.getState().buildIndex();
    await store.getState().runQuery();
    store.getState().setK(20);
    store.getState().setNprobe(8);
    assert.deepEqual(resultDrift(store.getState()), ['k is now 20', 'nprobe is now 8']);
    await store.getState().runQuery();
    assert.deepEqual(resultDrift(store.getState()), []);
    assert.deepEqual(store.getState().result?.params, { nprobe: 8 });
  });
});

describe('an invalid k never spreads', () => {
  it('a refused k stays in its field: the views, diagnostics and side queries keep the last valid one', async () => {
    const { store, engine } = await ready();
    await store.getState().buildIndex();
    await store.getState().runQuery();
    store.getState().setK(100000);
    const s = store.getState();
    assert.equal(s.kField, 100000, 'the field shows what was typed');
    assert.equal(s.k, 10, 'everything else keeps k = 10');
    assert.equal(diagnosticKey(s, 'recall'), 'idx1|10');
    assert.deepEqual(resultDrift(s), [], 'the result on screen still answers for k = 10');

    await store.getState().runQuery();
    assert.equal(store.getState().queryError?.code, 'BAD_K');
    await store.getState().runBatchRows('picked', [1]);
    assert.equal(store.getState().batchError?.code, 'BAD_K');
    assert.ok(engine.calls.every((c) => c.op !== 'search' || c.input.k === 10), 'no search was sent with k = 100000');

    store.getState().setK(12);
    assert.equal(store.getState().k, 12);
    assert.equal(store.getState().queryError, null, 'a valid k clears the complaint about it');
  });
});

describe('recent files', () => {
  it('lists a file once, however often it is opened or uploaded anew (uploads get a fresh path each time), and keeps the list', async () => {
    const saved: { path: string; name: string }[][] = [];
    const engine = new FakeEngine();
    const deps = { client: createClient(engine), jobPollMs: 5, recent: { load: () => [], save: (l: { path: string; name: string }[]) => saved.push(l) } };
    const store = createAppStore(deps);
    connectEngineEvents(store, deps);
    await store.getState().loadDatasets();
    await store.getState().openPath('/data/digits.jsonl');
    await store.getState().openPath('/uploads/3fa9c1-digits.jsonl', 'digits.jsonl');
    await store.getState().openPath('/uploads/77b0e2-digits.jsonl', 'digits.jsonl');
    await store.getState().openPath('/data/other.npy');
    assert.deepEqual(store.getState().recentFiles, [
      { path: '/data/other.npy', name: 'other.npy' },
      { path: '/uploads/77b0e2-digits.jsonl', name: 'digits.jsonl' },
    ]);
    assert.deepEqual(saved.at(-1), store.getState().recentFiles);
  });
});

describe('a picked metadata file', () => {
  it('goes to the engine with the vectors file it belongs to, and an empty field sends none', async () => {
    const { store, engine } = await ready();
    await store.getState().openPath('/data/digits.npy', undefined, ' /data/digits-labels.tsv ');
    await store.getState().openPath('/data/other.npy', undefined, '  ');
    const sources = engine.calls.filter((c) => c.op === 'openDataset').map((c) => c.input.source);
    assert.deepEqual(sources, [
      { kind: 'file', path: '/data/digits.npy', metadata: '/data/digits-labels.tsv' },
      { kind: 'file', path: '/data/other.npy' },
    ]);
  });
});

describe('the colouring follows the dataset', () => {
  it('a colouring by a column the next dataset lacks falls back to the labels; one it has is kept', async () => {
    const engine = new FakeEngine();
    const meta = (names: string[]) => names.map((name) => ({ name, type: 'number' as const }));
    engine.datasets = engine.datasets.map((d) => ({ ...d, metadata: meta(d.id === 'tutorial' ? ['labels', 'score'] : ['score']) }));
    const { store } = await ready(engine);
    await store.getState().setColourBy('meta:labels');
    await store.getState().selectDataset('blobs');
    assert.equal(store.getState().colourBy, 'label', 'blobs has no column "labels"');
    await store.getState().setColourBy('meta:score');
    await store.getState().selectDataset('tutorial');
    assert.equal(store.getState().colourBy, 'meta:score', 'both have "score"');
  });
});
