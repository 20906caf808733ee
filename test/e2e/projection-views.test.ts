import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { openAppPage, SHOTS, type AppPage } from './app-page.js';
import { clickOn, pointOnScreen } from './scatter-points.js';
import { waitFor } from '../helpers/wait-for.js';

// A JSONL file written here (six clusters in 16 dimensions, a category and a number per row),
// coloured by each of its metadata columns, then turned in 3D. Small, so software WebGL keeps up.
const KINDS = ['amber', 'birch', 'cedar', 'dune', 'elm', 'fjord'];
const PER_KIND = 300;
const N = KINDS.length * PER_KIND;
const DIM = 16;
const dir = mkdtempSync(path.join(os.tmpdir(), 'fe-e2e-views-'));
const file = path.join(dir, 'groves.jsonl');
const scores: number[] = [];

let app: AppPage;
let page: Page;
const tid = (id: string) => `[data-testid="${id}"]`;
const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `views-${name}.png`) });

/** Seeded uniform numbers, so the file is the same on every run. */
function uniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function writeGroves(): void {
  const rand = uniform(42);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const centres = KINDS.map(() => Array.from({ length: DIM }, () => (rand() - 0.5) * 16));
  const lines: string[] = [];
  for (let i = 0; i < N; i++) {
    const kind = i % KINDS.length;
    const embedding = centres[kind].map((c) => Number((c + normal()).toFixed(4)));
    const score = Number((embedding[0] + embedding[1]).toFixed(3));
    scores.push(score);
    lines.push(JSON.stringify({ embedding, kind: KINDS[kind], score }));
  }
  writeFileSync(file, lines.join('\n') + '\n');
}

before(async () => {
  writeGroves();
  app = await openAppPage({ width: 1440, height: 1000 }, [{ id: 'tutorial', name: 'tutorial', source: { kind: 'generate', generator: 'tutorial', n: 2000, nq: 50 } }]);
  page = app.page;
  await page.goto(app.url);
  await page.locator(tid('dataset-facts')).filter({ hasText: '2,000' }).waitFor({ timeout: 30_000 });
});
after(async () => app?.close());

interface TraceFacts {
  name: string;
  type: string;
  n: number;
  z: number;
  colours: number;
  colourbar: string | null;
}

/** What plotly holds for each trace of the scatter: type, points, colour values and colour bar title. */
function traces(): Promise<TraceFacts[]> {
  return page.evaluate((sel) => {
    type Trace = { name?: string; type?: string; x?: ArrayLike<unknown>; z?: ArrayLike<unknown>; marker?: { color?: unknown; colorbar?: { title?: { text?: string } } } };
    const plot = document.querySelector(sel) as unknown as { data?: Trace[] } | null;
    return (plot?.data ?? []).map((t) => ({
      name: t.name ?? '',
      type: t.type ?? '',
      n: t.x?.length ?? 0,
      z: t.z?.length ?? -1,
      colours: typeof t.marker?.color === 'object' && t.marker.color !== null ? (t.marker.color as ArrayLike<unknown>).length : 0,
      colourbar: t.marker?.colorbar?.title?.text ?? null,
    }));
  }, tid('projection'));
}

async function waitForTraces(ok: (t: TraceFacts[]) => boolean, what: string, timeout = 60_000): Promise<TraceFacts[]> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeout) {
    const now = await traces();
    if (ok(now)) return now;
    await page.waitForTimeout(100);
  }
  assert.fail(`${what}: ${JSON.stringify(await traces())}`);
}

test('a JSONL file with a category and a number column opens, both offered as colours', async () => {
  await page.locator(tid('file-input')).setInputFiles(file);
  await page.locator(tid('dataset-facts')).filter({ hasText: `${N.toLocaleString('en-US')} vectors` }).waitFor({ timeout: 30_000 });
  await page.locator(`${tid('projection')} .xtitle`).first().waitFor({ timeout: 60_000 });
  const options = await page.locator(`${tid('colour-by')} option`).evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value));
  assert.ok(options.includes('meta:kind') && options.includes('meta:score'), options.join(', '));
});

