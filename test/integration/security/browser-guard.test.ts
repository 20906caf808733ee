import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { HTTP_EVENTS_ROUTE, HTTP_UPLOAD_ROUTE, httpRoute } from '../../../app/contract/routes.js';
import type { IndexInfo } from '../../../app/contract/operations.js';
import { bearer, jobEnd, startEngine, startServer, ROOT } from '../../helpers/engine.js';
import { rawRequest, type RawInit } from '../../helpers/raw-http.js';

// browser mode (the page's routes behind its token) and the bare API server (serve, the Serve switch)
const ctx = await startEngine({ defaults: [{ id: 'small', name: 'small', source: { kind: 'generate', generator: 'tutorial', n: 500, nq: 10 } }] });
const ui = await startServer(ctx.engine, { staticDir: path.join(ROOT, 'dist', 'renderer') });
const api = await startServer(ctx.engine);
after(async () => {
  await ui.close();
  await api.close();
  await ctx.stop();
});

const { job } = (await ctx.engine.handle('buildIndex', { dataset: 'small', factory: 'Flat', metric: 'l2' })) as { job: string };
await jobEnd(ctx.events, job);
const index = ((await ctx.engine.handle('jobResult', { id: job })) as IndexInfo).id;
const uploadsDir = path.join(ctx.dataDir, 'uploads');
const uploaded = () => (existsSync(uploadsDir) ? readdirSync(uploadsDir) : []);

const json = (body: unknown): RawInit => ({ method: 'POST', headers: { 'content-type': 'application/json', ...bearer(ui) }, body: JSON.stringify(body) });
/** One request of each kind a route can be: a UI operation, the event stream, an upload, a /v1 call, the page. */
const routeKinds = (): [string, string, RawInit][] => [
  ['UI operation', httpRoute('health'), json({})],
  ['UI operation that writes', httpRoute('dropIndex'), json({ id: index })],
  ['event stream', HTTP_EVENTS_ROUTE, { headers: bearer(ui) }],
  ['upload', `${HTTP_UPLOAD_ROUTE}?name=x.npy`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', ...bearer(ui) }, body: 'abc' }],
  ['v1 read', '/v1/indexes', { headers: bearer(ui) }],
  ['v1 write', `/v1/indexes/${index}/vectors`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(ui) }, body: JSON.stringify({ vectors: [new Array(64).fill(1)] }) }],
  ['page', '/', { headers: bearer(ui) }],
];
const withHeaders = (init: RawInit, headers: Record<string, string | null>): RawInit => ({ ...init, headers: { ...init.headers, ...headers } });
const port = Number(new URL(ui.url).port);

async function stillThere(): Promise<void> {
  const ix = (await ctx.engine.handle('getIndex', { id: index })) as IndexInfo;
  assert.equal(ix.ntotal, 500, 'no refused request changed the index');
}

test('DNS rebinding: a Host that is not this server (foreign name, right name on another port, none) gets 403 BAD_HOST on every route', async () => {
  for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1:${port + 1}`, `localhost:${port + 1}`, `127.0.0.1.evil.example:${port}`, `localhost.:${port}`, null]) {
    for (const [kind, route, init] of routeKinds()) {
      const r = await rawRequest(ui.url, route, withHeaders(init, { host }));
      assert.equal(r.status, 403, `${kind} with Host ${host}: ${r.text}`);
      assert.equal(r.code, 'BAD_HOST');
    }
  }
  await stillThere();
  assert.deepEqual(uploaded(), [], 'a refused upload wrote nothing');
  // the server's own names still work
  for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) assert.equal((await rawRequest(ui.url, '/v1/health', { headers: { host, ...bearer(ui) } })).status, 200, host);
});

test('cross-site: a foreign Origin, Origin null or Sec-Fetch-Site: cross-site gets 403 CROSS_SITE on every route', async () => {
  const attacks: Record<string, string>[] = [{ origin: 'http://evil.example' }, { origin: 'null' }, { origin: `http://localhost:${port + 1}` }, { origin: `https://127.0.0.1:${port}` }, { 'sec-fetch-site': 'cross-site' }];
  for (const headers of attacks) {
    for (const [kind, route, init] of routeKinds()) {
      const r = await rawRequest(ui.url, route, withHeaders(init, headers));
      assert.equal(r.status, 403, `${kind} with ${JSON.stringify(headers)}: ${r.text}`);
      assert.equal(r.code, 'CROSS_SITE');
    }
  }
  // a same-site page (another port of localhost) may not call the API either, cookie or not
  assert.equal((await rawRequest(ui.url, '/v1/indexes', { headers: { 'sec-fetch-site': 'same-site', ...bearer(ui) } })).code, 'CROSS_SITE');
  await stillThere();
  assert.deepEqual(uploaded(), []);
  // the page's own requests carry its own origin and same-origin
  const own = await rawRequest(ui.url, httpRoute('health'), withHeaders(json({}), { origin: `http://127.0.0.1:${port}`, 'sec-fetch-site': 'same-origin' }));
  assert.equal(own.status, 200, own.text);
});

