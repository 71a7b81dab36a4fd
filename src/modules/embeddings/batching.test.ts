import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { estimateTokens } from '../../lib/text/tokens.js';
import { planBatches } from './batching.js';

describe('planBatches', () => {
  test('no inputs → no requests', () => {
    assert.deepEqual(planBatches([], { maxInputs: 96, maxTokens: 1000 }), []);
  });

  test('cuts at the input limit', () => {
    const texts = Array.from({ length: 200 }, (_, i) => `chunk ${i}`);
    assert.deepEqual(planBatches(texts, { maxInputs: 96, maxTokens: 1_000_000 }), [
      [0, 96],
      [96, 192],
      [192, 200],
    ]);
  });

  test('cuts at the token budget, counting Japanese as about a token per character', () => {
    const texts = ['あ'.repeat(40), 'い'.repeat(40), 'う'.repeat(40)];
    assert.equal(estimateTokens(texts[0]!), 40);
    assert.deepEqual(planBatches(texts, { maxInputs: 96, maxTokens: 100 }), [
      [0, 2],
      [2, 3],
    ]);
  });

  test('an input over the budget travels alone instead of being dropped', () => {
    const texts = ['short', 'word '.repeat(500), 'short'];
    const batches = planBatches(texts, { maxInputs: 96, maxTokens: 50 });
    assert.deepEqual(batches, [
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
  });

  test('every input is in exactly one batch, in order', () => {
    const texts = Array.from({ length: 537 }, (_, i) => 'x '.repeat(i % 37));
    const batches = planBatches(texts, { maxInputs: 50, maxTokens: 300 });
    assert.equal(batches[0]![0], 0);
    assert.equal(batches.at(-1)![1], texts.length);
    for (let i = 1; i < batches.length; i++) assert.equal(batches[i]![0], batches[i - 1]![1]);
  });
});
