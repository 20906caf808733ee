import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeError, EngineError, toErrorValue } from '../../../../app/contract/errors.js';

test('an error of ours keeps its code across a boundary, with or without a message', () => {
  assert.deepEqual(toErrorValue({ code: 'INDEX_NOT_FOUND', message: 'no index "x"' }), { code: 'INDEX_NOT_FOUND', message: 'no index "x"' });
  assert.deepEqual(toErrorValue({ code: 'BAD_K' }), { code: 'BAD_K', message: 'BAD_K' });
  const original = new EngineError('CANCELLED', 'stopped');
  assert.equal(decodeError(original), original);
});

test('anything else is INTERNAL with its message, or the fallback given', () => {
  assert.deepEqual(toErrorValue(new Error('boom')), { code: 'INTERNAL', message: 'boom' });
  assert.deepEqual(toErrorValue({ code: 'NOT_A_CODE', message: 'x' }), { code: 'INTERNAL', message: '[object Object]' });
  const decoded = decodeError(undefined, { code: 'BAD_REQUEST', message: 'the engine answered HTTP 400' });
  assert.ok(decoded instanceof EngineError);
  assert.deepEqual({ code: decoded.code, message: decoded.message }, { code: 'BAD_REQUEST', message: 'the engine answered HTTP 400' });
});
