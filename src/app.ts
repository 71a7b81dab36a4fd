import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { Redis } from 'ioredis';
import { resolveAppSecrets } from './app-secrets.js';
import type { Config } from './config.js';
import { trackRequest } from './db/foreground.js';
import { openDatabase, type DatabaseHandle } from './db/client.js';
import { installAuthHooks } from './http/auth-hook.js';
import { registerDocs } from './http/docs.js';
import { clientErrorHandler, installErrorHandler, renderRouterError } from './http/error-handler.js';
import { createRateLimiter, type RateLimitRule } from './http/rate-limit.js';
import { registerPublicUrl } from './http/public-url.js';
import { installSecurityHeaders } from './http/security-headers.js';
import { installNulGuard, installValidationMessages } from './http/validation.js';
import { checkOutboundUrl } from './lib/outbound/outbound-fetch.js';
import { createSecretBox } from './lib/secret-box.js';
import { createActiveKeys } from './modules/api-keys/active-keys.js';
import { createApiKeysRepo } from './modules/api-keys/api-keys.repo.js';
import { apiKeysRoutes } from './modules/api-keys/api-keys.routes.js';
import { createApiKeysService } from './modules/api-keys/api-keys.service.js';
import { billingRoutes, createBillingService, createBillingWebhook, createPlanLimitsService, createStripeClient } from './modules/billing/index.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { createAuthService } from './modules/auth/auth.service.js';
import { createLoginGuard } from './modules/auth/login-guard.js';
import { createSessionsRepo } from './modules/auth/sessions.repo.js';
import { simpleApiRoutes } from './modules/auth/simple-api.routes.js';
import { createTokenService } from './modules/auth/tokens.js';
import { createUsersRepo } from './modules/auth/users.repo.js';
import { contentsRoutes } from './modules/contents/contents.routes.js';
import { MAX_UPLOAD_BYTES } from './modules/contents/contents.schemas.js';
import { chatRoutes } from './modules/chat/chat.routes.js';
import { createChatModels } from './modules/chat/chat-models.js';
import { createChatService } from './modules/chat/chat.service.js';
import { createConversationsRepo } from './modules/chat/conversations.repo.js';
import { conversationsRoutes } from './modules/chat/conversations.routes.js';
import { createConversationsService } from './modules/chat/conversations.service.js';
import { createContentsRepo } from './modules/contents/contents.repo.js';
import { createContentsService } from './modules/contents/contents.service.js';
import { createOrphanSweeper } from './modules/contents/orphan-files.js';
import { openFileStorage } from './modules/contents/storage/open-file-storage.js';
import { createEmbeddingsService, prepareVectorStorage, type EmbeddingsService } from './modules/embeddings/index.js';
import { healthRoutes } from './modules/health/health.routes.js';
import { createIngestionWorker } from './modules/ingestion/ingestion.worker.js';
import { createJobsRepo } from './modules/ingestion/jobs.repo.js';
import { createChatModel, createProviderEndpoints, verifyProviderKey } from './modules/llm/index.js';
import { retrievalRoutes } from './modules/retrieval/retrieval.routes.js';
import { createRetrievalService } from './modules/retrieval/retrieval.service.js';
import { createTeamRepo } from './modules/team/team.repo.js';
import { teamRoutes } from './modules/team/team.routes.js';
import { createTeamService } from './modules/team/team.service.js';
import { createTenantCache } from './modules/tenants/tenant-cache.js';
import { createTenantsRepo } from './modules/tenants/tenants.repo.js';
import { tenantsRoutes } from './modules/tenants/tenants.routes.js';
import { createTenantsService } from './modules/tenants/tenants.service.js';
import { createWidgetGuard } from './modules/widget/widget-guard.js';
import { widgetKeyRoutes } from './modules/widget/widget-key.routes.js';
import { createWidgetKeysRepo } from './modules/widget/widget-keys.repo.js';
import { createWidgetKeysService } from './modules/widget/widget-keys.service.js';
import { widgetRoutes } from './modules/widget/widget.routes.js';
import { widgetScriptRoutes } from './modules/widget/widget-script.routes.js';
import { webRoutes } from './modules/web/web.routes.js';
import { createTwoFactorRepo } from './modules/two-factor/two-factor.repo.js';
import { twoFactorRoutes } from './modules/two-factor/two-factor.routes.js';
import { createTwoFactorService } from './modules/two-factor/two-factor.service.js';
import { createPriceTable, createUsageService, usageRoutes, type UsageService } from './modules/usage/index.js';
import { projectRoot, webDistDir, widgetBundlePath } from './paths.js';


