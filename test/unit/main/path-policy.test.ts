import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EngineError } from '../../../app/contract/errors.js';
import { PathPolicy } from '../../../main/engine/path-policy.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'fe-policy-'));
const data = path.join(root, 'data');
const extra = path.join(root, 'extra');
const outside = path.join(root, 'outside');
for (const d of [data, path.join(data, 'indexes'), extra, outside, `${extra}-evil`]) mkdirSync(d, { recursive: true });
writeFileSync(path.join(data, 'a.faiss'), 'x');
writeFileSync(path.join(extra, 'b.npy'), 'x');
writeFileSync(path.join(outside, 'secret'), 'x');
writeFileSync(path.join(`${extra}-evil`, 'c'), 'x');
symlinkSync(path.join(outside, 'secret'), path.join(extra, 'link-to-secret'));
symlinkSync(outside, path.join(data, 'linked-dir'));
after(() => rmSync(root, { recursive: true, force: true }));

const policy = new PathPolicy(data, [extra], [path.join(data, 'catalogue.json'), path.join(data, 'indexes')]);
const code = (fn: () => unknown) => {
  try {
    fn();
    return 'allowed';
  } catch (err) {
    return (err as EngineError).code;
  }
};

test('files inside the data dir or an allowed dir are readable; relative paths start at the data dir', () => {
  assert.equal(policy.readable('a.faiss'), path.join(data, 'a.faiss'));
  assert.equal(policy.readable(path.join(extra, 'b.npy')), path.join(extra, 'b.npy'));
  assert.equal(code(() => policy.readable(path.join(extra, 'missing.npy'))), 'FILE_NOT_FOUND');
  assert.equal(code(() => policy.readable(extra)), 'BAD_FILE');
});

test('nothing outside: not by .., not by a look-alike prefix, not through a symlink', () => {
  assert.equal(code(() => policy.readable(path.join(outside, 'secret'))), 'PATH_NOT_ALLOWED');
  assert.equal(code(() => policy.readable('../outside/secret')), 'PATH_NOT_ALLOWED');
  assert.equal(code(() => policy.readable(path.join(`${extra}-evil`, 'c'))), 'PATH_NOT_ALLOWED');
  assert.equal(code(() => policy.readable(path.join(extra, 'link-to-secret'))), 'PATH_NOT_ALLOWED');
  assert.equal(code(() => policy.writable('linked-dir/new.faiss')), 'PATH_NOT_ALLOWED');
  assert.equal(code(() => policy.readable(path.join(outside, 'missing'))), 'PATH_NOT_ALLOWED', 'outside, even a missing file is refused, not reported');
  assert.equal(code(() => policy.readable('a.faiss\0.png')), 'BAD_REQUEST');
});

test('writes may create files and folders inside, never replace the engine\u2019s own files', () => {
  assert.equal(policy.writable('new/deeper/x.faiss'), path.join(data, 'new', 'deeper', 'x.faiss'));
  assert.equal(policy.writable(path.join(extra, 'y.faiss')), path.join(extra, 'y.faiss'));
  assert.equal(code(() => policy.writable('catalogue.json')), 'PATH_NOT_ALLOWED');
  assert.equal(code(() => policy.writable('indexes/ix-1.faiss')), 'PATH_NOT_ALLOWED');
  assert.equal(code(() => policy.writable(extra)), 'BAD_REQUEST');
});
