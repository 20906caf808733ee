import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Value } from '@sinclair/typebox/value';
import type { TSchema } from '@sinclair/typebox';
import { Validator } from '@seriousme/openapi-schema-validator';
import { V1_ROUTES, V1Dataset, V1Index, V1IndexCreated, V1Job, V1SearchAnswer, V1SearchByVectors } from '../../../app/contract/public-api.js';
import { startHttpServer, type RunningServer } from '../../../main/server/http-server.js';
import { startEngine, ROOT } from '../../helpers/engine.js';
import { v1Call, v1WaitReady, type CallInit, type V1Answer } from '../../helpers/v1.js';

const BODY_LIMIT = 4 << 20;
let ctx: Awaited<ReturnType<typeof startEngine>>;
let server: RunningServer;
let shared: string;

before(async () => {
  shared = mkdtempSync(path.join(os.tmpdir(), 'fe-shared-'));
  ctx = await startEngine({ defaults: [], allowDirs: [shared] });
  server = await startHttpServer({ engine: ctx.engine, host: '127.0.0.1', port: 0, bodyLimit: BODY_LIMIT });
});
after(async () => {
  await server.close();
  await ctx.stop();
  rmSync(shared, { recursive: true, force: true });
});

type Answer = V1Answer;
const call = (method: string, urlPath: string, body?: unknown, init: CallInit & { base?: string } = {}) => v1Call(init.base ?? server.url, method, urlPath, body, init);
const waitReady = (id: string) => v1WaitReady(server.url, id);

function conforms(schema: TSchema, value: unknown, what: string): void {
  const first = Value.Errors(schema, value).First();
  assert.ok(!first, `${what} does not match its schema: ${first?.message} at ${first?.path}`);
}

async function expectError(answer: Promise<Answer> | Answer, status: number, code: string): Promise<void> {
  const a = await answer;
  assert.equal(a.status, status, `expected ${status} ${code}, got ${a.status} ${JSON.stringify(a.body)}`);
  assert.equal(a.body.error.code, code, JSON.stringify(a.body));
  assert.deepEqual(Object.keys(a.body.error).sort(), ['code', 'message']);
  assert.doesNotMatch(a.body.error.message, /\n\s+at /, 'no stack trace');
}

let dataset: string;
let flat: string;
const DIM = 64;
const N = 5000;
const vec = (fill: number, dim = DIM) => new Array<number>(dim).fill(fill);

test('health and the OpenAPI document, generated from the schemas the server validates with', async () => {
  const h = await call('GET', '/v1/health');
  assert.equal(h.status, 200);
  assert.equal(h.body.status, 'ok');
  assert.equal(typeof h.body.version, 'string');

  const doc = (await call('GET', '/v1/openapi.json')).body;
  assert.equal(doc.openapi, '3.1.0');
  const verdict = await new Validator().validate(structuredClone(doc));
  assert.ok(verdict.valid, `a valid OpenAPI 3.1 document: ${JSON.stringify(verdict.errors)}`);
  for (const [name, r] of Object.entries(V1_ROUTES)) {
    const op = doc.paths[r.path]?.[r.method.toLowerCase()];
    assert.ok(op, `${r.method} ${r.path} is documented`);
    assert.equal(op.operationId, name);
    assert.ok(op.responses[String(r.status)], `${name} documents its ${r.status}`);
  }
  // every reference resolves
  const refs = JSON.stringify(doc).match(/"#\/components\/schemas\/[^"]+"/g) ?? [];
  for (const ref of refs) assert.ok(doc.components.schemas[ref.slice(22, -1)], `${ref} resolves`);
  // the documented search request is the validating schema itself
  assert.deepEqual(doc.components.schemas.SearchByVectors.properties.k, JSON.parse(JSON.stringify(V1SearchByVectors.properties.k)));
  assert.deepEqual(doc.paths['/v1/indexes/{id}/search'].post.requestBody.content['application/json'].schema, { $ref: '#/components/schemas/Search' });
  assert.ok(doc.paths['/v1/indexes/{id}/search'].post.parameters.some((p: { name: string }) => p.name === 'dim'));
});

