import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { DatasetSource, Projection } from '../../app/contract/operations.js';
import { launchChromium } from '../e2e/browser.js';
import { ROOT, jobEnd, startEngine, startServer } from '../helpers/engine.js';
import { percentile, row, type BenchRow } from './report.js';

/** the issue's aim: the app's scatter within 1.5x of bare plotly on the same points */
const MAX_RATIO = 1.5;
const VIEWPORT = { width: 1440, height: 900 };
/** pages per side: the machine is shared, so each side keeps its best first draw */
const RUNS = Number(process.env.SCATTER_BENCH_RUNS ?? 3);
/** box zooms per page */
const ZOOMS = Number(process.env.SCATTER_BENCH_ZOOMS ?? 2);
const PLOTLY = path.join(ROOT, 'node_modules', 'plotly.js-strict-dist-min', 'plotly-strict.min.js');

type SetName = 'tutorial' | 'blobs';

/**
 * In-page probes, installed before any page script runs, the same on the app's page and on the bare one:
 * every event a plotly graph emits is logged with its time; afterplot and relayout first read one
 * pixel back from the WebGL canvas, which waits until the GPU (SwiftShader here) has really drawn.
 * Plain JavaScript in a string: tsx's helpers do not exist in the page.
 */
const PROBES = `(() => {
  const log = { events: [], mouseups: [], plotlyAt: null };
  window.__bench = log;
  performance.setResourceTimingBufferSize(100000);
  addEventListener('mouseup', () => log.mouseups.push(performance.now()), true);
  // the app's plotly chunk sets window.Plotly when it has run: the moment plotly is ready to draw
  let plotly;
  Object.defineProperty(window, 'Plotly', {
    configurable: true,
    get: () => plotly,
    set(v) {
      plotly = v;
      if (log.plotlyAt === null) log.plotlyAt = performance.now();
      // calls into plotly are logged too: what comes before them is the app's own work
      for (const name of ['react', 'newPlot', 'relayout', 'restyle']) {
        const call = v[name];
        v[name] = function (gd, ...rest) {
          const t = performance.now();
          log.events.push({ name: 'call:' + name, t, js: t, graph: gd.dataset.testid || gd.id, points: 0, traces: 0 });
          return call.call(this, gd, ...rest);
        };
      }
    },
  });
  function finish(gd) {
    const canvas = gd.querySelector('canvas.gl-canvas-context');
    const gl = canvas && (canvas.getContext('webgl') || canvas.getContext('webgl2'));
    if (gl) gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
  }
  // plotly gives each graph div its own emit: catch the assignment and wrap it
  Object.defineProperty(HTMLElement.prototype, 'emit', {
    configurable: true,
    get: () => undefined,
    set(emit) {
      const gd = this;
      Object.defineProperty(gd, 'emit', {
        configurable: true,
        writable: true,
        value(name, data) {
          const js = performance.now();
          if (name === 'plotly_afterplot' || name === 'plotly_relayout') finish(gd);
          const first = gd.data && gd.data[0];
          log.events.push({ name, t: performance.now(), js, graph: gd.dataset.testid || gd.id, points: first && first.x ? first.x.length : 0, traces: gd.data ? gd.data.length : 0 });
          return emit.call(this, name, data);
        },
      });
    },
  });
})();`;

