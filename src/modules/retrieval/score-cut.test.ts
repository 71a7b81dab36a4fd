import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cutRelativeToBest, REST_OF_BEST } from './score-cut.js';

const hits = (...scores: number[]) => scores.map((score, i) => ({ id: `c${i}`, score }));
const ids = (list: Array<{ id: string }>) => list.map((h) => h.id);

test('nothing passes when the best passage scores below the cut', () => {
  assert.deepEqual(cutRelativeToBest(hits(0.39, 0.2), 0.4), []);
  assert.deepEqual(cutRelativeToBest([], 0), []);
});

test('once the best passes, the others need REST_OF_BEST × the best, never more than the cut', () => {
  assert.deepEqual(ids(cutRelativeToBest(hits(0.8, 0.35, 0.2, 0.19), 0.4)), ['c0', 'c1', 'c2']);
  // A weak best: the others still need min(cut, share of best) = 0.25 × 0.42 = 0.105.
  assert.equal(REST_OF_BEST, 0.25, 'the share measured in bench/retrieval-quality.ts');
  assert.deepEqual(ids(cutRelativeToBest(hits(0.42, 0.11, 0.1), 0.4)), ['c0', 'c1']);
});

test('the best need not come first (reranked or fused lists) and order is kept', () => {
  assert.deepEqual(ids(cutRelativeToBest(hits(0.3, 0.9, 0.1), 0.4)), ['c0', 'c1']);
});

test('a cut of 0 keeps every hit', () => {
  assert.deepEqual(ids(cutRelativeToBest(hits(0, 0, 0.5), 0)), ['c0', 'c1', 'c2']);
});
