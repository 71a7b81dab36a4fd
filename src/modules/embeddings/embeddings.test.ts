import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { and, eq, sql } from 'drizzle-orm';
import { chunks, ingestionJobs } from '../../db/schema.js';
import type { FakeOpenAI } from '../../test/fake-openai.js';
import { addFakeProviderKey, type TestApp, type TestTenant } from '../../test/harness.js';
import { eventually, uploadAndProcess, waitForDocument } from '../../test/upload.js';
import { embeddingTenant, freshEmbeddingKey, needsVectors, startEmbeddingApp, stopEmbeddingApp } from './test-support/embedding-app.js';

// Ingestion → vectors → search, through the HTTP API and the real SDK, against a local fake provider.
let t: TestApp;
let fake: FakeOpenAI;
before(async () => ({ t, fake } = await startEmbeddingApp()));
after(() => stopEmbeddingApp({ t, fake }));

export const TOPICS = {
  returns:
    'Returns and refunds. Customers may return unused products within thirty days of delivery for a full refund. ' +
    'To return a product, keep the receipt and the original packaging; the refund reaches your card within a week.',
  shipping:
    'Shipping. Orders leave our Osaka warehouse every weekday afternoon. Delivery inside Japan takes two to four ' +
    'business days; international shipping is sent by air mail and the parcel can be tracked online.',
  warranty:
    'Warranty. Every appliance carries a two year warranty against manufacturing defects. The warranty does not ' +
    'cover damage from drops, water or unauthorised repairs; bring the appliance to any service centre.',
  hours: '営業時間について。当社の営業時間は平日の午前九時から午後六時までです。土曜日と日曜日、祝日は休業日です。お問い合わせは営業時間内にお電話ください。',
};
const handbook = Object.values(TOPICS).join('\n\n');

const db = () => t.app.database.db;
const requestsOf = (apiKey: string) => fake.requests.filter((r) => r.authorization === `Bearer ${apiKey}`);
const tenantWith = (options: { key?: boolean } = {}) => embeddingTenant(t, fake, options);
const addKey = (tenant: TestTenant, apiKey: string) => addFakeProviderKey(t, tenant, fake.baseUrl, { apiKey });

async function ingest(tenant: TestTenant, text: string, fields: Record<string, string> = {}) {
  const { detail } = await uploadAndProcess(t, tenant.admin.accessToken, 'document.txt', text, fields);
  assert.equal(detail.status, 'completed', JSON.stringify(detail));
  return detail;
}

const vectorCounts = (tenant: TestTenant, contentId: string) => t.app.embeddings.vectorCounts(tenant.id, contentId);
const chunkText = async (chunkId: string) => (await db().select({ text: chunks.text }).from(chunks).where(eq(chunks.id, chunkId)))[0]?.text ?? '';