test('colour by the category column: a legend of its six names with counts, no colour bar', async () => {
  await page.locator(tid('colour-by')).selectOption('meta:kind');
  const items = page.locator(`${tid('colour-legend')} li`);
  await items.nth(KINDS.length - 1).waitFor({ timeout: 30_000 });
  const legend = (await items.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  assert.deepEqual([...legend].sort(), KINDS.map((k) => `${k} ${PER_KIND}`));
  const [base] = await waitForTraces((t) => t[0]?.name === 'base vectors by kind', 'base trace coloured by kind');
  assert.equal(base.colours, N, 'one colour value per point');
  assert.equal(base.colourbar, null);
  assert.equal(await page.locator(`${tid('projection')} .colorbar`).count(), 0);
  await shot('colour-by-category');
  // a legend entry is a toggle: off, its points leave the map (no hover, no click), on again, back
  const first = page.locator(`${tid('colour-legend')} button`).first();
  const name = (await first.innerText()).trim().split(/\s+/)[0];
  const spot = await page.evaluate(
    ({ sel, name }) => {
      type Axis = { l2p(v: number): number; _offset: number };
      const el = document.querySelector(sel) as unknown as HTMLElement & { data: { x: ArrayLike<number>; y: ArrayLike<number>; text: string[] }[]; _fullLayout: { xaxis: Axis; yaxis: Axis } };
      const row = el.data[0].text.indexOf(name);
      const box = el.getBoundingClientRect();
      const { xaxis, yaxis } = el._fullLayout;
      return { row, x: box.left + xaxis._offset + xaxis.l2p(el.data[0].x[row]), y: box.top + yaxis._offset + yaxis.l2p(el.data[0].y[row]) };
    },
    { sel: tid('projection'), name },
  );
  const hoverText = async () => {
    await page.mouse.move(spot.x - 40, spot.y - 40);
    await page.mouse.move(spot.x, spot.y, { steps: 4 });
    await page.waitForTimeout(400);
    return ((await page.locator(`${tid('projection')} .hoverlayer`).textContent()) ?? '').replace(/\s+/g, ' ');
  };
  assert.match(await hoverText(), new RegExp(`kind: ${name}`), `a ${name} point answers the hover while shown`);
  await first.click();
  assert.equal(await first.getAttribute('aria-pressed'), 'false');
  await page.waitForFunction(({ sel, row }) => Number.isNaN((document.querySelector(sel) as unknown as { data: { x: ArrayLike<number> }[] }).data[0].x[row]), { sel: tid('projection'), row: spot.row });
  assert.doesNotMatch(await hoverText(), new RegExp(`kind: ${name}`), `a hidden ${name} point answers no hover`);
  await shot('category-hidden');
  await first.click();
  await page.waitForFunction(({ sel, row }) => !Number.isNaN((document.querySelector(sel) as unknown as { data: { x: ArrayLike<number> }[] }).data[0].x[row]), { sel: tid('projection'), row: spot.row });
  await page.mouse.move(0, 0);
});

test('colour by the number column: a continuous scale with a colour bar titled by the column', async () => {
  await page.locator(tid('colour-by')).selectOption('meta:score');
  await page.locator(tid('colour-legend')).filter({ hasText: /Colour: score on every point/ }).waitFor({ timeout: 30_000 });
  const [base] = await waitForTraces((t) => t[0]?.colourbar === 'score', 'base trace with a score colour bar');
  assert.equal(base.name, 'base vectors');
  assert.equal(base.colours, N);
  const scale = await page.evaluate((sel) => {
    const plot = document.querySelector(sel) as unknown as { data: { marker: { color: ArrayLike<number>; colorscale: unknown } }[] };
    const m = plot.data[0].marker;
    return { colorscale: m.colorscale, first: m.color[0], last: m.color[m.color.length - 1] };
  }, tid('projection'));
  assert.equal(scale.colorscale, 'Viridis');
  assert.deepEqual([scale.first, scale.last], [scores[0], scores[N - 1]], 'the values are the column, row by row');
  await page.locator(`${tid('projection')} .colorbar .cbtitle`).filter({ hasText: 'score' }).waitFor({ timeout: 10_000 });
  await shot('colour-by-number');
});

/** Moves over the 3D scene until plotly reports a point under the mouse, then clicks it. */
async function clickAPointIn3d(): Promise<void> {
  const box = (await page.locator(tid('projection')).boundingBox())!;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  for (let r = 0; r < 240; r += 6) {
    for (let a = 0; a < 8; a++) {
      const x = cx + r * Math.cos((a * Math.PI) / 4);
      const y = cy + r * Math.sin((a * Math.PI) / 4);
      await page.mouse.move(x, y, { steps: 2 });
      await page.waitForTimeout(250); // software WebGL picks on the next frames
      if ((await page.locator(`${tid('projection')} .hovertext`).count()) > 0) {
        await page.mouse.down();
        await page.waitForTimeout(100);
        await page.mouse.up();
        return;
      }
    }
  }
  assert.fail('no point of the 3D scatter came under the mouse');
}

test('3D: a keyboard toggle turns the scatter into scatter3d with every point, the query and its lit neighbours', async () => {
  await page.locator(tid('colour-by')).selectOption('meta:kind');
  await page.locator(tid('index-kind')).selectOption('flat');
  await page.locator(tid('build-button')).click();
  await page.locator(tid('run-query')).and(page.locator(':enabled')).waitFor({ timeout: 60_000 });
  await page.locator(tid('k-input')).fill('10');

  await page.locator(tid('view-3d')).focus();
  await page.keyboard.press('Space');
  await page.locator(`${tid('projection')}[data-dims="3"]`).waitFor({ timeout: 10_000 });
  assert.equal(await page.locator(tid('view-3d')).getAttribute('aria-pressed'), 'true');
  assert.equal(await page.locator(tid('view-2d')).getAttribute('aria-pressed'), 'false');
  const drawn = await waitForTraces((t) => t[0]?.type === 'scatter3d', 'a scatter3d base trace');
  assert.deepEqual(new Set(drawn.map((t) => t.type)), new Set(['scatter3d']));
  assert.equal(drawn[0].name, 'base vectors by kind');
  assert.deepEqual([drawn[0].n, drawn[0].z, drawn[0].colours], [N, N, N], 'every point, with depth and its colour');
  const zTitle = await page.evaluate((sel) => (document.querySelector(sel) as unknown as { _fullLayout: { scene: { zaxis: { title: { text: string } } } } })._fullLayout.scene.zaxis.title.text, tid('projection'));
  assert.match(zTitle, /^PC3 \([\d.]+%\)$/);
  assert.equal(await page.locator(tid('drag-select')).count(), 0, 'box and lasso are 2D tools');

  await clickAPointIn3d();
  await page.locator('.result-summary').filter({ hasText: /base row \d+/ }).waitFor({ timeout: 30_000 });
  const lit = await waitForTraces((t) => t.some((x) => x.name === 'neighbours' && x.n === 10), 'ten lit neighbours');
  const lines = lit.find((t) => t.name === 'query to neighbours')!;
  assert.deepEqual([lines.n, lines.z], [30, 30], 'a 3D line (3 entries) from the query to each neighbour');
  const query = lit.find((t) => t.name === 'query')!;
  assert.deepEqual([query.n, query.z], [1, 1]);
  await page.mouse.move(5, 5); // no hover label over the picture
  await page.locator(`${tid('projection')} .hovertext`).first().waitFor({ state: 'detached', timeout: 10_000 });
  await shot('3d');
  // a drag turns the scene and searches from nothing, wherever it starts
  const asked = await page.locator('.result-summary').innerText();
  const camera = () => page.evaluate((sel) => JSON.stringify((document.querySelector(sel) as unknown as { _fullLayout: { scene: { camera: unknown } } })._fullLayout.scene.camera), tid('projection'));
  const before = await camera();
  const box = (await page.locator(tid('projection')).boundingBox())!;
  for (const [fx, fy] of [[0.5, 0.5], [0.45, 0.55]]) {
    await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy, { steps: 2 });
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * fx + 80, box.y + box.height * fy + 20, { steps: 10 });
    await page.mouse.up();
  }
  await waitFor(async () => (await camera()) !== before, { timeoutMs: 10_000, what: 'the drags to turn the camera' });
  assert.equal(await page.locator('.result-summary').innerText(), asked);
});

