import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureDir, load } from './fixtures.js';

const fx = fixtureDir('text');
after(() => fx.remove());

test('csv with a header: numeric columns are the vector, text columns metadata', async () => {
  const csv = ['id,title,x0,x1,x2', ...Array.from({ length: 40 }, (_, i) => `${i},"item ${i}, ok",${i / 4},${-i},${i * 1e-3}`)].join('\n');
  const r = await load(fx.file('items.csv', csv));
  assert.equal(r.n, 40);
  assert.equal(r.dim, 3);
  assert.equal(r.dtype, 'text');
  assert.equal(r.base[3 * 39 + 1], -39);
  assert.deepEqual(r.metadata?.map((m) => [m.name, m.type]), [
    ['id', 'number'],
    ['title', 'string'],
  ]);
  assert.equal(r.metadata?.[1].values[7], 'item 7, ok');
  assert.deepEqual(r.progress.at(-1), [csv.length, csv.length]);
});

test('csv with chosen columns', async () => {
  const r = await load(fx.file('chosen.csv', 'a,b,c\n1,2,3\n4,5,6\n'), { columns: [2, 0] });
  assert.deepEqual([...r.base], [3, 1, 6, 4]);
  assert.deepEqual(r.metadata?.[0], { name: 'b', type: 'number', values: [2, 5] });
});

test('Embedding Projector pair: vectors.tsv joined with metadata.tsv beside it', async () => {
  const sub = fixtureDir('projector');
  try {
    const vectors = sub.file('vectors.tsv', '0.1\t0.2\t0.3\n0.4\t0.5\t0.6\n0.7\t0.8\t0.9\n');
    sub.file('metadata.tsv', 'word\tfrequency\nthe\t1000\ncat\t12\nsat\t3\n');
    const r = await load(vectors);
    assert.equal(r.n, 3);
    assert.equal(r.dim, 3);
    assert.deepEqual(r.metadata, [
      { name: 'word', type: 'string', values: ['the', 'cat', 'sat'] },
      { name: 'frequency', type: 'number', values: [1000, 12, 3] },
    ]);
    const [done, total] = r.progress.at(-1)!;
    assert.equal(done, total, 'progress covers both files');
    // a plain .tsv with no partner loads on its own
    assert.equal((await load(sub.file('other.tsv', '1\t2\n3\t4\n'))).n, 2);
  } finally {
    sub.remove();
  }
});

test('jsonl: the embedding field and metadata', async () => {
  const lines = Array.from({ length: 30 }, (_, i) => JSON.stringify({ id: `doc-${i}`, embedding: [i, i + 1, i + 2, i + 3], score: i / 2 }));
  const r = await load(fx.file('docs.jsonl', lines.join('\n') + '\n'));
  assert.equal(r.n, 30);
  assert.equal(r.dim, 4);
  assert.deepEqual([...r.base.subarray(4, 8)], [1, 2, 3, 4]);
  assert.deepEqual(r.metadata?.map((m) => [m.name, m.type]), [
    ['id', 'string'],
    ['score', 'number'],
  ]);
});

test('json: an array of records with a chosen field', async () => {
  const records = Array.from({ length: 12 }, (_, i) => ({ name: `n${i}`, emb: [i, -i] }));
  const r = await load(fx.file('records.json', JSON.stringify(records, null, 1)), { field: 'emb' });
  assert.equal(r.n, 12);
  assert.deepEqual([...r.base.subarray(22)], [11, -11]);
  assert.deepEqual(r.metadata?.[0].values.slice(0, 2), ['n0', 'n1']);
});
