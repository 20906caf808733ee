import type { ServeStatus } from '../../app/contract/schemas.js';

/** How the engine's HTTP server for scripts is switched, wherever it runs (Electron, browser mode). */
export interface ServeControl {
  status(): ServeStatus;
  setOn(on: boolean): Promise<ServeStatus>;
}

export const NOT_SERVING: ServeControl = {
  status: () => ({ running: false, canToggle: false, token: false }),
  setOn: async () => ({ running: false, canToggle: false, token: false }),
};