test('bodies a page can send without a CORS preflight (text/plain, forms, multipart) get 415 on every writing route', async () => {
  const types = ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/javascript'];
  const writes: [string, string][] = [
    [httpRoute('dropIndex'), JSON.stringify({ id: index })],
    [httpRoute('saveIndex'), JSON.stringify({ index, path: '/tmp/x.pth' })],
    ['/v1/indexes', JSON.stringify({ dataset: 'small', factory: 'Flat', metric: 'l2' })],
    [`/v1/indexes/${index}/vectors`, JSON.stringify({ vectors: [new Array(64).fill(1)] })],
    [`${HTTP_UPLOAD_ROUTE}?name=x.npy`, 'abc'],
  ];
  for (const type of types) {
    for (const [route, body] of writes) {
      const r = await rawRequest(ui.url, route, { method: 'POST', headers: { 'content-type': type, ...bearer(ui) }, body });
      assert.equal(r.status, 415, `${route} as ${type}: ${r.text}`);
      assert.equal(r.code, 'UNSUPPORTED_MEDIA_TYPE');
    }
  }
  // bytes only where the route takes bytes; no type at all on a body is refused too
  assert.equal((await rawRequest(ui.url, httpRoute('dropIndex'), { method: 'POST', headers: { 'content-type': 'application/octet-stream', ...bearer(ui) }, body: '{}' })).status, 415);
  assert.equal((await rawRequest(ui.url, `/v1/indexes/${index}/vectors`, { method: 'POST', headers: bearer(ui), body: '{}' })).status, 415);
  await stillThere();
  assert.deepEqual(uploaded(), []);
});

test('browser mode: every route needs the launch token; the printed URL trades it for an HttpOnly SameSite=Strict cookie', async () => {
  assert.match(ui.launchUrl, /\/\?token=[A-Za-z0-9_-]{40,}$/);
  for (const [kind, route, init] of routeKinds()) {
    const headers = { ...init.headers };
    delete headers.authorization;
    for (const auth of [{}, { authorization: 'Bearer wrong' }, { authorization: `Basic ${ui.token}` }, { cookie: `fe_session_${port}=wrong` }, { cookie: `fe_session_${port + 1}=${ui.token}` }] as Record<string, string>[]) {
      const r = await rawRequest(ui.url, route, { ...init, headers: { ...headers, ...auth } });
      assert.equal(r.status, 401, `${kind} with ${JSON.stringify(auth)}: ${r.text}`);
    }
  }
  assert.equal((await rawRequest(ui.url, '/?token=wrong')).status, 401);
  assert.equal((await rawRequest(ui.url, '/?token=')).status, 401);
  await stillThere();

  const traded = await rawRequest(ui.url, new URL(ui.launchUrl).pathname + new URL(ui.launchUrl).search);
  assert.equal(traded.status, 303);
  assert.equal(traded.headers.location, '/', 'the token leaves the address bar');
  const cookie = String(traded.headers['set-cookie']);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  const pair = cookie.split(';')[0];
  assert.equal((await rawRequest(ui.url, '/', { headers: { cookie: pair } })).status, 200, 'the page loads with the cookie');
  const op = await rawRequest(ui.url, httpRoute('health'), { method: 'POST', headers: { 'content-type': 'application/json', cookie: pair }, body: '{}' });
  assert.equal(op.status, 200, op.text);
});

test('serve is the /v1 API alone: the UI routes answer 404 there, and no answer carries CORS headers', async () => {
  for (const [kind, route, init] of routeKinds().filter(([k]) => !k.startsWith('v1'))) {
    const r = await rawRequest(api.url, route, init);
    assert.equal(r.status, 404, `${kind} on the API server: ${r.text}`);
  }
  assert.equal((await rawRequest(api.url, '/v1/health')).status, 200);
  // a script (no Origin, no Sec-Fetch-*) is unaffected by the guard
  const added = await rawRequest(api.url, `/v1/indexes/${index}/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ vectors: [new Array(64).fill(1)], k: 1 }) });
  assert.equal(added.status, 200, added.text);
  const preflight = await rawRequest(api.url, '/v1/indexes', { method: 'OPTIONS', headers: { origin: 'http://evil.example', 'access-control-request-method': 'DELETE' } });
  for (const server of [ui, api]) {
    for (const [, route, init] of routeKinds()) {
      const r = await rawRequest(server.url, route, withHeaders(init, { origin: `http://127.0.0.1:${new URL(server.url).port}` }));
      assert.deepEqual(Object.keys(r.headers).filter((h) => h.startsWith('access-control-')), [], route);
    }
  }
  assert.deepEqual(Object.keys(preflight.headers).filter((h) => h.startsWith('access-control-')), []);
});
