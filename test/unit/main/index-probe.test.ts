import { test } from 'node:test';
import assert from 'node:assert/strict';
import { probeOutcome } from '../../../main/engine/index-probe.js';

const ok = '{"ok":true,"className":"IndexHNSWFlat","d":32,"ntotal":2000,"metric":"l2"}\n';

test('an answer with facts is the facts', () => {
  assert.deepEqual(probeOutcome('/x/a.faiss', 10, ok, null), { className: 'IndexHNSWFlat', d: 32, ntotal: 2000, metric: 'l2' });
});

test('every other outcome of the probe is a BAD_FILE naming the file and the reason', () => {
  const cases: [string, Parameters<typeof probeOutcome>[3], RegExp][] = [
    ['', { signal: 'SIGSEGV', timedOut: false, code: null }, /crashed a test process \(SIGSEGV\)/],
    ['', { signal: 'SIGKILL', timedOut: true, code: null }, /took too long/],
    ['garbage', { signal: null, timedOut: false, code: 1 }, /no answer \(exit code 1\)/],
    ['', null, /no answer/],
    ['{"ok":false,"reason":"memory","error":"x"}', null, /claims more memory than its 262,144 bytes/],
    ['{"ok":false,"reason":"inconsistent","error":"entry point 9 is outside 0..3"}', null, /inconsistent: entry point 9/],
    ['{"ok":false,"reason":"read","error":"Index type 0x00 not recognized"}', null, /not a faiss index faiss can read/],
    ['{"ok":false,"reason":"search","error":"boom"}', null, /trial search failed: boom/],
    ['{"ok":true,"className":"X","d":"32","ntotal":1,"metric":"l2"}', null, /without the facts/],
    ['{"ok":true,"className":"X","d":32,"ntotal":1,"metric":"hamming"}', null, /without the facts/],
  ];
  for (const [stdout, failure, message] of cases) {
    assert.throws(() => probeOutcome('/x/a.faiss', 262_144, stdout, failure), (err: { code?: string; message?: string }) => err.code === 'BAD_FILE' && /^a\.faiss was not loaded: /.test(err.message ?? '') && message.test(err.message ?? ''), message.source);
  }
});
