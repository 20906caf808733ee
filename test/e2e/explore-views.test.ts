import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { openAppPage, SHOTS, type AppPage } from './app-page.js';
import { clickOn, pointOnScreen } from './scatter-points.js';

// Drives each exploration view on the labelled blobs set (20k x 32) and saves a screenshot of each.
let app: AppPage;
let page: Page;

before(async () => {
  app = await openAppPage({ width: 1600, height: 1500 });
  page = app.page;
});
after(async () => app?.close());

const tid = (id: string) => `[data-testid="${id}"]`;
const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `explore-${name}.png`) });

/** Names and point counts of the scatter's traces. */
function traces(): Promise<{ name: string; n: number }[]> {
  return page.evaluate((sel) => {
    type Plot = { data?: { name?: string; x?: ArrayLike<unknown> }[] };
    const plot = document.querySelector(sel) as unknown as Plot | null;
    return (plot?.data ?? []).map((t) => ({ name: t.name ?? '', n: t.x?.length ?? 0 }));
  }, tid('projection'));
}

async function waitForTrace(name: RegExp, min = 1, timeout = 60_000): Promise<void> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeout) {
    if ((await traces()).some((t) => name.test(t.name) && t.n >= min)) return;
    await page.waitForTimeout(100);
  }
  assert.fail(`no trace ${name} with ${min}+ points: ${JSON.stringify(await traces())}`);
}

async function build(kind: 'flat' | 'hnsw'): Promise<void> {
  await page.locator(tid('index-kind')).selectOption(kind);
  const indexes = await page.locator(`${tid('index-list')} li`).count();
  await page.locator(tid('build-button')).click();
  await page.locator(`${tid('index-list')} li`).nth(indexes).waitFor({ timeout: 120_000 });
  await page.locator(`${tid('build-button')}[aria-busy="false"]`).waitFor({ timeout: 120_000 });
  await page.locator(tid('run-query')).and(page.locator(':enabled')).waitFor({ timeout: 120_000 });
}

test('colour by label: the blobs open coloured by their ten labels, with a named legend', async () => {
  await page.goto(app.url);
  await page.locator(tid('dataset-select')).selectOption('blobs');
  await page.locator(tid('dataset-facts')).filter({ hasText: '20,000' }).waitFor({ timeout: 30_000 });
  await page.locator(`${tid('projection')} .xtitle`).first().waitFor({ timeout: 60_000 });
  await page.locator(`${tid('colour-legend')} li`).nth(9).waitFor({ timeout: 30_000 });
  assert.equal(await page.locator(`${tid('colour-legend')} li`).count(), 10);
  await build('flat');
  await build('hnsw');
  await shot('colour-by-label');
});

test('click a point: it becomes the query, its neighbours light up with lines, and the table follows the highlight both ways', async () => {
  await page.locator(tid('k-input')).fill('12');
  await clickOn(page, await pointOnScreen(page, 1234));
  // plotly picks the point nearest the mouse: in a dense cluster that may be a neighbour of row 1234
  await page.locator('.result-summary').filter({ hasText: /base row \d+/ }).waitFor({ timeout: 30_000 });
  await waitForTrace(/^neighbours/, 12);
  const lines = (await traces()).find((t) => t.name === 'query to neighbours')!;
  assert.equal(lines.n, 36, 'one line (3 entries) per neighbour');
  // table -> chart: focusing row 3 rings that neighbour
  await page.locator(`${tid('neighbour-table')} tbody tr`).nth(2).focus();
  await waitForTrace(/^selected neighbour$/, 1);
  // chart -> table: clicking a lit neighbour selects its row
  const nb = await page.evaluate((sel) => {
    type Axis = { l2p(v: number): number; _offset: number };
    const el = document.querySelector(sel) as unknown as { data: { name: string; x: ArrayLike<number>; y: ArrayLike<number> }[]; _fullLayout: { xaxis: Axis; yaxis: Axis } } & HTMLElement;
    const t = el.data.find((d) => d.name.startsWith('neighbours'))!;
    const box = el.getBoundingClientRect();
    const { xaxis, yaxis } = el._fullLayout;
    return { x: box.left + xaxis._offset + xaxis.l2p(t.x[5]), y: box.top + yaxis._offset + yaxis.l2p(t.y[5]) };
  }, tid('projection'));
  await clickOn(page, nb);
  await page.locator(`${tid('neighbour-table')} tbody tr[aria-selected="true"]`).waitFor({ timeout: 10_000 });
  // the table sorts by a column and shows the label column
  await page.locator(tid('sort-label')).click();
  const labels = await page.locator(`${tid('neighbour-table')} tbody tr td:last-child`).allTextContents();
  assert.deepEqual(labels, [...labels].sort((a, b) => a.localeCompare(b, undefined, { numeric: true })));
  await page.locator(tid('distance-histogram')).locator('.shapelayer path').first().waitFor({ state: 'attached', timeout: 20_000 });
  await shot('click-a-point');
});

