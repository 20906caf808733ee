import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { EngineHost, type EngineHostOptions } from '../../main/engine/engine-host.js';
import { forkWorker } from '../../main/engine/fork-worker.js';
import { workerEnv } from '../../main/engine/worker-env.js';
import { startHttpServer, type HttpServerOptions, type RunningServer } from '../../main/server/http-server.js';
import { alwaysOn } from '../../main/server/serve-controls.js';
import type { EngineEvent } from '../../app/contract/events.js';
import type { ToWorker } from '../../app/contract/worker-protocol.js';
import type { SpawnWorker } from '../../main/engine/worker-handle.js';
import { buildNodeIfStale } from '../../main/build-node.mjs';
import { waitFor } from './wait-for.js';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
export const WORKER_ENTRY = path.join(ROOT, 'dist', 'main', 'worker.cjs');

/**
 * A real engine: the built worker in a child process, with the real faiss binding. Tests write
 * their files under the system's temp folder, so that is an allowed directory unless they say.
 */
export async function startEngine(opts: Partial<EngineHostOptions> = {}): Promise<{ engine: EngineHost; dataDir: string; events: EngineEvent[]; stop(): Promise<void> }> {
  // the worker runs from its bundle: rebuilt here when the code changed, so no test meets old code
  await buildNodeIfStale();
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'fe-test-'));
  const engine = new EngineHost({
    spawnWorker: forkWorker(WORKER_ENTRY),
    dataDir,
    allowDirs: [os.tmpdir()],
    version: 'test',
    log: () => undefined,
    ...opts,
  });
  const events: EngineEvent[] = [];
  engine.onEvent((e) => events.push(e));
  await engine.start();
  return {
    engine,
    dataDir,
    events,
    stop: async () => {
      await engine.stop();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The server as `faiss-explorer start` runs it: it carries the UI and answers scripts too. */
export async function startServer(engine: EngineHost, extra: Partial<Omit<HttpServerOptions, 'engine'>> = {}): Promise<RunningServer> {
  const server = await startHttpServer({ engine, host: '127.0.0.1', port: 0, ...extra });
  engine.setServeControl(alwaysOn(server, !!server.token));
  return server;
}

/** What a script sends to a server that has a token (browser mode always has one). */
export function bearer(server: RunningServer): Record<string, string> {
  return server.token ? { authorization: `Bearer ${server.token}` } : {};
}

/** Waits for a job to end and returns its final event. */
export function jobEnd(events: EngineEvent[], job: string, timeoutMs = 120_000): Promise<Extract<EngineEvent, { type: 'job-end' }>> {
  return waitFor(() => events.find((e): e is Extract<EngineEvent, { type: 'job-end' }> => e.type === 'job-end' && e.job === job), { timeoutMs, what: `job ${job} to end` });
}

/** Runs a Python script with Debian's python3 (which has faiss and numpy); returns stdout. */
export function python(script: string, args: string[] = []): string {
  // the same OpenMP settings as the worker, so timings compare like with like
  const r = spawnSync('/usr/bin/python3', ['-c', script, ...args], { encoding: 'utf8', maxBuffer: 1 << 28, env: workerEnv() });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return r.stdout;
}

/**
 * The real worker, sent a real SIGSEGV (what a faiss segfault delivers) in place of each call
 * `crashOn` picks: for the engine's handling of items that crash the worker.
 */
export function crashingWorker(crashOn: (op: string, input: unknown) => boolean): SpawnWorker {
  const spawn = forkWorker(WORKER_ENTRY);
  return () => {
    const w = spawn();
    return {
      ...w,
      pid: w.pid,
      post: (m: ToWorker) => {
        // the signal instead of the message: the worker dies on this call, never before or after it
        if (m.type === 'call' && crashOn(m.op, m.input) && w.pid) process.kill(w.pid, 'SIGSEGV');
        else w.post(m);
      },
    };
  };
}
