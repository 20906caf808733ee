import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { openAppPage, SHOTS, type AppPage } from './app-page.js';

// Digit-like data as a data scientist has it: an .npz with a labels array, and an .npy with a metadata
// file picked by path. Both open coloured by their ten classes; their 8x8 vectors show as images.
const numpy = spawnSync('/usr/bin/python3', ['-c', 'import numpy']).status === 0;
const skip = numpy ? false : 'numpy is not installed for /usr/bin/python3';
const dir = mkdtempSync(path.join(os.tmpdir(), 'faiss-explorer-own-labels-'));
let app: AppPage;
let page: Page;

before(async () => {
  if (!numpy) return;
  const made = spawnSync('/usr/bin/python3', ['-c', `
import sys, numpy as np
d = sys.argv[1]
rng = np.random.default_rng(3)
y = np.arange(1500) % 10
centres = rng.uniform(0, 16, (10, 64))  # pixel intensities 0-16, as scikit-learn's 8x8 digits
x = np.clip(np.round(centres[y] + rng.normal(0, 1.5, (1500, 64))), 0, 16).astype('float32')
np.savez_compressed(f'{d}/digits.npz', data=x, labels=y)
np.save(f'{d}/digits.npy', x)
with open(f'{d}/classes.tsv', 'w') as f:
    f.write('digit\\tnote\\n' + ''.join(f'{v}\\tsample {i}\\n' for i, v in enumerate(y)))
`, dir], { encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  app = await openAppPage({ width: 1440, height: 1000 }, []);
  page = app.page;
  await page.goto(app.url);
});
after(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

const tid = (id: string) => `[data-testid="${id}"]`;

async function legendOfTen(): Promise<string[]> {
  await page.locator(`${tid('colour-legend')} li`).nth(9).waitFor({ timeout: 60_000 });
  return (await page.locator(`${tid('colour-legend')} li`).allInnerTexts()).map((t) => t.trim().split(/\s+/)[0]);
}

test('an .npz with a labels array opens coloured by its ten digits', { skip }, async () => {
  await page.locator(tid('path-input')).fill(path.join(dir, 'digits.npz'));
  await page.locator(tid('open-path')).click();
  await page.locator(tid('dataset-facts')).filter({ hasText: '1,500 vectors' }).waitFor({ timeout: 60_000 });
  assert.deepEqual(await legendOfTen(), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  assert.match(await page.locator(tid('dataset-metadata')).innerText(), /labels \(number\)/);
  await page.screenshot({ path: path.join(SHOTS, 'own-labels-npz.png') });
});

test('an .npy with a metadata file picked by path opens coloured by its digit column', { skip }, async () => {
  await page.locator(tid('path-input')).fill(path.join(dir, 'digits.npy'));
  await page.locator(tid('metadata-path-input')).fill(path.join(dir, 'classes.tsv'));
  await page.locator(tid('open-path')).click();
  await page.locator(tid('dataset-metadata')).filter({ hasText: 'digit (number), note (string)' }).waitFor({ timeout: 60_000 });
  assert.deepEqual(await legendOfTen(), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  const colours = await page.locator(`${tid('colour-legend')} li .swatch, ${tid('colour-legend')} li [style*="background"]`).evaluateAll((els) => els.map((e) => getComputedStyle(e).backgroundColor));
  assert.equal(new Set(colours).size, 10, `ten distinct colours: ${colours.join(' ')}`);
  await page.screenshot({ path: path.join(SHOTS, 'own-labels-metadata.png') });
});

test('vectors that are 8×8 images show as thumbnails beside their neighbours', { skip }, async () => {
  await page.locator(tid('build-button')).click();
  await page.locator(tid('run-query')).and(page.locator(':enabled')).waitFor({ timeout: 60_000 });
  await page.locator(tid('query-row')).fill('7');
  await page.locator(tid('query-row')).press('Enter');
  const thumbs = page.locator(`${tid('neighbour-table')} ${tid('vector-thumb')}`);
  await thumbs.nth(9).waitFor({ timeout: 30_000 });
  assert.equal(await thumbs.count(), 10);
  const drawn = await thumbs.first().evaluate((c) => {
    const canvas = c as HTMLCanvasElement;
    const px = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    const greys = new Set<number>();
    for (let i = 0; i < px.length; i += 4) greys.add(px[i]);
    return { w: canvas.width, h: canvas.height, greys: greys.size };
  });
  assert.deepEqual([drawn.w, drawn.h], [8, 8]);
  assert.ok(drawn.greys > 5, `an image, not a blank: ${drawn.greys} grey levels`);
  assert.match((await thumbs.first().getAttribute('aria-label')) ?? '', /as a 8×8 image/);
  await page.locator(tid('neighbour-table')).scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SHOTS, 'own-labels-thumbnails.png') });
});

test('hovering a point on the map shows its vector as an image beside the hover label', { skip }, async () => {
  const spot = await page.evaluate((sel) => {
    type Axis = { l2p(v: number): number; _offset: number };
    const el = document.querySelector(sel) as unknown as HTMLElement & { data: { x: ArrayLike<number>; y: ArrayLike<number> }[]; _fullLayout: { xaxis: Axis; yaxis: Axis } };
    el.scrollIntoView({ block: 'center' });
    const box = el.getBoundingClientRect();
    const { xaxis, yaxis } = el._fullLayout;
    return { x: box.left + xaxis._offset + xaxis.l2p(el.data[0].x[400]), y: box.top + yaxis._offset + yaxis.l2p(el.data[0].y[400]) };
  }, tid('projection'));
  await page.mouse.move(spot.x - 30, spot.y - 30);
  await page.mouse.move(spot.x, spot.y, { steps: 4 });
  const card = page.locator(tid('hover-image'));
  await card.waitFor({ timeout: 10_000 });
  assert.match(await card.innerText(), /row \d+/);
  assert.deepEqual(await card.locator('canvas').evaluate((c) => [(c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height]), [8, 8]);
  await page.screenshot({ path: path.join(SHOTS, 'own-labels-hover.png') });
  await page.mouse.move(5, 5);
  await card.waitFor({ state: 'detached', timeout: 10_000 });
});
