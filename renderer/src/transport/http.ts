import type { Transport } from '../../../app/contract/client.js';
import { decodeError, EngineError, fromErrorValue } from '../../../app/contract/errors.js';
import type { EngineEvent } from '../../../app/contract/events.js';
import type { OpName } from '../../../app/contract/operations.js';
import { HTTP_EVENTS_ROUTE, httpRoute } from '../../../app/contract/routes.js';
import { decodeWire, encodeWire } from '../../../app/contract/wire.js';

/** The parts of the browser this transport uses, injectable so it can be tested in node. */
export interface HttpEnvironment {
  fetch: typeof fetch;
  EventSource: new (url: string) => Pick<EventSource, 'onmessage' | 'onopen' | 'onerror' | 'close'>;
  /** how long the first call waits for the event stream before going ahead without it */
  eventsTimeoutMs?: number;
}

/** Browser mode: operations are POSTs to the same origin; events arrive as server-sent events. */
export function createHttpTransport(env: HttpEnvironment = browserEnvironment()): Transport {
  const listeners = new Set<(event: EngineEvent) => void>();
  const source = new env.EventSource(HTTP_EVENTS_ROUTE);
  // A job's end could be pushed before the stream is connected and be lost; wait for it once.
  const connected = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, env.eventsTimeoutMs ?? 3000);
    source.onopen = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  source.onmessage = (message: MessageEvent) => {
    let event: EngineEvent;
    try {
      event = JSON.parse(String(message.data)) as EngineEvent;
    } catch {
      return; // keep-alive comments and malformed lines carry nothing for us
    }
    for (const listener of [...listeners]) listener(event);
  };
  source.onerror = () => {
    // EventSource reconnects by itself; jobs in flight are also polled by the store
  };

  return {
    async call(op: OpName, input: unknown) {
      await connected;
      let response: Response;
      try {
        response = await env.fetch(httpRoute(op), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: encodeWire(input ?? {}),
        });
      } catch (err) {
        throw new EngineError('INTERNAL', `the engine could not be reached (${err instanceof Error ? err.message : String(err)})`);
      }
      const text = await response.text();
      if (response.ok) return text ? decodeWire(text) : undefined;
      throw errorFromBody(text, response.status);
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function errorFromBody(text: string, status: number): EngineError {
  const answered = { code: status >= 500 ? ('INTERNAL' as const) : ('BAD_REQUEST' as const), message: `the engine answered HTTP ${status}` };
  try {
    return decodeError((JSON.parse(text) as { error?: unknown }).error, answered);
  } catch {
    // not JSON: a generic error carrying the status
    return fromErrorValue(answered);
  }
}

function browserEnvironment(): HttpEnvironment {
  return { fetch: globalThis.fetch.bind(globalThis), EventSource: globalThis.EventSource };
}
