import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../db/client.js';
import type { Provider } from '../../db/schema.js';
import type { Text } from '../../http/language.js';
import { createTtlCache } from '../../lib/ttl-cache.js';
import { UnreadableKeyError, type CredentialsPurpose, type ProviderCredentials, type ProviderCredentialsService } from '../api-keys/provider-credentials.js';
import { VECTOR_WARNING_PREFIX, type DocumentEmbedder } from '../sources/ingestion/document-embedder.js';
import { createJobsRepo } from '../sources/ingestion/jobs.repo.js';
import type { TenantCache } from '../tenants/tenant-cache.js';
import { embeddingModelOf } from '../tenants/tenant-settings.js';
import { createTenantsRepo } from '../tenants/tenants.repo.js';
import type { UsageContext, UsageRecorder } from '../usage/usage-recorder.js';
import type { BatchLimits } from './batching.js';
import { createEmbeddingClient, EmbeddingError, type EmbeddingClient } from './embedding-client.js';
import { createEmbeddingsRepo } from './embeddings.repo.js';
import { vectorIndexFor } from './vector-schema.js';

/**
 * A tenant with fewer vectors is searched exactly, skipping the HNSW walk that would come back
 * short and be repeated exactly anyway. An exact scan costs ~5 µs a vector of 1,536 numbers on
 * PGlite (measured: 12 ms for 2,000), so this stays well under a millisecond.
 */
const EXACT_BELOW = 200;

export interface EmbeddingsOptions {
  timeoutMs: number;
  maxRetries: number;
  batch?: BatchLimits;
}

/** Config's defaults (EMBEDDING_TIMEOUT_SECONDS, EMBEDDING_BATCH_SIZE), for callers without a Config. */
export const defaultEmbeddingsOptions: EmbeddingsOptions = { timeoutMs: 60_000, maxRetries: 2 };

export interface EmbeddingsDeps {
  db: Database;
  /** The tenant's embedding key, opened (../api-keys/provider-credentials.ts). */
  credentials: Pick<ProviderCredentialsService, 'credentialsFor' | 'hasEmbeddingKey'>;
  /**
   * A question's embedding model comes from this process's copy of the tenant; documents read the
   * database: a new model must reach the jobs it queues, and a document is not read often enough to need a cache.
   */
  tenants: Pick<TenantCache, 'ofCaller'>;
  /** Whether chunk_embeddings exists (pgvector usable); read at call time. */
  vectorsAvailable: () => boolean;
  log: FastifyBaseLogger;
  options?: EmbeddingsOptions;
  /** Wakes the in-process worker after jobs were queued. */
  onEnqueued?: () => void;
  /** Records the tokens of every embedding request: documents as `ingestion`, queries as their caller. */
  usage?: UsageRecorder;
}

export interface VectorSearchOptions {
  topK: number;
  /** Only these documents; undefined or empty = all of the tenant's documents. */
  fileIds?: string[];
  /** Only documents carrying at least one of these tags; undefined or empty = no tag filter. */
  tags?: string[];
  /** Whom the query's embedding is accounted to; without it the call is not recorded (benchmarks, tests). */
  usage?: UsageContext;
}

export interface VectorHit {
  chunkId: string;
  /** Cosine similarity, 1 = same direction. */
  similarity: number;
}

/**
 * Nearest chunks of the tenant's completed documents for `query`, or null when vectors cannot
 * be used for this tenant right now (no pgvector, no embedding key, or the provider failed — the
 * last is logged). Null means "use full-text only", never an error for the user.
 */
export type VectorSearch = (tenantId: string, query: string, options: VectorSearchOptions) => Promise<VectorHit[] | null>;

// The provider's reason (error.message) is its own English in both.
const vectorWarning = (error: EmbeddingError): Text => ({
  ja: `ベクトルを作成できませんでした（${error.message}）。この文書は全文検索でのみ見つかります。使える API キーを追加すると、もう一度作成します。`,
  en: `${VECTOR_WARNING_PREFIX} ${error.message}. The document is found by full-text search only; adding a working API key embeds it again.`,
});

/** A tenant's embedding client and the provider its key belongs to (what usage is recorded under). */
interface TenantEmbedder {
  client: EmbeddingClient;
  provider: Provider;
}

