import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { HTTP_UPLOAD_ROUTE } from '../../../app/contract/routes.js';
import type { DatasetInfo } from '../../../app/contract/operations.js';
import { safeUploadName } from '../../../main/server/upload.js';
import { bearer, startEngine, startServer, jobEnd, ROOT } from '../../helpers/engine.js';

const ctx = await startEngine({ defaults: [] });
// uploads are a route of browser mode, the page's own
const server = await startServer(ctx.engine, { staticDir: path.join(ROOT, 'dist', 'renderer') });
const headers = { 'content-type': 'application/octet-stream', ...bearer(server) };
after(async () => {
  await server.close();
  await ctx.stop();
});

function npyBytes(rows: number, dim: number): Buffer {
  const header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${dim}), }`;
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  const head = Buffer.alloc(total, 0x20);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head.writeUInt16LE(total - 10, 8);
  head.write(header, 10, 'latin1');
  head[total - 1] = 0x0a;
  const data = Float32Array.from({ length: rows * dim }, (_, i) => (i % 97) / 97);
  return Buffer.concat([head, Buffer.from(data.buffer)]);
}

test('browser mode: a picked file streams to the engine, then opens as a dataset', async () => {
  const res = await fetch(new URL(`${HTTP_UPLOAD_ROUTE}?name=${encodeURIComponent('../my vectors.npy')}`, server.url), { method: 'POST', headers, body: new Uint8Array(npyBytes(300, 8)) });
  assert.equal(res.status, 201);
  const { path: file } = (await res.json()) as { path: string };
  assert.equal(path.dirname(file), path.join(ctx.dataDir, 'uploads'), 'kept inside the data directory');
  assert.match(path.basename(file), /^[0-9a-f]{16}-my_vectors\.npy$/);
  const { job } = (await ctx.engine.handle('openDataset', { source: { kind: 'file', path: file } })) as { job: string };
  assert.equal((await jobEnd(ctx.events, job)).status, 'done');
  const info = (await ctx.engine.handle('jobResult', { id: job })) as DatasetInfo;
  assert.deepEqual([info.n, info.dim, info.dtype], [300, 8, 'float32']);
});

test('an upload without a name is refused and leaves no partial file', async () => {
  const res = await fetch(new URL(`${HTTP_UPLOAD_ROUTE}?name=`, server.url), { method: 'POST', headers, body: 'abc' });
  assert.equal(res.status, 400);
  const dir = path.join(ctx.dataDir, 'uploads');
  assert.ok(!existsSync(dir) || readdirSync(dir).every((f) => !f.endsWith('.part')));
});

test('upload names lose folders, dot-prefixes and odd characters', () => {
  assert.equal(safeUploadName('/etc/passwd'), 'passwd');
  assert.equal(safeUploadName('..\\..\\x.npy'), '.._.._x.npy'.replace(/^\.+/, ''));
  assert.equal(safeUploadName('.hidden'), 'hidden');
  assert.equal(safeUploadName('vectors (1).tsv'), 'vectors__1_.tsv');
  assert.throws(() => safeUploadName('...'), { code: 'BAD_REQUEST' });
});
