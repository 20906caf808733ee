import { createRequire } from 'node:module';
import type { FaissBinding } from '../../native/index.js';
import { bindingPath } from './native-files.js';
import { workerEnv } from './worker-env.js';

export type { FaissBinding, FaissIndex, HnswGraph } from '../../native/index.js';

export function loadBinding(): FaissBinding {
  // libgomp reads its settings when it loads, so they must be in place before the binding is
  Object.assign(process.env, workerEnv());
  return createRequire(__filename)(bindingPath()) as FaissBinding;
}
