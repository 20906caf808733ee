import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { httpRoute, HTTP_EVENTS_ROUTE } from '../../../app/contract/routes.js';
import { decodeWire, encodeWire } from '../../../app/contract/wire.js';
import type { EngineEvent } from '../../../app/contract/events.js';
import type { SearchResult, IndexInfo } from '../../../app/contract/operations.js';
import { bearer, startEngine, startServer, ROOT } from '../../helpers/engine.js';
import { waitFor } from '../../helpers/wait-for.js';
import path from 'node:path';

let ctx: Awaited<ReturnType<typeof startEngine>>;
let server: Awaited<ReturnType<typeof startServer>>;
before(async () => {
  ctx = await startEngine({ defaults: [{ id: 'small', name: 'small', source: { kind: 'generate', generator: 'tutorial', n: 5000, nq: 100 } }] });
  server = await startServer(ctx.engine, { staticDir: path.join(ROOT, 'dist', 'renderer'), bodyLimit: 1 << 20 });
});
after(async () => {
  await server.close();
  await ctx.stop();
});

async function op(name: Parameters<typeof httpRoute>[0], input: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(new URL(httpRoute(name), server.url), { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(server) }, body: encodeWire(input) });
  const text = await res.text();
  return { status: res.status, body: res.ok ? decodeWire(text) : JSON.parse(text) };
}

/** Subscribes to the event stream; `open` settles once the server has answered the subscription. */
function collectEvents(): { events: EngineEvent[]; open: Promise<void>; close(): void } {
  const events: EngineEvent[] = [];
  let opened: () => void = () => undefined;
  const open = new Promise<void>((resolve) => (opened = resolve));
  const req = http.get(new URL(HTTP_EVENTS_ROUTE, server.url), { headers: bearer(server) }, (res) => {
    opened();
    let buf = '';
    res.on('data', (c: Buffer) => {
      buf += c.toString();
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const chunk = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (chunk.startsWith('data: ')) events.push(JSON.parse(chunk.slice(6)) as EngineEvent);
      }
    });
  });
  return { events, open, close: () => req.destroy() };
}

test('over HTTP: build with progress events, then search with typed arrays intact', async () => {
  const sse = collectEvents();
  await sse.open;
  const started = await op('buildIndex', { dataset: 'small', factory: 'Flat', metric: 'l2' });
  assert.equal(started.status, 200);
  const job = (started.body as { job: string }).job;
  await waitFor(() => sse.events.some((e) => e.type === 'job-end' && e.job === job), { timeoutMs: 30_000, what: 'the job-end event' });
  sse.close();
  assert.ok(sse.events.some((e) => e.type === 'progress' && e.job === job), 'progress streamed');
  const ix = (await op('jobResult', { id: job })).body as IndexInfo;
  const r = (await op('search', { index: ix.id, queries: { kind: 'packed', data: new Float32Array(64).fill(0.5) }, k: 5 })).body as SearchResult;
  assert.ok(r.distances instanceof Float32Array && r.distances.length === 5);
  assert.ok(r.labels instanceof Float64Array);
  for (let i = 1; i < 5; i++) assert.ok(r.distances[i] >= r.distances[i - 1]);
});

test('over HTTP: errors are {error:{code,message}} with their status, and garbage is refused cleanly', async () => {
  const nf = await op('getIndex', { id: 'ix-missing' });
  assert.equal(nf.status, 404);
  assert.deepEqual(Object.keys((nf.body as { error: object }).error).sort(), ['code', 'message']);
  const garbage = await fetch(new URL(httpRoute('search'), server.url), { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(server) }, body: '{not json' });
  assert.equal(garbage.status, 400);
  assert.equal(((await garbage.json()) as { error: { code: string } }).error.code, 'BAD_REQUEST');
  const big = await fetch(new URL(httpRoute('search'), server.url), { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(server) }, body: 'x'.repeat(2 << 20) });
  assert.equal(big.status, 413);
  const health = await op('health', {});
  assert.equal((health.body as { status: string }).status, 'ok');
});

test('the UI is served with a content security policy, and nothing outside its folder', async () => {
  const res = await fetch(server.url, { headers: bearer(server) });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'/);
  const escape = await fetch(new URL('/..%2f..%2fpackage.json', server.url), { headers: bearer(server) });
  assert.equal(escape.status, 404);
});