test('POST /v1/datasets generates a dataset (201) and GET lists it', async () => {
  const created = await call('POST', '/v1/datasets', { generate: 'tutorial', n: N, nq: 20, name: 'small tutorial' });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  conforms(V1Dataset, created.body, 'dataset');
  assert.deepEqual(Object.keys(created.body).sort(), ['dim', 'dtype', 'id', 'labels', 'n', 'name']);
  assert.deepEqual([created.body.n, created.body.dim, created.body.dtype, created.body.name], [N, DIM, 'float32', 'small tutorial']);
  dataset = created.body.id;
  const blobs = await call('POST', '/v1/datasets', { generate: 'blobs', n: 500, dim: 8, clusters: 3 });
  assert.equal(blobs.status, 201);
  assert.equal(blobs.body.labels, true);
  const list = await call('GET', '/v1/datasets');
  assert.equal(list.status, 200);
  assert.deepEqual(list.body.map((d: { id: string }) => d.id).sort(), [dataset, blobs.body.id].sort());
});

test('POST /v1/indexes answers 202 building, then the job and the index can be followed to ready', async () => {
  const created = await call('POST', '/v1/indexes', { dataset, factory: 'Flat', metric: 'l2', name: 'flat' });
  assert.equal(created.status, 202, JSON.stringify(created.body));
  conforms(V1IndexCreated, created.body, 'created');
  flat = created.body.id;
  const ready = await waitReady(flat);
  conforms(V1Index, ready.body, 'index');
  assert.deepEqual(Object.keys(ready.body).sort(), ['dim', 'factory', 'id', 'memory_bytes', 'metric', 'name', 'ntotal', 'status']);
  assert.deepEqual([ready.body.status, ready.body.ntotal, ready.body.dim, ready.body.factory, ready.body.metric], ['ready', N, DIM, 'Flat', 'l2']);
  assert.ok(ready.body.memory_bytes > N * DIM * 4);
  const job = await call('GET', `/v1/jobs/${created.body.job}`);
  assert.equal(job.status, 200);
  conforms(V1Job, job.body, 'job');
  assert.deepEqual([job.body.id, job.body.kind, job.body.status], [created.body.job, 'buildIndex', 'done']);
  const list = await call('GET', '/v1/indexes');
  assert.ok(list.body.some((ix: { id: string }) => ix.id === flat));
  for (const ix of list.body) conforms(V1Index, ix, 'listed index');
});

test('search by vectors and by ids; k > ntotal pads with label -1 and distance null', async () => {
  const r = await call('POST', `/v1/indexes/${flat}/search`, { vectors: [vec(0.5), vec(0.1)], k: 4 });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  conforms(V1SearchAnswer, r.body, 'answer');
  assert.equal(r.body.labels.length, 2);
  assert.equal(r.body.labels[0].length, 4);
  assert.ok(r.body.distances[0][0] <= r.body.distances[0][3]);
  assert.ok(r.body.took_ms >= 0);
  assert.deepEqual(r.body.ignored_params, []);

  const byIds = await call('POST', `/v1/indexes/${flat}/search`, { ids: [17, 4242], k: 3 });
  assert.equal(byIds.status, 200);
  assert.deepEqual([byIds.body.labels[0][0], byIds.body.labels[1][0]], [17, 4242]);
  assert.deepEqual([byIds.body.distances[0][0], byIds.body.distances[1][0]], [0, 0]);

  const small = (await call('POST', '/v1/indexes', { dataset: (await call('GET', '/v1/datasets')).body.find((d: V1Dataset) => d.n === 500).id, factory: 'Flat', metric: 'l2' })).body.id;
  await waitReady(small);
  const padded = await call('POST', `/v1/indexes/${small}/search`, { vectors: [vec(0, 8)], k: 505 });
  assert.equal(padded.status, 200);
  assert.deepEqual(padded.body.labels[0].slice(500), [-1, -1, -1, -1, -1]);
  assert.deepEqual(padded.body.distances[0].slice(500), [null, null, null, null, null]);
  assert.ok(padded.body.distances[0].slice(0, 500).every((d: unknown) => typeof d === 'number'));
});

