import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { EngineHostOptions } from '../../main/engine/engine-host.js';
import { startEngine, startServer, ROOT } from '../helpers/engine.js';
import { launchChromium } from './browser.js';

export const SHOTS = path.join(ROOT, 'test-results', 'screenshots');
export const tid = (id: string) => `[data-testid="${id}"]`;

export interface AppSession {
  engine: Awaited<ReturnType<typeof startEngine>>;
  page: Page;
  /** what the page logged as errors, and its uncaught exceptions */
  consoleErrors: string[];
  close(): Promise<void>;
}

/** The built UI in browser mode over a real engine, opened in Debian's Chromium. */
export async function openApp(opts: { defaults: EngineHostOptions['defaults']; viewport: { width: number; height: number } }): Promise<AppSession> {
  mkdirSync(SHOTS, { recursive: true });
  const engine = await startEngine({ defaults: opts.defaults });
  const server = await startServer(engine.engine, { staticDir: path.join(ROOT, 'dist', 'renderer') });
  const browser: Browser = await launchChromium();
  const page = await browser.newPage({ viewport: opts.viewport, acceptDownloads: true });
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto(server.url);
  return {
    engine,
    page,
    consoleErrors,
    close: async () => {
      await browser.close();
      await server.close();
      await engine.stop();
    },
  };
}
