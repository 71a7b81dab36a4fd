import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { usageEvents } from '../../db/schema.js';
import { estimateTokens } from '../../lib/text/tokens.js';
import { ACCESS_COOKIE } from '../auth/cookies.js';
import { createEmbeddingClient } from '../embeddings/embedding-client.js';
import { embeddingTenant, needsVectors, startEmbeddingApp, stopEmbeddingApp } from '../embeddings/test-support/embedding-app.js';
import type { FakeOpenAI } from '../../test/fake-openai.js';
import type { TestApp, TestTenant } from '../../test/harness.js';
import { uploadAndProcess } from '../../test/upload.js';
import type { UsageStats } from './usage.schemas.js';

// Embedding calls are billed: the tokens of document and query embeddings are recorded as usage.
// The fake provider reports prompt_tokens = the number of inputs of a request.
let t: TestApp;
let fake: FakeOpenAI;
before(async () => ({ t, fake } = await startEmbeddingApp()));
after(() => stopEmbeddingApp({ t, fake }));

const events = (tenant: TestTenant) => t.app.database.db.select().from(usageEvents).where(eq(usageEvents.tenantId, tenant.id));

/** A fresh tenant with an embedding key on the fake, and small chunks (several embedding requests per document). */
const tenantWithKey = async () => (await embeddingTenant(t, fake, { label: 'use' })).tenant;

const handbook = Array.from({ length: 12 }, (_, i) => `Section ${i + 1}. ${'Refunds are paid within thirty days of delivery to the original card. '.repeat(6)}`).join('\n\n');

describe('the embedding client reports usage', () => {
  const client = () => createEmbeddingClient({ apiKey: 'sk-test-usage', baseUrl: fake.baseUrl, model: 'fake-embed-64', timeoutMs: 5000, maxRetries: 0, batch: { maxInputs: 2, maxTokens: 10_000 } });

  test('the provider’s prompt_tokens, once per answered request', async () => {
    const heard: number[] = [];
    await client().embed(['a', 'b', 'c'], { onUsage: (n) => heard.push(n) });
    assert.deepEqual(heard, [2, 1]);
  });

  test('estimated from the text when the provider sends no usage', async () => {
    fake.omitUsage = true;
    try {
      const heard: number[] = [];
      const texts = ['The quick brown fox.', '返品は三十日以内に受け付けます。'];
      await client().embed(texts, { onUsage: (n) => heard.push(n) });
      assert.deepEqual(heard, [estimateTokens(texts[0]!) + estimateTokens(texts[1]!)]);
    } finally {
      fake.omitUsage = false;
    }
  });
});

describe('recorded usage of embeddings', () => {
  test('ingesting a document: channel ingestion, no user, the key’s provider and the tenant’s embedding model', async (ctx) => {
    if (!needsVectors(t, ctx)) return;
    const tenant = await tenantWithKey();
    const { detail: doc } = await uploadAndProcess(t, tenant.admin.accessToken, 'handbook.txt', handbook);
    assert.equal(doc.status, 'completed', JSON.stringify(doc));
    assert.ok(doc.chunk_count > 4, `several requests of 4 inputs (${doc.chunk_count} chunks)`);

    const rows = await events(tenant);
    assert.equal(rows.length, 1, 'one event per document, however many batches');
    assert.equal(rows[0]?.channel, 'ingestion');
    assert.equal(rows[0]?.kind, 'embedding');
    assert.equal(rows[0]?.userId, null);
    assert.equal(rows[0]?.provider, 'openai-compatible');
    assert.equal(rows[0]?.model, 'text-embedding-3-small');
    assert.equal(rows[0]?.tokensIn, doc.chunk_count, 'the provider’s count (the fake counts one per input)');
    assert.equal(rows[0]?.tokensOut, 0);

    const res = await t.request('GET', '/api/v1/stats/usage', { token: tenant.operator.accessToken });
    const body: UsageStats = res.json();
    assert.deepEqual(body.by_channel.find((c) => c.channel === 'ingestion')?.tokens, doc.chunk_count);
    assert.deepEqual(body.by_kind.find((k) => k.kind === 'embedding')?.tokens, doc.chunk_count);
    assert.equal(body.by_model[0]?.model, 'text-embedding-3-small');
    assert.equal(body.by_model[0]?.priced, true);
  });

  test('POST /api/v1/search embeds the question: channel api with a bearer token, dashboard with the session cookie', async (ctx) => {
    if (!needsVectors(t, ctx)) return;
    const tenant = await tenantWithKey();
    const bearer = await t.request('POST', '/api/v1/search', { token: tenant.operator.accessToken, body: { query: 'refund policy' } });
    assert.equal(bearer.statusCode, 200, bearer.body);
    assert.equal(bearer.json().mode, 'hybrid');
    const cookie = await t.request('POST', '/api/v1/search', {
      cookies: { [ACCESS_COOKIE]: tenant.admin.accessToken },
      headers: { origin: t.publicUrl },
      body: { query: 'refund policy' },
    });
    assert.equal(cookie.statusCode, 200, cookie.body);

    const rows = await events(tenant);
    const summary = rows.map((r) => ({ channel: r.channel, userId: r.userId, kind: r.kind, provider: r.provider, tokensIn: r.tokensIn }));
    assert.deepEqual(
      summary.sort((a, b) => a.channel.localeCompare(b.channel)),
      [
        { channel: 'api', userId: tenant.operator.id, kind: 'embedding', provider: 'openai-compatible', tokensIn: 1 },
        { channel: 'dashboard', userId: tenant.admin.id, kind: 'embedding', provider: 'openai-compatible', tokensIn: 1 },
      ],
    );
  });

  test('without an embedding key nothing is called and nothing recorded', async () => {
    const tenant = await t.createTenant('nokey');
    const res = await t.request('POST', '/api/v1/search', { token: tenant.admin.accessToken, body: { query: 'refund policy' } });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().mode, 'fulltext');
    assert.deepEqual(await events(tenant), []);
  });

  test('a failing provider: search falls back to full text and nothing is recorded for the unanswered call', async (ctx) => {
    if (!needsVectors(t, ctx)) return;
    const tenant = await tenantWithKey();
    fake.failNext(2, 500); // the request and its one retry
    const res = await t.request('POST', '/api/v1/search', { token: tenant.admin.accessToken, body: { query: 'refund policy' } });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().mode, 'fulltext');
    assert.deepEqual(await t.app.database.db.select().from(usageEvents).where(and(eq(usageEvents.tenantId, tenant.id), eq(usageEvents.kind, 'embedding'))), []);
  });
});
