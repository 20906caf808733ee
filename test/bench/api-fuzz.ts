import path from 'node:path';
import { OP_NAMES, type IndexInfo } from '../../app/contract/operations.js';
import { V1_ROUTES } from '../../app/contract/public-api.js';
import { HTTP_UPLOAD_ROUTE, httpRoute } from '../../app/contract/routes.js';
import { mulberry32 } from '../../app/random/mulberry32.js';
import { bearer, jobEnd, startEngine, startServer, ROOT } from '../helpers/engine.js';
import { rawRequest, type RawInit } from '../helpers/raw-http.js';
import type { BenchRow } from './report.js';

const INPUTS = Number(process.env.BENCH_FUZZ_INPUTS ?? 3000);
const SECONDS = Number(process.env.BENCH_FUZZ_SECONDS ?? 120);
const SEED = 11;

/**
 * A bounded, seeded fuzz run of the HTTP API: mutated bodies, ids, paths and headers against a real
 * browser-mode server (the page's operations, uploads and /v1), counting answers by code. A crash is
 * a 5xx, a dropped connection or a worker restart; after every hundred inputs health must answer.
 */
export async function run(): Promise<{ rows: BenchRow[] } & Record<string, unknown>> {
  const ctx = await startEngine({ defaults: [{ id: 'fz', name: 'fz', source: { kind: 'generate', generator: 'tutorial', n: 400, nq: 20 } }] });
  const server = await startServer(ctx.engine, { staticDir: path.join(ROOT, 'dist', 'renderer'), bodyLimit: 1 << 20 });
  const { job } = (await ctx.engine.handle('buildIndex', { dataset: 'fz', factory: 'HNSW8', metric: 'l2' })) as { job: string };
  await jobEnd(ctx.events, job);
  const index = ((await ctx.engine.handle('jobResult', { id: job })) as IndexInfo).id;
  const rand = mulberry32(SEED);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const vector = (dim = 64) => Array.from({ length: dim }, () => rand());

  const weird = (): unknown =>
    pick<() => unknown>([
      () => null,
      () => -1,
      () => 0,
      () => 1e308,
      () => -2147483649,
      () => 2 ** 53 + 1,
      () => 0.5,
      () => '',
      () => 'x'.repeat(5000),
      () => '../../../../etc/passwd',
      () => '/proc/self/mem',
      () => 'NaN',
      () => [],
      () => [[]],
      () => ({}),
      () => JSON.parse('['.repeat(60) + ']'.repeat(60)) as unknown,
      () => vector(Math.floor(rand() * 200)),
      () => pick(['HNSW0', 'IVF0,Flat', 'PQ0', 'IVF999999999,Flat', 'HNSW32,PQ64x99', 'OPQ0,IVF1,PQ1', 'Flat,Flat', 'IDMap2,HNSW8', ',', 'LSH']),
      () => ({ kind: pick(['file', 'generate', 'x']), path: '/dev/zero', generator: 'tutorial', n: pick([0, -5, 1e12, 3.5]) }),
      () => index,
      () => 'ds-' + Math.floor(rand() * 1e6).toString(16),
    ])();

  const validV1: Partial<Record<keyof typeof V1_ROUTES, () => Record<string, unknown>>> = {
    createDataset: () => ({ generate: 'blobs', n: 100 }),
    createIndex: () => ({ dataset: 'fz', factory: pick(['Flat', 'HNSW8', 'IVF4,Flat', 'PQ8']), metric: pick(['l2', 'ip', 'cosine']) }),
    search: () => ({ vectors: [vector()], k: 5, params: { efSearch: 16 } }),
    addVectors: () => ({ vectors: [vector(), vector()] }),
    removeVectors: () => ({ ids: [1, 2] }),
    saveIndex: () => ({}),
    loadIndex: () => ({ path: path.join(ctx.dataDir, 'none.faiss') }),
  };
  const mutate = (body: Record<string, unknown>): unknown => {
    if (rand() < 0.1) return weird();
    const out: Record<string, unknown> = { ...body };
    const keys = Object.keys(out);
    for (let m = 0; m < 1 + Math.floor(rand() * 3); m++) {
      const r = rand();
      if (r < 0.4 && keys.length) out[pick(keys)] = weird();
      else if (r < 0.6 && keys.length) delete out[pick(keys)];
      else if (r < 0.8) out[pick(['k', 'id', 'index', 'ids', 'vectors', 'path', 'factory', 'params', 'source', '__proto__', 'constructor'])] = weird();
    }
    return out;
  };
  const idFor = () => pick([index, index, 'ix-nothere', '%00', '..', 'a'.repeat(300), '%E0%A4%A', 'fz', '1e3']);

  const request = (): { url: string; init: RawInit } => {
    const auth = bearer(server);
    const kind = rand();
    if (kind < 0.5) {
      const name = pick(Object.keys(V1_ROUTES) as (keyof typeof V1_ROUTES)[]);
      const route = V1_ROUTES[name];
      // the index under fuzz is never dropped, or every later input would only meet INDEX_NOT_FOUND
      const url = route.path.replace('{id}', name === 'deleteIndex' ? pick(['ix-nothere', '%00', '..']) : idFor()) + (rand() < 0.1 ? '?k=5&dim=64' : '');
      const base = validV1[name]?.() ?? {};
      const body = 'body' in route ? JSON.stringify(mutate(base)) : undefined;
      return { url, init: { method: route.method, headers: { 'content-type': 'application/json', ...auth }, body } };
    }
    if (kind < 0.9) {
      const op = rand() < 0.95 ? pick(OP_NAMES) : pick(['constructor', '__proto__', 'toString', '']);
      const base = { id: pick([index, 'fz']), index, dataset: 'fz', k: 5, queries: { kind: 'row', row: 1 }, factory: 'Flat', metric: 'l2' };
      return { url: httpRoute(op as (typeof OP_NAMES)[number]), init: { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify(mutate(base)) } };
    }
    const headers: Record<string, string> = pick([{ 'content-type': 'application/octet-stream', ...auth }, { 'content-type': 'text/plain' }, { origin: 'http://evil.example', ...auth }]);
    return { url: `${HTTP_UPLOAD_ROUTE}?name=${pick(['a.npy', '', '..', '%2e%2e%2f'])}`, init: { method: 'POST', headers, body: Buffer.alloc(Math.floor(rand() * 5000), Math.floor(rand() * 256)) } };
  };

  const byCode = new Map<string, number>();
  const crashes: string[] = [];
  let tried = 0;
  const t0 = Date.now();
  try {
    while (tried < INPUTS && Date.now() - t0 < SECONDS * 1000) {
      const { url, init } = request();
      tried++;
      try {
        const r = await rawRequest(server.url, url, init);
        const key = r.status >= 400 ? `${r.status} ${r.code ?? '?'}` : String(r.status);
        byCode.set(key, (byCode.get(key) ?? 0) + 1);
        if (r.status >= 500 && r.code !== 'SERVER_BUSY') crashes.push(`${init.method} ${url.slice(0, 60)} ${String(init.body ?? '').slice(0, 120)} -> ${r.status} ${r.text.slice(0, 160)}`);
      } catch (err) {
        crashes.push(`${init.method} ${url.slice(0, 60)}: connection ${err instanceof Error ? err.message : String(err)}`);
      }
      if (tried % 100 === 0) {
        const h = await rawRequest(server.url, '/v1/health', { headers: bearer(server) });
        if (h.status !== 200) crashes.push(`health after ${tried} inputs: ${h.status} ${h.text.slice(0, 120)}`);
      }
    }
  } finally {
    await server.close();
    await ctx.stop();
  }
  const restarts = ctx.events.filter((e) => e.type === 'engine' && e.state === 'restarted').length;
  const bad = crashes.length + restarts;
  const rows: BenchRow[] = [
    { name: `API fuzz: inputs answered 5xx, dropped or restarting the worker (seed ${SEED})`, value: bad, reference: tried, unit: 'inputs', ratio: bad / tried, referenceName: 'inputs tried', target: '0', pass: bad === 0 },
  ];
  return { rows, tried, seconds: (Date.now() - t0) / 1000, worker_restarts: restarts, crashes: crashes.slice(0, 20), answers: Object.fromEntries([...byCode].sort((a, b) => b[1] - a[1])) };
}