test('per-call params: known but not applicable are listed as ignored, unknown names are 400 BAD_PARAM', async () => {
  const r = await call('POST', `/v1/indexes/${flat}/search`, { vectors: [vec(0.5)], k: 2, params: { nprobe: 8, efSearch: 16 } });
  assert.equal(r.status, 200);
  assert.deepEqual([...r.body.ignored_params].sort(), ['efSearch', 'nprobe']);
  await expectError(call('POST', `/v1/indexes/${flat}/search`, { vectors: [vec(0.5)], k: 2, params: { nprob: 8 } }), 400, 'BAD_PARAM');
  await expectError(call('POST', `/v1/indexes/${flat}/search`, { vectors: [vec(0.5)], k: 2, params: { nprobe: 0 } }), 400, 'BAD_PARAM');

  const ivf = (await call('POST', '/v1/indexes', { dataset, factory: 'IVF16,Flat', metric: 'l2' })).body.id;
  await waitReady(ivf);
  const one = await call('POST', `/v1/indexes/${ivf}/search`, { vectors: [vec(0.5)], k: 10, params: { nprobe: 1 } });
  const all = await call('POST', `/v1/indexes/${ivf}/search`, { vectors: [vec(0.5)], k: 10, params: { nprobe: 16 } });
  const exact = await call('POST', `/v1/indexes/${flat}/search`, { vectors: [vec(0.5)], k: 10 });
  assert.deepEqual(all.body.labels, exact.body.labels, 'nprobe = nlist is exact');
  assert.deepEqual(one.body.ignored_params, []);
  assert.deepEqual(all.body.ignored_params, []);
  await call('DELETE', `/v1/indexes/${ivf}`);
});

