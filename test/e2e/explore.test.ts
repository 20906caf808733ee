import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { bearer, startEngine, startServer, ROOT } from '../helpers/engine.js';
import { DEFAULT_DATASETS } from '../../main/engine/engine-host.js';
import { launchChromium } from './browser.js';

const SHOTS = path.join(ROOT, 'test-results', 'screenshots');
let ctx: Awaited<ReturnType<typeof startEngine>>;
let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  ctx = await startEngine({ defaults: DEFAULT_DATASETS });
  server = await startServer(ctx.engine, { staticDir: path.join(ROOT, 'dist', 'renderer') });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
});
after(async () => {
  await browser?.close();
  await server?.close();
  await ctx?.stop();
});

const tid = (id: string) => `[data-testid="${id}"]`;

test('the app opens on the labelled blobs, coloured by label; the tutorial set is one click away and draws its PCA projection', async () => {
  const t0 = Date.now();
  await page.goto(server.launchUrl);
  await page.locator(tid('dataset-facts')).filter({ hasText: '20,000' }).waitFor({ timeout: 30_000 });
  assert.match(await page.locator(tid('dataset-select')).inputValue(), /^blobs$/);
  await page.locator(`${tid('colour-legend')} li`).nth(9).waitFor({ timeout: 60_000 });
  assert.equal(await page.locator(`${tid('colour-legend')} li`).count(), 10, 'the first map is coloured by its ten labels');
  await page.locator(tid('open-tutorial')).click();
  await page.locator(tid('dataset-facts')).filter({ hasText: '100,000' }).waitFor({ timeout: 30_000 });
  assert.equal(await page.locator(tid('open-tutorial')).count(), 0, 'no link to the set already open');
  const facts = await page.locator(tid('dataset-facts')).innerText();
  assert.match(facts, /64/);
  // WebGL scatter: plotly draws points on a gl canvas inside the projection
  await page.locator(`${tid('projection')} .gl-canvas, ${tid('projection')} canvas`).first().waitFor({ timeout: 60_000 });
  await page.locator(`${tid('projection')} .xtitle`).first().waitFor({ timeout: 60_000 });
  console.log(`# time to first rendered chart: ${Date.now() - t0} ms`);
  assert.match((await page.locator(`${tid('projection')} .xtitle`).first().textContent()) ?? '', /%/);
});

test('building a Flat index shows progress, then a query shows the table, the bar chart and the highlight', async () => {
  // a fast build may show its bar for a moment only: watch the DOM from before the click
  await page.evaluate((sel) => {
    const w = window as unknown as { sawProgress?: boolean };
    w.sawProgress = false;
    new MutationObserver((_m, obs) => {
      if (document.querySelector(sel)) {
        w.sawProgress = true;
        obs.disconnect();
      }
    }).observe(document.body, { childList: true, subtree: true });
  }, tid('build-progress'));
  await page.locator(tid('build-button')).click();
  await page.locator(tid('run-query')).and(page.locator(':enabled')).waitFor({ timeout: 120_000 });
  const sawProgress = await page.evaluate(() => (window as unknown as { sawProgress?: boolean }).sawProgress === true);
  assert.ok(sawProgress, 'a progress bar was shown during the build');
  await page.locator(tid('k-input')).fill('7');
  await page.locator(tid('query-row')).fill('12');
  await page.locator(tid('query-row')).press('Enter');
  const rows = page.locator(`${tid('neighbour-table')} tbody tr`);
  await rows.nth(6).waitFor({ timeout: 30_000 });
  assert.equal(await rows.count(), 7);
  const distances = await rows.evaluateAll((trs) => trs.map((tr) => Number((tr.querySelectorAll('td')[2]?.textContent ?? '').replace(/,/g, ''))));
  for (let i = 1; i < distances.length; i++) assert.ok(distances[i] >= distances[i - 1], `distances ascend: ${distances}`);
  const bars = page.locator(`${tid('distance-chart')} .bars .point, ${tid('distance-chart')} .trace.bars path`);
  await bars.first().waitFor({ timeout: 20_000 });
  assert.ok((await bars.count()) >= 7);
  // the projection got the query and neighbour traces on top of the base cloud
  const traces = await page.evaluate((sel) => {
    type Plot = { data?: { name?: string; x?: ArrayLike<unknown> }[] };
    const el = document.querySelector(sel);
    const plot = (el?.querySelector('.js-plotly-plot') ?? el) as unknown as Plot | null;
    return (plot?.data ?? []).map((t) => `${t.name ?? ''}: ${t.x?.length ?? 0}`);
  }, tid('projection'));
  const lines = 7 * 3; // from the query to each neighbour: two ends and a break
  assert.deepEqual(traces, ['base vectors: 100000', 'overlay: 0', `query to neighbours: ${lines}`, 'neighbours: 7', 'missed (exact only): 0', 'selection (0): 0', 'selected neighbour: 0', 'query: 1']);
  await page.screenshot({ path: path.join(SHOTS, 'main.png') });
});

test('a bad factory string is refused with its code next to the Build button, and the app keeps working', async () => {
  await page.locator(tid('index-kind')).selectOption('factory');
  await page.locator(tid('factory-input')).fill('IVF99999999,Nope');
  await page.locator(tid('build-button')).click();
  const err = page.locator(tid('error')).filter({ hasText: /BAD_FACTORY|BAD_PARAM/ });
  await err.first().waitFor({ timeout: 20_000 });
  await page.screenshot({ path: path.join(SHOTS, 'bad-factory.png') });
  await page.locator(tid('index-kind')).selectOption('flat');
  await page.locator(tid('run-query')).click();
  await page.locator(`${tid('neighbour-table')} tbody tr`).first().waitFor();
  // the refused build's 400 is logged by the browser itself; nothing else may be
  assert.deepEqual(consoleErrors.filter((e) => !/status of 400/.test(e)), []);
});

test('the Serve panel shows the address scripts use and a snippet for the active index', async () => {
  const url = (await page.locator(tid('serve-url')).innerText()).trim();
  assert.equal(url, server.url);
  // browser mode's server wants this launch's token from scripts too, and the snippet says so
  assert.equal((await fetch(new URL('/v1/health', url))).status, 401);
  const health = await fetch(new URL('/v1/health', url), { headers: bearer(server) });
  assert.equal(health.status, 200);
  const snippet = await page.locator(tid('serve-python')).innerText();
  assert.match(snippet, /Authorization/);
  const index = /\/v1\/indexes\/(ix-[0-9a-f]+)\/search/.exec(snippet)?.[1];
  assert.ok(index, snippet);
  const res = await fetch(new URL(`/v1/indexes/${index}/search`, url), { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(server) }, body: JSON.stringify({ vectors: [new Array(64).fill(0.5)], k: 3 }) });
  assert.equal(res.status, 200);
  assert.equal(((await res.json()) as { labels: number[][] }).labels[0].length, 3);
  await page.locator(tid('serve-panel')).scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SHOTS, 'serve-panel.png') });
});

