import type { Database } from '../../db/client.js';
import type { Provider } from '../../db/schema.js';
import type { OutboundFetch } from '../../lib/outbound/outbound-fetch.js';
import type { SecretBox } from '../../lib/secret-box.js';
import type { ProviderEndpoints } from '../llm/provider-endpoints.js';
import { createActiveKeys } from './active-keys.js';
import { createApiKeysRepo, type ProviderKeyRow } from './api-keys.repo.js';

/** What it takes to call a tenant's provider with one of its keys; the caller adds its timeouts. */
export interface ProviderCredentials {
  provider: Provider;
  /** The key's own model: the chat model it was added for (embeddings use the tenant's embedding_model). */
  model: string;
  /** The key, opened. */
  apiKey: string;
  /** Where its requests go: the tenant's base_url, else the operator's API root (LLM_*_BASE_URL). */
  baseUrl: string;
  /** Set for a tenant's own base_url: the SSRF-guarded fetch. */
  fetch?: OutboundFetch;
}

/**
 * - `chat`: the newest active key for the model asked for (any model's when none is);
 * - `query-embedding`: the newest active OpenAI-protocol key, from this process's copy: a question is waiting;
 * - `document-embedding`: the same key, read from the database: a key added a moment ago must reach the jobs it queued.
 */
export type CredentialsPurpose = 'chat' | 'query-embedding' | 'document-embedding';

/** A stored key that cannot be opened: ENCRYPTION_KEY is not the one it was sealed with. */
export class UnreadableKeyError extends Error {
  constructor(readonly model: string) {
    super(`The stored API key for ${model} cannot be decrypted (was ENCRYPTION_KEY changed?): add the key again`);
    this.name = 'UnreadableKeyError';
  }
}

/**
 * The one place a tenant's provider keys are looked up and opened, for the chat and for the
 * embeddings. Questions read the keys from this process's copy (active-keys.ts), dropped by
 * `forget` when a key is added or deleted here and refreshed within `ttlMs` elsewhere.
 */
export function createProviderCredentials(deps: { db: Database; box: SecretBox; endpoints: ProviderEndpoints; ttlMs: number }) {
  const repo = createApiKeysRepo(deps.db);
  const active = createActiveKeys({ repo, ttlMs: deps.ttlMs });
  // Opened once per key row, while the key list that holds it is cached: a changed or deleted key
  // comes with a new list (new rows), so nothing outlives it. Callers may key their own caches on it.
  const opened = new WeakMap<ProviderKeyRow, ProviderCredentials>();

  function open(key: ProviderKeyRow): ProviderCredentials {
    const held = opened.get(key);
    if (held) return held;
    let apiKey: string;
    try {
      apiKey = deps.box.open(key.keySealed);
    } catch {
      throw new UnreadableKeyError(key.model);
    }
    const credentials = { provider: key.provider, model: key.model, apiKey, ...deps.endpoints(key) };
    opened.set(key, credentials);
    return credentials;
  }

  async function keyFor(tenantId: string, purpose: CredentialsPurpose, model: string | undefined): Promise<ProviderKeyRow | undefined> {
    if (purpose === 'document-embedding') return repo.findEmbeddingKey(tenantId);
    if (purpose === 'query-embedding') return active.findEmbeddingKey(tenantId);
    const keys = await active.listActive(tenantId);
    return model === undefined ? keys[0] : keys.find((key) => key.model === model);
  }

  return {
    /**
     * The credentials for `purpose`, or undefined when the tenant has no such key. Only the key
     * chosen is opened; one that cannot be throws UnreadableKeyError.
     * @example await credentials.credentialsFor(tenantId, 'chat', { model: 'gpt-4o' }) // { provider: 'openai', model: 'gpt-4o', apiKey, baseUrl }
     */
    async credentialsFor(tenantId: string, purpose: CredentialsPurpose, options: { model?: string } = {}): Promise<ProviderCredentials | undefined> {
      const key = await keyFor(tenantId, purpose, options.model);
      return key && open(key);
    },

    /** The models the tenant's active keys answer with, newest key first (each once). */
    chatModels: async (tenantId: string) => [...new Set((await active.listActive(tenantId)).map((key) => key.model))],

    /** Whether the tenant has a key that embeds, read from the database (before queueing documents for it). */
    hasEmbeddingKey: async (tenantId: string) => (await repo.findEmbeddingKey(tenantId)) !== undefined,

    /** Drops this process's copy of the tenant's keys (a key was added or deleted). */
    forget: active.forget,
  };
}

export type ProviderCredentialsService = ReturnType<typeof createProviderCredentials>;
