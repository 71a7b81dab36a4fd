import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createPriceTable, defaultModelPrices } from './prices.js';

describe('price table', () => {
  const prices = createPriceTable();

  test('an exact name', () => {
    assert.deepEqual(prices.priceOf('gpt-4o'), { input: 2.5, output: 10 });
    assert.deepEqual(prices.priceOf('text-embedding-3-small'), { input: 0.02, output: 0 });
    assert.deepEqual(prices.priceOf('claude-opus-4-5'), { input: 5, output: 25 });
  });

  test('a dated snapshot or alias prices as its family', () => {
    assert.deepEqual(prices.priceOf('gpt-4o-2024-08-06'), defaultModelPrices['gpt-4o']);
    assert.deepEqual(prices.priceOf('claude-3-5-sonnet-20241022'), defaultModelPrices['claude-3-5-sonnet']);
    assert.deepEqual(prices.priceOf('claude-3-5-haiku-latest'), defaultModelPrices['claude-3-5-haiku']);
    assert.deepEqual(prices.priceOf('gpt-3.5-turbo-0125'), defaultModelPrices['gpt-3.5-turbo']);
  });

  test('the longest known prefix wins', () => {
    assert.deepEqual(prices.priceOf('gpt-4o-mini-2024-07-18'), defaultModelPrices['gpt-4o-mini']);
    assert.deepEqual(prices.priceOf('gpt-4-turbo-2024-04-09'), defaultModelPrices['gpt-4-turbo']);
    assert.deepEqual(prices.priceOf('gpt-4.1-mini-2025-04-14'), defaultModelPrices['gpt-4.1-mini']);
    assert.deepEqual(prices.priceOf('claude-opus-4-1-20250805'), defaultModelPrices['claude-opus-4-1']);
    assert.deepEqual(prices.priceOf('claude-opus-4-20250514'), defaultModelPrices['claude-opus-4']);
    assert.deepEqual(prices.priceOf('o3-mini-2025-01-31'), defaultModelPrices['o3-mini']);
  });

  test('a prefix counts only up to a "-": another model is not priced as a known one', () => {
    assert.equal(prices.priceOf('gpt-4.5-preview'), null, 'not gpt-4');
    assert.equal(prices.priceOf('gpt-5.4'), null, 'not gpt-5');
    assert.equal(prices.priceOf('o1x'), null);
  });

  test('unknown models cost 0; case and surrounding spaces are ignored', () => {
    assert.equal(prices.priceOf('llama3.1'), null);
    assert.equal(prices.costMicroUsd('llama3.1', 1_000_000, 1_000_000), 0);
    assert.deepEqual(prices.priceOf(' GPT-4o-Mini '), defaultModelPrices['gpt-4o-mini']);
  });

  test('cost is micro-USD: USD per 1M tokens times tokens, rounded to a whole number', () => {
    assert.equal(prices.costMicroUsd('gpt-4o-mini', 1000, 500), 150 + 300);
    assert.equal(prices.costMicroUsd('gpt-4o', 1_000_000, 1_000_000), 12_500_000);
    assert.equal(prices.costMicroUsd('text-embedding-3-small', 120, 0), 2, '2.4 rounds to 2');
    assert.equal(prices.costMicroUsd('text-embedding-3-large', 10, 0), 1, '1.3 rounds to 1');
  });

  test('overrides (MODEL_PRICES) replace a default and add models, and their snapshots follow', () => {
    const custom = createPriceTable({ 'gpt-4o': { input: 1, output: 2 }, 'llama3.1': { input: 0.1, output: 0.2 } });
    assert.deepEqual(custom.priceOf('gpt-4o'), { input: 1, output: 2 });
    assert.deepEqual(custom.priceOf('gpt-4o-2024-08-06'), { input: 1, output: 2 });
    assert.deepEqual(custom.priceOf('gpt-4o-mini'), defaultModelPrices['gpt-4o-mini'], 'the other defaults stay');
    assert.equal(custom.costMicroUsd('llama3.1', 1_000_000, 1_000_000), 300_000);
  });
});
