import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from './config.js';
import { trackRequest } from './db/foreground.js';
import { openDatabase, type DatabaseHandle } from './db/client.js';
import { installAuthHooks } from './http/auth-hook.js';
import { registerDocs } from './http/docs.js';
import { clientErrorHandler, installErrorHandler, renderRouterError } from './http/error-handler.js';
import type { RateLimitRule } from './http/rate-limit.js';
import { registerPublicUrl } from './http/public-url.js';
import { installSecurityHeaders } from './http/security-headers.js';
import { installNulGuard, installValidationMessages } from './http/validation.js';
import { apiCompatRoutes } from './modules/api-compat/api-compat.routes.js';
import { apiKeysRoutes } from './modules/api-keys/api-keys.routes.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { billingRoutes } from './modules/billing/index.js';
import { chatRoutes } from './modules/chat/chat.routes.js';
import { conversationsRoutes } from './modules/chat/conversations.routes.js';
import { analyticsRoutes } from './modules/analytics/analytics.routes.js';
import { inboxRoutes } from './modules/inbox/inbox.routes.js';
import { contentsRoutes } from './modules/sources/contents/contents.routes.js';
import { faqRoutes } from './modules/sources/faq/faq.routes.js';
import { websitesRoutes } from './modules/sources/websites/websites.routes.js';
import { MAX_UPLOAD_BYTES } from './modules/sources/contents/contents.schemas.js';
import { prepareVectorStorage, type EmbeddingsService } from './modules/embeddings/index.js';
import { handoffRoutes } from './modules/handoff/handoff.routes.js';
import { healthRoutes } from './modules/health/health.routes.js';
import { retrievalRoutes } from './modules/retrieval/retrieval.routes.js';
import { teamRoutes } from './modules/team/team.routes.js';
import { tenantsRoutes } from './modules/tenants/tenants.routes.js';
import { twoFactorRoutes } from './modules/two-factor/two-factor.routes.js';
import { usageRoutes, type UsageService } from './modules/usage/index.js';
import { webRoutes } from './modules/web/web.routes.js';
import { webhooksRoutes } from './modules/webhooks/webhooks.routes.js';
import { widgetKeyRoutes } from './modules/widget/widget-key.routes.js';
import { widgetScriptRoutes } from './modules/widget/widget-script.routes.js';
import { widgetRoutes } from './modules/widget/widget.routes.js';
import { projectRoot, webDistDir, widgetBundlePath } from './paths.js';
import { createServices, type ServiceOptions } from './services.js';


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

/** Builds the whole app from a Config, without listening. Tests build exactly this. */
export async function createApp(config: Config, options: ServiceOptions = {}): Promise<FastifyInstance> {
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

  const services = createServices(config, database, app.log, options);
  const { auth, twoFactor, chat, planLimits, usage } = services;
  app.decorate('embeddings', services.embeddings);
  app.decorate('usage', usage);
  app.addHook('onReady', async () => services.startBackground());
  // Runs before the database closes (hooks registered later run first on close).
  app.addHook('onClose', () => services.stop());

  const limits = routeRateLimits(config.rateLimits);
  const { cookieSecure } = config;
  installAuthHooks(app, { authenticate: auth.authenticate, limiter: services.limiter });
  await registerDocs(app, { version });

  // Every module, in one visible list.
  await app.register(healthRoutes({ database, redisConfigured: Boolean(config.redisUrl), version }));
  await app.register(authRoutes({ auth, authRateLimit: limits.auth, registerRateLimit: limits.register, passwordRateLimit: limits.password, cookieSecure }), { prefix: '/api/v1/auth' });
  await app.register(twoFactorRoutes({ auth, twoFactor }), { prefix: '/api/v1/auth/2fa' });
  await app.register(teamRoutes({ team: services.team, authRateLimit: limits.auth }), { prefix: '/api/v1' });
  await app.register(contentsRoutes({ contents: services.contents, uploadRateLimit: limits.upload }), { prefix: '/api/v1/contents' });
  await app.register(faqRoutes({ faq: services.faq }), { prefix: '/api/v1/faq' });
  await app.register(websitesRoutes({ websites: services.websites }), { prefix: '/api/v1/sources/websites' });
  await app.register(retrievalRoutes({ retrieval: services.retrieval, searchRateLimit: limits.search }), { prefix: '/api/v1' });
  await app.register(tenantsRoutes({ tenants: services.tenants }), { prefix: '/api/v1/tenants' });
  await app.register(widgetKeyRoutes({ keys: services.widgetKeys }), { prefix: '/api/v1/tenants' });
  await app.register(chatRoutes({ chat, chatRateLimit: limits.chat, limits: planLimits }), { prefix: '/api/v1/chats' });
  await app.register(
    widgetRoutes({
      chat,
      guard: services.widgetGuard,
      fileLinks: services.fileLinks,
      files: services.contents,
      tenants: services.tenantCache,
      fileRateLimit: limits.widgetFile,
      handoff: services.handoff,
      conversations: services.conversations,
    }),
    { prefix: '/api/v1/chats/widget' },
  );
  await app.register(widgetScriptRoutes({ scriptPath: widgetBundlePath }));
  await app.register(conversationsRoutes({ conversations: services.conversations }), { prefix: '/api/v1/conversations' });
  await app.register(handoffRoutes({ handoff: services.handoff }), { prefix: '/api/v1/conversations' });
  await app.register(analyticsRoutes({ analytics: services.analytics }), { prefix: '/api/v1/analytics' });
  await app.register(inboxRoutes({ inbox: services.inbox, reaskRateLimit: limits.chat }), { prefix: '/api/v1/inbox' });
  await app.register(apiKeysRoutes({ apiKeys: services.apiKeys }), { prefix: '/api/v1/api-keys' });
  await app.register(webhooksRoutes({ webhooks: services.webhooks }), { prefix: '/api/v1/webhooks' });
  await app.register(usageRoutes({ usage }), { prefix: '/api/v1/stats' });
  await app.register(billingRoutes({ billing: services.billing, webhook: services.billingWebhook }), { prefix: '/api/v1/billing' });
  await app.register(apiCompatRoutes({ auth, twoFactor, authRateLimit: limits.auth, registerRateLimit: limits.register, cookieSecure }), { prefix: '/api' });
  // Last: the dashboard answers GET for every path the API does not own (SPA fallback).
  await app.register(webRoutes({ distDir: webDistDir }));

  return app;
}

/** The per-route limits (the widget's are the widget guard's, in services.ts). */
function routeRateLimits(rateLimits: Config['rateLimits']) {
  const perMinute = (name: string, points: number, per?: RateLimitRule['per']): RateLimitRule => ({ name, points, durationSeconds: 60, ...(per ? { per } : {}) });
  return {
    // Per address only a flood ceiling: sign-in attempts are counted per account and failures per address
    // (src/modules/auth/login-guard.ts), so an office behind one NAT address can log in together.
    auth: perMinute('auth-address', rateLimits.authAddressPerMinute),
    // Creating tenants is not something an office does together: per address (docs/decisions.md D10).
    register: perMinute('register', rateLimits.authPerMinute),
    password: perMinute('password-change', rateLimits.authPerMinute, 'user'),
    upload: perMinute('upload', rateLimits.uploadPerMinute),
    search: perMinute('search', rateLimits.searchPerMinute),
    chat: perMinute('chat', rateLimits.chatPerMinute, 'user'),
    // Visitors opening cited files from the widget: per address, as generous as the widget chat.
    widgetFile: perMinute('widget-file', rateLimits.widgetIpPerMinute),
  };
}
