import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createClient } from '../../../app/contract/client.js';
import { EngineError } from '../../../app/contract/errors.js';
import type { EngineEvent } from '../../../app/contract/events.js';
import { PRELOAD_GLOBAL, type PreloadApi } from '../../../app/contract/preload-api.js';
import { HTTP_EVENTS_ROUTE, httpRoute } from '../../../app/contract/routes.js';
import { decodeWire, encodeWire } from '../../../app/contract/wire.js';
import { createHttpTransport } from '../../../renderer/src/transport/http.js';
import { createIpcTransport } from '../../../renderer/src/transport/ipc.js';
import { selectTransport } from '../../../renderer/src/transport/select.js';

class FakeEventSource {
  static last: FakeEventSource | null = null;
  onmessage: ((m: MessageEvent) => void) | null = null;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeEventSource.last = this;
  }
  push(event: EngineEvent | string) {
    this.onmessage?.({ data: typeof event === 'string' ? event : JSON.stringify(event) } as MessageEvent);
  }
  close() {
    this.closed = true;
  }
}

function httpWith(handler: (url: string, init: RequestInit) => Response) {
  const requests: { url: string; init: RequestInit }[] = [];
  const transport = createHttpTransport({
    fetch: (async (url: string, init: RequestInit) => {
      requests.push({ url, init });
      return handler(url, init);
    }) as typeof fetch,
    EventSource: FakeEventSource as never,
    eventsTimeoutMs: 10,
  });
  return { transport, requests, events: FakeEventSource.last! };
}

describe('HTTP transport', () => {
  it('posts wire-encoded input to the op route and decodes typed arrays back', async () => {
    const answer = { n: 1, k: 2, distances: new Float32Array([0.5, 1.5]), labels: new Float64Array([7, 9]), took_ms: 1, ignored_params: [] };
    const { transport, requests, events } = httpWith(() => new Response(encodeWire(answer), { status: 200 }));
    events.onopen?.();
    const input = { index: 'i1', queries: { kind: 'packed', data: new Float32Array([1, 2]) }, k: 2 };
    const out = (await transport.call('search', input)) as typeof answer;
    assert.equal(requests[0].url, httpRoute('search'));
    assert.equal(requests[0].init.method, 'POST');
    assert.deepEqual(requests[0].init.headers, { 'content-type': 'application/json' });
    const sent = decodeWire(String(requests[0].init.body)) as typeof input;
    assert.ok(sent.queries.data instanceof Float32Array);
    assert.ok(out.distances instanceof Float32Array);
    assert.deepEqual([...out.labels], [7, 9]);
  });

  it('turns an error body into an EngineError with its code', async () => {
    const { transport } = httpWith(() => new Response(JSON.stringify({ error: { code: 'BAD_FACTORY', message: 'nope' } }), { status: 400 }));
    await assert.rejects(transport.call('buildIndex', {}), (err: unknown) => err instanceof EngineError && err.code === 'BAD_FACTORY' && err.message === 'nope');
  });

  it('still gives a code when the error body is not ours', async () => {
    const { transport } = httpWith(() => new Response('<html>bad gateway</html>', { status: 502 }));
    await assert.rejects(transport.call('health', {}), (err: unknown) => err instanceof EngineError && err.code === 'INTERNAL');
  });

  it('listens on the events route and hands each message to listeners', async () => {
    const { transport, events } = httpWith(() => new Response('{}'));
    assert.equal(events.url, HTTP_EVENTS_ROUTE);
    const seen: EngineEvent[] = [];
    const off = transport.onEvent((e) => seen.push(e));
    events.push({ type: 'catalogue' });
    events.push('not json');
    off();
    events.push({ type: 'catalogue' });
    assert.deepEqual(seen, [{ type: 'catalogue' }]);
  });

  it('carries a whole job through the contract client', async () => {
    let events!: FakeEventSource;
    const { transport } = httpWith((url) => {
      if (url === httpRoute('project')) {
        setTimeout(() => {
          events.push({ type: 'progress', job: 'j1', kind: 'project', phase: 'pca', done: 1, total: 2 });
          events.push({ type: 'job-end', job: 'j1', kind: 'project', status: 'done' });
        }, 1);
        return new Response(encodeWire({ job: 'j1' }));
      }
      if (url === httpRoute('jobResult')) return new Response(encodeWire({ base: new Float32Array(4), explained: [0.5, 0.2] }));
      return new Response('{}');
    });
    events = FakeEventSource.last!;
    const phases: string[] = [];
    const running = await createClient(transport).start('project', { dataset: 'd', method: 'pca' }, (p) => phases.push(p.phase));
    const result = await running.result;
    assert.ok(result.base instanceof Float32Array);
    assert.deepEqual(phases, ['pca']);
  });
});

describe('IPC transport', () => {
  it('calls the preload method named by the operation and forwards events', async () => {
    const seen: unknown[] = [];
    let push!: (e: EngineEvent) => void;
    const api = {
      health: async (input: unknown) => {
        seen.push(input);
        return { status: 'ok', version: '1' };
      },
      onEvent: (l: (e: EngineEvent) => void) => {
        push = l;
        return () => {};
      },
    } as unknown as PreloadApi;
    const transport = createIpcTransport(api);
    assert.deepEqual(await transport.call('health', {}), { status: 'ok', version: '1' });
    assert.deepEqual(seen, [{}]);
    const events: EngineEvent[] = [];
    transport.onEvent((e) => events.push(e));
    push({ type: 'catalogue' });
    assert.deepEqual(events, [{ type: 'catalogue' }]);
  });

  it('keeps the code of an error that crossed the bridge as a plain object', async () => {
    const api = {
      search: async () => {
        throw Object.assign(new Error('k too large'), { code: 'BAD_K' });
      },
      onEvent: () => () => {},
    } as unknown as PreloadApi;
    await assert.rejects(createIpcTransport(api).call('search', {}), (err: unknown) => err instanceof EngineError && err.code === 'BAD_K');
  });

  it('is chosen when the preload global exists', () => {
    const api = { onEvent: () => () => {} } as unknown as PreloadApi;
    assert.equal(selectTransport({ [PRELOAD_GLOBAL]: api }).kind, 'ipc');
  });
});
