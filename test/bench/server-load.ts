import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import type { IndexInfo, SearchResult } from '../../app/contract/operations.js';
import { tutorialSet } from '../../app/datasets/generators.js';
import { jobEnd, startEngine } from '../helpers/engine.js';
import { startServe, v1Call, v1WaitReady } from '../helpers/v1.js';
import type { BenchRow } from './report.js';

const CONNECTIONS = 32;
const DURATION_S = Number(process.env.BENCH_LOAD_SECONDS ?? 10);
const K = 10;
const QUERIES = 2000;
const BARE_MS = 5000;
const CHECKED = 50;

/**
 * Many clients against one: 32 connections of single-vector searches (k=10) on a Flat index of
 * the tutorial set through `serve`, against the bare engine answering the same queries one at a
 * time (EngineHost.handle, no HTTP), in the same run. Batching is what should put the server ahead.
 */
export async function run(): Promise<{ rows: BenchRow[] } & Record<string, unknown>> {
  const set = tutorialSet();
  const dim = set.dim;
  const query = (i: number) => set.queries.subarray((i % QUERIES) * dim, ((i % QUERIES) + 1) * dim);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fe-load-'));
  try {
    const bare = await bareEngine(query);
    const served = await throughServe(dir, query, bare.labels);
    const ratio = served.qps / bare.qps;
    const rows: BenchRow[] = [
      {
        name: `server throughput, ${CONNECTIONS} connections of single-vector searches (batched)`,
        value: served.qps,
        reference: bare.qps,
        unit: 'queries/s',
        ratio,
        referenceName: 'bare engine, one query at a time',
        target: '>= 2',
        pass: ratio >= 2 && served.errors === 0,
      },
    ];
    return { rows, ratio, bare_qps: bare.qps, ...served, connections: CONNECTIONS, duration_s: DURATION_S, k: K };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** EngineHost.handle('search') with one query at a time, sequentially, for BARE_MS. */
async function bareEngine(query: (i: number) => Float32Array): Promise<{ qps: number; labels: number[][] }> {
  const ctx = await startEngine({ defaults: [{ id: 'tutorial', name: 'tutorial', source: { kind: 'generate', generator: 'tutorial' } }] });
  try {
    const { job } = (await ctx.engine.handle('buildIndex', { dataset: 'tutorial', factory: 'Flat', metric: 'l2' })) as { job: string };
    await jobEnd(ctx.events, job);
    const ix = (await ctx.engine.handle('jobResult', { id: job })) as IndexInfo;
    const search = async (i: number) => (await ctx.engine.handle('search', { index: ix.id, queries: { kind: 'packed', data: query(i) }, k: K })) as SearchResult;
    const labels: number[][] = [];
    for (let i = 0; i < CHECKED; i++) labels.push(Array.from((await search(i)).labels));
    let done = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < BARE_MS) await search(done++);
    return { qps: done / ((performance.now() - t0) / 1000), labels };
  } finally {
    await ctx.stop();
  }
}

async function throughServe(dir: string, query: (i: number) => Float32Array, expected: number[][]) {
  const serve = await startServe(['--data-dir', dir]);
  try {
    const ds = await v1Call(serve.url, 'POST', '/v1/datasets', { generate: 'tutorial' });
    const created = await v1Call(serve.url, 'POST', '/v1/indexes', { dataset: ds.body.id, factory: 'Flat', metric: 'l2' });
    const index = created.body.id as string;
    await v1WaitReady(serve.url, index);
    const bodies = Array.from({ length: QUERIES }, (_, i) => JSON.stringify({ vectors: [Array.from(query(i))], k: K }));
    let next = 0;
    const result = await autocannon({
      url: new URL(`/v1/indexes/${index}/search`, serve.url).href,
      connections: CONNECTIONS,
      duration: DURATION_S,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      requests: [{ setupRequest: (req) => ({ ...req, body: bodies[next++ % QUERIES] }) }],
    });
    // the server's answers are the engine's answers
    let mismatches = 0;
    for (let i = 0; i < CHECKED; i++) {
      const a = await v1Call(serve.url, 'POST', `/v1/indexes/${index}/search`, { vectors: [Array.from(query(i))], k: K });
      if (JSON.stringify(a.body.labels[0]) !== JSON.stringify(expected[i])) mismatches++;
    }
    return {
      qps: result.requests.average,
      requests: result.requests.total,
      p50_ms: result.latency.p50,
      p99_ms: result.latency.p99,
      errors: result.errors + result.timeouts + result.non2xx,
      mismatches,
    };
  } finally {
    await serve.stop('SIGTERM');
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await run(), null, 2));
}
