import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathFields } from '../../../app/contract/file-paths.js';
import { OPERATIONS, OP_NAMES, type OpName } from '../../../app/contract/operations.js';
import { httpRoute } from '../../../app/contract/routes.js';
import { encodeWire } from '../../../app/contract/wire.js';
import { toErrorValue } from '../../../app/contract/errors.js';
import { bearer, jobEnd, ROOT, startEngine, startServer } from '../../helpers/engine.js';

// One policy, every transport: each path field of each operation is attacked through the engine
// itself (what IPC calls), the UI's HTTP route and the public /v1 routes.
const root = mkdtempSync(path.join(os.tmpdir(), 'fe-paths-'));
const data = path.join(root, 'data');
const outside = path.join(root, 'outside');
mkdirSync(outside, { recursive: true });
mkdirSync(data, { recursive: true });
const secret = path.join(outside, 'secret.npy');
writeFileSync(secret, Buffer.from('\x93NUMPY\x01\x00v\x00{"descr": "<f4", "fortran_order": False, "shape": (2, 4), }' + ' '.repeat(52) + '\n' + '\0'.repeat(32), 'latin1'));
copyFileSync(secret, path.join(data, 'inside.npy'));
symlinkSync(outside, path.join(data, 'link-out'));
symlinkSync(secret, path.join(data, 'secret-link.npy'));

let ctx: Awaited<ReturnType<typeof startEngine>>;
let server: Awaited<ReturnType<typeof startServer>>;
let index = '';
before(async () => {
  ctx = await startEngine({ dataDir: data, allowDirs: [], defaults: [{ id: 'small', name: 'small', source: { kind: 'generate', generator: 'tutorial', n: 500, nq: 10, dim: 8 } }] });
  // browser mode: the UI's routes are served beside /v1
  server = await startServer(ctx.engine, { staticDir: path.join(ROOT, 'dist', 'renderer') });
  const built = (await ctx.engine.handle('buildIndex', { dataset: 'small', factory: 'Flat', metric: 'l2' })) as { job: string; index: string };
  index = built.index;
  assert.equal((await jobEnd(ctx.events, built.job)).status, 'done');
});
after(async () => {
  await server.close();
  await ctx.stop();
  rmSync(root, { recursive: true, force: true });
});

/** A valid input for each operation that names a file, with the file at `file`. */
const withPath: Partial<Record<OpName, (file: string) => unknown>> = {
  openDataset: (file) => ({ source: { kind: 'file', path: file } }),
  loadIndex: (file) => ({ path: file }),
  saveIndex: (file) => ({ index, path: file }),
};
const withSecondFile = (field: 'queries' | 'metadata', file: string) => ({ source: { kind: 'file', path: 'inside.npy', [field]: file } });

const readAttacks = [secret, '../outside/secret.npy', 'link-out/secret.npy', 'secret-link.npy', '/proc/self/environ', '/etc/passwd', `${data}-evil/x.npy`];
const writeAttacks = [path.join(outside, 'new.pth'), '../outside/new.faiss', 'link-out/new.faiss', 'catalogue.json', 'indexes/other.faiss', '/tmp/planted.faiss'];

test('the contract names every path field, and this test covers each operation that has one', () => {
  const withFields = OP_NAMES.filter((op) => pathFields(OPERATIONS[op].input).length > 0).sort();
  assert.deepEqual(withFields, Object.keys(withPath).sort());
  assert.deepEqual(pathFields(OPERATIONS.openDataset.input).map((f) => f.at), ['source.path', 'source.metadata', 'source.queries']);
});

async function engineCode(op: OpName, input: unknown): Promise<string> {
  try {
    await ctx.engine.handle(op, input);
    return 'allowed';
  } catch (err) {
    return toErrorValue(err).code;
  }
}

async function uiRouteCode(op: OpName, input: unknown): Promise<string> {
  const res = await fetch(new URL(httpRoute(op), server.url), { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(server) }, body: encodeWire(input) });
  return res.ok ? 'allowed' : ((await res.json()) as { error: { code: string } }).error.code;
}

test('every path field refuses files outside the allowed directories, through the engine and the UI route', async () => {
  for (const [op, make] of Object.entries(withPath) as [OpName, (f: string) => unknown][]) {
    const attacks = op === 'saveIndex' ? writeAttacks : readAttacks;
    for (const file of attacks) {
      assert.equal(await engineCode(op, make(file)), 'PATH_NOT_ALLOWED', `${op} ${file} (engine)`);
      assert.equal(await uiRouteCode(op, make(file)), 'PATH_NOT_ALLOWED', `${op} ${file} (UI route)`);
    }
    assert.equal(await engineCode(op, make('bad\0name')), 'BAD_REQUEST', `${op} NUL`);
  }
  for (const field of ['queries', 'metadata'] as const) {
    for (const file of readAttacks) assert.equal(await uiRouteCode('openDataset', withSecondFile(field, file)), 'PATH_NOT_ALLOWED', `${field} ${file}`);
  }
  for (const file of readAttacks) assert.equal(await uiRouteCode('openDataset', { source: { kind: 'file', path: 'inside.npy', metadata: file } }), 'PATH_NOT_ALLOWED', `metadata ${file}`);
  for (const file of writeAttacks.slice(0, 3)) assert.equal(existsSync(path.resolve(data, file)), false, `${file} not written`);
});

test('the public routes refuse the same paths', async () => {
  const v1 = async (method: string, route: string, body: unknown) => {
    const res = await fetch(new URL(route, server.url), { method, headers: { 'content-type': 'application/json', ...bearer(server) }, body: JSON.stringify(body) });
    return res.status === 403 ? ((await res.json()) as { error: { code: string } }).error.code : String(res.status);
  };
  for (const file of readAttacks) {
    assert.equal(await v1('POST', '/v1/datasets', { path: file }), 'PATH_NOT_ALLOWED', file);
    assert.equal(await v1('POST', '/v1/indexes/load', { path: file }), 'PATH_NOT_ALLOWED', file);
  }
  for (const file of writeAttacks) assert.equal(await v1('POST', `/v1/indexes/${index}/save`, { path: file }), 'PATH_NOT_ALLOWED', file);
});

test('inside the data directory the same operations work, and a picked file is granted for reading only', async () => {
  const saved = (await ctx.engine.handle('saveIndex', { index, path: 'mine/ok.faiss' })) as { path: string };
  assert.equal(saved.path, path.join(data, 'mine', 'ok.faiss'));
  assert.equal(await engineCode('loadIndex', { path: 'mine/ok.faiss' }), 'allowed');
  assert.equal(await engineCode('openDataset', { source: { kind: 'file', path: secret } }), 'PATH_NOT_ALLOWED');
  ctx.engine.grantPickedFile(secret);
  assert.equal(await engineCode('openDataset', { source: { kind: 'file', path: secret } }), 'allowed');
  assert.equal(await engineCode('saveIndex', { index, path: secret }), 'PATH_NOT_ALLOWED', 'a grant to read is not one to write');
});
