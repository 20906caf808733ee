import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
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
  const inFlight = v1Call(s.url, 'POST', '/v1/datasets', { generate: 'tutorial', n: 1_500_000, nq: 0 });
  await new Promise((r) => setTimeout(r, 150));
  const code = s.stop('SIGTERM');
  const answer = await inFlight;
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