describe('ingestion with an embedding key', () => {
  test('stores one vector per chunk, with the tenant’s model, in batches, with the tenant’s key', async (ctx) => {
    if (!needsVectors(t, ctx)) return;
    const { tenant, apiKey } = await tenantWith();
    const doc = await ingest(tenant, handbook);
    assert.ok(doc.chunk_count >= 4, `expected several chunks, got ${doc.chunk_count}`);
    assert.deepEqual(doc.warnings, []);
    assert.equal(typeof doc.timings.embed_ms, 'number');
    assert.deepEqual(await vectorCounts(tenant, doc.id), [{ model: 'text-embedding-3-small', dims: 1536, n: doc.chunk_count }]);
    const requests = requestsOf(apiKey);
    assert.ok(requests.length >= 2, 'batches of 4');
    assert.ok(requests.every((r) => r.model === 'text-embedding-3-small' && r.input.length <= 4 && r.encodingFormat === 'float'));
    assert.equal(
      requests.reduce((n, r) => n + r.input.length, 0),
      doc.chunk_count,
    );
  });

  test('reprocessing replaces the vectors instead of adding to them', async (ctx) => {
    if (!needsVectors(t, ctx)) return;
    const { tenant } = await tenantWith();
    const first = await ingest(tenant, handbook);
    const res = await t.request('POST', `/api/v1/contents/${first.id}/reprocess`, { token: tenant.admin.accessToken });
    assert.equal(res.statusCode, 202, res.body);
    const again = await waitForDocument(t, tenant.admin.accessToken, first.id, (d) => d.status === 'completed' && d.processed_at !== first.processed_at);
    assert.deepEqual(await vectorCounts(tenant, first.id), [{ model: 'text-embedding-3-small', dims: 1536, n: again.chunk_count }]);
    const orphans = await db().execute(sql`
      select count(*)::int as n from chunk_embeddings ce
      where ce.content_id = ${first.id} and not exists (select 1 from chunks ch where ch.id = ce.chunk_id)`);
    assert.equal((orphans as unknown as { rows: Array<{ n: number }> }).rows[0]!.n, 0);
  });

  test('a provider 500 is retried by the SDK and the document completes with vectors', async (ctx) => {
    if (!needsVectors(t, ctx)) return;
    const { tenant, apiKey } = await tenantWith();
    fake.failNext(1, 500);
    const doc = await ingest(tenant, TOPICS.returns);
    assert.deepEqual(doc.warnings, []);
    assert.equal((await vectorCounts(tenant, doc.id))[0]?.n, doc.chunk_count);
    assert.deepEqual(
      requestsOf(apiKey).map((r) => r.status),
      [500, 200],
    );
  });

  test('a provider down for longer: the job is retried later and the document completes', async (ctx) => {
    if (!needsVectors(t, ctx)) return;
    const { tenant, apiKey } = await tenantWith();
    fake.failNext(2, 503); // the first attempt's request and its one SDK retry
    const doc = await ingest(tenant, TOPICS.shipping);
    assert.deepEqual(doc.warnings, []);
    assert.equal((await vectorCounts(tenant, doc.id))[0]?.n, doc.chunk_count);
    const [job] = await db().select().from(ingestionJobs).where(and(eq(ingestionJobs.contentId, doc.id), eq(ingestionJobs.kind, 'ingest')));
    assert.equal(job?.status, 'done');
    assert.equal(job?.attempts, 2, 'the first attempt failed on the provider and was retried');
    assert.deepEqual(
      requestsOf(apiKey).map((r) => r.status),
      [503, 503, 200],
    );
  });

  test('a rejected key: completed, full-text only, with a warning that names the cause but not the key', async (ctx) => {
    if (!needsVectors(t, ctx)) return;
    const { tenant, apiKey } = await tenantWith();
    fake.rejectKey(apiKey);
    const doc = await ingest(tenant, handbook);
    assert.ok(doc.chunk_count > 0, 'full-text chunks are there');
    assert.equal(doc.warnings.length, 1, JSON.stringify(doc.warnings));
    const [warning] = doc.warnings as [string];
    assert.match(warning, /^No vectors: The embedding provider \(127\.0\.0\.1:\d+\/v1\) rejected the API key \(401\)/);
    assert.match(warning, /full-text search only/);
    assert.ok(!warning.includes(apiKey) && !warning.includes(apiKey.slice(0, 8)) && !warning.includes(apiKey.slice(-4)), warning);
    assert.deepEqual(await vectorCounts(tenant, doc.id), []);
    assert.equal(requestsOf(apiKey).length, 1, 'a 401 is not retried');

    // A working key repairs it: the document is embedded and the warning goes.
    const working = freshEmbeddingKey();
    await addKey(tenant, working);
    const repaired = await waitForDocument(t, tenant.admin.accessToken, doc.id, (d) => (d.warnings as string[]).length === 0);
    assert.equal(repaired.status, 'completed');
    assert.equal((await vectorCounts(tenant, doc.id))[0]?.n, doc.chunk_count);
  });

  test('deleting a document deletes its vectors', async (ctx) => {
    if (!needsVectors(t, ctx)) return;
    const { tenant } = await tenantWith();
    const doc = await ingest(tenant, TOPICS.warranty);
    assert.equal((await t.request('DELETE', `/api/v1/contents/${doc.id}`, { token: tenant.admin.accessToken })).statusCode, 200);
    assert.deepEqual(await vectorCounts(tenant, doc.id), []);
  });
});

describe('vectorSearch', () => {
  test('returns the semantically right chunk, English and Japanese, within the tenant and filters', async (ctx) => {
    if (!needsVectors(t, ctx)) return;
    const { tenant } = await tenantWith();
    const doc = await ingest(tenant, handbook);
    const faq = await ingest(tenant, 'Gift wrapping. We wrap any product as a gift for free; choose gift wrapping at checkout.', { tags: 'faq,gifts' });
    const search = (query: string, options = {}) => t.app.embeddings.vectorSearch(tenant.id, query, { topK: 3, ...options });

    const refund = await search('How many days do I have to return a product for a refund?');
    assert.ok(refund && refund.length === 3);
    assert.match(await chunkText(refund[0]!.chunkId), /return unused products within thirty days/);
    assert.ok(refund.every((h, i) => h.similarity <= 1 + 1e-6 && (i === 0 || h.similarity <= refund[i - 1]!.similarity)));

    const hours = await search('営業時間は何時までですか');
    assert.match(await chunkText(hours![0]!.chunkId), /営業時間は平日の午前九時から午後六時まで/);

    const onlyFaq = await search('return a product for a refund', { fileIds: [faq.id] });
    assert.equal(onlyFaq?.length, 1);
    assert.match(await chunkText(onlyFaq![0]!.chunkId), /Gift wrapping/);
    const tagged = await search('warranty', { tags: ['gifts'] });
    assert.deepEqual(tagged?.map((h) => h.chunkId), onlyFaq?.map((h) => h.chunkId));
    assert.deepEqual(await search('warranty', { fileIds: [doc.id], tags: ['gifts'] }), []);

    // Another tenant with the same provider finds none of these chunks.
    const other = await tenantWith();
    await ingest(other.tenant, TOPICS.returns.replace('thirty', 'fourteen'));
    const theirs = await t.app.embeddings.vectorSearch(other.tenant.id, 'How many days do I have to return a product for a refund?', { topK: 10 });
    const ours = await db().select({ id: chunks.id }).from(chunks).where(eq(chunks.tenantId, tenant.id));
    assert.ok(theirs && theirs.length > 0);
    assert.ok(!theirs.some((h) => ours.some((c) => c.id === h.chunkId)), 'another tenant’s chunk came back');
  });

  test('is null once the tenant’s embedding key is deleted', async (ctx) => {
    if (!needsVectors(t, ctx)) return;
    const { tenant } = await tenantWith({ key: false });
    const key = await addKey(tenant, freshEmbeddingKey());
    assert.deepEqual(await t.app.embeddings.vectorSearch(tenant.id, 'anything', { topK: 5 }), []);
    await t.request('DELETE', `/api/v1/api-keys/${key.id}`, { token: tenant.admin.accessToken });
    assert.equal(await t.app.embeddings.vectorSearch(tenant.id, 'anything', { topK: 5 }), null);
  });
});

