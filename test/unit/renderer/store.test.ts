import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createClient } from '../../../app/contract/client.js';
import { EngineError } from '../../../app/contract/errors.js';
import { selectDataset } from '../../../renderer/src/store/dataset-slice.js';
import { datasetIndexes, factoryPreview } from '../../../renderer/src/store/index-slice.js';
import { defaultParams } from '../../../app/indexes/kinds.js';
import { tunableParams } from '../../../renderer/src/store/query-slice.js';
import { connectEngineEvents, createAppStore } from '../../../renderer/src/store/store.js';
import { selectProjection } from '../../../renderer/src/store/view-slice.js';
import { colourSpec, selectColourSource } from '../../../renderer/src/store/colour-select.js';
import { FakeEngine } from './fake-engine.js';
import { waitFor } from '../../helpers/wait-for.js';

function setup(engine = new FakeEngine(), jobPollMs = 5) {
  const deps = { client: createClient(engine), jobPollMs };
  const store = createAppStore(deps);
  connectEngineEvents(store, deps);
  return { engine, store };
}

async function ready() {
  const ctx = setup();
  await ctx.store.getState().loadDatasets();
  await ctx.store.getState().selectDataset('tutorial'); // the tests below ask of the set with a query set
  return ctx;
}

describe('dataset slice', () => {
  it('lists datasets, opens on the labelled set (its map shows structure) and projects it', async () => {
    const { store, engine } = setup();
    await store.getState().loadDatasets();
    const s = store.getState();
    assert.equal(s.datasets.length, 2);
    assert.equal(s.datasetId, 'blobs');
    assert.equal(selectDataset(s)?.labels, true);
    assert.equal(selectProjection(s)?.base.length, 1000);
    assert.equal(s.projectionJob, null);
    assert.equal(engine.count('project'), 1);
    await store.getState().selectDataset('tutorial');
    assert.equal(selectProjection(store.getState())?.dataset, 'tutorial', 'the tutorial set is one selection away');
  });

  it('reports a listing failure with its code', async () => {
    const engine = new FakeEngine();
    engine.failNext.listDatasets = new EngineError('WORKER_RESTARTED', 'the engine restarted');
    const { store } = setup(engine);
    await store.getState().loadDatasets();
    assert.deepEqual(store.getState().datasetError, { code: 'WORKER_RESTARTED', message: 'the engine restarted' });
  });

  it('switching datasets resets the query and reuses a finished projection', async () => {
    const { store, engine } = await ready();
    await store.getState().selectDataset('blobs');
    let s = store.getState();
    assert.equal(s.querySource, 'baseRows', 'blobs has no query set here');
    assert.equal(selectProjection(s)?.dataset, 'blobs');
    await store.getState().selectDataset('tutorial');
    s = store.getState();
    assert.equal(s.querySource, 'queryRows');
    assert.equal(engine.count('project'), 2, 'tutorial was not projected twice');
  });

  it('opens a dataset that already has an index with its query answered', async () => {
    const engine = new FakeEngine();
    engine.indexes.push({ id: 'saved', name: 'saved', dataset: 'blobs', factory: 'Flat', metric: 'l2', dim: 8, ntotal: 1000, status: 'ready', memory_bytes: 1, train_ms: 0, add_ms: 0 });
    const { store } = setup(engine);
    await store.getState().loadDatasets();
    assert.equal(store.getState().indexId, 'saved');
    assert.equal(store.getState().result?.index, 'saved');
  });

  it('refuses an unknown dataset in words', async () => {
    const { store } = await ready();
    await store.getState().selectDataset('nope');
    assert.equal(store.getState().datasetError?.code, 'DATASET_NOT_FOUND');
    assert.equal(store.getState().datasetId, 'tutorial');
  });
});

