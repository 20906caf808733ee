import { after, test, type TestContext } from 'node:test';
import { closeSync, openSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { readDatasetFile } from '../../../main/engine/dataset-files.js';
import { npyBytes } from '../../unit/app/datasets/helpers.js';
import { fixtureDir } from './fixtures.js';

/**
 * Load throughput as a ratio to reading the same bytes with fs (4 MiB reads, warm page cache),
 * printed, never asserted: absolute speed depends on the machine, the ratio says what parsing costs.
 */
const fx = fixtureDir('throughput');
after(() => fx.remove());

async function fsRead(file: string): Promise<number> {
  const handle = await open(file, 'r');
  const buffer = new Uint8Array(4 << 20);
  let total = 0;
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, total);
      if (bytesRead === 0) return total;
      total += bytesRead;
    }
  } finally {
    await handle.close();
  }
}

/** Best of `runs` (the first run also warms the page cache). */
async function best(runs: number, fn: () => Promise<unknown>): Promise<number> {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

async function measure(t: TestContext, label: string, file: string): Promise<void> {
  const bytes = await fsRead(file);
  const read = await best(3, () => fsRead(file));
  const load = await best(3, () => readDatasetFile(file, {}, () => {}, async () => {}));
  const line = `${label}: ${(bytes / 2 ** 20).toFixed(0)} MiB, load/fs-read time ratio ${(load / read).toFixed(1)} (fs read ${((bytes / 2 ** 20) / (read / 1000)).toFixed(0)} MiB/s, load ${((bytes / 2 ** 20) / (load / 1000)).toFixed(0)} MiB/s)`;
  t.diagnostic(line);
}

test('throughput: ~200 MB float32 npy', async (t) => {
  const n = 200_000;
  const dim = 256;
  const data = new Float32Array(n * dim);
  for (let i = 0; i < data.length; i++) data[i] = ((i * 0.6180339887) % 1) - 0.5;
  const file = fx.file('big.npy', npyBytes('<f4', [n, dim], new Uint8Array(data.buffer)));
  await measure(t, 'npy float32', file);
});

test('throughput: ~100 MB csv', async (t) => {
  const rows = 90_000;
  const dim = 128;
  const file = fx.file('big.csv');
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, `${Array.from({ length: dim }, (_, j) => `x${j}`).join(',')}\n`);
    let block = '';
    for (let i = 0; i < rows; i++) {
      const cells = new Array<string>(dim);
      for (let j = 0; j < dim; j++) cells[j] = ((((i * dim + j) * 0.6180339887) % 1) - 0.5).toFixed(6);
      block += `${cells.join(',')}\n`;
      if (i % 1000 === 999) {
        writeSync(fd, block);
        block = '';
      }
    }
    writeSync(fd, block);
  } finally {
    closeSync(fd);
  }
  await measure(t, 'csv', file);
});