describe('changing the embedding model', () => {
  test('re-embeds the tenant’s documents with the new model; they stay completed meanwhile', async (ctx) => {
    if (!needsVectors(t, ctx)) return;
    const { tenant, apiKey } = await tenantWith();
    const doc = await ingest(tenant, handbook);
    const change = await t.app.embeddings.changeEmbeddingModel(tenant.id, 'text-embedding-3-large');
    assert.deepEqual(change, { changed: true, queued: 1 });
    const during = await t.request('GET', `/api/v1/contents/${doc.id}`, { token: tenant.admin.accessToken });
    assert.equal(during.json().status, 'completed');
    const counts = await eventually(async () => {
      const c = await vectorCounts(tenant, doc.id);
      return c[0]?.model === 'text-embedding-3-large' ? c : undefined;
    }, 're-embedding');
    assert.deepEqual(counts, [{ model: 'text-embedding-3-large', dims: 3072, n: doc.chunk_count }]);
    assert.ok(requestsOf(apiKey).some((r) => r.model === 'text-embedding-3-large'));
    const tenantRes = await t.request('GET', `/api/v1/tenants/${tenant.id}`, { token: tenant.admin.accessToken });
    assert.equal(tenantRes.json().settings.embedding_model, 'text-embedding-3-large');

    const hits = await t.app.embeddings.vectorSearch(tenant.id, 'two year warranty for appliances', { topK: 1 });
    assert.match(await chunkText(hits![0]!.chunkId), /two year warranty/);
    assert.deepEqual(await t.app.embeddings.changeEmbeddingModel(tenant.id, 'text-embedding-3-large'), { changed: false, queued: 0 });
  });
});

describe('without vectors', () => {
  test('a tenant without a key: completed, no provider call, vectorSearch is null', async () => {
    const { tenant } = await tenantWith({ key: false });
    const before = fake.requests.length;
    const doc = await ingest(tenant, handbook);
    assert.deepEqual(doc.warnings, []);
    assert.equal(doc.timings.embed_ms, undefined);
    assert.equal(fake.requests.length, before);
    assert.equal(await t.app.embeddings.vectorSearch(tenant.id, 'refund', { topK: 5 }), null);
    assert.equal(await t.app.embeddings.reembedTenant(tenant.id), 0);
  });

  test('without pgvector a key changes nothing: documents complete with full-text only', async (ctx) => {
    if (t.app.database.vectorSearch) return void ctx.skip('pgvector is available here: the test is for servers without it');
    const { tenant } = await tenantWith();
    const before = fake.requests.length;
    const doc = await ingest(tenant, handbook);
    assert.deepEqual(doc.warnings, [], 'a server without pgvector is a normal state, not a document problem');
    assert.equal(fake.requests.length, before, 'nothing is embedded that could not be stored');
    assert.equal(await t.app.embeddings.vectorSearch(tenant.id, 'refund', { topK: 5 }), null);
    assert.deepEqual(await t.app.embeddings.changeEmbeddingModel(tenant.id, 'text-embedding-3-large'), { changed: true, queued: 0 });
    const table = await db().execute(sql`select to_regclass('chunk_embeddings') as name`);
    assert.equal((table as unknown as { rows: Array<{ name: string | null }> }).rows[0]!.name, null);
  });

  test('/health reports vector_search exactly when pgvector is usable', async () => {
    const health = (await t.request('GET', '/health')).json();
    assert.equal(health.capabilities.vector_search, t.app.database.vectorSearch);
    if (t.app.database.driver === 'pglite') assert.equal(health.capabilities.vector_search, true, 'PGlite ships pgvector');
  });
});
