import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { DEFAULT_DATASETS, EngineHost } from '../engine/engine-host.js';
import { defaultDataDir } from '../engine/data-dir.js';
import { forkWorker } from '../engine/fork-worker.js';
import { API_PORT, startHttpServer } from '../server/http-server.js';
import { alwaysOn } from '../server/serve-controls.js';
import { APP_VERSION } from '../version.js';
import { parseArgs, usage, type CliOptions } from './args.js';

const UI_PORT = 7390;

/** The Electron binary when its runtime was downloaded; null where it could not be. */
function electronBinary(): string | null {
  try {
    const bin = createRequire(__filename)('electron') as unknown;
    return typeof bin === 'string' && existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

async function runEngine(opts: CliOptions, withUi: boolean): Promise<void> {
  const dataDir = path.resolve(opts.dataDir ?? defaultDataDir());
  const engine = new EngineHost({
    spawnWorker: forkWorker(path.join(__dirname, 'worker.cjs')),
    dataDir,
    allowDirs: opts.allowDirs.map((d) => path.resolve(d)),
    version: APP_VERSION,
    defaults: withUi ? DEFAULT_DATASETS : [],
    ...(opts.memoryBudget !== null ? { memoryBudget: opts.memoryBudget } : {}),
  });
  const started = engine.start();
  const listen = (port: number) =>
    startHttpServer({
      engine,
      host: opts.host,
      port,
      token: opts.token ?? undefined,
      staticDir: withUi ? path.join(__dirname, '..', 'renderer') : undefined,
    });
  const wanted = opts.port ?? (withUi ? UI_PORT : API_PORT);
  const server = await listen(wanted).catch((err: NodeJS.ErrnoException) => {
    // the default port being taken should not stop the app; an asked-for port should
    if (err.code === 'EADDRINUSE' && opts.port === null) return listen(0);
    throw err;
  });
  engine.setServeControl(alwaysOn(server, !!server.token));
  await started;
  console.log(withUi ? 'Faiss Explorer is running in browser mode; open:' : `faiss-explorer ${APP_VERSION} serving the API; data in ${dataDir}`);
  // the one line to click: in browser mode it carries this launch's token
  console.log(server.launchUrl);
  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await server.close();
    await engine.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.command === 'help') {
    console.log(usage());
    return;
  }
  if (opts.command === 'serve') return runEngine(opts, false);
  const electron = opts.browser ? null : electronBinary();
  if (electron) {
    const child = spawn(electron, [path.join(__dirname, 'electron.cjs')], { stdio: 'inherit' });
    child.on('exit', (code) => process.exit(code ?? 0));
    return;
  }
  if (!opts.browser) console.log("Electron's runtime is not installed here (its download needs network access), so the app runs in your browser instead.");
  return runEngine(opts, true);
}

main().catch((err: unknown) => {
  console.error(`faiss-explorer: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
