import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createClient } from '../../../app/contract/client.js';
import { labJson, parseLabJson } from '../../../app/eval/lab-results.js';
import { localSavedList } from '../../../renderer/src/saved-list.js';
import { buildTimeFigure, histogramFigure, levelsFigure, logTicks, recallQpsFigure, shortNumber, sizeFigure } from '../../../renderer/src/charts/lab-figures.js';
import { chartTheme } from '../../../renderer/src/charts/theme.js';
import { connectEngineEvents, createAppStore } from '../../../renderer/src/store/store.js';
import { sampleRun } from '../app/eval/lab-fixture.js';
import { FakeEngine } from './fake-engine.js';
import { waitFor } from '../../helpers/wait-for.js';

const theme = chartTheme(false);

describe('lab figures', () => {
  it('draws each index as its frontier line plus hollow dominated points, on a log QPS axis', () => {
    const fig = recallQpsFigure(sampleRun(), theme);
    type T = { name: string; mode: string; x: number[]; y: number[]; showlegend: boolean; customdata: [number, number | null][]; text: string[] };
    const traces = fig.data as unknown as T[];
    assert.deepEqual(traces.map((t) => [t.name, t.mode]), [['Flat', 'lines+markers'], ['IVF32,Flat', 'lines+markers'], ['IVF32,Flat', 'markers'], ['HNSW16', 'lines+markers']]);
    assert.deepEqual(traces[1].x, [0.8, 1]);
    assert.deepEqual(traces[2].customdata, [[1, 1]]);
    assert.equal(traces[2].showlegend, false);
    assert.equal((fig.layout.yaxis as { type: string }).type, 'log');
    for (const word of ['recall@10', 'R@1', '10@10', 'QPS batch', 'single', 'median', 'p99', 'build', 'size']) assert.ok(traces[3].text[0].includes(word), word);
  });

  it("draws the repeats' QPS range as error bars, so noise shows", () => {
    const traces = recallQpsFigure(sampleRun(), theme).data as unknown as { y: number[]; error_y: { array: number[]; arrayminus: number[] } }[];
    // Flat at 100 QPS: repeats from 80 to 125
    assert.deepEqual(traces[0].error_y.array.map(Math.round), [25]);
    assert.deepEqual(traces[0].error_y.arrayminus.map(Math.round), [20]);
  });

  it('plots build time and size against recall, one line per index', () => {
    const build = buildTimeFigure(sampleRun(), theme).data as unknown as { y: number[] }[];
    assert.equal(build.length, 3);
    assert.deepEqual(build[0].y, [0.03]);
    const size = sizeFigure(sampleRun(), theme).data as unknown as { y: number[]; x: number[] }[];
    assert.deepEqual(size[1].x, [0.5, 0.8, 1]);
    assert.deepEqual(size[1].y, [260_000, 260_000, 260_000]);
  });

  it('labels log axes at 1, 2 and 5 of each decade, in short numbers', () => {
    assert.deepEqual(logTicks([3000, 40000]), { tickvals: [2000, 5000, 10000, 20000, 50000, 100000], ticktext: ['2k', '5k', '10k', '20k', '50k', '100k'] });
    assert.deepEqual(logTicks([3000, 10000]).ticktext, ['2k', '5k', '10k', '20k']);
    assert.deepEqual(logTicks([3000, 6000]).ticktext, ['2k', '3k', '4k', '5k', '6k', '7k', '8k', '9k', '10k']);
    assert.deepEqual(logTicks([0.04, 0.9]).ticktext, ['0.02', '0.05', '0.1', '0.2', '0.5', '1', '2']);
    assert.deepEqual(logTicks([]), { tickvals: [], ticktext: [] });
    assert.equal(shortNumber(2_500_000), '2.5M');
  });

  it('draws histograms as bars over bin centres and HNSW levels by level', () => {
    const bars = histogramFigure({ start: 0, width: 2, counts: [1, 3] }, theme, 'size').data[0] as unknown as { x: number[]; y: number[] };
    assert.deepEqual(bars.x, [1, 3]);
    assert.deepEqual(bars.y, [1, 3]);
    const levels = levelsFigure([900, 90, 10], theme).data[0] as unknown as { x: number[] };
    assert.deepEqual(levels.x, [0, 1, 2]);
  });
});

function setup() {
  const engine = new FakeEngine();
  const deps = { client: createClient(engine), jobPollMs: 5 };
  const store = createAppStore(deps);
  connectEngineEvents(store, deps);
  return { engine, store };
}