describe('index slice', () => {
  it('turns the guided fields into factory strings, and bad ones into codes', () => {
    const base = { indexKind: 'flat', params: defaultParams(), factoryText: 'IVF64,PQ8' } as const;
    assert.deepEqual(factoryPreview(base), { factory: 'Flat', options: {} });
    assert.deepEqual(factoryPreview({ ...base, indexKind: 'ivfflat', params: { ...base.params, nlist: 100 } }), { factory: 'IVF100,Flat', options: {} });
    assert.deepEqual(factoryPreview({ ...base, indexKind: 'hnsw', params: { ...base.params, M: 16 } }), { factory: 'HNSW16', options: { efConstruction: 40 } });
    assert.deepEqual(factoryPreview({ ...base, indexKind: 'factory' }), { factory: 'IVF64,PQ8', options: {} });
    const bad = factoryPreview({ ...base, indexKind: 'factory', factoryText: '!!' });
    assert.ok('error' in bad && bad.error.code === 'BAD_FACTORY');
    const badNlist = factoryPreview({ ...base, indexKind: 'ivfflat', params: { ...base.params, nlist: 0 } });
    assert.ok('error' in badNlist && badNlist.error.code === 'BAD_PARAM');
  });

  it('builds with progress and makes the new index active, leaving the query to the user', async () => {
    const { store, engine } = await ready();
    engine.holdJobs = true;
    store.getState().setIndexKind('hnsw');
    store.getState().setMetric('cosine');
    const phases: string[] = [];
    store.subscribe((s) => s.build?.job != null && phases.push(s.build.phase));
    const done = store.getState().buildIndex();
    await waitFor(() => store.getState().build?.job != null, { what: 'job id' });
    assert.equal(phases[0], 'starting', 'the job shows as starting before any progress');
    engine.finish();
    await done;
    const s = store.getState();
    assert.equal(s.build, null);
    assert.equal(s.buildError, null);
    assert.equal(s.indexId, 'idx1');
    assert.deepEqual(engine.calls.find((c) => c.op === 'buildIndex')?.input, { dataset: 'tutorial', factory: 'HNSW32', metric: 'cosine', efConstruction: 40 });
    // no search of its own: a test (or a user) typing k and pressing Enter meets no racing answer
    assert.equal(engine.count('search'), 0);
    assert.equal(store.getState().result, null);
    await store.getState().runQuery();
    assert.equal(store.getState().result?.ids.length, 10);
  });

  it('defaults nlist to about √n of the dataset chosen (1M: 1024, not 256) and keeps one the user typed', async () => {
    const engine = new FakeEngine();
    engine.datasets.push({ id: 'big', name: 'big', n: 1_000_000, dim: 8, dtype: 'float32', nq: 0, labels: false, source: { kind: 'generate', generator: 'tutorial' } });
    const { store } = setup(engine);
    await store.getState().loadDatasets();
    await store.getState().selectDataset('big');
    assert.equal(store.getState().params.nlist, 1024);
    store.getState().setIndexKind('ivfflat');
    assert.deepEqual(factoryPreview(store.getState()), { factory: 'IVF1024,Flat', options: {} });
    store.getState().setParam('nlist', 300);
    await store.getState().selectDataset('tutorial');
    assert.equal(store.getState().params.nlist, 300, 'a typed nlist is the user\'s');
  });

  it('does not ask the engine to build an invalid factory string', async () => {
    const { store, engine } = await ready();
    store.getState().setIndexKind('factory');
    store.getState().setFactoryText('IVF,,Flat');
    await store.getState().buildIndex();
    assert.equal(store.getState().buildError?.code, 'BAD_FACTORY');
    assert.equal(engine.count('buildIndex'), 0);
  });

  it('shows the engine refusing a factory string', async () => {
    const { store, engine } = await ready();
    engine.failNext.buildIndex = new EngineError('BAD_FACTORY', 'faiss does not know "Foo12"');
    store.getState().setIndexKind('factory');
    store.getState().setFactoryText('Foo12');
    await store.getState().buildIndex();
    assert.deepEqual(store.getState().buildError, { code: 'BAD_FACTORY', message: 'faiss does not know "Foo12"' });
    assert.equal(store.getState().build, null);
  });

  it('cancels a running build without calling it an error', async () => {
    const { store, engine } = await ready();
    engine.holdJobs = true;
    const done = store.getState().buildIndex();
    await waitFor(() => store.getState().build?.job != null, { what: 'job id' });
    await store.getState().cancelBuild();
    await done;
    const s = store.getState();
    assert.equal(s.build, null);
    assert.equal(s.buildError, null);
    assert.equal(s.buildNotice, 'Build cancelled.');
    assert.equal(s.indexes.length, 0);
  });

  it('finishes a build whose events were lost, by polling', async () => {
    const { store, engine } = await ready();
    engine.muteEvents = true;
    await store.getState().buildIndex();
    assert.equal(store.getState().indexId, 'idx1');
    assert.ok(engine.count('getJob') > 0);
  });

  it('lists only the current dataset\'s indexes and drops one', async () => {
    const { store, engine } = await ready();
    await store.getState().buildIndex();
    await store.getState().selectDataset('blobs');
    assert.equal(store.getState().indexId, null, 'tutorial\'s index is not active for blobs');
    await store.getState().buildIndex();
    assert.equal(datasetIndexes(store.getState()).length, 1);
    assert.equal(store.getState().indexes.length, 2);
    await store.getState().dropIndex('idx2');
    assert.equal(store.getState().indexId, null);
    assert.equal(engine.indexes.length, 1);
  });
});

