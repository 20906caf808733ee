import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ordinal, plural } from '../../../renderer/src/format.js';
import { localSavedList } from '../../../renderer/src/saved-list.js';

/** A storage that refuses values longer than `limit` characters, as a full localStorage does. */
function storage(limit = Infinity) {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => {
      if (v.length > limit) throw new Error('QuotaExceededError');
      items.set(k, v);
    },
  };
}

describe('lists kept between sessions', () => {
  it('reads back what it saved, drops items it no longer accepts, and survives junk', () => {
    const st = storage();
    const list = localSavedList(st, 'k', (v) => (typeof v === 'number' ? v : null));
    list.save([1, 2, 3]);
    assert.deepEqual(list.load(), [1, 2, 3]);
    st.items.set('k', '[1, "two", 3]');
    assert.deepEqual(list.load(), [1, 3]);
    st.items.set('k', '{not json');
    assert.deepEqual(list.load(), []);
  });

  it('keeps the newest items that fit when the storage is full, instead of failing the action', () => {
    const st = storage(12);
    const list = localSavedList(st, 'k', (v) => (typeof v === 'number' ? v : null));
    list.save([100, 200, 300, 400, 500]);
    assert.deepEqual(list.load(), [100, 200]);
  });
});

describe('words for counts', () => {
  it('says one neighbour, two neighbours, and 1st, 2nd, 3rd, 10th, 11th, 21st, 112th', () => {
    assert.equal(plural(1, 'neighbour'), '1 neighbour');
    assert.equal(plural(10, 'neighbour'), '10 neighbours');
    assert.equal(plural(0, 'query', 'queries'), '0 queries');
    assert.deepEqual([1, 2, 3, 10, 11, 12, 13, 21, 22, 112, 1001].map(ordinal), ['1st', '2nd', '3rd', '10th', '11th', '12th', '13th', '21st', '22nd', '112th', '1,001st']);
  });
});
