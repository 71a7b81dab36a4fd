import { createTtlCache } from '../../lib/ttl-cache.js';
import { embeddingProviders, type ApiKeysRepo, type ProviderKeyRow } from './api-keys.repo.js';

/**
 * A tenant's active provider keys, newest first, as every answer reads them twice (the chat model,
 * the query's embedding), held in this process. The api-keys service calls `forget` after adding
 * or deleting a key, so this instance uses the change at once; others within `ttlMs` (README).
 */
export function createActiveKeys(deps: { repo: Pick<ApiKeysRepo, 'listActive'>; ttlMs: number }) {
  const cache = createTtlCache<string, ProviderKeyRow[]>({ ttlMs: deps.ttlMs, maxEntries: 10_000 });
  const listActive = (tenantId: string) => cache.get(tenantId, () => deps.repo.listActive(tenantId));
  return {
    listActive,
    /** As ApiKeysRepo.findEmbeddingKey: the newest active OpenAI-protocol key. */
    findEmbeddingKey: async (tenantId: string) => (await listActive(tenantId)).find((key) => embeddingProviders.includes(key.provider)),
    forget: (tenantId: string) => cache.forget(tenantId),
  };
}

export type ActiveKeys = ReturnType<typeof createActiveKeys>;
