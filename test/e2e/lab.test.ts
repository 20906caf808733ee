import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { LabRun } from '../../app/contract/lab.js';
import type { DatasetInfo } from '../../app/contract/operations.js';
import { jobEnd } from '../helpers/engine.js';
import { openAppPage, SHOTS, type AppPage } from './app-page.js';

// A small lab in the UI: three index types with two sweep values each, on a 5k tutorial set.
const SMALL = { name: 'tutorial 5k (lab)', source: { kind: 'generate', generator: 'tutorial', n: 5000, nq: 200 } } as const;
let app: AppPage;
let page: Page;
let small: DatasetInfo;

before(async () => {
  app = await openAppPage({ width: 1440, height: 1000 });
  page = app.page;
  const { job } = (await app.ctx.engine.handle('openDataset', SMALL)) as { job: string };
  await jobEnd(app.ctx.events, job);
  small = (await app.ctx.engine.handle('jobResult', { id: job })) as DatasetInfo;
  await page.goto(app.url);
});
after(async () => {
  await app?.close();
});

const tid = (id: string) => `[data-testid="${id}"]`;

/** Names of the traces plotly drew in one chart. */
function traceNames(selector: string): Promise<string[]> {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel) as unknown as { data?: { name?: string }[] } | null;
    return (el?.data ?? []).map((t) => t.name ?? '');
  }, selector);
}

test('a small lab of three index types, two sweep values each, draws its chart and table', async () => {
  // the app opens on the labelled blobs (20,000 vectors)
  await page.locator(tid('dataset-facts')).filter({ hasText: '20,000' }).waitFor({ timeout: 30_000 });
  await page.locator(tid('tab-lab')).click();
  await page.locator(tid('lab-dataset')).selectOption(small.id);
  await page.locator(tid('dataset-facts')).filter({ hasText: '5,000' }).waitFor();
  await page.locator(tid('lab-queries')).fill('200');
  await page.locator(tid('lab-single')).fill('20');
  await page.locator(tid('lab-repeats')).fill('2');

  const add = async (kind: string, params: Record<string, string>) => {
    await page.locator(tid('lab-add-kind')).selectOption(kind);
    for (const [name, value] of Object.entries(params)) await page.locator(tid(`lab-add-${name}`)).fill(value);
    await page.locator(tid('lab-add')).click();
  };
  await add('ivfflat', { nlist: '64' });
  await add('hnsw', { M: '16' });
  await add('ivfsq8', { nlist: '64' });
  for (const [i, sweep] of ['2, 16', '16, 64', '2, 16'].entries()) {
    await page.locator(tid(`lab-sweep-${i}`)).fill(sweep);
    await page.locator(tid(`lab-sweep-${i}`)).press('Enter');
  }
  assert.equal(await page.locator(`${tid('lab-configs')} li`).count(), 3);

  const t0 = Date.now();
  await page.locator(tid('lab-run')).click();
  await page.locator(tid('lab-progress')).waitFor({ timeout: 10_000 });
  const rows = page.locator(tid('lab-row'));
  await rows.nth(5).waitFor({ timeout: 180_000 });
  console.log(`# lab run in the UI: ${Date.now() - t0} ms`);
  assert.equal(await rows.count(), 6);
  const cells = await rows.evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th')?.textContent ?? '', ...Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '')]));
  assert.match(cells[0][0], /IVF64,Flat.*nprobe=2/);
  assert.match(cells[3][0], /HNSW16.*efSearch=64/);
  for (const c of cells) {
    const recall = Number(c[1]);
    assert.ok(recall > 0 && recall <= 1, `recall ${c[1]}`);
    assert.ok(Number(c[4].replace(/,/g, '')) > 0, `QPS ${c[4]}`);
  }
  // more lists probed: recall goes up
  assert.ok(Number(cells[1][1]) > Number(cells[0][1]));

  // the chart: a frontier line per index, log QPS axis, hover text with every figure
  await page.locator(`${tid('lab-chart')} .scatterlayer .trace`).first().waitFor({ timeout: 30_000 });
  const names = await traceNames(tid('lab-chart'));
  for (const n of ['IVF64,Flat', 'HNSW16', 'IVF64,SQ8']) assert.ok(names.includes(n), `traces: ${names}`);
  const layout = await page.evaluate((sel) => (document.querySelector(sel) as unknown as { layout: { yaxis: { type: string } } }).layout.yaxis.type, tid('lab-chart'));
  assert.equal(layout, 'log');
  await page.locator(`${tid('lab-build-chart')} .scatterlayer .trace`).first().waitFor();
  await page.locator(`${tid('lab-size-chart')} .scatterlayer .trace`).first().waitFor();
  await page.screenshot({ path: path.join(SHOTS, 'lab.png') });
  await page.locator('.lab-results').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await page.locator(tid('ivf-histogram')).locator('.bars .point path, .trace.bars path').first().waitFor({ timeout: 20_000 });
  await page.locator(tid('lab-internals')).screenshot({ path: path.join(SHOTS, 'lab-internals-ivf.png') });
});