describe('lab slice', () => {
  it('fills the configs from a preset for the current dataset, then runs them as one job', async () => {
    const { engine, store } = setup();
    await store.getState().loadDatasets();
    await store.getState().selectDataset('tutorial');
    store.getState().applyLabPreset('families');
    const s = store.getState();
    assert.equal(s.labPreset, 'families');
    assert.deepEqual(s.labConfigs.map((c) => c.factory), ['Flat', 'IVF16,Flat', 'HNSW32', 'IVF16,PQ2x8']);
    await s.runLab();
    const input = engine.calls.find((c) => c.op === 'labRun')!.input;
    assert.equal(input.dataset, 'tutorial');
    assert.equal(input.configs.length, 4);
    assert.equal(store.getState().labRun?.id, 'lab-test-1');
    assert.equal(store.getState().labJob, null);
  });

  it('edits configs and their sweeps, and refuses to run with none', async () => {
    const { store } = setup();
    await store.getState().loadDatasets();
    await store.getState().selectDataset('tutorial');
    await store.getState().runLab();
    assert.equal(store.getState().labError?.code, 'BAD_REQUEST');
    store.getState().addLabConfig({ label: 'HNSW8', factory: 'HNSW8', param: 'efSearch', sweep: [16] });
    store.getState().setLabSweep(0, [8, 32]);
    assert.deepEqual(store.getState().labConfigs[0].sweep, [8, 32]);
    store.getState().removeLabConfig(0);
    assert.deepEqual(store.getState().labConfigs, []);
  });

  it('can be cancelled while running', async () => {
    const { engine, store } = setup();
    await store.getState().loadDatasets();
    await store.getState().selectDataset('tutorial');
    engine.holdJobs = true;
    store.getState().addLabConfig({ label: 'Flat', factory: 'Flat', param: null, sweep: [] });
    const running = store.getState().runLab();
    await waitFor(() => !!store.getState().labJob?.job, { what: 'job id' });
    await store.getState().cancelLab();
    await running;
    assert.equal(store.getState().labNotice, 'Lab run cancelled.');
    assert.equal(store.getState().labRun, null);
  });

  it('a clicked point keeps its index once and opens it in explore with the swept parameter', async () => {
    const { engine, store } = setup();
    await store.getState().loadDatasets();
    await store.getState().selectDataset('tutorial');
    store.getState().addLabConfig({ label: 'Flat', factory: 'Flat', param: null, sweep: [] });
    await store.getState().runLab();
    store.getState().setActiveView('lab');
    await store.getState().exploreLabPoint(2, 64);
    let s = store.getState();
    assert.equal(s.labError, null);
    assert.equal(s.activeView, 'explore');
    assert.equal(s.indexId, 'kept2');
    assert.equal(s.efSearch, 64);
    assert.equal(s.result?.index, 'kept2');
    await store.getState().exploreLabPoint(2, 16);
    s = store.getState();
    assert.equal(engine.count('keepLabIndex'), 1);
    assert.equal(s.efSearch, 16);
    await store.getState().exploreLabVector(2, 7);
    assert.equal(store.getState().querySource, 'baseRows');
    assert.equal(store.getState().queryRow, 7);
  });

  it('reloads an exported run, and says so when the file is not one', async () => {
    const { store } = setup();
    store.getState().loadLabRun(labJson(sampleRun()));
    assert.equal(store.getState().labRun?.id, 'lab-test-1');
    assert.match(store.getState().labNotice ?? '', /Loaded a saved run/);
    store.getState().loadLabRun('{}');
    assert.equal(store.getState().labError?.code, 'BAD_FILE');
  });
});

describe('lab runs kept between sessions', () => {
  it('a finished run and a loaded one are saved, reopened after a reload (a new store on the same storage), and chosen again', async () => {
    const storage = new Map<string, string>();
    const labRuns = localSavedList(
      { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v) },
      'runs',
      (item) => parseLabJson(JSON.stringify(item)),
    );
    const open = () => {
      const deps = { client: createClient(new FakeEngine()), jobPollMs: 5, labRuns };
      const store = createAppStore(deps);
      connectEngineEvents(store, deps);
      return store;
    };
    const first = open();
    assert.equal(first.getState().labRun, null, 'nothing kept yet');
    await first.getState().loadDatasets();
    await first.getState().selectDataset('tutorial');
    first.getState().applyLabPreset('families');
    await first.getState().runLab();
    const other = { ...sampleRun(), id: 'lab-other', created: '2026-02-02T00:00:00.000Z' };
    first.getState().loadLabRun(labJson(other));

    const reloaded = open();
    assert.deepEqual(reloaded.getState().labHistory.map((r) => r.id), ['lab-other', 'lab-test-1'], 'newest first');
    assert.equal(reloaded.getState().labRun?.id, 'lab-other', 'the last run is on screen again');
    assert.match(reloaded.getState().labNotice ?? '', /kept run/);
    reloaded.getState().openLabRun('lab-test-1');
    assert.equal(reloaded.getState().labRun?.id, 'lab-test-1');
    assert.deepEqual(reloaded.getState().labRun, sampleRun(), 'reopened as it was run');
  });
});
