import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';
import { startFakeOpenAI, type FakeOpenAI } from '../../../test/fake-openai.js';
import { addFakeProviderKey, buildTestApp, type TestApp, type TestTenant } from '../../../test/harness.js';
import { createTenantsRepo } from '../../tenants/tenants.repo.js';

/**
 * The app the embedding tests run on, beside a fake OpenAI-protocol provider: small batches (4
 * inputs, so a document takes several requests) and one SDK retry.
 * @example
 * before(async () => ({ t, fake } = await startEmbeddingApp()));
 * after(() => stopEmbeddingApp({ t, fake }));
 */
export async function startEmbeddingApp(): Promise<{ t: TestApp; fake: FakeOpenAI }> {
  const fake = await startFakeOpenAI();
  const t = await buildTestApp({ embeddings: { timeoutMs: 5000, maxRetries: 1, batch: { maxInputs: 4, maxTokens: 60_000 } } });
  return { t, fake };
}

export async function stopEmbeddingApp({ t, fake }: { t?: TestApp; fake?: FakeOpenAI }): Promise<void> {
  await t?.close();
  await fake?.close();
}

/** Vector tests need pgvector; the capability, and nothing else, decides whether they run. */
export function needsVectors(t: TestApp, ctx: TestContext): boolean {
  if (t.app.database.vectorSearch) return true;
  ctx.skip('pgvector is not available on this database (capabilities.vector_search = false)');
  return false;
}

/** A provider key no other test uses, so the fake's requests can be told apart by it. */
export const freshEmbeddingKey = () => `sk-test-${randomBytes(18).toString('base64url')}`;

/**
 * A fresh tenant with small chunks (64 tokens, no overlap: one short topic is one chunk) and,
 * unless `key: false`, an openai-compatible key on the fake, which is also its embedding key.
 */
export async function embeddingTenant(t: TestApp, fake: FakeOpenAI, options: { label?: string; key?: boolean } = {}): Promise<{ tenant: TestTenant; apiKey: string }> {
  const tenant = await t.createTenant(options.label ?? 'emb');
  await createTenantsRepo(t.app.database.db).updateSettings(tenant.id, { chunk_size: 64, chunk_overlap: 0 });
  const apiKey = freshEmbeddingKey();
  if (options.key !== false) await addFakeProviderKey(t, tenant, fake.baseUrl, { apiKey });
  return { tenant, apiKey };
}