test('inside each index: IVF list sizes, the HNSW graph and SQ reconstruction errors', async () => {
  const pick = (label: string) => page.locator(`${tid('lab-internals')} button`, { hasText: label }).first().click();
  assert.match(await page.locator(tid('ivf-imbalance')).innerText(), /^\d+\.\d{3}$/);
  await pick('HNSW16');
  await page.locator(`${tid('hnsw-levels')} .trace.bars path`).first().waitFor({ timeout: 20_000 });
  await page.locator(`${tid('hnsw-degree')} .trace.bars path`).first().waitFor();
  await page.locator(tid('lab-internals')).screenshot({ path: path.join(SHOTS, 'lab-internals-hnsw.png') });
  await pick('IVF64,SQ8');
  await page.locator(`${tid('codec-histogram')} .trace.bars path`).first().waitFor({ timeout: 20_000 });
  assert.ok(Number(await page.locator(tid('codec-mean')).innerText()) > 0);
  await page.locator(tid('lab-internals')).screenshot({ path: path.join(SHOTS, 'lab-internals-sq8.png') });
});

test('clicking a point on the recall-QPS chart opens that index and setting in the explore view', async () => {
  await page.locator('.lab-results').evaluate((el) => el.scrollTo(0, 0));
  // the page position of HNSW16's efSearch=64 point, from plotly's own axes
  const where = await page.evaluate((sel) => {
    type Axis = { l2p(v: number): number; d2l(v: number): number; _offset: number };
    const gd = document.querySelector(sel) as unknown as { data: { name: string; x: number[]; y: number[]; customdata: [number, number][] }[]; _fullLayout: { xaxis: Axis; yaxis: Axis } };
    const trace = gd.data.find((t) => t.name === 'HNSW16' && t.customdata.some((c) => c[1] === 64))!;
    const i = trace.customdata.findIndex((c) => c[1] === 64);
    const { xaxis, yaxis } = gd._fullLayout;
    const box = (gd as unknown as HTMLElement).getBoundingClientRect();
    return { x: box.left + xaxis._offset + xaxis.l2p(xaxis.d2l(trace.x[i])), y: box.top + yaxis._offset + yaxis.l2p(yaxis.d2l(trace.y[i])) };
  }, tid('lab-chart'));
  await page.mouse.move(where.x, where.y);
  await page.locator('.hoverlayer .hovertext').filter({ hasText: 'efSearch=64' }).waitFor({ timeout: 10_000 });
  const hover = (await page.locator('.hoverlayer .hovertext').textContent()) ?? '';
  for (const word of ['recall@10', 'R@1', '10@10', 'QPS batch', 'single', 'p99', 'build', 'size']) assert.ok(hover.includes(word), `hover lacks ${word}: ${hover}`);
  await page.screenshot({ path: path.join(SHOTS, 'lab-hover.png') });
  await page.mouse.click(where.x, where.y);
  await page.locator(`${tid('tab-explore')}[aria-selected="true"]`).waitFor({ timeout: 20_000 });
  await page.locator(`${tid('neighbour-table')} tbody tr`).first().waitFor({ timeout: 30_000 });
  const kept = (await app.ctx.engine.handle('listIndexes', {})) as { id: string; factory: string; dataset: string }[];
  assert.ok(kept.some((ix) => ix.factory === 'HNSW16' && ix.dataset === small.id), 'the clicked index joined the catalogue');
  const efField = await page.evaluate(() => Array.from(document.querySelectorAll('input')).map((i) => i.value));
  assert.ok(efField.includes('64'), 'efSearch is set to the clicked point');
  await page.screenshot({ path: path.join(SHOTS, 'lab-explore-point.png') });
});

test('a run exports as CSV and JSON, and the JSON reloads into the lab', async () => {
  await page.locator(tid('tab-lab')).click();
  const [csv] = await Promise.all([page.waitForEvent('download'), page.locator(tid('lab-export-csv')).click()]);
  const csvText = readFileSync((await csv.path())!, 'utf8');
  const lines = csvText.trim().split('\n');
  assert.equal(lines.length, 7);
  assert.match(lines[0], /^label,factory,param,value,recall,/);
  assert.match(lines[0], /faiss/);
  const [json] = await Promise.all([page.waitForEvent('download'), page.locator(tid('lab-export-json')).click()]);
  const file = (await json.path())!;
  const run = JSON.parse(readFileSync(file, 'utf8')) as LabRun;
  assert.equal(run.format, 'faiss-explorer-lab/1');
  assert.match(run.faiss, /^\d+\.\d+/);
  assert.equal(run.indexes.length, 3);
  await page.locator(tid('lab-load')).setInputFiles(file);
  await page.locator('.notice').filter({ hasText: 'Loaded a saved run' }).waitFor();
  assert.equal(await page.locator(tid('lab-row')).count(), 6);
  assert.deepEqual(app.consoleErrors, []);
});