test('a pasted vector is dimension-checked, then searched', async () => {
  await page.locator(tid('vector-input')).fill('1, 2, 3');
  await page.locator(tid('vector-run')).click();
  await page.locator(tid('error')).filter({ hasText: 'this dataset has 32 dimensions' }).waitFor();
  const vector = Array.from({ length: 32 }, (_, i) => ((i * 7) % 11) - 5);
  await page.locator(tid('vector-input')).fill(JSON.stringify(vector));
  await page.locator(tid('vector-run')).click();
  await page.locator('.result-summary').filter({ hasText: 'a pasted vector' }).waitFor({ timeout: 20_000 });
  assert.equal(await page.locator(`${tid('neighbour-table')} tbody tr`).count(), 12);
  await waitForTrace(/^query$/, 1);
  await shot('pasted-vector');
});

test('search by label text finds rows, and a click queries one', async () => {
  await page.locator(tid('label-search')).fill('7');
  await page.locator(tid('label-search')).press('Enter');
  await page.locator(`${tid('label-results')} li`).nth(3).waitFor();
  await page.locator(`${tid('label-results')} li button`).nth(1).click();
  await page.locator('.result-summary').filter({ hasText: 'base row' }).waitFor();
});

test('a batch file of queries gives a results table and exports as CSV', async () => {
  const file = path.join(app.ctx.dataDir, 'batch.csv');
  const rows = [0, 1, 2].map((q) => Array.from({ length: 32 }, (_, i) => ((i + q) % 5) - 2).join(','));
  writeFileSync(file, rows.join('\n'));
  await page.locator(tid('batch-file')).setInputFiles(file);
  await page.locator(`${tid('batch-table')} tbody tr`).nth(2).waitFor({ timeout: 20_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator(tid('batch-csv')).click()]);
  const csv = readFileSync((await download.path())!, 'utf8').trim().split(/\r?\n/);
  assert.equal(csv[0], 'query,query_source,rank,id,distance');
  assert.equal(csv.length, 1 + 3 * 12);
  await shot('batch');
});

test('UMAP runs with progress by epoch, can be cancelled, and then draws its map', async () => {
  await page.locator(tid('umap-epochs')).fill('2000');
  await page.locator(tid('umap-run')).click();
  await page.locator(tid('umap-progress')).filter({ has: page.locator('xpath=.') }).waitFor({ timeout: 30_000 });
  await page.waitForFunction((sel) => /epoch/.test(document.querySelector(sel)?.getAttribute('aria-valuetext') ?? ''), tid('umap-progress'), { timeout: 120_000 });
  await shot('umap-progress');
  await page.locator(tid('umap-cancel')).click();
  await page.locator('.notice').filter({ hasText: 'UMAP cancelled' }).waitFor({ timeout: 30_000 });
  await page.locator(tid('umap-epochs')).fill('150');
  await page.locator(tid('umap-run')).click();
  await page.locator(`${tid('projection')}[data-method="umap"]`).waitFor({ timeout: 240_000 });
  await page.locator(`${tid('projection')} .xtitle`).filter({ hasText: 'UMAP 1' }).waitFor({ timeout: 30_000 });
  await shot('umap');
});

