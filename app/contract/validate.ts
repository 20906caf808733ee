import { Value } from '@sinclair/typebox/value';
import type { TSchema, Static } from '@sinclair/typebox';
import { EngineError } from './errors.js';
import { OPERATIONS, isOpName, type OpName, type OpInput } from './operations.js';

/** Checks a value against a schema; the first problem becomes a BAD_REQUEST naming its place. */
export function check<T extends TSchema>(schema: T, value: unknown, what: string): Static<T> {
  if (Value.Check(schema, value)) return value as Static<T>;
  const first = Value.Errors(schema, value).First();
  const where = first?.path ? ` at ${first.path}` : '';
  throw new EngineError('BAD_REQUEST', `${what}: ${first?.message ?? 'invalid'}${where}`);
}

export function checkOp(op: unknown): OpName {
  if (!isOpName(op)) throw new EngineError('BAD_REQUEST', `unknown operation ${JSON.stringify(op)}`);
  return op;
}

export function checkInput<K extends OpName>(op: K, input: unknown): OpInput<K> {
  return check(OPERATIONS[op].input, input ?? {}, op) as OpInput<K>;
}
