import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT } from '../helpers/engine.js';
import { openAppPage, type AppPage } from './app-page.js';
import { buildIndex, explainOn as explainPage, stepCount as countSteps, tid, timedStep } from './explain-page.js';

// Steps through each kind's explanation in Chromium on the labelled blobs (20k x 32), saves a
// screenshot of the steps a student would look at, and times each step's redraw of the map.
const SHOTS = path.join(ROOT, 'test', 'e2e', 'screenshots');
let app: AppPage;
let page: Page;
const drawMs: number[] = [];

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  app = await openAppPage({ width: 1600, height: 1100 }, [{ id: 'blobs', name: 'Gaussian blobs (10 labels)', source: { kind: 'generate', generator: 'blobs' } }]);
  page = app.page;
});
after(async () => app?.close());

const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `explain-${name}.png`) });
const sentence = () => page.locator(tid('explain-sentence')).innerText();

/** The names of the explain layer's traces that draw something (the layer keeps empty ones, hidden, so steps update in place). */
function traceNames(): Promise<string[]> {
  return page.evaluate(
    (sel) => ((document.querySelector(sel) as unknown as { data?: { name?: string; x?: ArrayLike<number> }[] } | null)?.data ?? []).filter((t) => (t.x?.length ?? 0) > 0).map((t) => t.name ?? ''),
    tid('explain-overlay'),
  );
}

async function step(button: 'explain-next' | 'explain-back'): Promise<void> {
  drawMs.push(await timedStep(page, button));
}

const build = (factory: string) => buildIndex(page, factory);
const explainOn = (factory: string) => explainPage(page, factory);
const stepCount = () => countSteps(page);

test('opens the blobs and builds Flat, IVF, HNSW and PQ on them', async () => {
  await page.goto(app.url);
  await page.locator(`${tid('projection')} .xtitle`).first().waitFor({ timeout: 90_000 });
  for (const f of ['Flat', 'IVF64,Flat', 'HNSW16', 'PQ8x4']) await build(f);
  await page.locator(tid('query-row')).fill('7');
  await page.locator(tid('run-query')).click();
  await page.locator('.result-summary').first().waitFor({ timeout: 30_000 });
});

test('IVF: lists coloured on the map, centroids ranked, scanned lists lit, misses marked with their nprobe; the slider moves recall and the share scanned', async () => {
  await explainOn('IVF64,Flat');
  assert.match(await sentence(), /split the 20,000 vectors into 64 lists/);
  assert.ok(await page.evaluate((sel) => /by IVF list/.test((document.querySelector(sel) as unknown as { data: { name: string }[] }).data[0].name), tid('projection')), 'the map\'s points coloured by list');
  assert.ok((await traceNames()).includes('centroids (× = list centre)'));
  assert.match((await page.locator(tid('colour-legend')).getAttribute('aria-label')) ?? '', /by IVF list/, 'the key under the map names the lists the points are coloured by');
  await page.locator(`${tid('explain-overlay')} .legend`).waitFor();
  const boxes = await page.evaluate(
    // selectors in, rectangles out; no named helper in the page (tsx's __name is not there)
    ({ map, layer }) =>
      [`${map} .nsewdrag`, `${layer} .legend`, '[data-testid="projection-card"]', '.neighbours-card'].map((sel) => {
        const r = document.querySelector(sel)!.getBoundingClientRect();
        return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
      }),
    { map: tid('projection'), layer: tid('explain-overlay') },
  );
  const [plot, legend, card, next] = boxes;
  assert.ok(legend.left >= plot.right - 1, `the layer's legend beside the plot area, not over it (${legend.left} vs ${plot.right})`);
  assert.ok(card.bottom <= next.top, 'the neighbours card below the map, not laid over it');
  await shot('ivf-1-lists');
  const total = await stepCount();
  for (let i = 1; i < total; i++) {
    await step('explain-next');
    if (i === 2) {
      assert.match(await sentence(), /With nprobe = 1, only the 1 nearest list is scanned/);
      assert.ok((await traceNames()).some((n) => /^scanned: 1 list/.test(n)));
      await shot('ivf-3-scanned');
    }
  }
  await shot('ivf-5-missed');
  // the slider: live recall and share scanned, the map relit, the search run again at that nprobe
  const slider = page.locator(tid('explain-nprobe'));
  await slider.focus();
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  await page.locator(tid('explain-nprobe-value')).filter({ hasText: /^6$/ }).waitFor();
  await page.locator(tid('explain-nprobe-live')).filter({ hasText: /scans [\d.]+% of the set · recall [\d.]+/ }).waitFor();
  await page.locator(tid('explain-index')).filter({ hasText: 'IVF64' }).waitFor();
  await page.waitForFunction((sel) => /scanned: 6 lists/.test(JSON.stringify(((document.querySelector(sel) as unknown as { data: { name: string }[] }).data).map((t) => t.name))), tid('explain-overlay'), { timeout: 20_000 });
  await shot('ivf-nprobe-6');
});

