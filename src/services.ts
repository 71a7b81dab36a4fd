/**
 * The object graph, built once. `serve` (app.ts, which adds the routes) and `worker` (cli.ts, which
 * only runs the ingestion worker) both start from `createServices`.
 *
 * How services get what they need, everywhere:
 * - A service receives `db` and builds the repos it queries itself — its own module's or another's,
 *   `createXRepo(db)`, or `createXRepo(tx)` inside a transaction. This file never builds a repo.
 * - What it needs from another module comes as that module's service, or as one of its functions
 *   (`onEnqueued`, `reembed`…), never as a repo; and as the smallest type that serves (`Pick<…>`).
 * - Config reaches a service as the part it reads (`config.llm`, `config.embeddings`…), once, here.
 * - What runs in the background starts and stops through its owner (`start()`/`stop()`); the
 *   owner decides what starting involves (the worker re-queues interrupted jobs on PGlite, the
 *   sweeper's first run is immediate there). `startBackground`/`stop` below only say when.
 */
import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';
import { resolveAppSecrets } from './app-secrets.js';
import type { Config } from './config.js';
import type { Database, DatabaseHandle } from './db/client.js';
import { createRateLimiter } from './http/rate-limit.js';
import { createSecretBox } from './lib/secret-box.js';
import { createApiKeysService } from './modules/api-keys/api-keys.service.js';
import { createProviderCredentials } from './modules/api-keys/provider-credentials.js';
import { createAuthService } from './modules/auth/auth.service.js';
import { createLoginGuard } from './modules/auth/login-guard.js';
import { createTokenService } from './modules/auth/tokens.js';
import { createBillingService, createBillingWebhook, createPlanLimitsService, createStripeClient } from './modules/billing/index.js';
import { createAnalyticsService } from './modules/analytics/analytics.service.js';
import { createChatModels } from './modules/chat/chat-models.js';
import { createChatService } from './modules/chat/chat.service.js';
import { createConversationsService } from './modules/chat/conversations.service.js';
import { createInboxService } from './modules/inbox/inbox.service.js';
import { usageContextOf } from './modules/usage/usage-recorder.js';
import { createContentsService } from './modules/sources/contents/contents.service.js';
import { createFaqService } from './modules/sources/faq/faq.service.js';
import { createOrphanSweeper } from './modules/sources/contents/orphan-files.js';
import { openFileStorage } from './modules/sources/contents/storage/open-file-storage.js';
import { createEmbeddingsService } from './modules/embeddings/index.js';
import { crawlQueue, ingestionQueue, webhookQueue } from './modules/sources/ingestion/ingestion-queue.js';
import { createWebhookDeliveryRunner } from './modules/webhooks/delivery-runner.js';
import { createWebhookEvents } from './modules/webhooks/webhook-events.js';
import { createWebhooksService } from './modules/webhooks/webhooks.service.js';
import { createOutboundFetch } from './lib/outbound/outbound-fetch.js';
import { createCrawlRunner } from './modules/sources/websites/crawl-job.js';
import { createCrawlScheduler } from './modules/sources/websites/crawl-scheduler.js';
import { createPageDocuments } from './modules/sources/websites/page-documents.js';
import { createWebsitesService } from './modules/sources/websites/websites.service.js';
import { createIngestionWorker } from './modules/sources/ingestion/ingestion.worker.js';
import { createProviderEndpoints } from './modules/llm/index.js';
import { createRetrievalService } from './modules/retrieval/retrieval.service.js';
import { createTeamService } from './modules/team/team.service.js';
import { createHandoffService, type HandoffRequested } from './modules/handoff/handoff.service.js';
import { createTenantCache } from './modules/tenants/tenant-cache.js';
import { createTenantsService } from './modules/tenants/tenants.service.js';
import { createTwoFactorService } from './modules/two-factor/two-factor.service.js';
import { createPriceTable, createUsageService } from './modules/usage/index.js';
import { createFileLinks } from './modules/widget/file-links.js';
import { createWidgetGuard } from './modules/widget/widget-guard.js';
import { createWidgetKeysService } from './modules/widget/widget-keys.service.js';

/**
 * How long an instance may keep using a tenant row, provider keys or a monthly answer count that
 * another instance changed (this instance drops its own copy at once). Short enough that a rotated
 * or deleted key dies everywhere within seconds, long enough that a busy tenant's questions read
 * them about once per 5 s instead of on every request.
 */
export const SHARED_STATE_TTL_MS = 5_000;

/** What a test may replace beside the config: the clock (business hours are read against it). */
export interface ServiceOptions {
  now?: () => Date;
}

