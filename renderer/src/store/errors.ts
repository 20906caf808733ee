import { toErrorValue } from '../../../app/contract/errors.js';
import type { UiError } from './types.js';

export function uiError(err: unknown): UiError {
  const { code, message } = toErrorValue(err);
  return { code, message };
}

export function isCancelled(err: unknown): boolean {
  return toErrorValue(err).code === 'CANCELLED';
}