test('trustworthiness of the UMAP map, as a figure and per-point colour', async () => {
  await page.locator(tid('diag-trust')).click();
  await page.locator(tid('trust-summary')).waitFor({ timeout: 120_000 });
  const text = await page.locator(tid('trust-summary')).innerText();
  const t = Number(/trustworthiness ([\d.]+)/.exec(text)?.[1]);
  assert.ok(t > 0.8 && t <= 1, text);
  await page.locator(tid('colour-legend')).filter({ hasText: 'overlap' }).waitFor();
  await shot('trustworthiness');
});

test('recall colouring, and the missed and wrong neighbours of a query through a weak HNSW search', async () => {
  await page.locator(tid('efsearch-input')).fill('2');
  await page.locator(tid('k-input')).fill('30');
  await page.locator(tid('diag-recall')).click();
  await page.locator(tid('recall-summary')).waitFor({ timeout: 120_000 });
  await page.locator(tid('colour-legend')).filter({ hasText: 'recall' }).waitFor();
  await page.locator(tid('query-row')).fill('5');
  await page.locator(tid('query-row')).press('Enter');
  await page.locator(tid('query-recall')).filter({ hasText: 'recall@30' }).waitFor({ timeout: 30_000 });
  const recall = await page.locator(tid('query-recall')).innerText();
  assert.match(recall, /recall@30 vs exact: \d+%/);
  if (!/100%/.test(recall)) await waitForTrace(/^missed/, 1);
  await shot('recall');
});

test('compare two indexes on the same query: each beside the exact answer', async () => {
  await page.locator(tid('compare-index')).selectOption({ index: 1 });
  await page.locator(`${tid('compare-table')} tbody tr`).nth(29).waitFor({ timeout: 20_000 });
  await page.locator(tid('efsearch-input')).fill('');
});

test('hubs: k-occurrence, its skew and the top hubs, selectable', async () => {
  await page.locator(tid('k-input')).fill('10');
  await page.locator(tid('diag-hubs')).click();
  await page.locator(`${tid('hub-list')} li`).first().waitFor({ timeout: 120_000 });
  assert.match(await page.locator(tid('hubs-summary')).innerText(), /skewness -?\d/);
  await page.locator(`${tid('hub-list')} li button`).first().click();
  await page.locator('.result-summary').filter({ hasText: 'base row' }).waitFor();
  await shot('hubs');
});

test('near-duplicate pairs by range search within a radius', async () => {
  await page.locator(tid('dup-radius')).fill('25');
  await page.locator(tid('diag-duplicates')).click();
  await page.locator(tid('dup-results')).waitFor({ timeout: 120_000 });
  assert.match(await page.locator(tid('dup-results')).innerText(), /pairs within 25/);
  await shot('near-duplicates');
});

test('box select makes a selection that exports with ids, labels, coordinates and the index that made it', async () => {
  await page.locator(tid('drag-select')).click();
  const box = (await page.locator(`${tid('projection')} .nsewdrag`).first().boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5, { steps: 8 });
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.7, { steps: 8 });
  await page.mouse.up();
  await page.locator(tid('selection-bar')).waitFor({ timeout: 20_000 });
  const count = Number((await page.locator(tid('selection-count')).innerText()).replace(/,/g, ''));
  assert.ok(count > 0);
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator(tid('selection-export-json')).click()]);
  const json = JSON.parse(readFileSync((await download.path())!, 'utf8'));
  assert.equal(json.rows.length, count);
  assert.ok('label' in json.rows[0] && 'x' in json.rows[0] && 'id' in json.rows[0]);
  assert.match(json.index.factory, /HNSW/);
  assert.equal(json.projection.method, 'umap');
  await shot('selection');
});

test('the same views in the dark theme', async () => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForTimeout(500);
  await shot('dark');
  await page.emulateMedia({ colorScheme: 'light' });
  assert.deepEqual(app.consoleErrors.filter((e) => !/status of 400/.test(e)), []);
});