describe('query slice', () => {
  it('asks for a built index first', async () => {
    const { store, engine } = await ready();
    await store.getState().runQuery();
    assert.equal(store.getState().queryError?.code, 'INDEX_NOT_READY');
    assert.equal(engine.count('search'), 0);
  });

  it('checks k and the row range before searching', async () => {
    const { store } = await ready();
    await store.getState().buildIndex();
    store.getState().setK(0);
    await store.getState().runQuery();
    assert.equal(store.getState().queryError?.code, 'BAD_K');
    store.getState().setK(1001);
    await store.getState().runQuery();
    assert.equal(store.getState().queryError?.code, 'BAD_K');
    store.getState().setK(5);
    store.getState().setQueryRow(50);
    await store.getState().runQuery();
    assert.equal(store.getState().queryError?.code, 'ROW_OUT_OF_RANGE');
    store.getState().setQueryRow(49);
    await store.getState().runQuery();
    assert.equal(store.getState().queryError, null);
    assert.equal(store.getState().result?.k, 5);
    assert.equal(store.getState().result?.row, 49);
  });

  it('sends nprobe / efSearch only to indexes that use them', async () => {
    const { store, engine } = await ready();
    assert.deepEqual(tunableParams('IVF256,Flat'), { nprobe: true, efSearch: false });
    assert.deepEqual(tunableParams('HNSW32'), { nprobe: false, efSearch: true });
    store.getState().setIndexKind('ivfflat');
    await store.getState().buildIndex();
    store.getState().setNprobe(8);
    store.getState().setEfSearch(64);
    await store.getState().runQuery();
    const search = engine.calls.filter((c) => c.op === 'search').at(-1)!;
    assert.deepEqual(search.input.params, { nprobe: 8 });
    assert.deepEqual(search.input.queries, { kind: 'queryRows', rows: [0] });
  });

  it('makes a clicked base point the query', async () => {
    const { store, engine } = await ready();
    await store.getState().buildIndex();
    await store.getState().queryBasePoint(123);
    const search = engine.calls.filter((c) => c.op === 'search').at(-1)!;
    assert.deepEqual(search.input.queries, { kind: 'baseRows', rows: [123] });
    assert.equal(store.getState().result?.source, 'baseRows');
    assert.equal(store.getState().result?.ids[0], 123);
  });

  it('keeps only the latest answer when replies cross', async () => {
    const { store, engine } = await ready();
    await store.getState().buildIndex();
    engine.holdReplies.add('search');
    store.getState().setQueryRow(1);
    const first = store.getState().runQuery();
    store.getState().setQueryRow(2);
    const second = store.getState().runQuery();
    await waitFor(() => engine.heldReplyCount === 2, { what: 'both searches held' });
    engine.releaseReply(1);
    await second;
    assert.equal(store.getState().result?.row, 2);
    engine.releaseReply(0);
    await first;
    assert.equal(store.getState().result?.row, 2, 'the older answer, landing last, is dropped');
    assert.equal(store.getState().queryRunning, false);
  });

  it('shows an engine error next to the query', async () => {
    const { store, engine } = await ready();
    await store.getState().buildIndex();
    engine.failNext.search = new EngineError('FAISS_ERROR', 'something broke');
    await store.getState().runQuery();
    assert.deepEqual(store.getState().queryError, { code: 'FAISS_ERROR', message: 'something broke' });
    assert.equal(store.getState().queryRunning, false);
  });
});