export function createEmbeddingsService(deps: EmbeddingsDeps) {
  const { db, log } = deps;
  const options = deps.options ?? defaultEmbeddingsOptions;
  const repo = createEmbeddingsRepo(db);
  const tenants = createTenantsRepo(db);
  const jobs = createJobsRepo(db);

  async function credentialsFor(tenantId: string, purpose: CredentialsPurpose) {
    try {
      return await deps.credentials.credentialsFor(tenantId, purpose);
    } catch (error) {
      if (error instanceof UnreadableKeyError) throw new EmbeddingError('The stored API key cannot be decrypted (was ENCRYPTION_KEY changed?); add the key again', false);
      throw error;
    }
  }

  // A question's embedder per opened key (one per cached key row), as chat-models.ts keeps models:
  // building an SDK client costs more than the rest of a query's embedding. A changed key comes with
  // new rows, so nothing outlives it; the model is compared, as the setting may change alone.
  const queryEmbedders = new WeakMap<ProviderCredentials, TenantEmbedder>();

  /** The tenant's embedding client, with the provider it bills, or null when it has no OpenAI-protocol key. */
  async function providerFor(tenantId: string, purpose: 'documents' | 'query'): Promise<TenantEmbedder | null> {
    const query = purpose === 'query';
    const key = await credentialsFor(tenantId, query ? 'query-embedding' : 'document-embedding');
    if (!key) return null;
    const model = embeddingModelOf(query ? (await deps.tenants.ofCaller(tenantId)).settings : await tenants.settings(tenantId));
    const held = query ? queryEmbedders.get(key) : undefined;
    if (held?.client.model === model) return held;
    // A question is waiting for the answer: fail fast and fall back to full-text instead of retrying for long.
    const client = createEmbeddingClient({
      apiKey: key.apiKey,
      baseUrl: key.baseUrl,
      fetch: key.fetch,
      model,
      timeoutMs: query ? Math.min(options.timeoutMs, 10_000) : options.timeoutMs,
      maxRetries: query ? Math.min(options.maxRetries, 1) : options.maxRetries,
      batch: options.batch,
    });
    const embedder = { client, provider: key.provider };
    if (query) queryEmbedders.set(key, embedder);
    return embedder;
  }

  /**
   * `client.embed`, recording under `account` (when given) the tokens of the requests the provider
   * answered: they are billed even when a later request failed.
   */
  async function embedAndRecord(embedder: TenantEmbedder, texts: string[], account: (UsageContext & { tenantId: string }) | undefined, signal?: AbortSignal) {
    let tokens = 0;
    try {
      return await embedder.client.embed(texts, { signal, onUsage: (n) => void (tokens += n) });
    } finally {
      if (tokens > 0 && account && deps.usage) {
        const { client, provider } = embedder;
        const { defer, ...caller } = account;
        const event = { ...caller, kind: 'embedding' as const, provider, model: client.model, tokensIn: tokens, tokensOut: 0 };
        if (defer) defer(deps.usage.priced(event));
        else await deps.usage.record(event);
      }
    }
  }

  const embedDocument: DocumentEmbedder['embedDocument'] = async (content, { signal, lastAttempt }) => {
    if (!deps.vectorsAvailable()) return { status: 'skipped', reason: 'vectors-unavailable' };
    const started = performance.now();
    try {
      const embedder = await providerFor(content.tenantId, 'documents');
      if (!embedder) return { status: 'skipped', reason: 'no-provider' };
      const { client } = embedder;
      const chunks = await repo.chunkTexts(content.tenantId, content.id);
      // The title gives each passage its context ("返品について" alone says little).
      const texts = chunks.map((c) => (content.title ? `${content.title}\n\n${c.text}` : c.text));
      const vectors = await embedAndRecord(embedder, texts, { tenantId: content.tenantId, channel: 'ingestion', userId: null }, signal);
      signal?.throwIfAborted();
      const written = await repo.upsertVectors(
        content.tenantId,
        content.id,
        client.model,
        chunks.map((c, i) => ({ chunkId: c.id, embedding: vectors[i]! })),
      );
      return { status: 'embedded', model: client.model, vectors: written, ms: Math.round(performance.now() - started) };
    } catch (error) {
      if (!(error instanceof EmbeddingError) || (error.transient && !lastAttempt)) throw error;
      log.warn({ contentId: content.id, tenantId: content.tenantId, reason: error.message }, 'document left without vectors');
      return { status: 'failed', warning: vectorWarning(error), ms: Math.round(performance.now() - started) };
    }
  };

  // A hint, not data: a count a minute old only picks the slower of two complete searches.
  const vectorCounts = createTtlCache<string, number>({ ttlMs: 60_000, maxEntries: 10_000 });
  const vectorSearch: VectorSearch = async (tenantId, query, { topK: requested, fileIds, tags, usage }) => {
    if (!deps.vectorsAvailable()) return null;
    const topK = Math.min(1000, Math.max(1, Math.trunc(requested) || 1));
    let embedder: TenantEmbedder | null;
    let vector: number[];
    try {
      embedder = await providerFor(tenantId, 'query');
      if (!embedder) return null;
      [vector] = (await embedAndRecord(embedder, [query], usage && { tenantId, ...usage })) as [number[]];
    } catch (error) {
      if (!(error instanceof EmbeddingError)) throw error;
      log.warn({ tenantId, reason: error.message }, 'query not embedded: vector search skipped');
      return null;
    }
    const request = { model: embedder.client.model, vector, topK, fileIds, tags };
    const small = (await vectorCounts.get(`${tenantId} ${request.model}`, () => repo.vectorCountUpTo(tenantId, request.model, EXACT_BELOW))) < EXACT_BELOW;
    let rows = await repo.nearest(tenantId, { ...request, exact: small });
    // HNSW gives up after hnsw.max_scan_tuples, as for a small tenant among many: search it exactly.
    if (!small && rows.length < topK && vectorIndexFor(vector.length)) rows = await repo.nearest(tenantId, { ...request, exact: true });
    return rows.map((r) => ({ chunkId: r.chunkId, similarity: 1 - r.distance }));
  };

  /**
   * Queues vector-only jobs for the tenant's completed documents (all of them, or with
   * `onlyMissing` those lacking vectors of the current model). Returns how many were queued.
   */
  async function reembedTenant(tenantId: string, { onlyMissing = false }: { onlyMissing?: boolean } = {}): Promise<number> {
    if (!deps.vectorsAvailable() || !(await deps.credentials.hasEmbeddingKey(tenantId))) return 0;
    const model = embeddingModelOf(await tenants.settings(tenantId));
    const ids = await repo.completedContentIds(tenantId, { model, onlyMissing });
    const queued = await jobs.enqueueEmbed(tenantId, ids);
    if (queued > 0) deps.onEnqueued?.();
    log.info({ tenantId, model, queued, onlyMissing }, 'documents queued for embedding');
    return queued;
  }

  /** Queues a vector-only job for one completed document (renamed: its passages are embedded with the title). */
  async function reembedDocument(tenantId: string, contentId: string): Promise<number> {
    if (!deps.vectorsAvailable() || !(await deps.credentials.hasEmbeddingKey(tenantId))) return 0;
    const queued = await jobs.enqueueEmbed(tenantId, [contentId]);
    if (queued > 0) deps.onEnqueued?.();
    return queued;
  }

  return {
    embedDocument,
    vectorSearch,
    reembedTenant,
    reembedDocument,

    /**
     * Sets the tenant's embedding model and, when it changed, re-embeds its documents: vectors of
     * two models do not compare, so search only ever uses those of the current one.
     * (The tenant-settings PATCH calls this.)
     */
    async changeEmbeddingModel(tenantId: string, model: string): Promise<{ changed: boolean; queued: number }> {
      const before = embeddingModelOf(await tenants.settings(tenantId));
      await tenants.updateSettings(tenantId, { embedding_model: model });
      if (before === model) return { changed: false, queued: 0 };
      return { changed: true, queued: await reembedTenant(tenantId) };
    },

    /** Vectors stored for a document, by model. */
    vectorCounts: (tenantId: string, contentId: string) => (deps.vectorsAvailable() ? repo.countsFor(tenantId, contentId) : Promise.resolve([])),
  };
}

export type EmbeddingsService = ReturnType<typeof createEmbeddingsService>;