export function createServices(config: Config, database: DatabaseHandle, log: FastifyBaseLogger, options: ServiceOptions = {}) {
  const now = options.now ?? (() => new Date());
  const { db } = database;
  // Only this process can have the embedded database open: nothing else is running or uploading.
  const soleProcess = database.driver === 'pglite';
  const secrets = resolveAppSecrets(config, log);
  const box = createSecretBox(secrets.encryptionKey);

  const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false }) : undefined;
  redis?.on('error', (error) => log.warn({ err: error }, 'Redis unavailable: rate limits fall back to this instance'));
  const limiter = createRateLimiter({ redis, keyPrefix: config.redisKeyPrefix });

  // What every question reads — the tenant row, its provider keys — is held in this process and
  // dropped by the code that changes it; other instances see a change within SHARED_STATE_TTL_MS.
  const tenantCache = createTenantCache({ db, ttlMs: SHARED_STATE_TTL_MS });
  // Where each provider key's requests go; a tenant's own base_url only through the SSRF guard.
  const endpoints = createProviderEndpoints(config.providerUrls, config.outbound);
  const credentials = createProviderCredentials({ db, box, endpoints, ttlMs: SHARED_STATE_TTL_MS });
  // Every model call (embeddings, chat, rewrites) is recorded through this one service.
  const usage = createUsageService({ db, log, prices: createPriceTable(config.modelPrices) });
  // Documents, storage, messages a month and members per plan; enforced by contents, team, chat and widget.
  const planLimits = createPlanLimitsService({ db, limits: config.planLimits, tenants: tenantCache, countTtlMs: SHARED_STATE_TTL_MS });
  const storage = openFileStorage(config);

  const embeddings = createEmbeddingsService({
    db,
    credentials,
    tenants: tenantCache,
    vectorsAvailable: () => database.vectorSearch,
    log,
    options: config.embeddings,
    onEnqueued: () => ingestion.wake(),
    usage,
  });
  // Crawled pages become documents the way uploads do; crawls run as jobs of the same worker.
  const pageDocuments = createPageDocuments({ db, storage, ingestion: ingestionQueue(() => ingestion.wake()), limits: planLimits });
  // Crawls and webhook deliveries fetch through the SSRF guard; a redirect comes back to them, never followed blindly.
  const outboundFetch = createOutboundFetch(config.outbound, { returnRedirects: true });
  // Signed webhooks: events become deliveries on the same queue.
  const webhookEvents = createWebhookEvents({ db, queue: webhookQueue(() => ingestion.wake()), options: config.webhooks });
  const webhook = createWebhookDeliveryRunner({ db, box, fetch: outboundFetch, options: config.webhooks, log });
  const crawl = createCrawlRunner({
    db,
    fetch: outboundFetch,
    limits: config.crawl,
    documents: pageDocuments,
    log,
    now,
    onFinished: (tenantId, data) => webhookEvents.emit(undefined, tenantId, 'website.synced', data),
  });
  const ingestion = createIngestionWorker(
    {
      db,
      storage,
      log,
      embedder: embeddings,
      soleProcess,
      limits: config.extraction,
      crawl,
      webhook,
      onDocumentFinished: (tx, tenantId, outcome, data) => webhookEvents.emit(tx, tenantId, outcome === 'completed' ? 'document.completed' : 'document.failed', data),
      onPoll: createCrawlScheduler(db, config.crawlSchedule, now),
    },
    config.ingestion,
  );
  const orphanSweeper = createOrphanSweeper({ db, storage, log, soleProcess }, config.orphanFileSeconds);

  const twoFactor = createTwoFactorService({ db, box, recoveryKey: secrets.recoveryCodeKey, limiter });
  const auth = createAuthService({ db, tokens: createTokenService(secrets.jwtKey), twoFactor, loginGuard: createLoginGuard(limiter, config.rateLimits) });
  // Hybrid when the tenant has an embedding key and pgvector is there; the chat takes this same service.
  // FAQ entries: answered verbatim when a question matches one, else passages beside the documents'.
  const faq = createFaqService({ db, ttlMs: SHARED_STATE_TTL_MS });
  const retrieval = createRetrievalService({
    db,
    log,
    vectorSearch: embeddings.vectorSearch,
    faqPassages: async (tenantId, question, limit) => (await faq.passages(tenantId, question, limit)).map(({ entry, score }) => ({ ...entry, score })),
  });
  // Widget visitors handed to a person: the inbox and the webhook hear of it in the transaction that marks the conversation.
  const handoff = createHandoffService({
    db,
    now,
    onHandoffRequested: async (tenantId: string, event: HandoffRequested, tx: Database) => {
      if (event.question) await inbox.record(tx, tenantId, { question: event.question, channel: event.channel, reason: 'handoff', conversationId: event.conversationId });
      await webhookEvents.emit(tx, tenantId, 'handoff.requested', { conversation_id: event.conversationId, question: event.question, channel: event.channel, requested_at: event.requestedAt.toISOString() });
    },
  });
  // The chat records its gaps in the inbox; the inbox re-asks through the chat (both called only after start-up).
  const inbox = createInboxService({
    db,
    createFaq: (principal, body) => faq.create(principal, body),
    preview: (principal, question) => chat.preview({ tenantId: principal.tenantId, visitorId: null, ...usageContextOf(principal) }, question),
    onItemCreated: async (tx, tenantId, item) => {
      await webhookEvents.emit(tx, tenantId, 'inbox.item_created', { item_id: item.id, question: item.question, reasons: item.reasons, channels: item.channels, first_seen_at: item.firstSeenAt.toISOString() });
    },
    log,
  });
  const chat = createChatService({
    db,
    tenants: tenantCache,
    retrieval,
    faqAnswer: async (tenantId, question) => {
      const hit = await faq.match(tenantId, question);
      return hit && { ...hit.entry, score: hit.score };
    },
    models: createChatModels({ credentials, llm: config.llm }),
    usage,
    handoff,
    onAnswered: planLimits.countAnswer,
    onGap: async (tx, tenantId, gap) => void (await inbox.record(tx, tenantId, gap)),
    log,
  });
  const websites = createWebsitesService({ db, queue: crawlQueue(ingestion.wake), documents: pageDocuments, outbound: config.outbound });
  const widgetKeys = createWidgetKeysService({ db, box, tenants: tenantCache, ttlMs: SHARED_STATE_TTL_MS });
  const { rateLimits } = config;

  return {
    database,
    limiter,
    storage,
    usage,
    embeddings,
    planLimits,
    auth,
    twoFactor,
    retrieval,
    faq,
    handoff,
    widgetKeys,
    tenantCache,
    fileLinks: createFileLinks(secrets.fileLinkKey),
    ingestion,
    team: createTeamService({ db, invitationTtlHours: config.invitationTtlHours, limits: planLimits, twoFactor }),
    websites,
    contents: createContentsService({
      db,
      storage,
      limits: planLimits,
      ingestion: ingestionQueue(ingestion.wake),
      reembed: embeddings.reembedDocument,
      // A crawled page whose document a person deleted is never crawled back into one.
      onRemoved: websites.documentRemovedByPerson,
    }),
    tenants: createTenantsService({ db, changeEmbeddingModel: embeddings.changeEmbeddingModel, onChanged: tenantCache.forget }),
    apiKeys: createApiKeysService({
      db,
      box,
      endpoints,
      llm: config.llm,
      outbound: config.outbound,
      onKeysChanged: credentials.forget,
      // Same server as before: only documents without vectors need them; another server: all, its vectors differ.
      onEmbeddingKeyChanged: (tenantId, change) => embeddings.reembedTenant(tenantId, { onlyMissing: !change.endpointChanged }),
    }),
    chat,
    inbox,
    conversations: createConversationsService({
      db,
      // A new 👎: an inbox occurrence and the webhook, in the rating's transaction.
      onRatedDown: async (tx, tenantId, rated) => {
        await inbox.record(tx, tenantId, rated);
        await webhookEvents.emit(tx, tenantId, 'answer.rated_down', {
          conversation_id: rated.conversationId,
          message_id: rated.messageId,
          channel: rated.channel,
          question: rated.question,
          answer: rated.answer,
          comment: rated.comment,
          rated_by: rated.ratedBy,
          rated_at: rated.ratedAt?.toISOString() ?? null,
        });
      },
    }),
    webhooks: createWebhooksService({ db, box, events: webhookEvents, outbound: config.outbound }),
    analytics: createAnalyticsService({ db }),
    widgetGuard: createWidgetGuard({
      keys: widgetKeys,
      limiter,
      limits: {
        perIp: { name: 'widget-ip', points: rateLimits.widgetIpPerMinute, durationSeconds: 60 },
        perKey: { name: 'widget-key', points: rateLimits.chatPerMinute, durationSeconds: 60 },
        perVisitor: { name: 'widget-visitor', points: rateLimits.widgetVisitorPerMinute, durationSeconds: 60 },
      },
      monthlyMessages: planLimits.monthlyMessages,
    }),
    billing: createBillingService({ db, stripe: createStripeClient(config.billing), config: config.billing, limits: planLimits, log }),
    billingWebhook: createBillingWebhook({ db, config: config.billing, log, onTenantChanged: tenantCache.forget }),

    /** What a server runs beside its routes: the orphan sweep, and the ingestion worker when INGESTION_WORKER=inline. */
    startBackground() {
      if (config.ingestion.inline) ingestion.start();
      orphanSweeper.start();
    },
    /** Stops what runs in the background (waiting for the work in hand) and Redis; the database is the caller's to close. */
    async stop() {
      await Promise.all([ingestion.stop(), orphanSweeper.stop()]);
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}
