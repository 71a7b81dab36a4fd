import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { providerKeys, type Provider } from '../../db/schema.js';

export type ProviderKeyRow = typeof providerKeys.$inferSelect;

/** Providers that speak the OpenAI /v1/embeddings protocol. */
export const embeddingProviders: Provider[] = ['openai', 'openai-compatible'];

/** Every query names the tenant: another tenant's keys are never found. */
export function createApiKeysRepo(db: Database) {
  return {
    list: (tenantId: string) => db.select().from(providerKeys).where(eq(providerKeys.tenantId, tenantId)).orderBy(desc(providerKeys.createdAt), desc(providerKeys.id)),
    /** The keys the tenant can answer with, newest first. */
    listActive: (tenantId: string) =>
      db
        .select()
        .from(providerKeys)
        .where(and(eq(providerKeys.tenantId, tenantId), eq(providerKeys.isActive, true)))
        .orderBy(desc(providerKeys.createdAt), desc(providerKeys.id)),
    insert: async (values: typeof providerKeys.$inferInsert) => (await db.insert(providerKeys).values(values).returning())[0]!,
    delete: async (tenantId: string, id: string) =>
      (await db.delete(providerKeys).where(and(eq(providerKeys.tenantId, tenantId), eq(providerKeys.id, id))).returning())[0],
    /** The key that embeds for the tenant: its newest active OpenAI-protocol key. */
    findEmbeddingKey: async (tenantId: string) =>
      (
        await db
          .select()
          .from(providerKeys)
          .where(and(eq(providerKeys.tenantId, tenantId), eq(providerKeys.isActive, true), inArray(providerKeys.provider, embeddingProviders)))
          .orderBy(desc(providerKeys.createdAt), desc(providerKeys.id))
          .limit(1)
      )[0],
  };
}

export type ApiKeysRepo = ReturnType<typeof createApiKeysRepo>;
