// The HNSW replay (app/explain) run over graphs faiss built, with the distances faiss's search
// compares: for 1,000 queries at each setting it must end on exactly index.search's answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FaissBinding } from '../../../native/index.js';
import { blobsSet } from '../../../app/datasets/generators.js';
import { replayHnswSearch } from '../../../app/explain/hnsw-replay.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const faiss = createRequire(import.meta.url)(path.join(root, 'native/build/Release/faiss_node.node')) as FaissBinding;

const set = blobsSet({ n: 3000, nq: 1000, dim: 24, clusters: 12, seed: 7 });
const K = 10;

for (const M of [8, 32]) {
  for (const metric of [1, 0]) {
    test(`HNSW${M} (${metric === 1 ? 'L2' : 'inner product'}): the replay equals index.search for 1,000 queries at efSearch 16, 40, 128`, () => {
      const index = faiss.Index.fromFactory(set.dim, `HNSW${M}`, metric);
      index.add(set.base);
      const graph = index.hnswGraph();
      assert.ok(graph.maxLevel >= 1, 'the graph has upper levels to walk');
      for (const efSearch of [16, 40, 128]) {
        const faissAnswer = index.search(set.queries, K, `efSearch=${efSearch}`);
        let distanceCount = 0;
        for (let q = 0; q < set.nq; q++) {
          const query = set.queries.subarray(q * set.dim, (q + 1) * set.dim);
          const replay = replayHnswSearch(graph, { k: K, efSearch, checkRelativeDistance: graph.checkRelativeDistance }, (ids) =>
            index.searchDistances(query, ids),
          );
          const expected = Array.from(faissAnswer.labels.subarray(q * K, (q + 1) * K), Number);
          assert.deepEqual(Array.from(replay.labels), expected, `query ${q} at efSearch ${efSearch}`);
          const sign = metric === 0 ? -1 : 1;
          replay.distances.forEach((d, i) => assert.equal(sign * d, faissAnswer.distances[q * K + i]));
          distanceCount += replay.distanceCount;
        }
        // a search that looks at far fewer points than exact search does: the reason HNSW exists
        assert.ok(distanceCount / set.nq < set.n / 2, `mean distances ${distanceCount / set.nq} at efSearch ${efSearch}`);
      }
    });
  }
}

test('a larger efSearch visits more nodes on level 0', () => {
  const index = faiss.Index.fromFactory(set.dim, 'HNSW16', 1);
  index.add(set.base);
  const graph = index.hnswGraph();
  const query = set.queries.subarray(0, set.dim);
  const visits = [16, 64, 256].map((efSearch) =>
    replayHnswSearch(graph, { k: K, efSearch, checkRelativeDistance: true }, (ids) => index.searchDistances(query, ids)).level0.visited.length,
  );
  assert.ok(visits[0] < visits[1] && visits[1] < visits[2], `visited ${visits.join(' < ')}`);
});
