import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startServe, v1Call, v1WaitReady, type ServeChild } from '../../helpers/v1.js';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'fe-serve-'));
const allowed = mkdtempSync(path.join(os.tmpdir(), 'fe-allowed-'));
const running: ServeChild[] = [];
after(async () => {
  for (const s of running) await s.stop('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(allowed, { recursive: true, force: true });
});

const serve = async () => {
  const s = await startServe(['--data-dir', dataDir, '--allow-dir', allowed]);
  running.push(s);
  return s;
};

let index: string;

/** A JSON POST whose `sent` settles once the whole request has gone out, and `answer` with the reply. */
function post(base: string, urlPath: string, body: unknown): { sent: Promise<void>; answer: Promise<{ status: number; body: unknown }> } {
  const req = http.request(new URL(urlPath, base), { method: 'POST', headers: { 'content-type': 'application/json' } });
  const sent = new Promise<void>((resolve) => req.on('finish', resolve));
  const answer = new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
  });
  req.end(JSON.stringify(body));
  return { sent, answer };
}

test('serve: SIGTERM finishes the request in flight, saves what was added, and exits 0', async () => {
  const s = await serve();
  const ds = await v1Call(s.url, 'POST', '/v1/datasets', { generate: 'tutorial', n: 3000, nq: 0 });
  assert.equal(ds.status, 201);
  index = (await v1Call(s.url, 'POST', '/v1/indexes', { dataset: ds.body.id, factory: 'Flat', metric: 'l2' })).body.id;
  assert.equal((await v1WaitReady(s.url, index)).body.status, 'ready');
  // --allow-dir opens a directory besides the data dir, and only that
  assert.equal((await v1Call(s.url, 'POST', `/v1/indexes/${index}/save`, { path: path.join(allowed, 'x.faiss') })).status, 200);
  assert.equal((await v1Call(s.url, 'POST', `/v1/indexes/${index}/save`, { path: path.join(os.tmpdir(), 'x.faiss') })).status, 403);

  const added = await v1Call(s.url, 'POST', `/v1/indexes/${index}/vectors`, { vectors: [new Array(64).fill(7)] });
  assert.deepEqual(added.body, { ntotal: 3001 });
  // a slow request (a dataset of 1.5M rows to generate) is in flight when the signal comes
  const inFlight = post(s.url, '/v1/datasets', { generate: 'tutorial', n: 1_500_000, nq: 0 });
  await inFlight.sent;
  const code = s.stop('SIGTERM');
  const answer = await inFlight.answer;
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  assert.equal(await code, 0);
});

test('serve: a restart serves the saved indexes again, with the vectors added before the stop', async () => {
  const s = await serve();
  const ix = await v1Call(s.url, 'GET', `/v1/indexes/${index}`);
  assert.equal(ix.status, 200, JSON.stringify(ix.body));
  assert.deepEqual([ix.body.status, ix.body.ntotal], ['ready', 3001]);
  const found = await v1Call(s.url, 'POST', `/v1/indexes/${index}/search`, { vectors: [new Array(64).fill(7)], k: 1 });
  assert.deepEqual(found.body.labels, [[3000]]);
  assert.equal(await s.stop('SIGTERM'), 0);
});
