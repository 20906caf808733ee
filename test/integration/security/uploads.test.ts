import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { HTTP_UPLOAD_ROUTE } from '../../../app/contract/routes.js';
import { writeCatalogue } from '../../../main/engine/catalogue.js';
import { bearer, startEngine, startServer, ROOT } from '../../helpers/engine.js';
import { rawRequest } from '../../helpers/raw-http.js';

const ctx = await startEngine({ defaults: [] });
after(() => ctx.stop());
const dir = path.join(ctx.dataDir, 'uploads');
const staticDir = path.join(ROOT, 'dist', 'renderer');
const listing = () => (existsSync(dir) ? readdirSync(dir).sort() : []);

test('at start, browser mode removes partial uploads and uploads no saved dataset names; it keeps those that are named', async () => {
  mkdirSync(dir, { recursive: true });
  const kept = path.join(dir, 'aaaa-kept.npy');
  const hourAgo = new Date(Date.now() - 3600_000);
  for (const name of ['aaaa-kept.npy', 'bbbb-orphan.npy', 'cccc-cut.npy.part']) {
    writeFileSync(path.join(dir, name), 'x');
    utimesSync(path.join(dir, name), hourAgo, hourAgo);
  }
  // written just now: another instance's upload still arriving, or not yet opened
  writeFileSync(path.join(dir, 'dddd-fresh.npy.part'), 'x');
  // an unreadable catalogue says nothing about what is in use: nothing is removed
  writeFileSync(path.join(ctx.dataDir, 'catalogue.json'), '{ torn');
  await (await startServer(ctx.engine, { staticDir })).close();
  assert.equal(listing().length, 4);
  writeCatalogue(ctx.dataDir, { version: 1, datasets: [{ id: 'ds-kept', name: 'kept', source: { kind: 'file', path: kept } }], indexes: [] });
  const server = await startServer(ctx.engine, { staticDir });
  await server.close();
  assert.deepEqual(listing(), ['aaaa-kept.npy', 'dddd-fresh.npy.part']);
  rmSync(path.join(dir, 'dddd-fresh.npy.part'));
});

test('the uploads folder has a quota over all uploads; past it 507 QUOTA_EXCEEDED, and nothing partial is left', async () => {
  const server = await startServer(ctx.engine, { staticDir, uploads: { quota: 1 << 20 } });
  try {
    const send = (name: string, bytes: number) =>
      rawRequest(server.url, `${HTTP_UPLOAD_ROUTE}?name=${name}`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', ...bearer(server) }, body: Buffer.alloc(bytes, 1) });
    assert.equal((await send('one.npy', 600_000)).status, 201);
    const second = await send('two.npy', 600_000);
    assert.equal(second.status, 507, second.text);
    assert.equal(second.code, 'QUOTA_EXCEEDED');
    assert.equal((await send('small.npy', 300_000)).status, 201, 'what still fits is taken');
    assert.ok(listing().every((f) => !f.endsWith('.part')));
    assert.equal(listing().filter((f) => f.endsWith('two.npy')).length, 0);
  } finally {
    await server.close();
  }
});

test('uploads side by side share the quota: of two that fit only alone, one is taken, declared or chunked', async () => {
  const server = await startServer(ctx.engine, { staticDir, uploads: { quota: 1 << 20 } });
  try {
    const framings: Record<string, string | null>[] = [{}, { 'content-length': null, 'transfer-encoding': 'chunked' }];
    for (const framing of framings) {
      for (const f of listing()) rmSync(path.join(dir, f));
      const send = (name: string) =>
        rawRequest(server.url, `${HTTP_UPLOAD_ROUTE}?name=${name}`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', ...bearer(server), ...framing }, body: Buffer.alloc(700_000, 1) });
      const answers = await Promise.all([send('a.npy'), send('b.npy')]);
      assert.deepEqual(answers.map((a) => a.status).sort(), [201, 507], JSON.stringify(framing));
      assert.equal(listing().length, 1);
    }
  } finally {
    await server.close();
  }
});

test('an upload from a foreign page (its Origin, or as a simple text/plain POST) is refused before a byte is written', async () => {
  const server = await startServer(ctx.engine, { staticDir });
  try {
    const before = listing();
    const body = Buffer.alloc(8 << 20, 1);
    const foreign = await rawRequest(server.url, `${HTTP_UPLOAD_ROUTE}?name=big.npy`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', origin: 'http://evil.example', ...bearer(server) }, body });
    assert.equal(foreign.code, 'CROSS_SITE');
    // a page without CORS can send only simple types, and no token: refused either way
    const simple = await rawRequest(server.url, `${HTTP_UPLOAD_ROUTE}?name=big.npy`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body });
    assert.equal(simple.status, 415);
    const noToken = await rawRequest(server.url, `${HTTP_UPLOAD_ROUTE}?name=big.npy`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body });
    assert.equal(noToken.status, 401);
    assert.deepEqual(listing(), before);
  } finally {
    await server.close();
  }
});
