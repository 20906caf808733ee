/**
 * The worker's environment. OpenMP threads that spin while waiting (the default) starve each
 * other as soon as anything else wants the CPU: PQ training ran 3-7x slower on a busy 2-core
 * machine. Passive waiting costs nothing measurable when the machine is idle.
 */
export function workerEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...base, OMP_WAIT_POLICY: base.OMP_WAIT_POLICY ?? 'PASSIVE' };
}
