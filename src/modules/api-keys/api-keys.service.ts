import type { Database } from '../../db/client.js';
import { notFound, validationFailed } from '../../http/errors.js';
import type { Principal } from '../../http/request-context.js';
import { checkOutboundUrl, OutboundRefusedError, type OutboundOptions } from '../../lib/outbound/outbound-fetch.js';
import type { SecretBox } from '../../lib/secret-box.js';
import { LlmProviderError, verifyProviderKey, type ChatModelOptions, type ProviderEndpoints } from '../llm/index.js';
import type { CreateApiKeyBody } from './api-keys.schemas.js';
import { createApiKeysRepo, embeddingProviders, type ProviderKeyRow } from './api-keys.repo.js';

export interface EmbeddingKeyChange {
  /** The vectors come from another server now (provider or base_url changed), so old ones do not compare. */
  endpointChanged: boolean;
}

export interface ApiKeysDeps {
  db: Database;
  box: SecretBox;
  /** Where each key's requests go (the same as the chat's and the embeddings'), for `verify: true`. */
  endpoints: ProviderEndpoints;
  /** LLM_TIMEOUT_SECONDS and LLM_MAX_RETRIES, for `verify: true`. */
  llm: Pick<ChatModelOptions, 'timeoutMs' | 'maxRetries'>;
  /** The SSRF policy a base_url is held to (src/lib/outbound/). */
  outbound: OutboundOptions;
  /** Called when the key that embeds for a tenant changes, so documents get (re)embedded. */
  onEmbeddingKeyChanged?: (tenantId: string, change: EmbeddingKeyChange) => Promise<unknown>;
  /** Called once a key was added or deleted, so cached key lists (active-keys.ts) are dropped at once. */
  onKeysChanged(tenantId: string): void;
}

/**
 * Enough of a key to recognise it, never enough to use it: "sk-…AbCd". Short keys show only
 * their last two characters, so at most a quarter of an 8-character key is revealed.
 * @example keyHint('sk-proj-abcdefghijklmnopAbCd') // 'sk-…AbCd'
 */
export function keyHint(key: string): string {
  return key.length >= 16 ? `${key.slice(0, 3)}…${key.slice(-4)}` : `…${key.slice(-2)}`;
}

const endpointOf = (key: ProviderKeyRow) => `${key.provider} ${key.baseUrl ?? ''}`;

/**
 * The body field a provider's refusal points at: the model for a 404 (unknown model, or a
 * base_url without the API behind it), the base_url of a compatible server that cannot be reached
 * or does not answer, the key for everything else (rejected, no access, quota…).
 */
function refusedField(error: LlmProviderError, body: CreateApiKeyBody): 'api_key' | 'model' | 'base_url' {
  if (error.status === 404) return 'model';
  if (error.status === undefined && body.provider === 'openai-compatible') return 'base_url';
  return 'api_key';
}

export function createApiKeysService(deps: ApiKeysDeps) {
  const { box } = deps;
  const repo = createApiKeysRepo(deps.db);

  async function embeddingKeyChanged(tenantId: string, before: ProviderKeyRow | undefined) {
    const after = await repo.findEmbeddingKey(tenantId);
    if (!after || after.id === before?.id) return;
    await deps.onEmbeddingKeyChanged?.(tenantId, { endpointChanged: !before || endpointOf(before) !== endpointOf(after) });
  }

  /**
   * Refuses a base_url whose host is, or resolves to, a refused address. This is for a clear
   * answer now; the guard that counts runs again on every connection. A name that does not
   * resolve yet is stored (verify: true would report it).
   */
  async function checkBaseUrl(url: string) {
    try {
      await checkOutboundUrl(url, deps.outbound);
    } catch (error) {
      if (!(error instanceof OutboundRefusedError)) return;
      const message = { ja: `使えないアドレスです: ${error.message}`, en: `is not allowed: ${error.message}` };
      throw validationFailed([{ field: 'base_url', message }]);
    }
  }

  async function verify(body: CreateApiKeyBody) {
    try {
      const key = { provider: body.provider, model: body.model, apiKey: body.api_key, baseUrl: body.base_url ?? null };
      await verifyProviderKey({ ...key, ...deps.endpoints(key), ...deps.llm });
    } catch (error) {
      if (!(error instanceof LlmProviderError)) throw error;
      // The message names the server and quotes its reason, already scrubbed of the key.
      const field = refusedField(error, body);
      const message = { ja: `確認できませんでした（プロバイダーの応答: ${error.message}）`, en: `could not be verified: ${error.message}` };
      throw validationFailed([{ field, message }]);
    }
  }

  return {
    list: (principal: Principal) => repo.list(principal.tenantId),

    async create(principal: Principal, body: CreateApiKeyBody): Promise<ProviderKeyRow> {
      if (body.base_url) await checkBaseUrl(body.base_url);
      if (body.verify) await verify(body);
      const before = await repo.findEmbeddingKey(principal.tenantId);
      const created = await repo.insert({
        tenantId: principal.tenantId,
        provider: body.provider,
        model: body.model,
        keySealed: box.seal(body.api_key),
        keyHint: keyHint(body.api_key),
        baseUrl: body.base_url ?? null,
      });
      deps.onKeysChanged(principal.tenantId);
      if (embeddingProviders.includes(created.provider)) await embeddingKeyChanged(principal.tenantId, before);
      return created;
    },

    async remove(principal: Principal, id: string): Promise<void> {
      const before = await repo.findEmbeddingKey(principal.tenantId);
      const deleted = await repo.delete(principal.tenantId, id);
      if (!deleted) throw notFound('API key');
      deps.onKeysChanged(principal.tenantId);
      // Another key may take over embedding; with none left, vector search is simply off.
      if (before?.id === deleted.id) await embeddingKeyChanged(principal.tenantId, before);
    },
  };
}

export type ApiKeysService = ReturnType<typeof createApiKeysService>;
