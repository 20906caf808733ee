import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAddressLiteral, isLoopbackAddress, isWildcardAddress } from '../../../../app/serve/loopback.js';
import { guardRequest, parseHostHeader, type GuardRequest } from '../../../../app/serve/request-guard.js';

const cfg = { host: '127.0.0.1', port: 7390, anyAddress: false };
const req = (over: Partial<GuardRequest>): GuardRequest => ({
  method: 'GET',
  host: '127.0.0.1:7390',
  origin: undefined,
  fetchSite: undefined,
  contentType: undefined,
  hasBody: false,
  binaryOk: false,
  api: true,
  ...over,
});
const code = (over: Partial<GuardRequest>, c = cfg) => guardRequest(c, req(over))?.code ?? null;

test('loopback addresses: 127.0.0.0/8, ::1 and IPv4-mapped loopback, decided on the address and not on a prefix', () => {
  for (const a of ['127.0.0.1', '127.255.3.4', '::1', '[::1]', '::ffff:127.0.0.1', '::ffff:7f00:1', '0:0:0:0:0:0:0:1']) assert.ok(isLoopbackAddress(a), a);
  for (const a of ['127.evil.example', '127.0.0.1.evil', '128.0.0.1', '0.0.0.0', '::', '::ffff:10.0.0.1', '127.0.0.256', 'localhost', '']) assert.ok(!isLoopbackAddress(a), a);
  assert.ok(isAddressLiteral('10.1.2.3') && isAddressLiteral('[fe80::1]') && !isAddressLiteral('evil.example'));
  assert.ok(isWildcardAddress('0.0.0.0') && isWildcardAddress('::') && !isWildcardAddress('127.0.0.1'));
});

test('Host headers: name and port, port 80 when absent; nonsense is no host', () => {
  assert.deepEqual(parseHostHeader('LocalHost:7390'), { name: 'localhost', port: 7390 });
  assert.deepEqual(parseHostHeader('[::1]:7390'), { name: '[::1]', port: 7390 });
  assert.deepEqual(parseHostHeader('127.0.0.1'), { name: '127.0.0.1', port: 80 });
  for (const bad of ['', 'a:b:c', 'x:99999', 'x:', '[::1']) assert.equal(parseHostHeader(bad), null, bad);
});

test('the guard: foreign or missing Host, wrong port; a configured name; address literals only on a wildcard bind', () => {
  assert.equal(code({}), null);
  assert.equal(code({ host: 'localhost:7390' }), null);
  assert.equal(code({ host: '[::1]:7390' }), null);
  for (const host of [undefined, 'evil.example:7390', '127.0.0.1:7391', '127.0.0.1', 'localhost.evil:7390']) assert.equal(code({ host }), 'BAD_HOST', String(host));
  const named = { host: 'box.lan', port: 7391, anyAddress: false };
  assert.equal(code({ host: 'box.lan:7391' }, named), null);
  assert.equal(code({ host: '192.168.1.9:7391' }, named), 'BAD_HOST');
  assert.equal(code({ host: '192.168.1.9:7391' }, { host: '0.0.0.0', port: 7391, anyAddress: true }), null);
  assert.equal(code({ host: 'rebound.example:7391' }, { host: '0.0.0.0', port: 7391, anyAddress: true }), 'BAD_HOST');
});

test('the guard: Origin must be this server; cross-site fetches are refused, same-site ones on API routes', () => {
  assert.equal(code({ origin: 'http://127.0.0.1:7390' }), null);
  for (const origin of ['http://evil.example', 'null', 'http://localhost:7390', 'https://127.0.0.1:7390', 'http://127.0.0.1:7391']) assert.equal(code({ origin }), 'CROSS_SITE', origin);
  assert.equal(code({ fetchSite: 'cross-site', api: false }), 'CROSS_SITE');
  assert.equal(code({ fetchSite: 'same-site' }), 'CROSS_SITE');
  assert.equal(code({ fetchSite: 'same-site', api: false }), null, 'a page opened from a sibling localhost app');
  assert.equal(code({ fetchSite: 'same-origin' }), null);
  assert.equal(code({ fetchSite: 'none' }), null);
});

test('the guard: write bodies must be JSON, bytes only where the route takes them; a body-less write may carry no type', () => {
  const post = (contentType: string | undefined, over: Partial<GuardRequest> = {}) => code({ method: 'POST', hasBody: true, contentType, ...over });
  assert.equal(post('application/json'), null);
  assert.equal(post('Application/JSON; charset=utf-8'), null);
  for (const t of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', undefined, 'application/octet-stream']) assert.equal(post(t), 'UNSUPPORTED_MEDIA_TYPE', String(t));
  assert.equal(post('application/octet-stream', { binaryOk: true }), null);
  assert.equal(code({ method: 'DELETE' }), null);
  assert.equal(code({ method: 'POST', contentType: 'text/plain' }), 'UNSUPPORTED_MEDIA_TYPE', 'an empty form post is still a form post');
  assert.equal(code({ method: 'GET', contentType: 'text/plain' }), null);
});
