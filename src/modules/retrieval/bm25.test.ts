import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bm25, termFrequency } from './bm25.js';
import { parseTsvector } from './retrieval.repo.js';

test('parseTsvector reads the positions of a tsvector as Postgres prints it', () => {
  const positions = parseTsvector(`'apollo':3A,17A 'it''s':5A '東京':1A`);
  assert.deepEqual([...positions], [['apollo', [3, 17]], ["it's", [5]], ['東京', [1]]]);
  assert.equal(parseTsvector('').size, 0);
});

test('a phrase counts where its second word directly follows its first', () => {
  const positions = new Map([['東京', [1, 7, 20]], ['大学', [2, 9, 21]]]);
  assert.equal(termFrequency(positions, '東京 大学', 'phrase'), 2);
  assert.equal(termFrequency(positions, '東京', 'word'), 3);
  assert.equal(termFrequency(positions, '京都', 'word'), 0);
});

test('BM25 grows with term frequency, saturates, and favours shorter chunks', () => {
  const terms = [{ term: 'apollo', kind: 'word' as const, widf: 2 }];
  const chunk = (tf: number, length: number) => ({ chunkId: 'c', title: null, length, positions: new Map([['apollo', Array.from({ length: tf }, (_, i) => i + 1)]]) });
  const once = bm25(chunk(1, 100), terms, 100);
  assert.ok(Math.abs(once - 2) < 1e-9, 'a chunk of average length with the term once scores its weight × IDF');
  assert.ok(bm25(chunk(3, 100), terms, 100) > once);
  assert.ok(bm25(chunk(300, 100), terms, 100) < 2 * 2.2, 'at most (k1 + 1) × weight × IDF');
  assert.ok(bm25(chunk(1, 50), terms, 100) > once);
});
