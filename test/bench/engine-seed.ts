import { writeFileSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import { setImmediate as tick } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { tutorialSet } from '../../app/datasets/generators.js';
import type { IndexInfo, SearchResult } from '../../app/contract/operations.js';
import { encodeWire, decodeWire } from '../../app/contract/wire.js';
import { httpRoute } from '../../app/contract/routes.js';
import type { FaissBinding } from '../../native/index.js';
import { startEngine, startServer, jobEnd, python, ROOT } from '../helpers/engine.js';
import { row, percentile, type BenchRow } from './report.js';
import { workerEnv } from '../../main/engine/worker-env.js';

const SINGLE_QUERIES = 500;

/**
 * The seed workload (d=64, nb=100k, nq=10k, k=4, Flat L2) through the worker against Python faiss
 * on the same libfaiss, and the per-query overhead of the whole path over a bare faiss call.
 */
export async function run(): Promise<{ rows: BenchRow[]; labelsIdentical: boolean }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fe-bench-'));
  const set = tutorialSet();
  writeFileSync(path.join(dir, 'xb.f32'), set.base);
  writeFileSync(path.join(dir, 'xq.f32'), set.queries);

  const py = JSON.parse(
    python(
      `import sys, time, json, numpy as np, faiss
d = sys.argv[1]
xb = np.fromfile(d + '/xb.f32', dtype='float32').reshape(-1, 64)
xq = np.fromfile(d + '/xq.f32', dtype='float32').reshape(-1, 64)
index = faiss.IndexFlatL2(64)
t0 = time.perf_counter(); index.add(xb); add = time.perf_counter() - t0
add_best = add
for _ in range(4):
    again = faiss.IndexFlatL2(64)
    t0 = time.perf_counter(); again.add(xb); add_best = min(add_best, time.perf_counter() - t0)
    del again
index.search(xq[:100], 4)
search = 1e9
for _ in range(3):
    t0 = time.perf_counter(); D, I = index.search(xq, 4); search = min(search, time.perf_counter() - t0)
I.astype('int64').tofile(d + '/py_labels.i64')
print(json.dumps({'add_ms': add * 1000, 'add_best_ms': add_best * 1000, 'search_ms': search * 1000}))`,
      [dir],
    ),
  ) as { add_ms: number; add_best_ms: number; search_ms: number };

  const ctx = await startEngine({ dataDir: path.join(dir, 'data'), defaults: [{ id: 'tutorial', name: 'tutorial', source: { kind: 'generate', generator: 'tutorial' } }] });
  const server = await startServer(ctx.engine);
  try {
    const { job } = (await ctx.engine.handle('buildIndex', { dataset: 'tutorial', factory: 'Flat', metric: 'l2' })) as { job: string };
    await jobEnd(ctx.events, job);
    const ix = (await ctx.engine.handle('jobResult', { id: job })) as IndexInfo;
    await ctx.engine.handle('search', { index: ix.id, queries: { kind: 'queryRows', rows: [0, 1, 2] }, k: 4 });
    // best of three on both sides: the machine's other work only ever adds time
    let searchMs = Infinity;
    let r!: SearchResult;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      r = (await ctx.engine.handle('search', { index: ix.id, queries: { kind: 'allQueries' }, k: 4 })) as SearchResult;
      searchMs = Math.min(searchMs, performance.now() - t0);
    }
    const pyLabels = new BigInt64Array(readFileSync(path.join(dir, 'py_labels.i64')).buffer.slice(0));
    let same = pyLabels.length === r.labels.length;
    for (let i = 0; same && i < pyLabels.length; i++) same = Number(pyLabels[i]) === r.labels[i];

    // single queries: bare binding in this process vs the engine (message passing) vs HTTP
    Object.assign(process.env, workerEnv());
    const faiss = createRequire(import.meta.url)(path.join(ROOT, 'native/build/Release/faiss_node.node')) as FaissBinding;
    const bareAddMs = await bestAddMs(faiss, set.base);
    const bare = faiss.Index.fromFactory(64, 'Flat', 1);
    bare.add(set.base);
    const q = (i: number) => set.queries.slice(i * 64, i * 64 + 64);
    const time = async (fn: (i: number) => unknown) => {
      const out: number[] = [];
      for (let i = 0; i < SINGLE_QUERIES; i++) {
        const t = performance.now();
        await fn(i);
        out.push(performance.now() - t);
      }
      return percentile(out.slice(50), 50);
    };
    const bareP50 = await time((i) => bare.search(q(i), 10));
    const ipcP50 = await time((i) => ctx.engine.handle('search', { index: ix.id, queries: { kind: 'packed', data: q(i) }, k: 10 }));
    const url = new URL(httpRoute('search'), server.url);
    // a keep-alive client, as a browser page is; undici's fetch adds client-side cost of its own
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const post = (body: string) =>
      new Promise<string>((resolve, reject) => {
        const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        });
        req.on('error', reject);
        req.end(body);
      });
    const httpP50 = await time(async (i) => decodeWire(await post(encodeWire({ index: ix.id, queries: { kind: 'packed', data: q(i) }, k: 10 }))));
    agent.destroy();
    const addMs = ix.add_ms;
    return {
      labelsIdentical: same,
      rows: [
        row('seed add 100k x 64 (worker)', addMs, py.add_ms, 'ms', 'Python faiss add', 1.2),
        row('add 100k x 64 (bare binding, best of 5)', bareAddMs, py.add_best_ms, 'ms', 'Python faiss add, best of 5'),
        row('seed search 10k, k=4 (whole path)', searchMs, py.search_ms, 'ms', 'Python faiss search', 1.05),
        { name: 'single query p50 overhead, message passing', value: ipcP50 - bareP50, reference: bareP50, unit: 'ms', ratio: ipcP50 / bareP50, referenceName: 'bare faiss call', target: 'overhead <= 1 ms', pass: ipcP50 - bareP50 <= 1 },
        { name: 'single query p50 overhead, HTTP', value: httpP50 - bareP50, reference: bareP50, unit: 'ms', ratio: httpP50 / bareP50, referenceName: 'bare faiss call', target: 'overhead <= 1 ms', pass: httpP50 - bareP50 <= 1 },
      ],
    };
  } finally {
    await server.close();
    await ctx.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The binding's own add, best of five; each run frees the previous index first (GC, then its finalizer), as CPython's refcounting does, so both sides reuse memory instead of page-faulting. */
async function bestAddMs(faiss: FaissBinding, base: Float32Array): Promise<number> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    for (let j = 0; j < 2; j++) {
      gc();
      await tick();
    }
    const index = faiss.Index.fromFactory(64, 'Flat', 1);
    const t0 = performance.now();
    index.add(base);
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}
