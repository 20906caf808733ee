import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baseName, resolveFormat } from '../../../../app/datasets/readers/formats.js';
import { joinProjectorMetadata, metadataNames, projectorMetadataName } from '../../../../app/datasets/readers/projector.js';
import { DelimitedReader } from '../../../../app/datasets/readers/delimited.js';
import { PROJECTOR_METADATA } from '../../../../app/datasets/readers/projector.js';
import { feed, text, throwsCode } from './helpers.js';

test('formats come from the extension, or from a chosen format', () => {
  assert.equal(resolveFormat('/data/sift_base.fvecs'), 'fvecs');
  assert.equal(resolveFormat('C:\\data\\glove.H5'), 'hdf5');
  assert.equal(resolveFormat('x.ndjson'), 'jsonl');
  assert.equal(resolveFormat('embeddings.bin', 'npy'), 'npy');
  assert.equal(resolveFormat('embeddings.bin', '.csv'), 'csv');
  assert.equal(baseName('/a/b/c.tsv'), 'c.tsv');
});

test('unknown extension: UNKNOWN_FORMAT naming it and listing the known ones', () => {
  const err = throwsCode(() => resolveFormat('/data/vectors.xlsx'), 'UNKNOWN_FORMAT', /"\.xlsx"/);
  assert.match(err.message, /\.npy.*\.parquet/);
  throwsCode(() => resolveFormat('/data/README'), 'UNKNOWN_FORMAT', /no extension/);
  throwsCode(() => resolveFormat('a.npy', 'excel'), 'UNKNOWN_FORMAT', /"excel"/);
});

test("the Embedding Projector's metadata file is found by name", () => {
  assert.equal(projectorMetadataName('vectors.tsv'), 'metadata.tsv');
  assert.equal(projectorMetadataName('word2vec_vectors.tsv'), 'word2vec_metadata.tsv');
  assert.equal(projectorMetadataName('data.tsv'), null);
  // beside any vectors file, the Projector's name first
  assert.deepEqual(metadataNames('digits.npy'), ['digits.metadata.tsv', 'digits.metadata.csv', 'digits_metadata.tsv', 'digits_metadata.csv']);
  assert.equal(metadataNames('vectors.tsv')[0], 'metadata.tsv');
});

const meta = (s: string) => feed(new DelimitedReader(PROJECTOR_METADATA), text(s), 3);

test('projector metadata: header row with several columns; one column with or without a header', () => {
  const several = joinProjectorMetadata(2, meta('word\tcount\ncat\t3\ndog\t5\n'), 'metadata.tsv');
  assert.deepEqual(several, [
    { name: 'word', type: 'string', values: ['cat', 'dog'] },
    { name: 'count', type: 'number', values: [3, 5] },
  ]);
  assert.deepEqual(joinProjectorMetadata(2, meta('cat\ndog\n'), 'metadata.tsv'), [{ name: 'label', type: 'string', values: ['cat', 'dog'] }]);
  assert.deepEqual(joinProjectorMetadata(2, meta('year\n1999\n2001\n'), 'metadata.tsv'), [{ name: 'year', type: 'number', values: [1999, 2001] }]);
  throwsCode(() => joinProjectorMetadata(3, meta('a\tb\n1\t2\n'), 'metadata.tsv'), 'RAGGED_ROWS', /metadata\.tsv has 1 row but there are 3 vectors/);
});
