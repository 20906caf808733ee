import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { openAppPage, SHOTS, type AppPage } from './app-page.js';

// What a user sees stays true to what made it, and the keyboard keeps its place (issue 13, item 5 and 7).
let app: AppPage;
let page: Page;

before(async () => {
  app = await openAppPage({ width: 1440, height: 1000 }, [
    { id: 'tutorial', name: 'faiss tutorial (d=64)', source: { kind: 'generate', generator: 'tutorial', n: 2000, nq: 50 } },
    { id: 'blobs', name: 'Gaussian blobs (10 labels)', source: { kind: 'generate', generator: 'blobs', n: 2000 } },
  ]);
  page = app.page;
  await page.goto(app.url);
  await page.locator(tid('dataset-select')).selectOption('tutorial');
  await page.locator(tid('dataset-details')).filter({ hasText: '2,000' }).waitFor({ timeout: 30_000 });
});
after(async () => app?.close());

const tid = (id: string) => `[data-testid="${id}"]`;
const focusedTestId = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? null);
const built = () => page.locator(`${tid('build-button')}[aria-busy="false"]`).waitFor({ timeout: 120_000 });

test('the first Tab reaches a skip link to the results', async () => {
  await page.keyboard.press('Tab');
  assert.equal(await focusedTestId(), 'skip-to-results');
  assert.equal((await page.locator(tid('skip-to-results')).innerText()).trim(), 'Skip to results');
  const box = await page.locator(tid('skip-to-results')).boundingBox();
  assert.ok(box && box.y >= 0, 'the focused skip link is on screen');
});

test('the keyboard stays on Build while it builds and after', async () => {
  await page.locator(tid('build-button')).focus();
  await page.keyboard.press('Enter');
  await page.locator(`${tid('build-button')}[aria-busy="true"]`).waitFor({ timeout: 10_000 }).catch(() => {}); // a fast build may end first
  assert.equal(await focusedTestId(), 'build-button', 'focus stays while building');
  await built();
  await page.locator(tid('run-query')).and(page.locator(':enabled')).waitFor({ timeout: 60_000 });
  assert.equal(await focusedTestId(), 'build-button', 'focus is still on Build, not on the page');
});

test('from the query row, a few keys reach the neighbour table', async () => {
  await page.locator(tid('query-row')).fill('3');
  await page.locator(tid('query-row')).press('Enter');
  await page.locator(`${tid('neighbour-table')} tbody tr`).nth(9).waitFor({ timeout: 30_000 });
  await page.locator(tid('query-row')).focus();
  let presses = 0;
  while ((await focusedTestId()) !== 'to-neighbours' && presses < 10) {
    await page.keyboard.press('Tab');
    presses++;
  }
  assert.equal(await focusedTestId(), 'to-neighbours');
  await page.keyboard.press('Enter');
  presses++;
  const inTable = await page.evaluate(() => document.activeElement?.closest('[data-testid="neighbour-table"] tbody') !== null && document.activeElement?.tagName === 'TR');
  assert.ok(inTable, 'focus is on a row of the table');
  assert.ok(presses <= 5, `${presses} keys from the query row to the table (37 Tabs before)`);
  await page.keyboard.press('ArrowDown');
  assert.match((await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))) ?? '', /^Rank 2,/);
});

test('a refused k stays in its field: the result, the batch hint and the snippet keep k = 10', async () => {
  await page.locator(tid('k-input')).fill('100000');
  await page.locator(tid('k-input')).press('Enter');
  await page.locator(tid('error')).filter({ hasText: 'BAD_K' }).waitFor({ timeout: 10_000 });
  const text = await page.locator('body').innerText();
  assert.doesNotMatch(text, /k = 100000|k=100000|"k": 100000/, 'the refused k shows nowhere but its field');
  assert.match(await page.locator(tid('result-summary')).innerText(), /k = 10\b/);
  assert.match(await page.locator(tid('serve-python')).innerText(), /"k": 10\}/);
  await page.locator(tid('k-input')).fill('10');
  await page.locator(tid('error')).filter({ hasText: 'BAD_K' }).waitFor({ state: 'detached', timeout: 10_000 });
});

test('a new active index answers the query on screen, named by its factory and id', async () => {
  const before = await page.locator(tid('result-index')).innerText();
  assert.match(before, /^Flat · ix-/);
  await page.locator(tid('index-kind')).selectOption('hnsw');
  await page.locator(tid('build-button')).click();
  await built();
  await page.locator(tid('result-index')).filter({ hasText: /^HNSW32 · ix-/ }).waitFor({ timeout: 60_000 });
  assert.equal(await page.locator(tid('result-stale')).count(), 0, 'once re-asked, nothing is out of date');
  // picking the Flat index again re-asks it too
  await page.locator(`${tid('index-list')} li`).first().locator('input[type="radio"]').check();
  await page.locator(tid('result-index')).filter({ hasText: before }).waitFor({ timeout: 30_000 });
  await page.locator(tid('k-input')).fill('12');
  await page.locator(tid('result-stale')).filter({ hasText: 'k is now 12' }).waitFor({ timeout: 5_000 });
  await page.screenshot({ path: path.join(SHOTS, 'result-out-of-date.png') });
  await page.locator(tid('k-input')).press('Enter');
  await page.locator(tid('result-stale')).waitFor({ state: 'detached', timeout: 30_000 });
});

test('an error and a batch answer do not follow the user to another dataset', async () => {
  await page.locator(tid('vector-input')).fill('1, 2, 3');
  await page.locator(tid('vector-run')).click();
  await page.locator(tid('error')).filter({ hasText: 'BAD_DIMENSION' }).waitFor({ timeout: 10_000 });
  for (const id of ['blobs', 'tutorial', 'blobs', 'tutorial']) {
    await page.locator(tid('dataset-select')).selectOption(id);
    await page.locator(tid('dataset-select')).and(page.locator(`:has(option[value="${id}"]:checked)`)).waitFor();
  }
  assert.equal(await page.locator(tid('error')).count(), 0, 'no error of the dataset left is shown');
});

test('plotly\'s toolbar covers no chart title, legend or bar', async () => {
  await page.locator(tid('query-row')).fill('5');
  await page.locator(tid('query-row')).press('Enter');
  await page.locator(`${tid('distance-histogram')} .gtitle`).waitFor({ timeout: 30_000 });
  for (const [chart, covered] of [['distance-histogram', '.gtitle'], ['projection', '.legend'], ['distance-chart', '.nsewdrag']] as const) {
    const chartEl = page.locator(tid(chart));
    await chartEl.hover();
    const bar = await chartEl.locator('.modebar').boundingBox();
    const other = await chartEl.locator(covered).first().boundingBox();
    assert.ok(bar && other, `${chart} has a toolbar and a ${covered}`);
    const overlaps = bar.x < other.x + other.width && other.x < bar.x + bar.width && bar.y < other.y + other.height && other.y < bar.y + bar.height;
    assert.ok(!overlaps, `${chart}: toolbar ${JSON.stringify(bar)} over ${covered} ${JSON.stringify(other)}`);
  }
  await page.screenshot({ path: path.join(SHOTS, 'toolbars.png') });
});
