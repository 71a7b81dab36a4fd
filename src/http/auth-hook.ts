import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ACCESS_COOKIE } from '../modules/auth/cookies.js';
import { assertSameOrigin, SAFE_METHODS } from './csrf.js';
import { AppError } from './errors.js';
import type { RateLimiter } from './rate-limit.js';
import type { Principal } from './request-context.js';

export interface AuthHookDeps {
  authenticate(accessToken: string): Promise<Omit<Principal, 'via'>>;
  limiter: RateLimiter;
}

/** Enforces each route's declared `config.rateLimit` and `config.auth`, in that order. */
export function installAuthHooks(app: FastifyInstance, deps: AuthHookDeps): void {
  app.addHook('onRequest', async (request, reply) => {
    const { rateLimit, auth } = request.routeOptions.config;
    const limit = async (key: string) => {
      const state = await deps.limiter.consume(rateLimit!, key);
      reply.header('X-RateLimit-Limit', state.limit);
      reply.header('X-RateLimit-Remaining', state.remaining);
      reply.header('X-RateLimit-Reset', state.resetSeconds);
    };
    if (rateLimit && rateLimit.per !== 'user') await limit(request.ip);
    // The widget route authenticates its own key (src/modules/widget), after its per-address limit.
    if (!auth || auth === 'public' || auth === 'widget') return;
    const credentials = readCredentials(request);
    if (!credentials) throw new AppError('AUTHENTICATION_ERROR', { ja: 'ログインしてください（API では "Authorization: Bearer <access_token>" を送ってください）。', en: 'Authentication required: send "Authorization: Bearer <access_token>"' });
    const principal = await deps.authenticate(credentials.token);
    if (credentials.via === 'cookie' && !SAFE_METHODS.has(request.method)) assertSameOrigin(request);
    if (auth === 'admin' && principal.role !== 'ADMIN') throw new AppError('PERMISSION_DENIED', { ja: 'この操作には ADMIN の権限が必要です。', en: 'This action requires the ADMIN role' });
    request.principal = { ...principal, via: credentials.via };
    if (rateLimit?.per === 'user') await limit(`user:${principal.userId}`);
  });
}

/** The Authorization header wins over the cookie, so API clients are never subject to CSRF rules. */
export function readCredentials(request: FastifyRequest): { token: string; via: Principal['via'] } | undefined {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) throw new AppError('AUTHENTICATION_ERROR', { ja: 'Authorization ヘッダーの形式が正しくありません（"Bearer <token>" の形にしてください）。', en: 'Malformed Authorization header: expected "Bearer <token>"' });
    return { token: match[1], via: 'bearer' };
  }
  const cookie = request.cookies[ACCESS_COOKIE];
  return cookie ? { token: cookie, via: 'cookie' } : undefined;
}