test('UMAP stays flat and says why; PCA comes back in 3D', async () => {
  await page.locator(tid('method-umap')).click();
  await page.locator(`${tid('projection')}[data-method="umap"]`).waitFor({ timeout: 120_000 });
  await page.locator(`${tid('projection')}[data-dims="2"]`).waitFor();
  assert.equal(await page.locator(tid('view-3d')).isDisabled(), true);
  assert.match(await page.locator(tid('flat-only')).innerText(), /UMAP is laid out in 2D only/);
  await waitForTraces((t) => t[0]?.type === 'scattergl' && t[0].n === N, 'a flat UMAP scatter');
  await shot('umap-flat');
  await page.locator(tid('method-pca')).click();
  await page.locator(`${tid('projection')}[data-dims="3"]`).waitFor({ timeout: 10_000 });
  await waitForTraces((t) => t[0]?.type === 'scatter3d', 'PCA in 3D again');
  await page.locator(tid('view-2d')).click();
  await waitForTraces((t) => t[0]?.type === 'scattergl' && t.some((x) => x.name === 'neighbours' && x.n === 10), 'back to 2D with the neighbours still lit');
  // a click in 2D still searches: the switches kept plotly's click on the plot
  const asked = Number(/base row (\d+)/.exec(await page.locator('.result-summary').innerText())![1]);
  const other = (asked + 1) % N; // the next row is of another kind, in another cluster
  await clickOn(page, await pointOnScreen(page, other));
  await page.locator('.result-summary').filter({ hasNotText: new RegExp(`base row ${asked}\\b`) }).waitFor({ timeout: 20_000 });
  assert.deepEqual(app.consoleErrors, []);
});

