import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs } from '../../../main/cli/args.js';

test('the CLI parses its commands and flags, and refuses what it does not know', () => {
  const o = parseArgs(['serve', '--port', '8000', '--data-dir', '/tmp/x', '--host', '0.0.0.0', '--token', 't']);
  assert.deepEqual([o.command, o.port, o.dataDir, o.host, o.token], ['serve', 8000, '/tmp/x', '0.0.0.0', 't']);
  assert.equal(parseArgs([]).command, 'help');
  assert.equal(parseArgs(['start']).host, '127.0.0.1');
  assert.throws(() => parseArgs(['serve', '--port', 'abc']), /--port/);
  assert.throws(() => parseArgs(['serve', '--bogus']), /unknown option/);
  assert.throws(() => parseArgs(['explode']), /unknown command/);
});

test('--memory-budget takes a size and refuses what is not one', () => {
  assert.equal(parseArgs(['serve', '--memory-budget', '6G']).memoryBudget, 6 * 2 ** 30);
  assert.equal(parseArgs(['serve']).memoryBudget, null);
  assert.throws(() => parseArgs(['serve', '--memory-budget', 'plenty']), /not a size/);
});
