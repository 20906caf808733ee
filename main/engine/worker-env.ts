/**
 * The environment faiss runs in. libgomp's idle threads spin after each parallel region (the
 * default) and starve OpenBLAS's threads and everything else: on 2 cores faiss's BLAS search path
 * (20+ queries) ran ~100x slower and PQ training 3-7x slower. Passive waiting costs nothing
 * measurable on an idle machine. Python references get the same, so comparisons stay fair.
 */
export function workerEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...base, OMP_WAIT_POLICY: base.OMP_WAIT_POLICY ?? 'PASSIVE' };
}
