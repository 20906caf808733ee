import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ServeStatus } from '../../../app/contract/schemas.js';
import { EngineError } from '../../../app/contract/errors.js';
import { startHttpServer } from '../../../main/server/http-server.js';
import { alwaysOn, switchable } from '../../../main/server/serve-controls.js';
import { startEngine, startServer } from '../../helpers/engine.js';

const ctx = await startEngine({ defaults: [] });
after(() => ctx.stop());

test('the Serve switch starts a real API server on loopback and stops it', async () => {
  ctx.engine.setServeControl(switchable(() => startHttpServer({ engine: ctx.engine, host: '127.0.0.1', port: 0 }), false));
  assert.equal(((await ctx.engine.handle('serveStatus', {})) as ServeStatus).running, false);
  const on = (await ctx.engine.handle('setServe', { on: true })) as ServeStatus;
  assert.equal(on.running, true);
  assert.match(on.url ?? '', /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const health = await fetch(new URL('/v1/health', on.url));
  assert.equal(health.status, 200);
  const again = (await ctx.engine.handle('setServe', { on: true })) as ServeStatus;
  assert.equal(again.url, on.url, 'switching on twice keeps one server');
  const off = (await ctx.engine.handle('setServe', { on: false })) as ServeStatus;
  assert.equal(off.running, false);
  await assert.rejects(fetch(new URL('/v1/health', on.url)));
});

test('in browser mode the server carrying the UI cannot be switched off from the UI', async () => {
  const server = await startServer(ctx.engine);
  try {
    ctx.engine.setServeControl(alwaysOn(server, false));
    const s = (await ctx.engine.handle('serveStatus', {})) as ServeStatus;
    assert.deepEqual([s.running, s.canToggle, s.url], [true, false, server.url]);
    await assert.rejects(ctx.engine.handle('setServe', { on: false }), (e: unknown) => e instanceof EngineError && e.code === 'NOT_SUPPORTED');
  } finally {
    await server.close();
  }
});
