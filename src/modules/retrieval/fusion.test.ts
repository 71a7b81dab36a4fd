import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clampScore, fuseRankedLists, RRF_K } from './fusion.js';

const hits = (...ids: string[]) => ids.map((chunkId, i) => ({ chunkId, score: 0.9 - i * 0.1 }));

test('a single list keeps its order and its scores', () => {
  const fused = fuseRankedLists({ fulltext: hits('a', 'b', 'c') });
  assert.deepEqual(fused.map((h) => h.chunkId), ['a', 'b', 'c']);
  assert.deepEqual(fused.map((h) => h.match), ['fulltext', 'fulltext', 'fulltext']);
  assert.equal(fused[0]?.rrf, 1 / (RRF_K + 1));
  assert.equal(fused[0]?.score, 0.9);
});

test('a passage found by both sources beats one ranked first by only one', () => {
  const fused = fuseRankedLists({ fulltext: hits('a', 'b', 'c'), vector: hits('d', 'b', 'e') });
  assert.equal(fused[0]?.chunkId, 'b');
  assert.equal(fused[0]?.match, 'both');
  assert.equal(fused[0]?.rrf, 2 / (RRF_K + 2));
  assert.deepEqual(new Set(fused.map((h) => h.chunkId)), new Set(['a', 'b', 'c', 'd', 'e']));
  assert.equal(fused.find((h) => h.chunkId === 'd')?.match, 'vector');
});

test('equal fused ranks are ordered by score, then by first appearance', () => {
  const fused = fuseRankedLists({ fulltext: [{ chunkId: 'a', score: 0.5 }], vector: [{ chunkId: 'v', score: 0.7 }] });
  assert.deepEqual(fused.map((h) => h.chunkId), ['v', 'a']);
  const tie = fuseRankedLists({ fulltext: [{ chunkId: 'a', score: 0.5 }], vector: [{ chunkId: 'v', score: 0.5 }] });
  assert.deepEqual(tie.map((h) => h.chunkId), ['a', 'v']);
});

test('a passage in both lists takes the higher of its two scores', () => {
  const fused = fuseRankedLists({ fulltext: [{ chunkId: 'a', score: 0.2 }], vector: [{ chunkId: 'a', score: 0.8 }] });
  assert.deepEqual(fused, [{ chunkId: 'a', rrf: 2 / (RRF_K + 1), score: 0.8, match: 'both' }]);
});

test('a list naming a passage twice counts its best rank once', () => {
  const fused = fuseRankedLists({ vector: [{ chunkId: 'a', score: 0.9 }, { chunkId: 'a', score: 0.1 }] });
  assert.deepEqual(fused, [{ chunkId: 'a', rrf: 1 / (RRF_K + 1), score: 0.9, match: 'vector' }]);
});

test('scores are clamped to 0–1', () => {
  assert.deepEqual([-0.3, 0, 0.42, 1, 1.0000001, Number.NaN, Number.POSITIVE_INFINITY].map(clampScore), [0, 0, 0.42, 1, 1, 0, 0]);
  assert.equal(fuseRankedLists({ vector: [{ chunkId: 'a', score: -0.2 }] })[0]?.score, 0);
});

test('no lists, no hits', () => {
  assert.deepEqual(fuseRankedLists({}), []);
  assert.deepEqual(fuseRankedLists({ fulltext: [], vector: [] }), []);
});
