import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Value } from '@sinclair/typebox/value';
import { Explanation } from '../../../app/contract/explain.js';
import { startHttpServer, type RunningServer } from '../../../main/server/http-server.js';
import { startEngine } from '../../helpers/engine.js';
import { v1Call, v1WaitReady } from '../../helpers/v1.js';

// POST /v1/indexes/{id}/explain over a real server: JSON a notebook can plot, errors as codes.
let ctx: Awaited<ReturnType<typeof startEngine>>;
let server: RunningServer;
before(async () => {
  ctx = await startEngine({ defaults: [] });
  server = await startHttpServer({ engine: ctx.engine, host: '127.0.0.1', port: 0 });
});
after(async () => {
  await server.close();
  await ctx.stop();
});
const call = (method: string, p: string, body?: unknown) => v1Call(server.url, method, p, body);

async function index(factory: string): Promise<string> {
  const ds = await call('POST', '/v1/datasets', { generate: 'blobs', n: 2000, nq: 10, dim: 8 });
  assert.equal(ds.status, 201, JSON.stringify(ds.body));
  const ix = await call('POST', '/v1/indexes', { dataset: ds.body.id, factory, metric: 'l2' });
  assert.equal(ix.status, 202, JSON.stringify(ix.body));
  assert.equal((await v1WaitReady(server.url, ix.body.id)).body.status, 'ready');
  return ix.body.id;
}

test('explain by vector: the documented JSON, the same answer as search', async () => {
  const id = await index('IVF16,Flat');
  const vector = new Array<number>(8).fill(0.5);
  const e = await call('POST', `/v1/indexes/${id}/explain`, { vector, k: 5, params: { nprobe: 3 } });
  assert.equal(e.status, 200, JSON.stringify(e.body));
  const first = Value.Errors(Explanation, e.body).First();
  assert.ok(!first, `${first?.message} at ${first?.path}`);
  assert.equal(e.body.kind, 'ivf');
  assert.equal(e.body.ivf.nprobe, 3);
  const s = await call('POST', `/v1/indexes/${id}/search`, { vectors: [vector], k: 5, params: { nprobe: 3 } });
  assert.deepEqual(e.body.answer.labels, s.body.labels[0]);
  const doc = (await call('GET', '/v1/openapi.json')).body;
  assert.ok(doc.paths['/v1/indexes/{id}/explain'].post, 'documented in the OpenAPI document');
});

test('explain by stored id after bad requests, which get a code, never INTERNAL', async () => {
  const id = await index('HNSW8');
  const cases: [unknown, number, string][] = [
    [{ vector: [1, 2], k: 5 }, 400, 'BAD_DIMENSION'],
    [{ vector: new Array(8).fill(0), k: 0 }, 400, 'BAD_K'],
    [{ vector: new Array(8).fill(0), k: 5, params: { nprobe: 0 } }, 400, 'BAD_PARAM'],
    [{ k: 5 }, 400, 'BAD_REQUEST'],
  ];
  for (const [body, status, code] of cases) {
    const a = await call('POST', `/v1/indexes/${id}/explain`, body);
    assert.equal(a.status, status, JSON.stringify(a.body));
    assert.equal(a.body.error.code, code, JSON.stringify(a.body));
  }
  const missing = await call('POST', '/v1/indexes/nope/explain', { vector: new Array(8).fill(0), k: 5 });
  assert.equal(missing.status, 404);
  const byId = await call('POST', `/v1/indexes/${id}/explain`, { id: 7, k: 5 });
  assert.equal(byId.status, 200, JSON.stringify(byId.body));
  assert.equal(byId.body.answer.labels[0], 7, 'a stored vector is its own nearest neighbour');
  assert.equal(byId.body.hnsw.matches_faiss, true);
});