/** Pixels per data unit on each axis of the 2D scatter, and the axes' ranges. */
function axes(): Promise<{ xScale: number; yScale: number; x: [number, number]; y: [number, number] }> {
  return page.evaluate((sel) => {
    type Axis = { range: [number, number]; _length: number };
    const { xaxis, yaxis } = (document.querySelector(sel) as unknown as { _fullLayout: { xaxis: Axis; yaxis: Axis } })._fullLayout;
    return {
      xScale: xaxis._length / Math.abs(xaxis.range[1] - xaxis.range[0]),
      yScale: yaxis._length / Math.abs(yaxis.range[1] - yaxis.range[0]),
      x: xaxis.range,
      y: yaxis.range,
    };
  }, tid('projection'));
}

async function assertEqualAspect(what: string): Promise<void> {
  const a = await axes();
  assert.ok(Math.abs(a.xScale / a.yScale - 1) < 0.01, `${what}: ${a.xScale.toFixed(2)} px per unit on x, ${a.yScale.toFixed(2)} on y`);
}

test('true geometry: one unit is as long on y as on x on PCA and UMAP, the map fills the window, full screen and back, zoom to the neighbours', async () => {
  await waitForTraces((t) => t[0]?.type === 'scattergl', 'the 2D PCA scatter');
  await assertEqualAspect('PCA');
  const viewport = page.viewportSize()!;
  const normal = (await page.locator(tid('projection')).boundingBox())!;
  assert.ok(normal.height >= 0.6 * viewport.height, `the map is ${normal.height} px of a ${viewport.height} px window`);

  await page.locator(tid('map-full-screen')).click();
  await page.waitForFunction((sel) => (document.querySelector(sel) as HTMLElement).getBoundingClientRect().width > 0.95 * window.innerWidth, tid('projection'));
  const full = (await page.locator(tid('projection')).boundingBox())!;
  assert.ok(full.height > normal.height && full.height >= 0.75 * viewport.height, `full screen: ${full.width}×${full.height}`);
  await assertEqualAspect('PCA, full screen');
  await shot('full-screen');
  await page.keyboard.press('Escape');
  await page.waitForFunction((sel) => (document.querySelector(sel) as HTMLElement).getBoundingClientRect().width < 0.9 * window.innerWidth, tid('projection'));
  assert.equal(await page.locator(tid('map-full-screen')).getAttribute('aria-pressed'), 'false');

  const whole = await axes();
  const lit = await page.evaluate((sel) => {
    const el = document.querySelector(sel) as unknown as { data: { name: string; x: ArrayLike<number>; y: ArrayLike<number> }[] };
    const t = el.data.find((d) => d.name.startsWith('neighbours'))!;
    return { x: Array.from(t.x), y: Array.from(t.y) };
  }, tid('projection'));
  assert.equal(lit.x.length, 10);
  await page.locator(tid('zoom-neighbours')).click();
  await page.waitForFunction(({ sel, span }) => {
    const r = (document.querySelector(sel) as unknown as { _fullLayout: { xaxis: { range: number[] } } })._fullLayout.xaxis.range;
    return Math.abs(r[1] - r[0]) < span / 2;
  }, { sel: tid('projection'), span: Math.abs(whole.x[1] - whole.x[0]) });
  const zoomed = await axes();
  for (let i = 0; i < lit.x.length; i++) {
    assert.ok(lit.x[i] >= Math.min(...zoomed.x) && lit.x[i] <= Math.max(...zoomed.x), `neighbour ${i} in view on x`);
    assert.ok(lit.y[i] >= Math.min(...zoomed.y) && lit.y[i] <= Math.max(...zoomed.y), `neighbour ${i} in view on y`);
  }
  await assertEqualAspect('zoomed onto the neighbours');
  await shot('zoom-to-neighbours');

  await page.locator(tid('method-umap')).click();
  await page.locator(`${tid('projection')}[data-method="umap"]`).waitFor({ timeout: 120_000 });
  await waitForTraces((t) => t[0]?.type === 'scattergl' && t[0].n === N, 'the UMAP scatter');
  await assertEqualAspect('UMAP');
  await page.locator(tid('method-pca')).click();
  assert.deepEqual(app.consoleErrors, []);
});