describe('view slice', () => {
  it('reports a failed projection', async () => {
    const engine = new FakeEngine();
    engine.failNext.project = new EngineError('DATASET_NOT_FOUND', 'gone');
    const { store } = setup(engine);
    await store.getState().loadDatasets();
    assert.equal(store.getState().projectionError?.code, 'DATASET_NOT_FOUND');
    assert.equal(store.getState().projectionJob, null);
  });

  it('drops the old projection job when the dataset changes mid-way', async () => {
    const engine = new FakeEngine();
    engine.holdJobs = true;
    const { store } = setup(engine);
    const loading = store.getState().loadDatasets();
    await waitFor(() => store.getState().projectionJob?.job != null, { what: 'blobs projection' });
    const switching = store.getState().selectDataset('tutorial');
    await waitFor(() => engine.count('cancelJob') === 1, { what: 'cancel' });
    engine.finish();
    await Promise.all([loading, switching]);
    const s = store.getState();
    assert.equal(s.datasetId, 'tutorial');
    assert.equal(selectProjection(s)?.dataset, 'tutorial');
    assert.equal(s.projections.blobs, undefined);
    assert.equal(s.projectionError, null);
  });

  it('refreshes the catalogue when the engine says it changed', async () => {
    const { store, engine } = await ready();
    engine.indexes.push({ id: 'ext', name: 'ext', dataset: 'tutorial', factory: 'Flat', metric: 'l2', dim: 8, ntotal: 1000, status: 'ready', memory_bytes: 1, train_ms: 0, add_ms: 0 });
    engine.emit({ type: 'catalogue' });
    await waitFor(() => store.getState().indexes.length === 1, { what: 'index list refresh' });
    assert.equal(store.getState().indexId, 'ext');
    engine.emit({ type: 'engine', state: 'restarted', message: 'The engine restarted.' });
    assert.equal(store.getState().engineNotice, 'The engine restarted.');
  });

  it('a projection landing does not touch what the neighbour table selects', async () => {
    const { store } = await ready();
    await store.getState().buildIndex();
    await store.getState().runQuery();
    store.setState((s) => ({ projections: { tutorial: s.projections.tutorial } })); // blobs, opened first, is projected anew
    let tableChanges = 0;
    let projectionChanges = 0;
    store.subscribe((s, prev) => {
      if (s.result !== prev.result) tableChanges++;
      if (s.projections !== prev.projections || s.projectionJob !== prev.projectionJob) projectionChanges++;
    });
    await store.getState().runProjection('blobs');
    assert.ok(projectionChanges >= 2);
    assert.equal(tableChanges, 0);
  });
});

describe('colour choices', () => {
  it('keeps the labels and a metadata column called "label" apart: asked for and cached one each', async () => {
    const engine = new FakeEngine();
    engine.datasets[1] = { ...engine.datasets[1], labelColumn: 'name', metadata: [{ name: 'label', type: 'number' }, { name: 'name', type: 'string' }] };
    const { store } = setup(engine);
    await store.getState().loadDatasets();
    await store.getState().selectDataset('blobs');
    await store.getState().setColourBy('label');
    const labels = colourSpec('label', selectColourSource(store.getState()));
    await store.getState().setColourBy('meta:label');
    const column = colourSpec('meta:label', selectColourSource(store.getState()));
    assert.deepEqual(engine.calls.filter((c) => c.op === 'columnValues').map((c) => c.input), [{ dataset: 'blobs' }, { dataset: 'blobs', column: 'label' }]);
    assert.equal(labels?.kind, 'category');
    assert.equal(labels?.title, 'label');
    assert.equal(column?.kind, 'number');
    assert.equal(column?.title, 'label');
  });

  it('hides legend categories by toggle, and forgets them with the colouring that had them', async () => {
    const { store } = await ready();
    store.getState().toggleCategory(2);
    store.getState().toggleCategory(4);
    store.getState().toggleCategory(2);
    assert.deepEqual(store.getState().hiddenCategories, [4]);
    await store.getState().setColourBy('none');
    assert.deepEqual(store.getState().hiddenCategories, []);
  });
});