test('HNSW: the entry point, the hops per upper level as paths, level-0 visits in order, the answer equal to faiss\'s', async () => {
  await explainOn('HNSW16');
  assert.match(await sentence(), /enters at node \d+ on level \d/);
  assert.ok((await traceNames()).includes('entry point'));
  await step('explain-next');
  assert.ok((await traceNames()).some((n) => /^level \d+: \d+ hops?$/.test(n)), 'the first upper level drawn as a path');
  await shot('hnsw-2-upper-level');
  // keyboard: the arrow keys step too
  await page.locator(tid('explain-panel')).click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('ArrowRight');
  const total = await stepCount();
  while (!/step (\d+) of \1$/.test(await page.locator(tid('explain-counter')).innerText())) {
    await step('explain-next');
    if (/Level 0/.test(await page.locator('.explain-step-title').innerText()) && !(await traceNames()).some((n) => n === 'answer (10)')) {
      assert.ok((await traceNames()).some((n) => /^visited on level 0/.test(n)));
    }
  }
  assert.ok(total >= 4);
  assert.match(await sentence(), /exactly faiss's own/);
  await shot('hnsw-end');
  await step('explain-back');
  await shot('hnsw-level0');
});

test('PQ: the distance table as a heatmap, one answer\'s code as picked cells, approximate beside exact, wrong ranks, re-ranking', async () => {
  await explainOn('PQ8x4');
  await page.locator(`${tid('pq-heatmap')} .heatmaplayer`).first().waitFor({ state: 'attached', timeout: 20_000 });
  assert.match(await sentence(), /8 × 16 table/);
  await step('explain-next');
  assert.match(await sentence(), /approximate distance; its exact distance is/);
  await shot('pq-2-code');
  await step('explain-next');
  await shot('pq-3-wrong-ranks');
  await step('explain-next');
  assert.match(await sentence(), /Re-ranking with exact distances/);
  await shot('pq-4-rerank');
});

test('Flat: the baseline, every distance; Play steps by itself', async () => {
  await explainOn('Flat');
  assert.match(await sentence(), /every one of the 20,000 stored vectors/);
  await page.locator(tid('explain-distances')).filter({ hasText: '20,000' }).waitFor();
  await page.locator(tid('explain-play')).click();
  await page.locator(tid('explain-counter')).filter({ hasText: 'step 2 of 2' }).waitFor({ timeout: 10_000 });
  await shot('flat');
});

test('Lesson: one query through Flat → IVF → HNSW → PQ, one sentence each, exported as an offline HTML page with PNGs', async () => {
  await page.locator(tid('lesson')).click();
  await page.locator(tid('explain-panel')).and(page.locator('[data-mode="lesson"]')).waitFor({ timeout: 30_000 });
  assert.match(await sentence(), /^Flat compares the query with all 20,000 vectors: 20,000 distances, recall 1\.00\.$/);
  await step('explain-next');
  assert.match(await sentence(), /IVF64,Flat ranks 64 centroids .* of Flat's\), recall/);
  await shot('lesson-2-ivf');
  await step('explain-next');
  await step('explain-next');
  await shot('lesson-4-pq');
  const downloads: string[] = [];
  page.on('download', (d) => void d.path().then((p) => p && downloads.push(p)));
  const html = page.waitForEvent('download', { predicate: (d) => d.suggestedFilename().endsWith('.html'), timeout: 60_000 });
  await page.locator(tid('lesson-export')).click();
  const file = await (await html).path();
  const text = readFileSync(file!, 'utf8');
  assert.equal((text.match(/<img [^>]*src="data:image\/png;base64,/g) ?? []).length, 4, 'one embedded PNG per step');
  assert.ok(!/src="http|href="http/.test(text), 'nothing fetched: it works offline');
  assert.match(text, /HNSW16 walks a graph/);
  writeFileSync(path.join(SHOTS, 'explain-lesson.html'), text);
  await page.waitForTimeout(1000);
  assert.ok(downloads.filter((d) => d).length >= 5, `the HTML and four PNGs: ${downloads.length}`);
  assert.deepEqual(app.consoleErrors, []);
});

test('step draw times, from the click to plotly\'s finished draw of the map (reported, not asserted: times on SwiftShader are not a laptop\'s)', () => {
  const sorted = [...drawMs].sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1];
  const max = sorted[sorted.length - 1];
  console.log(`explain step draw over ${drawMs.length} steps: median ${median.toFixed(1)} ms, max ${max.toFixed(1)} ms`);
  writeFileSync(path.join(SHOTS, 'explain-draw-times.json'), JSON.stringify({ steps: drawMs.length, median_ms: median, max_ms: max, all_ms: drawMs.map((v) => Math.round(v)) }, null, 1));
  assert.ok(drawMs.length >= 10, 'enough steps timed');
});
