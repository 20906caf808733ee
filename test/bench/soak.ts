import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { tutorialSet } from '../../app/datasets/generators.js';
import { mulberry32 } from '../../app/random/mulberry32.js';
import { startServe, v1Call, v1WaitReady } from '../helpers/v1.js';
import type { BenchRow } from './report.js';

/** the measured window, after the warm-up */
const DURATION_S = Number(process.env.BENCH_SOAK_SECONDS ?? 60);
/**
 * At ~550 searches/s the server's RSS climbs for about a minute while V8 sizes its old space
 * (95 -> 108 MB), then stays flat (108.4-109.1 MB from 70 s to 150 s in a 150 s run): a leak
 * would keep climbing, so growth is measured over the minute after that one.
 */
const WARMUP_S = Number(process.env.BENCH_SOAK_WARMUP_SECONDS ?? 60);
const READERS = 8;
const ADD_BATCH = 20;
const MAX_GROWTH = 0.05;
/**
 * V8 grows its young generation in steps under a high allocation rate (heapTotal 24 -> 41 MB
 * after ~70 s here, heapUsed flat at 8-19 MB): that reads as RSS growth with nothing retained.
 * Sized from the start, what RSS growth is left is memory kept. `serve` runs with these flags
 * (the bin's shebang and `npm run serve`), so the soak measures what users run.
 */
const SERVER_NODE_ARGS = ['--min-semi-space-size=16', '--max-semi-space-size=16'];

/**
 * 60 s of mixed load on `serve` after a warm-up of the same load: readers search base vectors (each must find itself first, at
 * distance 0), one writer adds vectors, finds each block where it should be, and removes it
 * again (so the index keeps its size and memory growth means a leak, not data). The RSS of the
 * server and of its faiss worker is sampled each second; growth is compared after warm-up.
 */
export async function run(): Promise<{ rows: BenchRow[] } & Record<string, unknown>> {
  const set = tutorialSet();
  const dim = set.dim;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fe-soak-'));
  const serve = await startServe(['--data-dir', dir], { nodeArgs: SERVER_NODE_ARGS });
  try {
    const ds = await v1Call(serve.url, 'POST', '/v1/datasets', { generate: 'tutorial' });
    const index = (await v1Call(serve.url, 'POST', '/v1/indexes', { dataset: ds.body.id, factory: 'Flat', metric: 'l2' })).body.id as string;
    await v1WaitReady(serve.url, index);
    const searchUrl = `/v1/indexes/${index}/search`;
    const serverPid = serve.child.pid!;
    const workerPid = childPids(serverPid)[0];

    const tally = { searches: 0, adds: 0, removes: 0, wrong: 0, errors: 0 };
    const wrong: string[] = [];
    const fail = (what: string) => {
      tally.wrong++;
      if (wrong.length < 5) wrong.push(what);
    };
    const end = Date.now() + (WARMUP_S + DURATION_S) * 1000;

    const reader = async (seed: number) => {
      const rand = mulberry32(seed);
      while (Date.now() < end) {
        const row = Math.floor(rand() * set.n);
        const a = await v1Call(serve.url, 'POST', searchUrl, { vectors: [Array.from(set.base.subarray(row * dim, (row + 1) * dim))], k: 5 });
        tally.searches++;
        if (a.status !== 200) tally.errors++;
        else if (a.body.labels[0][0] !== row || a.body.distances[0][0] !== 0) fail(`base row ${row} found ${a.body.labels[0][0]}`);
      }
    };
    const writer = async () => {
      const rand = mulberry32(99);
      while (Date.now() < end) {
        const vectors = Array.from({ length: ADD_BATCH }, () => Array.from({ length: dim }, () => 10 + rand()));
        const added = await v1Call(serve.url, 'POST', `/v1/indexes/${index}/vectors`, { vectors });
        tally.adds++;
        if (added.status !== 200) {
          tally.errors++;
          continue;
        }
        const first = added.body.ntotal - ADD_BATCH;
        // a read after the write sees it
        const found = await v1Call(serve.url, 'POST', searchUrl, { vectors: [vectors[ADD_BATCH - 1]], k: 1 });
        tally.searches++;
        if (found.body?.labels?.[0]?.[0] !== first + ADD_BATCH - 1) fail(`added vector ${first + ADD_BATCH - 1} found ${JSON.stringify(found.body)}`);
        const ids = Array.from({ length: ADD_BATCH }, (_, i) => first + i);
        const removed = await v1Call(serve.url, 'DELETE', `/v1/indexes/${index}/vectors`, { ids });
        tally.removes++;
        if (removed.status !== 200) tally.errors++;
        else if (removed.body.removed !== ADD_BATCH || removed.body.ntotal !== set.n) fail(`remove answered ${JSON.stringify(removed.body)}`);
      }
    };

    const samples: { t: number; server: number; worker: number }[] = [];
    const t0 = Date.now();
    const sampler = setInterval(() => samples.push({ t: (Date.now() - t0) / 1000, server: rssKb(serverPid), worker: rssKb(workerPid) }), 1000);
    await Promise.all([...Array.from({ length: READERS }, (_, i) => reader(i + 1)), writer()]);
    clearInterval(sampler);

    const growth = (key: 'server' | 'worker') => {
      const after = samples.filter((s) => s.t >= WARMUP_S);
      const start = median(after.slice(0, 5).map((s) => s[key]));
      const last = median(after.slice(-5).map((s) => s[key]));
      return { start_mb: start / 1024, end_mb: last / 1024, growth: last / start - 1 };
    };
    const server = growth('server');
    const worker = growth('worker');
    const clean = tally.wrong === 0 && tally.errors === 0;
    const rows: BenchRow[] = (['server', 'worker'] as const).map((key) => {
      const g = key === 'server' ? server : worker;
      return {
        name: `soak ${DURATION_S} s: ${key} RSS after warm-up (${tally.searches} searches, ${tally.adds} adds, ${tally.wrong + tally.errors} wrong or failed)`,
        value: g.end_mb,
        reference: g.start_mb,
        unit: 'MB',
        ratio: g.end_mb / g.start_mb,
        referenceName: `after ${WARMUP_S} s warm-up`,
        target: `< ${1 + MAX_GROWTH}`,
        pass: g.growth < MAX_GROWTH && clean,
      };
    });
    return { rows, duration_s: DURATION_S, warmup_s: WARMUP_S, server_node_args: SERVER_NODE_ARGS, ...tally, wrong_examples: wrong, server_rss: server, worker_rss: worker, samples };
  } finally {
    await serve.stop('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Resident set of a process in kB, from /proc (Linux). */
function rssKb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  } catch {
    return NaN;
  }
}

function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // the parent pid is the 2nd field after the parenthesised command name
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { samples: _samples, ...figures } = await run();
  console.log(JSON.stringify(figures, null, 2));
}
