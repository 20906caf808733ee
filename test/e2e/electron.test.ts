import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { _electron } from 'playwright-core';
import { ROOT } from '../helpers/engine.js';

function electronBinary(): string | null {
  try {
    const bin = createRequire(import.meta.url)('electron') as unknown;
    return typeof bin === 'string' && existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

const bin = electronBinary();
const skip = bin ? false : "Electron's runtime is not installed on this machine (its download needs network access)";

test('the Electron app opens its window, secure, and builds and queries an index', { skip }, async () => {
  const app = await _electron.launch({
    executablePath: bin!,
    args: [path.join(ROOT, 'dist/main/electron.cjs')],
    env: { ...process.env, FAISS_EXPLORER_USER_DATA: mkdtempSync(path.join(os.tmpdir(), 'fe-electron-')) },
  });
  try {
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      const w = BrowserWindow.getAllWindows()[0];
      // present at run time, missing from recent type definitions
      const wc = w.webContents as unknown as { getLastWebPreferences(): Record<string, unknown> | null };
      const p = wc.getLastWebPreferences();
      return { contextIsolation: p?.contextIsolation, nodeIntegration: p?.nodeIntegration, sandbox: p?.sandbox };
    });
    assert.deepEqual(prefs, { contextIsolation: true, nodeIntegration: false, sandbox: true });
    const page = await app.firstWindow();
    assert.equal(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require), 'undefined');
    await page.getByTestId('build-button').click();
    await page.getByTestId('neighbour-table').waitFor({ timeout: 120_000 });
    await page.getByTestId('run-query').click();
    await page.locator('[data-testid="neighbour-table"] tbody tr').first().waitFor();
  } finally {
    await app.close();
  }
});
