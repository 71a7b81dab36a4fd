import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { RateLimitError } from 'openai';
import { startFakeOpenAI, type FakeOpenAI } from '../../test/fake-openai.js';
import { createEmbeddingClient, EmbeddingError, toEmbeddingError, type EmbeddingClientOptions } from './embedding-client.js';

let fake: FakeOpenAI;
before(async () => {
  fake = await startFakeOpenAI();
});
beforeEach(() => fake.reset());
after(() => fake.close());

const API_KEY = 'sk-test-0123456789abcdefghijKLMN';
const client = (options: Partial<EmbeddingClientOptions> = {}) =>
  createEmbeddingClient({ apiKey: API_KEY, baseUrl: fake.baseUrl, model: 'fake-embed-64', timeoutMs: 5000, maxRetries: 1, ...options });

async function embeddingError(promise: Promise<unknown>): Promise<EmbeddingError> {
  const error = await promise.then(
    () => assert.fail('expected an EmbeddingError'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof EmbeddingError, `not an EmbeddingError: ${String(error)}`);
  return error;
}

describe('createEmbeddingClient', () => {
  test('embeds through the SDK in batches: model, bearer key, float encoding, order kept', async () => {
    const texts = Array.from({ length: 10 }, (_, i) => `passage number ${i}`);
    const vectors = await client({ batch: { maxInputs: 4, maxTokens: 10_000 } }).embed(texts);
    assert.equal(vectors.length, 10);
    assert.ok(vectors.every((v) => v.length === 64));
    assert.deepEqual(
      fake.requests.map((r) => r.input.length),
      [4, 4, 2],
    );
    for (const request of fake.requests) {
      assert.equal(request.model, 'fake-embed-64');
      assert.equal(request.authorization, `Bearer ${API_KEY}`);
      assert.equal(request.encodingFormat, 'float', 'compatible servers may not speak base64');
    }
    assert.deepEqual(fake.requests.flatMap((r) => r.input), texts);
    // The same text gives the same vector whatever its batch: the order was kept.
    assert.deepEqual((await client().embed([texts[7]!]))[0], vectors[7]);
  });

  test('an empty text is sent as a space (providers refuse empty input)', async () => {
    await client().embed(['', 'text']);
    assert.deepEqual(fake.requests[0]!.input, [' ', 'text']);
  });

  test('no texts, no request', async () => {
    assert.deepEqual(await client().embed([]), []);
    assert.equal(fake.requests.length, 0);
  });

  test('a 500 is retried by the SDK and then succeeds', async () => {
    fake.failNext(1, 500);
    const vectors = await client().embed(['hello world']);
    assert.equal(vectors.length, 1);
    assert.deepEqual(
      fake.requests.map((r) => r.status),
      [500, 200],
    );
  });

  test('a 500 that outlasts the retries is a transient EmbeddingError', async () => {
    fake.failNext(2, 503);
    const error = await embeddingError(client({ maxRetries: 1 }).embed(['hello']));
    assert.equal(error.transient, true);
    assert.equal(error.status, 503);
    assert.match(error.message, /answered 503/);
  });

  test('a rejected key is a permanent error that never contains the key', async () => {
    fake.rejectKey(API_KEY);
    const error = await embeddingError(client().embed(['hello']));
    assert.equal(error.transient, false);
    assert.equal(error.status, 401);
    assert.match(error.message, /rejected the API key \(401\)/);
    assert.match(error.message, /127\.0\.0\.1:\d+\/v1/, 'says which server');
    assert.ok(!error.message.includes(API_KEY), error.message);
    assert.ok(!error.message.includes(API_KEY.slice(0, 8)), `the provider's masked echo survived: ${error.message}`);
    assert.ok(!error.message.includes(API_KEY.slice(-4)), error.message);
    assert.equal(fake.requests.length, 1, 'a 401 is not retried');
  });

  test('a slow provider times out (transient)', async () => {
    fake.delayMs = 30_000;
    const started = Date.now();
    const error = await embeddingError(client({ timeoutMs: 150, maxRetries: 0 }).embed(['hello']));
    assert.equal(error.transient, true);
    assert.match(error.message, /did not answer within 150 ms/);
    assert.ok(Date.now() - started < 10_000, 'did not wait for the slow answer');
  });

  test('an unreachable server is transient', async () => {
    const closed = await startFakeOpenAI();
    await closed.close();
    const error = await embeddingError(client({ baseUrl: closed.baseUrl, maxRetries: 0 }).embed(['hello']));
    assert.equal(error.transient, true);
    assert.match(error.message, /could not be reached/);
  });

  test('a wrong base_url (404) is permanent and says so', async () => {
    const error = await embeddingError(client({ baseUrl: fake.baseUrl.replace(/\/v1$/, '/nope') }).embed(['hello']));
    assert.equal(error.transient, false);
    assert.match(error.message, /base_url is wrong \(404\)/);
  });

  test('an abort is passed through as is, not as a provider error', async () => {
    fake.delayMs = 500;
    const abort = new AbortController();
    setTimeout(() => abort.abort(new Error('shutting down')), 50);
    const error = await client().embed(['hello'], { signal: abort.signal }).catch((e: unknown) => e);
    assert.ok(!(error instanceof EmbeddingError));
  });
});

describe('toEmbeddingError', () => {
  const where = 'The embedding provider (api.example.com/v1)';
  test('429 is transient, except when the quota is used up', () => {
    const limited = toEmbeddingError(new RateLimitError(429, { message: 'Rate limit reached' }, undefined, new Headers()), 'k', where, 1000);
    assert.ok(limited instanceof EmbeddingError && limited.transient);
    const quota = toEmbeddingError(
      new RateLimitError(429, { message: 'You exceeded your current quota', code: 'insufficient_quota' }, undefined, new Headers()),
      'k',
      where,
      1000,
    );
    assert.ok(quota instanceof EmbeddingError && !quota.transient);
    assert.match(quota.message, /exceeded your current quota/);
  });

  test('scrubs key-looking strings from whatever the provider says', () => {
    const error = toEmbeddingError(
      new RateLimitError(429, { message: 'key sk-live-AAAAbbbbCCCC and secret-1234 rejected' }, undefined, new Headers()),
      'secret-1234',
      where,
      1000,
    );
    assert.ok(!error.message.includes('sk-live-AAAAbbbbCCCC'), error.message);
    assert.ok(!error.message.includes('secret-1234'), error.message);
  });
});