test('the binary form answers float32 distances then int64 labels, as the JSON form does', async () => {
  const queries = new Float32Array(3 * DIM).map((_, i) => ((i * 7919) % 1000) / 1000);
  const body = Buffer.from(queries.buffer);
  const bin = await call('POST', `/v1/indexes/${flat}/search?k=6&dim=${DIM}`, undefined, { raw: body, headers: { 'content-type': 'application/octet-stream' } });
  assert.equal(bin.status, 200, bin.bytes.toString());
  assert.equal(bin.headers.get('content-type'), 'application/octet-stream');
  assert.deepEqual([bin.headers.get('x-faiss-n'), bin.headers.get('x-faiss-k')], ['3', '6']);
  assert.equal(bin.bytes.length, 3 * 6 * 12);
  const distances = Array.from({ length: 18 }, (_, i) => bin.bytes.readFloatLE(i * 4));
  const labels = Array.from({ length: 18 }, (_, i) => Number(bin.bytes.readBigInt64LE(72 + i * 8)));
  const rows = Array.from({ length: 3 }, (_, q) => Array.from(queries.subarray(q * DIM, (q + 1) * DIM)));
  const js = await call('POST', `/v1/indexes/${flat}/search`, { vectors: rows, k: 6 });
  assert.deepEqual(labels, js.body.labels.flat());
  assert.deepEqual(distances, js.body.distances.flat());

  await expectError(call('POST', `/v1/indexes/${flat}/search?k=6&dim=32`, undefined, { raw: body, headers: { 'content-type': 'application/octet-stream' } }), 400, 'BAD_DIMENSION');
  await expectError(call('POST', `/v1/indexes/${flat}/search?k=6&dim=${DIM}`, undefined, { raw: body.subarray(0, 100), headers: { 'content-type': 'application/octet-stream' } }), 400, 'BAD_DIMENSION');
  await expectError(call('POST', `/v1/indexes/${flat}/search?dim=${DIM}`, undefined, { raw: body, headers: { 'content-type': 'application/octet-stream' } }), 400, 'BAD_K');
  await expectError(call('POST', `/v1/indexes/${flat}/search?k=0&dim=${DIM}`, undefined, { raw: body, headers: { 'content-type': 'application/octet-stream' } }), 400, 'BAD_K');
  const nan = Buffer.from(new Float32Array(DIM).fill(Number.NaN).buffer);
  await expectError(call('POST', `/v1/indexes/${flat}/search?k=1&dim=${DIM}`, undefined, { raw: nan, headers: { 'content-type': 'application/octet-stream' } }), 400, 'NON_FINITE');
  await expectError(call('POST', `/v1/indexes/${flat}/vectors`, undefined, { raw: body, headers: { 'content-type': 'application/octet-stream' } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
});

test('add and remove vectors; searches after a write see it', async () => {
  const before = (await call('GET', `/v1/indexes/${flat}`)).body.ntotal;
  const added = await call('POST', `/v1/indexes/${flat}/vectors`, { vectors: [vec(9), vec(-9)] });
  assert.equal(added.status, 200, JSON.stringify(added.body));
  assert.deepEqual(added.body, { ntotal: before + 2 });
  const found = await call('POST', `/v1/indexes/${flat}/search`, { vectors: [vec(9)], k: 1 });
  assert.deepEqual(found.body.labels, [[before]]);
  assert.deepEqual(found.body.distances, [[0]]);
  const removed = await call('DELETE', `/v1/indexes/${flat}/vectors`, { ids: [before, before + 1] });
  assert.equal(removed.status, 200);
  assert.deepEqual(removed.body, { removed: 2, ntotal: before });
  const gone = await call('POST', `/v1/indexes/${flat}/search`, { vectors: [vec(9)], k: 1 });
  assert.notDeepEqual(gone.body.labels, [[before]]);
  assert.equal((await call('GET', `/v1/indexes/${flat}`)).body.ntotal, before);
});

test('concurrent single-vector searches are batched, and each gets its own answer', async () => {
  const queries = Array.from({ length: 48 }, (_, i) => vec(i / 48));
  const alone: { labels: number[][]; distances: number[][] }[] = [];
  for (const q of queries) alone.push((await call('POST', `/v1/indexes/${flat}/search`, { vectors: [q], k: 5 })).body);
  const handle = ctx.engine.handle.bind(ctx.engine);
  let engineSearches = 0;
  // each engine search takes a while, as on a big index: requests arriving meanwhile must queue
  // and share the next call (on a small index and a quiet machine they may never overlap)
  ctx.engine.handle = async (op, input) => {
    if (op === 'search') {
      engineSearches++;
      await new Promise((r) => setTimeout(r, 20));
    }
    return handle(op, input);
  };
  try {
    const together = await Promise.all(queries.map((q) => call('POST', `/v1/indexes/${flat}/search`, { vectors: [q], k: 5 })));
    // faiss computes a batch with BLAS and a single query without: distances agree to rounding,
    // and labels agree except where two neighbours are that close
    together.forEach((a, q) => {
      const [d1, d2] = [a.body.distances[0] as number[], alone[q].distances[0]];
      d1.forEach((d, j) => {
        assert.ok(Math.abs(d - d2[j]) <= 1e-4 * Math.max(1, Math.abs(d)), `query ${q} rank ${j}: ${d} vs ${d2[j]}`);
        const tied = (j > 0 && Math.abs(d - d1[j - 1]) < 1e-3) || (j < d1.length - 1 && Math.abs(d - d1[j + 1]) < 1e-3);
        if (!tied) assert.equal(a.body.labels[0][j], alone[q].labels[0][j], `query ${q} rank ${j}`);
      });
    });
    assert.ok(engineSearches < queries.length / 2, `${queries.length} concurrent searches took ${engineSearches} engine calls`);
  } finally {
    ctx.engine.handle = handle;
  }
});

test('save (own file, or a path in an allowed directory) and load; refused paths', async () => {
  const own = await call('POST', `/v1/indexes/${flat}/save`);
  assert.equal(own.status, 200);
  assert.ok(own.body.path.startsWith(ctx.dataDir));
  const target = path.join(shared, 'copy.faiss');
  const saved = await call('POST', `/v1/indexes/${flat}/save`, { path: target });
  assert.deepEqual(saved.body, { path: target });
  const loaded = await call('POST', '/v1/indexes/load', { path: target, name: 'copy' });
  assert.equal(loaded.status, 201, JSON.stringify(loaded.body));
  conforms(V1Index, loaded.body, 'loaded');
  assert.deepEqual([loaded.body.name, loaded.body.ntotal, loaded.body.dim, loaded.body.metric, loaded.body.status], ['copy', N, DIM, 'l2', 'ready']);
  const a = await call('POST', `/v1/indexes/${flat}/search`, { vectors: [vec(0.3)], k: 5 });
  const b = await call('POST', `/v1/indexes/${loaded.body.id}/search`, { vectors: [vec(0.3)], k: 5 });
  assert.deepEqual(a.body.labels, b.body.labels);
  // relative paths are taken from the data directory
  const rel = await call('POST', `/v1/indexes/${flat}/save`, { path: 'mine/rel.faiss' });
  assert.deepEqual(rel.body, { path: path.join(ctx.dataDir, 'mine', 'rel.faiss') });

  await expectError(call('POST', `/v1/indexes/${flat}/save`, { path: path.join(os.tmpdir(), 'elsewhere.faiss') }), 403, 'PATH_NOT_ALLOWED');
  await expectError(call('POST', `/v1/indexes/${flat}/save`, { path: path.join(shared, '..', 'escape.faiss') }), 403, 'PATH_NOT_ALLOWED');
  await expectError(call('POST', `/v1/indexes/${flat}/save`, { path: 'catalogue.json' }), 403, 'PATH_NOT_ALLOWED');
  await expectError(call('POST', `/v1/indexes/${flat}/save`, { path: 'indexes/other.faiss' }), 403, 'PATH_NOT_ALLOWED');
  await expectError(call('POST', '/v1/indexes/load', { path: '/etc/passwd' }), 403, 'PATH_NOT_ALLOWED');
  await expectError(call('POST', '/v1/datasets', { path: '/etc/passwd' }), 403, 'PATH_NOT_ALLOWED');
  await call('DELETE', `/v1/indexes/${loaded.body.id}`);
});

test('DELETE /v1/indexes/{id} answers 204, and the index is gone', async () => {
  const created = (await call('POST', '/v1/indexes', { dataset, factory: 'Flat', metric: 'ip' })).body.id;
  await waitReady(created);
  const del = await call('DELETE', `/v1/indexes/${created}`);
  assert.equal(del.status, 204);
  assert.equal(del.bytes.length, 0);
  await expectError(call('GET', `/v1/indexes/${created}`), 404, 'INDEX_NOT_FOUND');
});

test('every bad request gets its status and stable code, and the server keeps answering', async () => {
  writeFileSync(path.join(shared, 'not-an-index.faiss'), 'hello, I am text');
  const s = `/v1/indexes/${flat}/search`;
  const cases: [string, Promise<Answer>, number, string][] = [
    ['wrong dims', call('POST', s, { vectors: [[1, 2, 3]], k: 1 }), 400, 'BAD_DIMENSION'],
    ['ragged rows', call('POST', s, { vectors: [vec(1), [1]], k: 1 }), 400, 'BAD_DIMENSION'],
    ['wrong dims in an add', call('POST', `/v1/indexes/${flat}/vectors`, { vectors: [[1, 2]] }), 400, 'BAD_DIMENSION'],
    ['k = 0', call('POST', s, { vectors: [vec(1)], k: 0 }), 400, 'BAD_K'],
    ['k < 0', call('POST', s, { vectors: [vec(1)], k: -3 }), 400, 'BAD_K'],
    ['k not a number', call('POST', s, { vectors: [vec(1)], k: 'ten' }), 400, 'BAD_K'],
    ['k not whole', call('POST', s, { vectors: [vec(1)], k: 1.5 }), 400, 'BAD_K'],
    ['k over the limit', call('POST', s, { vectors: [vec(1)], k: 10_001 }), 400, 'BAD_K'],
    ['k missing', call('POST', s, { vectors: [vec(1)] }), 400, 'BAD_K'],
    ['a non-numeric value', call('POST', s, { vectors: [[...vec(1).slice(1), 'x']], k: 1 }), 400, 'NOT_NUMERIC'],
    ['vectors not a list of lists', call('POST', s, { vectors: [1, 2], k: 1 }), 400, 'BAD_REQUEST'],
    ['Infinity (1e999)', call('POST', s, undefined, { raw: `{"vectors": [[${vec(1).slice(1).join(',')}, 1e999]], "k": 1}` }), 400, 'NON_FINITE'],
    ['NaN as Python writes it', call('POST', s, undefined, { raw: `{"vectors": [[${vec(1).slice(1).join(',')}, NaN]], "k": 1}` }), 400, 'NON_FINITE'],
    ['too big for float32', call('POST', s, { vectors: [[...vec(1).slice(1), 1e39]], k: 1 }), 400, 'NON_FINITE'],
    ['both vectors and ids', call('POST', s, { vectors: [vec(1)], ids: [1], k: 1 }), 400, 'BAD_REQUEST'],
    ['neither vectors nor ids', call('POST', s, { k: 1 }), 400, 'BAD_REQUEST'],
    ['an unknown field', call('POST', s, { vectors: [vec(1)], k: 1, kk: 2 }), 400, 'BAD_REQUEST'],
    ['too many results', call('POST', s, { ids: Array.from({ length: 300 }, (_, i) => i), k: 10_000 }), 400, 'BAD_REQUEST'],
    ['unknown index (search)', call('POST', '/v1/indexes/ix-nope/search', { vectors: [vec(1)], k: 1 }), 404, 'INDEX_NOT_FOUND'],
    ['unknown index (get)', call('GET', '/v1/indexes/ix-nope'), 404, 'INDEX_NOT_FOUND'],
    ['unknown index (odd id)', call('GET', '/v1/indexes/..%2F..%2Fetc'), 404, 'INDEX_NOT_FOUND'],
    ['unknown index (delete)', call('DELETE', '/v1/indexes/ix-nope'), 404, 'INDEX_NOT_FOUND'],
    ['unknown index (add)', call('POST', '/v1/indexes/ix-nope/vectors', { vectors: [vec(1)] }), 404, 'INDEX_NOT_FOUND'],
    ['unknown index (save)', call('POST', '/v1/indexes/ix-nope/save', {}), 404, 'INDEX_NOT_FOUND'],
    ['unknown vector id', call('POST', s, { ids: [N * 10], k: 1 }), 404, 'VECTOR_NOT_FOUND'],
    ['unknown job', call('GET', '/v1/jobs/job-nope'), 404, 'JOB_NOT_FOUND'],
    ['unknown dataset in the body', call('POST', '/v1/indexes', { dataset: 'ds-nope', factory: 'Flat', metric: 'l2' }), 404, 'DATASET_NOT_FOUND'],
    ['unknown route', call('GET', '/v1/nothing-here'), 404, 'NOT_FOUND'],
    ['garbage JSON', call('POST', s, undefined, { raw: '{"vectors": [[1, 2' }), 400, 'BAD_JSON'],
    ['garbage JSON (not JSON at all)', call('POST', '/v1/indexes', undefined, { raw: 'factory=Flat' }), 400, 'BAD_JSON'],
    ['oversize body', call('POST', s, undefined, { raw: `{"vectors": [${'1,'.repeat(BODY_LIMIT / 2)}1], "k": 1}` }), 413, 'BODY_TOO_LARGE'],
    ['unknown factory', call('POST', '/v1/indexes', { dataset, factory: 'NotAnIndex42', metric: 'l2' }), 400, 'BAD_FACTORY'],
    ['unknown metric', call('POST', '/v1/indexes', { dataset, factory: 'Flat', metric: 'hamming' }), 400, 'BAD_REQUEST'],
    ['an unknown field at build', call('POST', '/v1/indexes', { dataset, factory: 'Flat', metric: 'l2', nlist: 5 }), 400, 'BAD_REQUEST'],
    ['missing file (load)', call('POST', '/v1/indexes/load', { path: path.join(shared, 'missing.faiss') }), 400, 'FILE_NOT_FOUND'],
    ['missing file (dataset)', call('POST', '/v1/datasets', { path: path.join(shared, 'missing.npy') }), 400, 'FILE_NOT_FOUND'],
    ['a non-index file to load', call('POST', '/v1/indexes/load', { path: path.join(shared, 'not-an-index.faiss') }), 400, 'BAD_FILE'],
    ['a folder to load', call('POST', '/v1/indexes/load', { path: shared }), 400, 'BAD_FILE'],
    ['an unknown generator', call('POST', '/v1/datasets', { generate: 'mnist' }), 400, 'BAD_REQUEST'],
  ];
  for (const [what, answer, status, code] of cases) {
    await expectError(answer, status, code).catch((err: Error) => {
      throw new Error(`${what}: ${err.message}`);
    });
  }
  assert.equal((await call('GET', '/v1/health')).status, 200);
  const still = await call('POST', s, { vectors: [vec(0.5)], k: 1 });
  assert.equal(still.status, 200);
});

test('with a token: 401 without it or with a wrong one, 200 with it; no other host without one', async () => {
  const guarded = await startHttpServer({ engine: ctx.engine, host: '127.0.0.1', port: 0, token: 's3cret-token' });
  try {
    await expectError(call('GET', '/v1/health', undefined, { base: guarded.url }), 401, 'UNAUTHORIZED');
    await expectError(call('GET', '/v1/indexes', undefined, { base: guarded.url, headers: { authorization: 'Bearer wrong' } }), 401, 'UNAUTHORIZED');
    const ok = await call('GET', '/v1/indexes', undefined, { base: guarded.url, headers: { authorization: 'Bearer s3cret-token' } });
    assert.equal(ok.status, 200);
  } finally {
    await guarded.close();
  }
  await assert.rejects(startHttpServer({ engine: ctx.engine, host: '0.0.0.0', port: 0 }), /without --token/);
  const cli = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'main', 'cli.cjs'), 'serve', '--host', '0.0.0.0', '--port', '0', '--data-dir', shared], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(cli.status, 1);
  assert.match(cli.stderr, /without --token/);
});

test('a Python client (urllib) builds, searches and compares with Python faiss; files cross both ways', async () => {
  const script = path.join(ROOT, 'test', 'integration', 'server', 'python-client.py');
  // asynchronously: the server it talks to runs in this process
  const r = await promisify(execFile)('/usr/bin/python3', [script, server.url, shared], { encoding: 'utf8', timeout: 120_000 }).catch((err: { stdout?: string; stderr?: string }) => {
    throw new Error(`python client failed:\n${err.stdout}\n${err.stderr}`);
  });
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
  assert.equal(out.ok, true);
});
