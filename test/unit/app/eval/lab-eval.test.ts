import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EngineError } from '../../../../app/contract/errors.js';
import { histogram } from '../../../../app/eval/histogram.js';
import { labCsv, labJson, labRows, parseLabJson, qpsRange } from '../../../../app/eval/lab-results.js';
import { latencyStats, mean, median, percentile } from '../../../../app/eval/latency.js';
import { paretoFrontier } from '../../../../app/eval/pareto.js';
import { codecStats, reconstructionErrors } from '../../../../app/eval/reconstruction.js';
import { sampleRun } from './lab-fixture.js';

describe('latency statistics', () => {
  it('takes nearest-rank percentiles and medians of measured values', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(xs, 99), 99);
    assert.equal(percentile(xs, 100), 100);
    assert.equal(percentile([3, 1, 2], 50), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(mean([1, 2, 3]), 2);
    assert.ok(Number.isNaN(median([])));
  });

  it('takes each query at its median over the passes, so one slow pass does not count', () => {
    const passes = [Float64Array.from([1, 2]), Float64Array.from([100, 2]), Float64Array.from([1, 2])];
    const s = latencyStats(passes);
    assert.equal(s.mean, 1.5);
    assert.equal(s.median, 1.5);
    assert.equal(s.p99, 2);
    assert.equal(s.qps, 1000 / 1.5);
  });

  it('reports the median beside p99, never above it, where a few slow queries put the mean above p99', () => {
    const times = Float64Array.from({ length: 200 }, (_, i) => (i === 0 ? 1000 : 1));
    const s = latencyStats([times]);
    assert.ok(s.p99 < s.mean, 'the case the issue saw: p99 below the mean');
    assert.equal(s.median, 1);
    assert.ok(s.median <= s.p99);
  });

  it("turns the repeats' fastest and slowest batch into a QPS range around the median", () => {
    const p = sampleRun().indexes[0].points[0];
    assert.deepEqual(qpsRange(p, 50), [80, 125]);
    assert.equal(qpsRange({ ...p, batch_ms_min: undefined }, 50), null, 'a run saved before the repeats were kept');
  });
});

describe('Pareto frontier', () => {
  it('keeps the points nothing beats on both recall and QPS, in increasing recall', () => {
    const pts = [{ recall: 0.5, qps: 2000 }, { recall: 0.8, qps: 2500 }, { recall: 1, qps: 300 }, { recall: 0.8, qps: 100 }];
    assert.deepEqual(paretoFrontier(pts), [1, 2]);
    assert.deepEqual(paretoFrontier([]), []);
    assert.deepEqual(paretoFrontier([{ recall: 0.3, qps: 1 }]), [0]);
  });
});

describe('histogram', () => {
  it('bins real values over their range and integers in whole-number bins', () => {
    const h = histogram([0, 0.5, 1, 1, 2], 4);
    assert.deepEqual(h, { start: 0, width: 0.5, counts: [1, 1, 2, 1] });
    const ints = histogram(Int32Array.from([3, 3, 4, 7]), 30, true);
    assert.deepEqual(ints, { start: 3, width: 1, counts: [2, 1, 0, 0, 1] });
    assert.deepEqual(histogram([2, 2], 10), { start: 2, width: 1, counts: [2] });
    assert.deepEqual(histogram([], 10).counts, []);
  });
});

describe('reconstruction error', () => {
  it('is the lost share of each vector, with the worst listed first', () => {
    const original = Float32Array.from([1, 0, 0, 2, 3, 4]);
    const decoded = Float32Array.from([1, 0, 0, 1, 3, 4]);
    const errors = reconstructionErrors(original, decoded, 2);
    assert.deepEqual([...errors], [0, 1 / 4, 0]);
    const s = codecStats(errors, 2);
    assert.deepEqual(s.worst, [{ id: 1, error: 0.25 }, { id: 0, error: 0 }]);
    assert.equal(s.max, 0.25);
    assert.equal(s.histogram.counts.reduce((a, b) => a + b, 0), 3);
  });
});

describe('lab results', () => {
  it('flattens a run into rows, each marked on or off its index frontier', () => {
    const rows = labRows(sampleRun());
    assert.equal(rows.length, 6);
    assert.deepEqual(rows.filter((r) => r.label === 'IVF32,Flat').map((r) => r.pareto), [false, true, true]);
    assert.equal(rows[0].size_bytes, 256_000);
  });

  it('exports CSV with the machine and faiss version on every row, quoting where needed', () => {
    const lines = labCsv(sampleRun()).trim().split('\n');
    assert.equal(lines.length, 7);
    assert.match(lines[0], /^label,factory,param,value,recall,recall_1,recall_10_at_10,qps_batch,/);
    assert.match(lines[0], /,faiss,cpus,cpu_model,created$/);
    assert.match(lines[1], /^Flat,Flat,,,1,/);
    assert.ok(lines[1].includes('"tutorial, ""small"""'));
    assert.ok(lines.slice(1).every((l) => l.includes('1.7.3,2,Test CPU')));
  });

  it('reloads its own JSON and refuses anything else with BAD_FILE', () => {
    const run = sampleRun();
    assert.deepEqual(parseLabJson(labJson(run)), run);
    assert.throws(() => parseLabJson('nope'), (e: EngineError) => e.code === 'BAD_FILE');
    assert.throws(() => parseLabJson('{"format":"other"}'), (e: EngineError) => e.code === 'BAD_FILE' && /not a lab run/.test(e.message));
  });
});
