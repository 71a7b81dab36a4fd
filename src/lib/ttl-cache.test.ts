import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTtlCache } from './ttl-cache.js';

function setUp() {
  let clock = 0;
  let loads = 0;
  const cache = createTtlCache<string, number>({ ttlMs: 1000, maxEntries: 2, now: () => clock });
  const load = (value: number) => () => {
    loads += 1;
    return Promise.resolve(value);
  };
  return { cache, load, loads: () => loads, tick: (ms: number) => void (clock += ms) };
}

test('a value is loaded once within the TTL, and again after it', async () => {
  const { cache, load, loads, tick } = setUp();
  assert.equal(await cache.get('a', load(1)), 1);
  tick(999);
  assert.equal(await cache.get('a', load(2)), 1);
  tick(1);
  assert.equal(await cache.get('a', load(3)), 3);
  assert.equal(loads(), 2);
});

test('concurrent misses share one load; forget drops the value at once', async () => {
  const { cache, load, loads } = setUp();
  assert.deepEqual(await Promise.all([cache.get('a', load(1)), cache.get('a', load(2))]), [1, 1]);
  cache.forget('a');
  assert.equal(await cache.get('a', load(4)), 4);
  assert.equal(loads(), 2);
});

test('a load started before forget is not kept', async () => {
  const { cache, load } = setUp();
  let release!: (n: number) => void;
  const slow = cache.get('a', () => new Promise<number>((resolve) => (release = resolve)));
  cache.forget('a');
  release(1);
  assert.equal(await slow, 1, 'its own caller still gets it');
  assert.equal(await cache.get('a', load(2)), 2);
});

test('a failed load is not remembered, and a query-like thenable runs once', async () => {
  const { cache, load } = setUp();
  await assert.rejects(cache.get('a', () => Promise.reject(new Error('down'))));
  assert.equal(await cache.get('a', load(5)), 5);
  let runs = 0;
  // As a drizzle query: each then() runs it again.
  const query = { then: (resolve: (n: number) => unknown) => Promise.resolve(resolve(++runs)) } as PromiseLike<number>;
  await cache.get('q', () => query);
  await cache.get('q', () => query);
  assert.equal(runs, 1);
});

test('at most maxEntries keys, the oldest loaded goes first', async () => {
  const { cache, load, loads } = setUp();
  await cache.get('a', load(1));
  await cache.get('b', load(2));
  await cache.get('c', load(3));
  assert.equal(await cache.get('b', load(0)), 2);
  assert.equal(await cache.get('a', load(9)), 9, 'a was evicted');
  assert.equal(loads(), 4);
});
