import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './engine.js';
import { buildNodeIfStale } from '../../main/build-node.mjs';
import { waitFor } from './wait-for.js';

/** One answer of the v1 API; `body` is the parsed JSON when the answer is JSON. */
export interface V1Answer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON from the wire, each caller checks what it needs
  headers: Headers;
  bytes: Buffer;
}

export interface CallInit {
  /** a body sent as is instead of JSON */
  raw?: string | Buffer;
  headers?: Record<string, string>;
}

export async function v1Call(base: string, method: string, urlPath: string, body?: unknown, init: CallInit = {}): Promise<V1Answer> {
  const res = await fetch(new URL(urlPath, base), {
    method,
    headers: { 'content-type': 'application/json', ...init.headers },
    body: typeof init.raw === 'string' ? init.raw : init.raw ? new Uint8Array(init.raw) : body === undefined ? undefined : JSON.stringify(body),
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  const isJson = res.headers.get('content-type')?.startsWith('application/json');
  return { status: res.status, body: isJson ? JSON.parse(bytes.toString('utf8')) : null, headers: res.headers, bytes };
}

/** Polls an index until it is no longer building. */
export async function v1WaitReady(base: string, id: string, timeoutMs = 120_000): Promise<V1Answer> {
  return waitFor(
    async () => {
      const a = await v1Call(base, 'GET', `/v1/indexes/${id}`);
      return a.body?.status !== 'building' ? a : null;
    },
    { timeoutMs, intervalMs: 50, what: `index ${id} to finish building` },
  );
}

export interface ServeChild {
  url: string;
  child: ChildProcess;
  /** sends a signal and resolves with the exit code */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs the built `faiss-explorer serve` as a child process and waits for its URL. */
export async function startServe(args: string[], opts: { nodeArgs?: string[] } = {}): Promise<ServeChild> {
  await buildNodeIfStale();
  const cli = path.join(ROOT, 'dist', 'main', 'cli.cjs');
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), cli, 'serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const url = /^http:\/\/\S+/m.exec(out)?.[0];
      if (url) resolve({ url, child, stop: (signal = 'SIGTERM') => (child.kill(signal), exited) });
    });
    void exited.then((code) => reject(new Error(`serve exited with ${code} before listening: ${stderr}`)));
  });
}
