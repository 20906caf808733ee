import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { pythonSnippet } from '../../../app/serve/snippets.js';
import { jobEnd, startEngine, startServer } from '../../helpers/engine.js';

const ctx = await startEngine({ defaults: [{ id: 'small', name: 'small', source: { kind: 'generate', generator: 'tutorial', n: 500, nq: 0, dim: 8 } }] });
const server = await startServer(ctx.engine);
after(async () => {
  await server.close();
  await ctx.stop();
});

test('the Serve panel\'s Python snippet runs on a Python without any installed package and prints the k nearest', async () => {
  const { job } = (await ctx.engine.handle('buildIndex', { dataset: 'small', factory: 'Flat', metric: 'l2' })) as { job: string };
  const end = await jobEnd(ctx.events, job);
  assert.equal(end.status, 'done');
  const index = ((await ctx.engine.handle('listIndexes', {})) as { id: string }[])[0].id;
  const script = pythonSnippet({ url: server.url, index, dim: 8, k: 3, token: false });
  // -S: no site-packages, so `requests` (or anything else installed) cannot be imported; -I: no user site or env.
  // Asynchronous: the server answering it runs in this process.
  const r = await promisify(execFile)('/usr/bin/python3', ['-S', '-I', '-c', script], { encoding: 'utf8', timeout: 30_000 });
  const [labels, distances] = r.stdout.trim().split('] [');
  assert.equal(labels.replace('[', '').split(',').length, 3, r.stdout);
  assert.equal(distances.replace(']', '').split(',').length, 3, r.stdout);

  const withRequests = spawnSync('/usr/bin/python3', ['-S', '-I', '-c', 'import requests'], { encoding: 'utf8' });
  assert.notEqual(withRequests.status, 0, 'this Python really lacks requests, so the run above proves the standard library suffices');
});
