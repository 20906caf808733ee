import type { LabIndexResult, LabPoint, LabRun } from '../../../../app/contract/lab.js';

// 50 queries; the repeats took from 0.8 to 1.25 times the median batch time
const point = (value: number | null, recall: number, qps: number): LabPoint => ({
  value, recall, recall_1: recall, recall_10_at_10: recall, qps_batch: qps, batch_ms: 50_000 / qps, batch_ms_min: 40_000 / qps, batch_ms_max: 62_500 / qps,
  qps_single: qps / 2, latency_mean_ms: 2000 / qps, latency_median_ms: 1800 / qps, latency_p99_ms: 4000 / qps,
});

function index(label: string, param: LabIndexResult['param'], points: LabPoint[], size: number): LabIndexResult {
  return { label, factory: label, className: `Index${label}`, param, train_ms: 10, add_ms: 20, size_bytes: size, memory_bytes: size, ntotal: 1000, points, internals: { notes: [] }, warnings: [] };
}

/** A small, plausible run: Flat, an IVF sweep with one dominated point, an HNSW sweep. */
export function sampleRun(): LabRun {
  const indexes = [
    index('Flat', null, [point(null, 1, 100)], 256_000),
    index('IVF32,Flat', 'nprobe', [point(1, 0.5, 2000), point(4, 0.8, 2500), point(32, 1, 300)], 260_000),
    index('HNSW16', 'efSearch', [point(16, 0.9, 5000), point(64, 0.99, 1500)], 400_000),
  ];
  return {
    format: 'faiss-explorer-lab/1',
    id: 'lab-test-1',
    created: '2026-01-01T00:00:00.000Z',
    dataset: { id: 'tutorial', name: 'tutorial, "small"', n: 1000, dim: 8, nq: 50 },
    metric: 'l2',
    k: 10,
    queries: 50,
    single_queries: 20,
    repeats: 3,
    seed: 1,
    ground_truth: 'exact',
    ground_truth_ms: 1,
    machine: { cpus: 2, model: 'Test CPU', memory_gb: 8, platform: 'linux x64', node: 'v20' },
    faiss: '1.7.3',
    indexes,
  };
}
