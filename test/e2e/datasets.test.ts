import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startEngine, startServer, python, ROOT } from '../helpers/engine.js';
import { launchChromium } from './browser.js';

const SHOTS = path.join(ROOT, 'test-results', 'screenshots');
const dir = mkdtempSync(path.join(os.tmpdir(), 'fe-e2e-data-'));
let ctx: Awaited<ReturnType<typeof startEngine>>;
let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let page: Page;
const tid = (id: string) => `[data-testid="${id}"]`;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  // files written by Python numpy and by the test itself
  python(`import sys, numpy as np; np.save(sys.argv[1], np.random.default_rng(1).random((500, 12), dtype='float32'))`, [path.join(dir, 'numpy.npy')]);
  const rows = ['x,y,z,kind', ...Array.from({ length: 300 }, (_, i) => `${i % 7},${(i * 3) % 11},${i / 300},${i % 2 ? 'cat' : 'dog'}`)];
  writeFileSync(path.join(dir, 'pets.csv'), rows.join('\n'));
  writeFileSync(path.join(dir, 'broken.csv'), 'a,b\n1,2\n3,oops\n');
  ctx = await startEngine({ defaults: [{ id: 'tutorial', name: 'tutorial', source: { kind: 'generate', generator: 'tutorial', n: 2000, nq: 50 } }] });
  server = await startServer(ctx.engine, { staticDir: path.join(ROOT, 'dist', 'renderer') });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(server.launchUrl);
  await page.locator(tid('dataset-facts')).filter({ hasText: '2,000' }).waitFor({ timeout: 30_000 });
});
after(async () => {
  await browser?.close();
  await server?.close();
  await ctx?.stop();
});

test('a typed path opens a numpy file as the current dataset', async () => {
  await page.locator(tid('path-input')).fill(path.join(dir, 'numpy.npy'));
  await page.locator(tid('open-path')).click();
  await page.locator(tid('dataset-facts')).filter({ hasText: '500 vectors' }).waitFor({ timeout: 30_000 });
  assert.match(await page.locator(tid('dataset-facts')).innerText(), /dim 12/);
});

test('a picked file streams to the engine; its metadata columns show', async () => {
  await page.locator(tid('file-input')).setInputFiles(path.join(dir, 'pets.csv'));
  await page.locator(tid('dataset-facts')).filter({ hasText: '300 vectors' }).waitFor({ timeout: 30_000 });
  assert.match(await page.locator(tid('dataset-metadata')).innerText(), /kind \(string\)/);
  await page.screenshot({ path: path.join(SHOTS, 'dataset-opened.png') });
});

test('a broken file answers with its code and place, and the current dataset stays', async () => {
  await page.locator(tid('path-input')).fill(path.join(dir, 'broken.csv'));
  await page.locator(tid('open-path')).click();
  const err = page.locator(tid('error')).filter({ hasText: 'NOT_NUMERIC' });
  await err.first().waitFor({ timeout: 20_000 });
  assert.match(await err.first().innerText(), /row 1/);
  assert.match(await page.locator(tid('dataset-facts')).innerText(), /300 vectors/);
  await page.screenshot({ path: path.join(SHOTS, 'dataset-error.png') });
});
