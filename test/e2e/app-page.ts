import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DEFAULT_DATASETS, type EngineHostOptions } from '../../main/engine/engine-host.js';
import { startEngine, startServer, ROOT } from '../helpers/engine.js';
import { launchChromium } from './browser.js';

export const SHOTS = path.join(ROOT, 'test-results', 'screenshots');

export interface AppPage {
  ctx: Awaited<ReturnType<typeof startEngine>>;
  /** the address `faiss-explorer start` prints: it carries the launch's token */
  url: string;
  page: Page;
  /** console errors and uncaught page errors, in order */
  consoleErrors: string[];
  close(): Promise<void>;
}

/** A real engine with the default datasets (or smaller ones), the built UI served over HTTP, and a Chromium page on it. */
export async function openAppPage(viewport: { width: number; height: number }, defaults: EngineHostOptions['defaults'] = DEFAULT_DATASETS): Promise<AppPage> {
  mkdirSync(SHOTS, { recursive: true });
  const ctx = await startEngine({ defaults });
  const server = await startServer(ctx.engine, { staticDir: path.join(ROOT, 'dist', 'renderer') });
  const browser: Browser = await launchChromium();
  const page = await browser.newPage({ viewport, acceptDownloads: true });
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  return {
    ctx,
    url: server.launchUrl,
    page,
    consoleErrors,
    close: async () => {
      await browser.close();
      await server.close();
      await ctx.stop();
    },
  };
}
