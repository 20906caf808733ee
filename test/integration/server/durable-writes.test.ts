import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeLog, HEADER_BYTES } from '../../../app/indexes/write-log-records.js';
import { readCatalogue } from '../../../main/engine/catalogue.js';
import { startServe, v1Call, v1WaitReady, type ServeChild } from '../../helpers/v1.js';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'fe-durable-serve-'));
const running: ServeChild[] = [];
after(async () => {
  for (const s of running) await s.stop('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

const serve = async () => {
  const s = await startServe(['--data-dir', dataDir]);
  running.push(s);
  return s;
};
const vector = (v: number) => new Array(64).fill(v);
const nearestLabel = async (s: ServeChild, index: string, v: number) => (await v1Call(s.url, 'POST', `/v1/indexes/${index}/search`, { vectors: [vector(v)], k: 1 })).body.labels[0][0];

let index = '';
let wal = '';

test('serve killed with SIGKILL right after acknowledged adds and a remove: a new server on the same data has them all', async () => {
  const s = await serve();
  const ds = await v1Call(s.url, 'POST', '/v1/datasets', { generate: 'tutorial', n: 3000, nq: 0 });
  index = (await v1Call(s.url, 'POST', '/v1/indexes', { dataset: ds.body.id, factory: 'IDMap,Flat', metric: 'l2' })).body.id;
  assert.equal((await v1WaitReady(s.url, index)).body.status, 'ready');
  wal = path.join(dataDir, 'indexes', `${index}.wal`);
  for (const [i, v] of [40, 50, 60].entries()) {
    const added = await v1Call(s.url, 'POST', `/v1/indexes/${index}/vectors`, { vectors: [vector(v)], ids: [90_000 + i] });
    assert.deepEqual(added.body, { ntotal: 3001 + i });
  }
  const removed = await v1Call(s.url, 'DELETE', `/v1/indexes/${index}/vectors`, { ids: [90_001] });
  assert.deepEqual(removed.body, { removed: 1, ntotal: 3002 });
  // at once: no save has folded these into the file, so the log alone holds them
  await s.stop('SIGKILL');

  const next = await serve();
  const ix = await v1Call(next.url, 'GET', `/v1/indexes/${index}`);
  assert.deepEqual([ix.body.status, ix.body.ntotal], ['ready', 3002]);
  assert.equal(await nearestLabel(next, index, 40), 90_000);
  assert.equal(await nearestLabel(next, index, 60), 90_002);
  assert.notEqual(await nearestLabel(next, index, 50), 90_001);
  await next.stop('SIGKILL');
});

test('a torn last record of the log is dropped, not fatal, and writes after it are kept', async () => {
  const s = await serve();
  assert.equal((await v1Call(s.url, 'POST', `/v1/indexes/${index}/vectors`, { vectors: [vector(70)], ids: [90_010] })).body.ntotal, 3003);
  await s.stop('SIGKILL');
  // the last add half on disk, as a crash in the middle of writing it would leave it
  const end = decodeLog(readFileSync(wal)).validBytes;
  const fd = openSync(wal, 'r+');
  writeSync(fd, Buffer.from('torn'), 0, 4, end - 100);
  closeSync(fd);

  const next = await serve();
  const ix = await v1Call(next.url, 'GET', `/v1/indexes/${index}`);
  assert.deepEqual([ix.body.status, ix.body.ntotal], ['ready', 3002], 'everything but the torn add');
  assert.notEqual(await nearestLabel(next, index, 70), 90_010);
  assert.equal((await v1Call(next.url, 'POST', `/v1/indexes/${index}/vectors`, { vectors: [vector(80)], ids: [90_020] })).body.ntotal, 3003);
  await next.stop('SIGKILL');

  const third = await serve();
  assert.equal((await v1Call(third.url, 'GET', `/v1/indexes/${index}`)).body.ntotal, 3003);
  assert.equal(await nearestLabel(third, index, 80), 90_020);
  // SIGTERM folds the log into the file: the catalogue then says the same count on its own
  assert.equal(await third.stop('SIGTERM'), 0);
  assert.equal(readCatalogue(dataDir).indexes.find((i) => i.id === index)?.ntotal, 3003);
  const folded = decodeLog(readFileSync(wal));
  assert.deepEqual([folded.writes, folded.validBytes], [[], HEADER_BYTES]);
});
