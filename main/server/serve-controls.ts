import { EngineError } from '../../app/contract/errors.js';
import type { ServeStatus } from '../../app/contract/schemas.js';
import type { ServeControl } from '../engine/serve-control.js';
import type { RunningServer } from './http-server.js';

/** A server that is always on: it also carries the UI (browser mode), or it is all there is (serve). */
export function alwaysOn(server: RunningServer, token: boolean): ServeControl {
  const status = (): ServeStatus => ({ running: true, url: server.url, canToggle: false, token });
  return {
    status,
    setOn: async (on) => {
      if (!on) throw new EngineError('NOT_SUPPORTED', 'this server also carries the page you are using: stop it from its terminal (Ctrl+C)');
      return status();
    },
  };
}

/** A server the desktop app switches on and off (the Serve switch). */
export function switchable(start: () => Promise<RunningServer>, token: boolean): ServeControl {
  let server: RunningServer | null = null;
  let busy: Promise<unknown> = Promise.resolve();
  const status = (): ServeStatus => ({ running: server !== null, url: server?.url, canToggle: true, token });
  return {
    status,
    setOn(on) {
      // one switch at a time: a double click must not start two servers
      const next = busy.then(async () => {
        if (on && !server) server = await start();
        if (!on && server) {
          await server.close();
          server = null;
        }
        return status();
      });
      busy = next.catch(() => undefined);
      return next;
    },
  };
}
