import { Value, type ValueError } from '@sinclair/typebox/value';
import type { TSchema, Static } from '@sinclair/typebox';
import { EngineError, isErrorCode, type ErrorCode } from './errors.js';
import { OPERATIONS, isOpName, type OpName, type OpInput } from './operations.js';

/** Checks a value against a schema; the first problem becomes a BAD_REQUEST naming its place. */
export function check<T extends TSchema>(schema: T, value: unknown, what: string): Static<T> {
  if (Value.Check(schema, value)) return value as Static<T>;
  const first = Value.Errors(schema, value).First();
  const where = first?.path ? ` at ${first.path}` : '';
  throw new EngineError(failureCode(first), `${what}: ${failureMessage(first)}${where}`);
}

/** TypeBox's message, said plainly where it is vague (non-finite numbers, a choice of literals). */
function failureMessage(error: ValueError | undefined): string {
  if (!error) return 'invalid';
  if (typeof error.value === 'number' && !Number.isFinite(error.value)) return 'NaN or an infinite number';
  const choices = (error.schema as { anyOf?: { const?: unknown }[] }).anyOf;
  if (choices?.every((c) => c.const !== undefined)) return `expected one of ${choices.map((c) => JSON.stringify(c.const)).join(', ')}`;
  return error.message;
}

/** NaN or an infinity where a number belongs is NON_FINITE; a schema may name its own code ('x-error-code'). */
function failureCode(error: ValueError | undefined): ErrorCode {
  if (typeof error?.value === 'number' && !Number.isFinite(error.value)) return 'NON_FINITE';
  const named: unknown = error?.schema['x-error-code'];
  return isErrorCode(named) ? named : 'BAD_REQUEST';
}

export function checkOp(op: unknown): OpName {
  if (!isOpName(op)) throw new EngineError('BAD_REQUEST', `unknown operation ${JSON.stringify(op)}`);
  return op;
}

export function checkInput<K extends OpName>(op: K, input: unknown): OpInput<K> {
  return check(OPERATIONS[op].input, input ?? {}, op) as OpInput<K>;
}
