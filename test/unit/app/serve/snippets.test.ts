import { test } from 'node:test';
import assert from 'node:assert/strict';
import { curlSnippet, pythonSnippet } from '../../../../app/serve/snippets.js';

const target = { url: 'http://127.0.0.1:7391/', index: 'ix-abc', dim: 3, k: 5, token: false };

test('the Python snippet posts a vector of the right size to the index search route, with the standard library only', () => {
  const py = pythonSnippet(target);
  assert.match(py, /"http:\/\/127\.0\.0\.1:7391\/v1\/indexes\/ix-abc\/search"/);
  assert.deepEqual(py.match(/^import .*$/gm), ['import json, urllib.request']);
  assert.match(py, /\[0\.0\] \* 3/);
  assert.match(py, /"k": 5/);
  assert.doesNotMatch(py, /Authorization/);
  assert.match(pythonSnippet({ ...target, token: true }), /Authorization/);
});

test('the curl line is one command with a JSON body of the index dimension', () => {
  const c = curlSnippet(target);
  assert.match(c, /'\{"vectors": \[\[0,0,0\]\], "k": 5\}'/);
  assert.ok(c.endsWith('http://127.0.0.1:7391/v1/indexes/ix-abc/search'));
  assert.match(curlSnippet({ ...target, token: true }), /Bearer \$TOKEN/);
});
