import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openAppPage, SHOTS, type AppPage } from './app-page.js';

// The page's CSP has no 'unsafe-eval'; plotly's strict build must draw every trace type the app uses under it.
const TRACES = ['scattergl', 'scatter3d', 'scatter', 'bar', 'histogram'] as const;
let app: AppPage;

before(async () => {
  app = await openAppPage({ width: 1200, height: 900 }, [{ id: 'blobs', name: 'blobs', source: { kind: 'generate', generator: 'blobs', n: 2000 } }]);
  // recorded from the first script on, before the app or plotly runs
  await app.page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
  });
  await app.page.goto(app.url);
});
after(async () => {
  await app?.close();
});

const violations = () => app.page.evaluate(() => [...(window as unknown as { cspViolations: string[] }).cspViolations]);

test('the page is served with a CSP that refuses eval, and the detector sees a refusal', async () => {
  const res = await app.page.request.get(new URL('/', app.page.url()).href);
  const csp = res.headers()['content-security-policy'] ?? '';
  assert.match(csp, /script-src 'self';/);
  assert.doesNotMatch(csp, /unsafe-eval/);
  // the control: a script of the page's own origin tries eval (code run through the devtools protocol is exempt from CSP)
  await app.page.route('**/csp-probe.js', (route) =>
    route.fulfill({ contentType: 'text/javascript', body: "try { new Function('return 1')(); window.probe = 'ran'; } catch { window.probe = 'refused'; }" }),
  );
  await app.page.evaluate(() => {
    const script = document.createElement('script');
    script.src = '/csp-probe.js';
    document.head.appendChild(script);
  });
  await app.page.waitForFunction(() => 'probe' in window);
  assert.equal(await app.page.evaluate(() => (window as unknown as { probe: string }).probe), 'refused');
  await app.page.waitForFunction(() => (window as unknown as { cspViolations: string[] }).cspViolations.length > 0);
  assert.match((await violations())[0], /script-src/);
  await app.page.evaluate(() => ((window as unknown as { cspViolations: string[] }).cspViolations.length = 0));
});

test('every trace type the app draws (scattergl, scatter3d, scatter, bar, histogram) renders with no CSP violation', async () => {
  // the app's own charts first: its PCA scatter is scattergl
  await app.page.locator('[data-testid="projection-plot"], .js-plotly-plot').first().waitFor({ timeout: 60_000 });
  await app.page.waitForFunction(() => 'Plotly' in window, undefined, { timeout: 60_000 });
  const drawn = await app.page.evaluate(async (types) => {
    const Plotly = (window as unknown as { Plotly: { newPlot(el: HTMLElement, data: object[], layout: object): Promise<HTMLElement> } }).Plotly;
    const out: Record<string, { type: string; canvases: number; points: number }> = {};
    for (const type of types) {
      const el = document.createElement('div');
      el.style.cssText = 'width:400px;height:300px;position:fixed;left:0;top:0;z-index:9999;background:#fff';
      document.body.appendChild(el);
      const xs = Array.from({ length: 200 }, (_, i) => Math.sin(i) * i);
      const trace = type === 'histogram' ? { type, x: xs } : type === 'scatter3d' ? { type, mode: 'markers', x: xs, y: xs.map(Math.cos), z: xs.map(Math.sin) } : { type, mode: 'markers', x: xs, y: xs.map(Math.cos) };
      await Plotly.newPlot(el, [trace], { margin: { t: 10 } });
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const full = (el as unknown as { _fullData: { type: string }[] })._fullData;
      out[type] = { type: full[0].type, canvases: el.querySelectorAll('canvas').length, points: el.querySelectorAll('.point, .bars path, path.point').length };
      el.remove();
    }
    return out;
  }, TRACES);
  for (const type of TRACES) assert.equal(drawn[type].type, type, `${type} was drawn as itself`);
  for (const type of ['scattergl', 'scatter3d'] as const) assert.ok(drawn[type].canvases > 0, `${type} drew on WebGL canvases`);
  for (const type of ['scatter', 'bar', 'histogram'] as const) assert.ok(drawn[type].points > 0, `${type} drew SVG marks`);
  await app.page.screenshot({ path: path.join(SHOTS, 'csp-strict.png') });
  // where regl cannot compile its shaders, plotly puts this notice in place of the scatter
  assert.doesNotMatch(await app.page.locator('body').innerText(), /WebGL is not supported/);
  assert.deepEqual(await violations(), []);
  assert.deepEqual(app.consoleErrors.filter((e) => /Content Security Policy|unsafe-eval/i.test(e)), []);
});
