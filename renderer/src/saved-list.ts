import type { SavedList } from './store/types.js';

/**
 * A list kept in the page's local storage under `key`. `accept` turns one stored item back into
 * a value, or null to drop it: storage outlives versions of the app and may hold anything.
 */
export function localSavedList<T>(storage: Pick<Storage, 'getItem' | 'setItem'>, key: string, accept: (item: unknown) => T | null, max = Infinity): SavedList<T> {
  return {
    load() {
      try {
        const list: unknown = JSON.parse(storage.getItem(key) ?? '[]');
        return Array.isArray(list) ? list.map(accept).filter((v): v is T => v !== null) : [];
      } catch {
        return [];
      }
    },
    save(items) {
      // a full storage must not break the action that saves: the list is a convenience
      for (let keep = Math.min(items.length, max); keep >= 0; keep = keep === 0 ? -1 : Math.floor(keep / 2)) {
        try {
          storage.setItem(key, JSON.stringify(items.slice(0, keep)));
          return;
        } catch {
          // too large: keep fewer, newest first
        }
      }
    },
  };
}