export const version: string = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')).version;

declare module 'fastify' {
  interface FastifyInstance {
    database: DatabaseHandle;
    /** Vector search, re-embedding and the ingestion hook; the retrieval and tenant-settings modules use it. */
    embeddings: EmbeddingsService;
    /** Records model calls (the chat module's too) and answers GET /api/v1/stats/usage. */
    usage: UsageService;
  }
}

const BODY_LIMIT_BYTES = 1024 * 1024;
/**
 * How long an instance may keep using a tenant row, provider keys or a monthly answer count that
 * another instance changed (this instance drops its own copy at once). Short enough that a rotated
 * or deleted key dies everywhere within seconds, long enough that a busy tenant's questions read
 * them about once per 5 s instead of on every request.
 */
const SHARED_STATE_TTL_MS = 5_000;

/** Builds the whole app from a Config, without listening. Tests build exactly this. */
export async function createApp(config: Config): Promise<FastifyInstance> {
  installValidationMessages();
  const app = Fastify({
    logger: { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]'] },
    // Honour a caller's X-Request-Id when it is sane, so logs can be followed across services.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    trustProxy: config.trustProxy,
    bodyLimit: BODY_LIMIT_BYTES,
    // Requests refused by Node's HTTP parser (oversized headers…) get our error shape too.
    clientErrorHandler,
    routerOptions: { ignoreTrailingSlash: true },
    frameworkErrors: renderRouterError,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  installNulGuard(app);
  registerPublicUrl(app, config.publicUrl);
  // Routes take JSON (or multipart). Fastify's built-in text/plain parser would hand the schema a
  // string and turn a wrong Content-Type into a 422 instead of 415 (docs/decisions.md D9).
  app.removeContentTypeParser('text/plain');
  app.addHook('onSend', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
  });
  installSecurityHeaders(app);
  await app.register(fastifyCookie);
  // One file per upload, streamed: the 100 MB limit is enforced while reading (→ 413).
  await app.register(fastifyMultipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10, fieldSize: 64 * 1024, parts: 12 } });

  const database = await openDatabase(config.database);
  app.decorate('database', database);
  app.addHook('onClose', () => database.close());
  // Indexing on PGlite lets requests go first (src/db/foreground.ts).
  if (database.driver === 'pglite') app.addHook('onRequest', async (_request, reply) => trackRequest(reply.raw));
  await database.migrate();
  await prepareVectorStorage(database, app.log, config.vectorIndex);

  const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false }) : undefined;
  if (redis) {
    redis.on('error', (error) => app.log.warn({ err: error }, 'Redis unavailable: rate limits fall back to this instance'));
    app.addHook('onClose', async () => void (await redis.quit().catch(() => redis.disconnect())));
  }

  const secrets = resolveAppSecrets(config, app.log);
  const { db } = database;
  // What every question reads — the tenant row, its provider keys — is held in this process and
  // dropped by the code that changes it; other instances see a change within this time (README).
  const tenantsRepo = createTenantsRepo(db);
  const tenantCache = createTenantCache({ tenants: tenantsRepo, ttlMs: SHARED_STATE_TTL_MS });
  const apiKeysRepo = createApiKeysRepo(db);
  const activeKeys = createActiveKeys({ repo: apiKeysRepo, ttlMs: SHARED_STATE_TTL_MS });
  const limiter = createRateLimiter({ redis, keyPrefix: config.redisKeyPrefix });
  // Per address only a flood ceiling: sign-in attempts are counted per account and failures per address
  // (src/modules/auth/login-guard.ts), so an office behind one NAT address can log in together.
  const authRateLimit: RateLimitRule = { name: 'auth-address', points: config.rateLimits.authAddressPerMinute, durationSeconds: 60 };
  // Creating tenants is not something an office does together: per address (docs/decisions.md D10).
  const registerRateLimit: RateLimitRule = { name: 'register', points: config.rateLimits.authPerMinute, durationSeconds: 60 };
  const passwordRateLimit: RateLimitRule = { name: 'password-change', points: config.rateLimits.authPerMinute, durationSeconds: 60, per: 'user' };
  const users = createUsersRepo(db);
  const sessions = createSessionsRepo(db);
  const box = createSecretBox(secrets.encryptionKey);
  const twoFactor = createTwoFactorService({
    db,
    users,
    sessions,
    repo: createTwoFactorRepo(db),
    box,
    recoveryKey: secrets.recoveryCodeKey,
    limiter,
  });
  const auth = createAuthService({
    db,
    users,
    sessions,
    tokens: createTokenService(secrets.jwtKey),
    twoFactor,
    loginGuard: createLoginGuard(limiter, config.rateLimits),
  });
  // Documents, storage, messages a month and members per plan; enforced by contents, team, chat and widget.
  const planLimits = createPlanLimitsService({ db, limits: config.planLimits, tenants: tenantCache, countTtlMs: SHARED_STATE_TTL_MS });
  const team = createTeamService({
    db,
    users,
    sessions,
    team: createTeamRepo(db),
    invitationTtlHours: config.invitationTtlHours,
    limits: planLimits,
    twoFactor,
  });
  const cookieSecure = config.cookieSecure;
  const storage = openFileStorage(config);
  // Every model call (embeddings here, chat later) is recorded through this one service.
  const usage = createUsageService({ db, log: app.log, prices: createPriceTable(config.modelPrices) });
  app.decorate('usage', usage);
  // The worker wakes on new jobs through this late-bound callback (the worker needs the embedder first).
  let wakeWorker: (() => void) | undefined;
  // Where each provider key's requests go; a tenant's own base_url only through the SSRF guard.
  const endpoints = createProviderEndpoints(config.providerUrls, config.outbound);
  const embeddings = createEmbeddingsService({
    db,
    box,
    vectorsAvailable: () => database.vectorSearch,
    log: app.log,
    endpoints,
    options: config.embeddings,
    onEnqueued: () => wakeWorker?.(),
    usage,
    queryKeys: activeKeys,
    querySettings: async (tenantId) => (await tenantCache.get(tenantId))!.settings,
  });
  app.decorate('embeddings', embeddings);
  const apiKeys = createApiKeysService({
    repo: apiKeysRepo,
    onKeysChanged: activeKeys.forget,
    box,
    verifyKey: (key) => verifyProviderKey({ ...key, ...endpoints(key), ...config.llm }),
    checkBaseUrl: (url) => checkOutboundUrl(url, config.outbound),
    // Same server as before: only documents without vectors need them; another server: all, its vectors differ.
    onEmbeddingKeyChanged: (tenantId, change) => embeddings.reembedTenant(tenantId, { onlyMissing: !change.endpointChanged }),
  });
  const worker = config.ingestion.inline ? createIngestionWorker({ db, storage, log: app.log, embedder: embeddings }, config.ingestion) : undefined;
  wakeWorker = worker?.wake;
  if (worker) {
    app.addHook('onReady', async () => {
      // Only this process can have the embedded database open: documents marked as in progress
      // were interrupted by a crash or kill -9 of the previous one and can be taken up at once.
      if (database.driver === 'pglite') {
        const released = await createJobsRepo(db).releaseInterrupted();
        if (released > 0) app.log.warn({ jobs: released }, 'documents interrupted by the previous stop are queued again');
      }
      worker.start();
    });
    // Runs before the database closes (hooks registered later run first on close).
    app.addHook('onClose', () => worker.stop());
  }
  const contentsRepo = createContentsRepo(db);
  const contents = createContentsService({ db, storage, contents: contentsRepo, jobs: createJobsRepo(db), limits: planLimits, onEnqueued: worker?.wake, reembed: embeddings.reembedDocument });
  const orphanSweeper = createOrphanSweeper({ storage, contents: contentsRepo, log: app.log }, config.orphanFileSeconds);
  // No upload can be in flight before this process listens, and none elsewhere on the embedded
  // database (one process only): there the first sweep need not wait for the grace period.
  app.addHook('onReady', async () => orphanSweeper.start({ immediate: database.driver === 'pglite' }));
  app.addHook('onClose', () => orphanSweeper.stop());
  const uploadRateLimit: RateLimitRule = { name: 'upload', points: config.rateLimits.uploadPerMinute, durationSeconds: 60 };
  // Hybrid when the tenant has an embedding provider and pgvector is there; the chat module takes this same service.
  const retrieval = createRetrievalService({ db, log: app.log, vectorSearch: embeddings.vectorSearch });
  const searchRateLimit: RateLimitRule = { name: 'search', points: config.rateLimits.searchPerMinute, durationSeconds: 60 };

  const conversations = createConversationsRepo(db);
  const chat = createChatService({
    conversations,
    tenants: tenantCache,
    retrieval,
    models: createChatModels({ keys: activeKeys, box, createModel: (key) => createChatModel({ ...key, ...endpoints(key), ...config.llm }) }),
    usage,
    onAnswered: planLimits.countAnswer,
    log: app.log,
  });
  const chatRateLimit: RateLimitRule = { name: 'chat', points: config.rateLimits.chatPerMinute, durationSeconds: 60, per: 'user' };
  const widgetKeys = createWidgetKeysService({ repo: createWidgetKeysRepo(db), box, tenants: tenantCache, ttlMs: SHARED_STATE_TTL_MS });
  const widgetGuard = createWidgetGuard({
    keys: widgetKeys,
    limiter,
    limits: {
      perIp: { name: 'widget-ip', points: config.rateLimits.widgetIpPerMinute, durationSeconds: 60 },
      perKey: { name: 'widget-key', points: config.rateLimits.chatPerMinute, durationSeconds: 60 },
      perVisitor: { name: 'widget-visitor', points: config.rateLimits.widgetVisitorPerMinute, durationSeconds: 60 },
    },
    monthlyMessages: planLimits.monthlyMessages,
  });
  const billing = createBillingService({
    db,
    stripe: createStripeClient(config.billing),
    config: config.billing,
    limits: planLimits,
    log: app.log,
  });
  const billingWebhook = createBillingWebhook({ db, config: config.billing, log: app.log, onTenantChanged: tenantCache.forget });

  installAuthHooks(app, { authenticate: auth.authenticate, limiter });
  await registerDocs(app, { version });

  // Every module, in one visible list.
  await app.register(healthRoutes({ database, redisConfigured: redis !== undefined, version }));
  await app.register(authRoutes({ auth, authRateLimit, registerRateLimit, passwordRateLimit, cookieSecure }), { prefix: '/api/v1/auth' });
  await app.register(twoFactorRoutes({ auth, twoFactor }), { prefix: '/api/v1/auth/2fa' });
  await app.register(teamRoutes({ team, authRateLimit }), { prefix: '/api/v1' });
  await app.register(contentsRoutes({ contents, storage, uploadRateLimit }), { prefix: '/api/v1/contents' });
  await app.register(retrievalRoutes({ retrieval, searchRateLimit }), { prefix: '/api/v1' });
  await app.register(tenantsRoutes({ tenants: createTenantsService({ tenants: tenantsRepo, changeEmbeddingModel: embeddings.changeEmbeddingModel, onChanged: tenantCache.forget }) }), {
    prefix: '/api/v1/tenants',
  });
  await app.register(widgetKeyRoutes({ keys: widgetKeys }), { prefix: '/api/v1/tenants' });
  await app.register(chatRoutes({ chat, chatRateLimit, limits: planLimits }), { prefix: '/api/v1/chats' });
  await app.register(widgetRoutes({ chat, guard: widgetGuard }), { prefix: '/api/v1/chats/widget' });
  await app.register(widgetScriptRoutes({ scriptPath: widgetBundlePath }));
  await app.register(conversationsRoutes({ conversations: createConversationsService({ conversations }) }), { prefix: '/api/v1/conversations' });
  await app.register(apiKeysRoutes({ apiKeys }), { prefix: '/api/v1/api-keys' });
  await app.register(usageRoutes({ usage }), { prefix: '/api/v1/stats' });
  await app.register(billingRoutes({ billing, webhook: billingWebhook }), { prefix: '/api/v1/billing' });
  await app.register(simpleApiRoutes({ auth, twoFactor, authRateLimit, registerRateLimit, cookieSecure }), { prefix: '/api' });
  // Last: the dashboard answers GET for every path the API does not own (SPA fallback).
  await app.register(webRoutes({ distDir: webDistDir }));

  return app;
}