interface BenchLog {
  /** t: when the event was emitted, after the pixel readback for afterplot and relayout; js: before it */
  events: { name: string; t: number; js: number; graph: string; points: number; traces: number }[];
  mouseups: number[];
  plotlyAt: number | null;
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface Marker {
  size: number;
  opacity?: number;
  color?: string;
  colorscale?: unknown;
  cmin?: number;
  cmax?: number;
}

/** What the app's page is drawn with, read from its first run: the bare page copies it. */
interface Figure {
  box: Box;
  marker: Marker;
  traces: number;
  projection: Projection;
}

interface AppRun {
  /** page load to the first afterplot with every point (the first run includes the worker's PCA) */
  loadToDrawMs: number;
  /** the page's JavaScript heap once drawn, after a garbage collection */
  heapBytes: number;
  /** the projection's bytes in the page (or plotly ready, if later) to the first afterplot with every point */
  drawMs: number;
  /** of which before the app called Plotly.react: decoding, the store, React, building the figure */
  beforeReactMs: number;
  /** of which in plotly: from the app's Plotly.react call to the afterplot */
  plotlyMs: number;
  /** the same as drawMs up to the afterplot event, before the pixel readback: the page's main thread only */
  drawJsMs: number;
  /** plotly chunk ready, relative to the projection's arrival (negative: it was ready first) */
  plotlyReadyAfterDataMs: number;
  /** afterplots of the scatter from the data's arrival until it settles */
  draws: number;
  /** the last of them, from the same start */
  settledMs: number;
  zoomMs: number[];
  /** Plotly.react calls the zooms caused: the app drawing again after plotly's own redraw */
  zoomReacts: number;
}

interface BareRun {
  drawMs: number;
  drawJsMs: number;
  zoomMs: number[];
  heapBytes: number;
}

const quiet = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function events(page: Page): Promise<BenchLog> {
  return page.evaluate(() => (window as unknown as { __bench: BenchLog }).__bench);
}

const on = (log: BenchLog, graph: string, name: string) => log.events.filter((e) => e.graph === graph && e.name === name);

/** Waits until no event is logged on `graph` for `quietMs`; returns the log then. */
async function settle(page: Page, graph: string, quietMs: number): Promise<BenchLog> {
  const t0 = Date.now();
  let seen = -1;
  let since = Date.now();
  for (;;) {
    const log = await events(page);
    const count = log.events.filter((e) => e.graph === graph).length;
    if (count !== seen) {
      seen = count;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return log;
    if (Date.now() - t0 > 600_000) throw new Error(`${graph} did not settle within 10 minutes`);
    await quiet(100);
  }
}

/**
 * Box zooms with the mouse over the middle half of the plot area, as a user makes them: each timed
 * from the mouseup to plotly's relayout event (after the redraw, pixels read back), then the view
 * reset with the modebar (a double click could also click a point). `quietMs`: how long to watch
 * for a redraw after each.
 */
async function zooms(page: Page, graph: string, quietMs: number): Promise<{ times: number[]; log: BenchLog }> {
  const selector = graph === 'bare' ? '#bare' : `[data-testid="${graph}"]`;
  const area = await page.locator(`${selector} .nsewdrag`).first().boundingBox();
  if (!area) throw new Error(`no plot area in ${graph}`);
  const times: number[] = [];
  let log = await events(page);
  for (let i = 0; i < ZOOMS; i++) {
    const before = log.events.length;
    const ups = log.mouseups.length;
    const [x0, y0, x1, y1] = [area.x + area.width / 4, area.y + area.height / 4, area.x + (area.width * 3) / 4, area.y + (area.height * 3) / 4];
    await page.mouse.move(x0, y0);
    await quiet(300);
    await page.mouse.down();
    await page.mouse.move((x0 + x1) / 2, (y0 + y1) / 2, { steps: 3 });
    await page.mouse.move(x1, y1, { steps: 3 });
    await page.mouse.up();
    log = await settle(page, graph, quietMs);
    const up = log.mouseups[ups];
    const relayout = log.events.slice(before).find((e) => e.graph === graph && e.name === 'plotly_relayout');
    if (up === undefined || !relayout) throw new Error(`zoom ${i + 1} on ${graph}: no relayout after the mouseup`);
    times.push(relayout.t - up);
    await page.locator(`${selector} .modebar-btn[data-val="reset"]`).first().click({ force: true });
    log = await settle(page, graph, quietMs);
  }
  return { times, log };
}

/** A new page, once the browser has had a moment to tear down the last one (its WebGL context, its heap). */
async function freshPage(browser: Browser): Promise<Page> {
  await quiet(2000);
  return browser.newPage({ viewport: VIEWPORT });
}

async function heapUsed(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('Performance.enable');
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? Number.NaN;
  } finally {
    await cdp.detach();
  }
}

/** The engine and server of the app, with one generated set of n points as its only dataset. */
async function startApp(set: SetName, n: number): Promise<{ url: string; projection(): Promise<Projection>; stop(): Promise<void> }> {
  const source: DatasetSource = set === 'tutorial' ? { kind: 'generate', generator: 'tutorial', n } : { kind: 'generate', generator: 'blobs', n, nq: 1000, dim: 32, clusters: 10 };
  const ctx = await startEngine({ defaults: [{ id: set, name: `${set} ${n}`, source }] });
  const server = await startServer(ctx.engine, { staticDir: path.join(ROOT, 'dist', 'renderer') });
  return {
    url: server.url,
    // the worker keeps the projection it made for the page: asking again returns the same points
    projection: async () => {
      const { job } = (await ctx.engine.handle('project', { dataset: set, method: 'pca' })) as { job: string };
      const end = await jobEnd(ctx.events, job, 600_000);
      if (end.status !== 'done') throw new Error(`projection ${end.status}: ${end.error?.message}`);
      return (await ctx.engine.handle('jobResult', { id: job })) as Projection;
    },
    stop: async () => {
      await server.close();
      await ctx.stop();
    },
  };
}

/** One page of the app, as a user opens it: measures its first draw, then zooms. */
async function appRun(browser: Browser, url: string, n: number, withFigure: boolean): Promise<{ run: AppRun; figure?: Omit<Figure, 'projection'> }> {
  const page = await freshPage(browser);
  try {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(PROBES);
    await page.goto(url);
    await page.waitForFunction(
      (want) => (window as unknown as { __bench: BenchLog }).__bench.events.some((e) => e.graph === 'projection' && e.name === 'plotly_afterplot' && e.points === want),
      n,
      { timeout: 1_200_000, polling: 200 },
    );
    // the projection's bytes: the jobResult answer carrying it, fully received
    const arrived = await page.evaluate((minBytes) => {
      const entries = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
      const hit = entries.filter((e) => e.name.endsWith('/jobResult') && e.encodedBodySize >= minBytes).sort((a, b) => a.responseEnd - b.responseEnd)[0];
      return hit ? hit.responseEnd : null;
    }, n * 8);
    if (arrived === null) throw new Error('no resource timing for the projection');
    const firstDraw = on(await events(page), 'projection', 'plotly_afterplot').find((e) => e.points === n)!;
    // a second draw (say, when the labels' names arrive) would come about a draw's time later
    const drawQuiet = Math.min(20_000, Math.max(3000, 2 * (firstDraw.t - arrived)));
    const log = await settle(page, 'projection', drawQuiet);
    const heapBytes = await heapUsed(page);
    if (errors.length) throw new Error(`the app's page failed: ${errors.join('; ')}`);
    const start = Math.max(arrived, log.plotlyAt ?? 0);
    const react = on(log, 'projection', 'call:react').find((e) => e.t >= start);
    const draws = on(log, 'projection', 'plotly_afterplot').filter((e) => e.t >= arrived);
    const figure = withFigure ? await figureOf(page) : undefined;
    const reacts = on(log, 'projection', 'call:react').length;
    const zoomed = await zooms(page, 'projection', Math.max(1500, 1.5 * (firstDraw.t - start)));
    return {
      run: {
        loadToDrawMs: firstDraw.t,
        heapBytes,
        drawMs: firstDraw.t - start,
        drawJsMs: firstDraw.js - start,
        beforeReactMs: react ? react.t - start : Number.NaN,
        plotlyMs: react ? firstDraw.t - react.t : Number.NaN,
        plotlyReadyAfterDataMs: (log.plotlyAt ?? 0) - arrived,
        draws: draws.length,
        settledMs: draws[draws.length - 1].t - start,
        zoomMs: zoomed.times,
        zoomReacts: on(zoomed.log, 'projection', 'call:react').length - reacts,
      },
      figure,
    };
  } finally {
    await page.close();
  }
}

function figureOf(page: Page): Promise<Omit<Figure, 'projection'>> {
  return page.evaluate(() => {
    const gd = document.querySelector('[data-testid="projection"]') as HTMLElement & { data: { marker: Record<string, unknown> }[] };
    const m = gd.data[0].marker;
    const r = gd.getBoundingClientRect();
    return {
      traces: gd.data.length,
      box: { x: r.x, y: r.y, width: r.width, height: r.height },
      marker: { size: m.size, opacity: m.opacity, color: typeof m.color === 'string' ? m.color : undefined, colorscale: m.colorscale, cmin: m.cmin, cmax: m.cmax } as Marker,
    };
  });
}

/**
 * Bare plotly on a blank page: the same bundle, the same points as Float32Arrays (labels as the
 * colour when the app colours by them), the same marker size and opacity, a graph div of the app's
 * size and place with the app's margins. One scattergl trace, nothing else.
 */
async function bareRun(browser: Browser, figure: Figure): Promise<BareRun> {
  const page = await freshPage(browser);
  try {
    await page.addInitScript(PROBES);
    const origin = 'http://bare.bench';
    const { base, labels } = figure.projection;
    const n = base.length / 2;
    const coloured = !figure.marker.color && !!labels;
    const { box } = figure;
    await page.route(`${origin}/**`, async (route) => {
      const url = new URL(route.request().url());
      if (url.pathname === '/plotly.js') return route.fulfill({ body: readFileSync(PLOTLY), contentType: 'text/javascript' });
      if (url.pathname === '/points') return route.fulfill({ body: Buffer.from(base.buffer, base.byteOffset, base.byteLength), contentType: 'application/octet-stream' });
      if (url.pathname === '/labels' && labels) return route.fulfill({ body: Buffer.from(labels.buffer, labels.byteOffset, labels.byteLength), contentType: 'application/octet-stream' });
      return route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><html><body style="margin:0"><div id="bare" style="position:absolute;left:${box.x}px;top:${box.y}px;width:${box.width}px;height:${box.height}px"></div><script src="/plotly.js"></script></body></html>`,
      });
    });
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => !!(window as unknown as { Plotly?: unknown }).Plotly);
    const t0 = await page.evaluate(
      async ({ marker, coloured }) => {
        const xy = new Float32Array(await (await fetch('/points')).arrayBuffer());
        const m = xy.length >> 1;
        const x = new Float32Array(m);
        const y = new Float32Array(m);
        for (let i = 0; i < m; i++) (x[i] = xy[2 * i]), (y[i] = xy[2 * i + 1]);
        const color = coloured ? new Int32Array(await (await fetch('/labels')).arrayBuffer()) : marker.color;
        const Plotly = (window as unknown as { Plotly: { newPlot(el: HTMLElement, data: unknown[], layout: unknown, config: unknown): Promise<unknown> } }).Plotly;
        const start = performance.now();
        await Plotly.newPlot(document.getElementById('bare')!, [{ type: 'scattergl', mode: 'markers', x, y, marker: { ...marker, color } }], { margin: { l: 56, r: 12, t: 28, b: 48 } }, { responsive: true });
        return start;
      },
      { marker: figure.marker, coloured },
    );
    const log = await settle(page, 'bare', 1500);
    const heapBytes = await heapUsed(page);
    const draws = on(log, 'bare', 'plotly_afterplot');
    if (draws.length !== 1 || draws[0].points !== n) throw new Error(`bare plotly drew ${draws.length} times, ${draws[0]?.points} points`);
    const drawMs = draws[0].t - t0;
    const drawJsMs = draws[0].js - t0;
    const { times } = await zooms(page, 'bare', Math.max(1500, 1.5 * drawMs));
    return { drawMs, drawJsMs, zoomMs: times, heapBytes };
  } finally {
    await page.close();
  }
}

const best = (values: number[]) => Math.min(...values);

/**
 * The projection scatter at 100k and 1M points (`SCATTER_BENCH_N=100000,1000000`) on the tutorial set
 * (one colour) and labelled blobs (coloured by label) (`SCATTER_BENCH_SETS=tutorial,blobs`), in headless
 * Chromium (software WebGL), against bare plotly scattergl on the same points in the same browser.
 * `SCATTER_BENCH_RUNS` (3) fresh pages per side, interleaved:
 * - first draw: app, from the moment the projection's answer is fully received in the page (or the
 *   plotly chunk has run, if that is later) to plotly's afterplot for the scatter with every point,
 *   pixels read back; bare, from Plotly.newPlot on ready Float32Arrays to the same event. Best run.
 *   Also up to the event only, before the readback: the page's own work, without the software GPU,
 *   whose time swings from run to run here (1.5 s or 2.3 s to draw the same 1M points).
 * - zoom: `SCATTER_BENCH_ZOOMS` (2) box zooms with the mouse per page, each from the mouseup to
 *   plotly's relayout, pixels read back. Median of all. A Plotly.react call from the app during the
 *   zooms (a needless re-render) is named in the row.
 * Generating and projecting (PCA in the worker) are part of neither; page load to first draw is kept
 * in bench-results.json.
 */
export async function run(): Promise<{ rows: BenchRow[] } & Record<string, unknown>> {
  const sizes = (process.env.SCATTER_BENCH_N ?? '100000,1000000').split(',').map(Number);
  const sets = (process.env.SCATTER_BENCH_SETS ?? 'tutorial,blobs').split(',') as SetName[];
  const rows: BenchRow[] = [];
  const results: Record<string, unknown> = {};
  const browser = await launchChromium();
  try {
    for (const n of sizes) {
      for (const set of sets) {
        const label = `${set} ${n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`}`;
        const app = await startApp(set, n);
        const apps: AppRun[] = [];
        const bares: BareRun[] = [];
        let figure: Figure | undefined;
        try {
          for (let r = 0; r < RUNS; r++) {
            const a = await appRun(browser, app.url, n, !figure);
            figure ??= { ...a.figure!, projection: await app.projection() };
            apps.push(a.run);
            bares.push(await bareRun(browser, figure));
            const ms = (v: number) => `${v.toFixed(0)} ms`;
            const mib = (v: number) => `${(v / 2 ** 20).toFixed(0)} MiB`;
            console.error(
              `scatter ${label} run ${r + 1}: app: page load to drawn ${ms(a.run.loadToDrawMs)}, first draw ${ms(a.run.drawMs)} (main thread ${ms(a.run.drawJsMs)}; ${ms(a.run.beforeReactMs)} before Plotly.react, ${ms(a.run.plotlyMs)} in it; ${a.run.draws} draw(s), settled ${ms(a.run.settledMs)}), zooms ${a.run.zoomMs.map(ms).join(', ')} (${a.run.zoomReacts} Plotly.react calls), heap ${mib(a.run.heapBytes)}; ` +
                `bare: first draw ${ms(bares[r].drawMs)} (main thread ${ms(bares[r].drawJsMs)}), zooms ${bares[r].zoomMs.map(ms).join(', ')}, heap ${mib(bares[r].heapBytes)}`,
            );
          }
        } finally {
          await app.stop();
        }
        const appZoom = percentile(apps.flatMap((a) => a.zoomMs), 50);
        const bareZoom = percentile(bares.flatMap((b) => b.zoomMs), 50);
        const maxDraws = Math.max(...apps.map((a) => a.draws));
        const zoomReacts = apps.reduce((t, a) => t + a.zoomReacts, 0);
        rows.push(
          row(`scatter ${label}: first draw, projection received to pixels drawn (best of ${RUNS}; ${maxDraws === 1 ? 'drawn once' : `up to ${maxDraws} draws`})`, best(apps.map((a) => a.drawMs)) / 1000, best(bares.map((b) => b.drawMs)) / 1000, 's', 'bare plotly scattergl', MAX_RATIO),
          row(`scatter ${label}: first draw, of which the page's main thread (best of ${RUNS})`, best(apps.map((a) => a.drawJsMs)) / 1000, best(bares.map((b) => b.drawJsMs)) / 1000, 's', 'bare plotly scattergl', MAX_RATIO),
        );
        if (maxDraws > 1) rows.push(row(`scatter ${label}: settled, the last of ${maxDraws} draws (best of ${RUNS})`, best(apps.map((a) => a.settledMs)) / 1000, best(bares.map((b) => b.drawMs)) / 1000, 's', 'bare plotly scattergl', MAX_RATIO));
        rows.push(
          row(`scatter ${label}: box zoom, mouseup to redrawn (median of ${RUNS * ZOOMS}${zoomReacts ? `; the app called Plotly.react ${zoomReacts} times` : ''})`, appZoom / 1000, bareZoom / 1000, 's', 'bare plotly scattergl', MAX_RATIO),
          row(`scatter ${label}: page's JS heap once drawn (median)`, percentile(apps.map((a) => a.heapBytes), 50) / 2 ** 20, percentile(bares.map((b) => b.heapBytes), 50) / 2 ** 20, 'MiB', 'bare plotly scattergl'),
        );
        results[label] = { n, traces: figure!.traces, marker: figure!.marker, plotArea: figure!.box, app: apps, bare: bares, zoomReacts };
      }
    }
  } finally {
    await browser.close();
  }
  return { rows, ...results };
}
