import type { ServeStatus } from '../../../app/contract/schemas.js';
import { uiError } from './errors.js';
import type { SliceCreator, UiError } from './types.js';

export interface ServeSlice {
  serve: ServeStatus | null;
  serveBusy: boolean;
  serveError: UiError | null;
  refreshServe(): Promise<void>;
  setServing(on: boolean): Promise<void>;
}

/** The Serve switch: whether scripts can reach the engine over HTTP, and where. */
export const createServeSlice: SliceCreator<ServeSlice> = ({ client }) => (set) => ({
  serve: null,
  serveBusy: false,
  serveError: null,

  async refreshServe() {
    try {
      set({ serve: await client.call('serveStatus', {}), serveError: null });
    } catch (err) {
      set({ serveError: uiError(err) });
    }
  },

  async setServing(on) {
    set({ serveBusy: true, serveError: null });
    try {
      set({ serve: await client.call('setServe', { on }), serveBusy: false });
    } catch (err) {
      set({ serveBusy: false, serveError: uiError(err) });
    }
  },
});
