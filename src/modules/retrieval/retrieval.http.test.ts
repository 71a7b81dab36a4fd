import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../config.js';
import { buildTestApp, expectError, type TestApp } from '../../test/harness.js';

const SEARCH_LIMIT = 3;
let t: TestApp;
before(async () => {
  t = await buildTestApp({
    rateLimits: { searchPerMinute: SEARCH_LIMIT },
  });
});
after(() => t.close());

describe('POST /api/v1/search rate limit', () => {
  test('refuses the request past the per-minute limit with 429 and Retry-After', async () => {
    const token = t.a.operator.accessToken;
    for (let i = 0; i < SEARCH_LIMIT; i += 1) {
      const res = await t.request('POST', '/api/v1/search', { token, body: { query: '有給休暇' } });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['x-ratelimit-limit'], String(SEARCH_LIMIT));
    }
    const refused = await t.request('POST', '/api/v1/search', { token, body: { query: '有給休暇' } });
    expectError(refused, 429, 'RATE_LIMIT_EXCEEDED');
    assert.ok(Number(refused.headers['retry-after']) > 0);
  });

  test('defaults to 60 per minute (the seed’s chat limit) and reads RATE_LIMIT_SEARCH_PER_MINUTE', () => {
    assert.equal(loadConfig({}).rateLimits.searchPerMinute, 60);
    assert.equal(loadConfig({ RATE_LIMIT_SEARCH_PER_MINUTE: '120' }).rateLimits.searchPerMinute, 120);
  });
});

describe('OpenAPI', () => {
  test('documents the request, the response and every error status', async () => {
    const doc = (await t.request('GET', '/openapi.json')).json();
    const op = doc.paths['/api/v1/search']?.post;
    assert.ok(op, 'POST /api/v1/search is documented');
    assert.ok(op.summary && op.tags.includes('search'));
    assert.ok(op.requestBody.content['application/json'].schema);
    assert.deepEqual(Object.keys(op.responses).sort(), ['200', '400', '401', '415', '422', '429']);
    const text = JSON.stringify(doc);
    for (const field of ['top_k', 'file_ids', 'min_score', 'took_ms', 'page_start', 'chunk_index', 'SearchResult']) assert.ok(text.includes(field), field);
    assert.ok(text.includes('有給休暇は何日もらえますか'), 'carries an example question');
  });
});
