import type { Page } from 'playwright-core';
import { openAppPage } from '../e2e/app-page.js';
import { buildIndex, explainOn, stepCount, tid, timedStep } from '../e2e/explain-page.js';
import { percentile, row, type BenchRow } from './report.js';

// Each explain step's draw in the app (click to the explain layer's finished draw) against a bare
// Plotly.react of the very same traces and layout, one step after another, on a plot of the same
// size in the same page and run: what the app adds on top of plotly's own work.
const MAX_RATIO = 1.5;
const VIEWPORT = { width: 1600, height: 1100 };

/**
 * Copies the explain layer's traces and layout as the app just drew them and draws them with a
 * bare Plotly.react on a plot of its own (made on the first call); the milliseconds to its afterplot.
 */
function bareReact(page: Page): Promise<number> {
  return page.evaluate(
    (sel) =>
      new Promise<number>((resolve, reject) => {
        type Gd = HTMLElement & { data: unknown[]; layout: unknown; once(e: string, f: () => void): void };
        const plotly = (window as unknown as { Plotly?: { react(el: HTMLElement, d: unknown, l: unknown, c: unknown): Promise<unknown> } }).Plotly;
        if (!plotly) return reject(new Error('plotly is not on the page'));
        const layer = document.querySelector(sel) as Gd;
        let bare = document.getElementById('bench-bare') as Gd | null;
        if (!bare) {
          bare = document.createElement('div') as unknown as Gd;
          bare.id = 'bench-bare';
          const r = layer.getBoundingClientRect();
          // laid over the app's layer: drawn for real, at the same size
          Object.assign(bare.style, { position: 'fixed', left: `${r.left}px`, top: `${r.top}px`, width: `${r.width}px`, height: `${r.height}px`, pointerEvents: 'none' });
          document.body.appendChild(bare);
        }
        const data = structuredClone(layer.data.map((t) => Object.fromEntries(Object.entries(t as object).filter(([k]) => !k.startsWith('_')))));
        const layout = JSON.parse(JSON.stringify(layer.layout)) as unknown;
        const t0 = performance.now();
        const first = !bare.once; // not a plot yet: its first draw is the start, not a step
        if (!first) bare.once('plotly_afterplot', () => resolve(performance.now() - t0));
        plotly.react(bare, data, layout, { staticPlot: true, displayModeBar: false }).then(() => first && resolve(0), reject);
      }),
    tid('explain-overlay'),
  );
}

/** Logs how long each of the app's Plotly.react calls holds the page, by plot, to see where a step's time goes. */
function watchReacts(page: Page): Promise<void> {
  return page.evaluate(() => {
    const w = window as unknown as { Plotly: Record<string, (gd: HTMLElement, ...rest: unknown[]) => unknown>; benchReacts?: { plot: string; call: string; ms: number }[] };
    if (w.benchReacts) return;
    w.benchReacts = [];
    for (const call of ['react', 'restyle', 'relayout']) {
      const original = w.Plotly[call];
      w.Plotly[call] = function (gd, ...rest) {
        const t = performance.now();
        const out = original.call(this, gd, ...rest);
        w.benchReacts!.push({ plot: gd.dataset.testid ?? gd.id, call, ms: performance.now() - t });
        return out;
      };
    }
  });
}

function takeReacts(page: Page): Promise<{ plot: string; call: string; ms: number }[]> {
  return page.evaluate(() => {
    const w = window as unknown as { benchReacts: { plot: string; call: string; ms: number }[] };
    return w.benchReacts.splice(0);
  });
}

interface Calls {
  [plotAndCall: string]: number[];
}

async function stepThrough(page: Page, app: number[], bare: number[], calls: Calls): Promise<void> {
  const total = await stepCount(page);
  await bareReact(page); // the bare plot's first draw, of step 1, is not a step
  for (let i = 1; i < total; i++) {
    await takeReacts(page);
    app.push(await timedStep(page, 'explain-next'));
    await page.waitForTimeout(100); // the map's own redraw, if any, comes after the layer's
    for (const r of await takeReacts(page)) (calls[`${r.plot} ${r.call}`] ??= []).push(r.ms);
    bare.push(await bareReact(page));
  }
}

export async function run(): Promise<{ rows: BenchRow[]; appMs: number[]; bareMs: number[]; calls: Calls }> {
  const app = await openAppPage(VIEWPORT, [{ id: 'blobs', name: 'Gaussian blobs (10 labels)', source: { kind: 'generate', generator: 'blobs' } }]);
  const appMs: number[] = [];
  const bareMs: number[] = [];
  const calls: Calls = {};
  try {
    const { page } = app;
    await page.goto(app.url);
    await page.locator(`${tid('projection')} .xtitle`).first().waitFor({ timeout: 90_000 });
    for (const f of ['Flat', 'IVF64,Flat', 'HNSW16', 'PQ8x4']) await buildIndex(page, f);
    await page.locator(tid('query-row')).fill('7');
    await watchReacts(page);
    for (const f of ['IVF64,Flat', 'HNSW16']) {
      await explainOn(page, f);
      await stepThrough(page, appMs, bareMs, calls);
    }
    // the lesson's steps change index, and with it the map's colours
    await page.locator(tid('lesson')).click();
    await page.locator(tid('explain-panel')).and(page.locator('[data-mode="lesson"]')).waitFor({ timeout: 30_000 });
    await stepThrough(page, appMs, bareMs, calls);
  } finally {
    await app.close();
  }
  const median = percentile(appMs, 50);
  return {
    rows: [
      row(`explain step draw, median of ${appMs.length} steps (IVF, HNSW, lesson; 20k points)`, median, percentile(bareMs, 50), 'ms', 'bare Plotly.react of the same traces', MAX_RATIO),
      row('explain step draw, slowest step', Math.max(...appMs), Math.max(...bareMs), 'ms', 'bare Plotly.react, slowest'),
      row('explain step draw, median', median, 50, 'ms', "the issue's budget", 1),
    ],
    appMs,
    bareMs,
    // the app's own plotly calls during the steps, per plot: where the time goes
    calls,
  };
}
