import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineError, toErrorValue } from '../../../../app/contract/errors.js';
import { checkInput, checkOp } from '../../../../app/contract/validate.js';
import { isJobOp } from '../../../../app/contract/operations.js';
import { LIMITS } from '../../../../app/contract/limits.js';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as EngineError).code;
  }
  return 'no error';
};

test('inputs are checked against the contract with the place named', () => {
  assert.equal(code(() => checkInput('search', { index: 'ix-1', queries: { kind: 'queryRows', rows: [0] }, k: LIMITS.searchK + 1 })), 'BAD_REQUEST');
  assert.equal(code(() => checkInput('search', { index: 'ix-1', queries: { kind: 'queryRows', rows: [0] }, k: 0 })), 'BAD_REQUEST');
  assert.equal(code(() => checkInput('buildIndex', { dataset: 'd', factory: 'Flat', metric: 'hamming' })), 'BAD_REQUEST');
  assert.equal(code(() => checkInput('getIndex', { id: '../etc' })), 'BAD_REQUEST');
  assert.throws(() => checkInput('search', { index: 'ix-1', queries: { kind: 'queryRows', rows: [0] }, k: 'ten' }), (err: Error) => /\/k/.test(err.message));
  const ok = checkInput('search', { index: 'ix-1', queries: { kind: 'packed', data: new Float32Array(4) }, k: 3 });
  assert.equal(ok.k, 3);
  assert.equal(code(() => checkInput('search', { index: 'ix-1', queries: { kind: 'packed', data: [1, 2] }, k: 3 })), 'BAD_REQUEST');
});

test('unknown operations are refused, jobs are told apart from calls', () => {
  assert.equal(code(() => checkOp('dropEverything')), 'BAD_REQUEST');
  assert.equal(code(() => checkOp('__proto__')), 'BAD_REQUEST');
  assert.equal(isJobOp('buildIndex'), true);
  assert.equal(isJobOp('search'), false);
});

test('errors become {code, message} without stacks', () => {
  assert.deepEqual(toErrorValue(new EngineError('BAD_K', 'k too big')), { code: 'BAD_K', message: 'k too big' });
  const v = toErrorValue(new TypeError('boom'));
  assert.deepEqual(v, { code: 'INTERNAL', message: 'boom' });
  assert.deepEqual(toErrorValue({ code: 'NOT_A_CODE', message: 'x' }).code, 'INTERNAL');
});
