import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../http/errors.js';
import { errorResponses } from '../../http/error-schema.js';
import type { RateLimitRule } from '../../http/rate-limit.js';
import { principalOf } from '../../http/request-context.js';
import { clientInfo, messageResponseSchema, publicSecurity, userSecurity } from '../../http/route-helpers.js';
import {
  changePasswordBodySchema,
  loginBodySchema,
  meResponseSchema,
  refreshBodySchema,
  registerBodySchema,
  registeredUserSchema,
  tokenResponseSchema,
} from './auth.schemas.js';
import type { AuthService, SessionTokens } from './auth.service.js';
import { clearSessionCookies, REFRESH_COOKIE, setSessionCookies } from './cookies.js';
import { ACCESS_TOKEN_SECONDS } from './tokens.js';
import type { UserRow } from './users.repo.js';
import { inRequestLanguage } from '../../http/language.js';

export interface AuthRoutesDeps {
  auth: AuthService;
  /** Every public auth route: a per-address flood ceiling (sign-ins are limited per account by the login guard). */
  authRateLimit: RateLimitRule;
  /** Registration: per address. */
  registerRateLimit: RateLimitRule;
  /** Password change: per user (it checks the current password). */
  passwordRateLimit: RateLimitRule;
  cookieSecure: boolean;
}

const tags = ['auth'];

export function toMeResponse(user: UserRow) {
  return {
    id: user.id,
    email: user.email,
    username: user.username,
    role: user.role,
    tenant_id: user.tenantId,
    is_active: user.isActive,
    is_verified: user.isVerified,
    two_factor_enabled: user.totpSecret !== null,
  };
}

/** Register, login and me (docs/decisions.md C1), plus refresh, logout and password change (D5). */
export function authRoutes(deps: AuthRoutesDeps): FastifyPluginAsyncZod {
  const { auth, authRateLimit: rateLimit, registerRateLimit, passwordRateLimit, cookieSecure } = deps;
  const tokenResponse = (tokens: SessionTokens) => ({
    access_token: tokens.accessToken,
    refresh_token: tokens.refreshToken,
    token_type: 'bearer' as const,
    expires_in: ACCESS_TOKEN_SECONDS,
  });

  return async (app) => {
    app.post('/register', {
      config: { auth: 'public', rateLimit: registerRateLimit },
      schema: {
        operationId: 'register',
        security: publicSecurity,
        tags,
        summary: 'Register: creates a tenant and its first user, an ADMIN',
        description: 'The domain must be new: users join an existing tenant only by invitation.',
        body: registerBodySchema,
        response: { 201: registeredUserSchema, ...errorResponses(409, 422, 429) },
      },
      handler: async (request, reply) => {
        const { email, username, password, tenant_name, tenant_domain } = request.body;
        const user = await auth.createTenantWithAdmin({ email, username, password, tenantName: tenant_name, domain: tenant_domain });
        return reply.status(201).send({ id: user.id, email: user.email!, username: user.username, tenant_id: user.tenantId, role: user.role });
      },
    });

    app.post('/login', {
      config: { auth: 'public', rateLimit },
      schema: {
        operationId: 'login',
        security: publicSecurity,
        tags,
        summary: 'Log in with email and password (and totp_code when 2FA is on)',
        description: 'Also sets HttpOnly SameSite=Strict cookies for browser clients.',
        body: loginBodySchema,
        response: { 200: tokenResponseSchema, ...errorResponses(401, 422, 429) },
      },
      handler: async (request, reply) => {
        const { email, password, totp_code } = request.body;
        const { session } = await auth.loginByEmail(email, { password, totpCode: totp_code }, clientInfo(request));
        setSessionCookies(reply, cookieSecure, { access: session.accessToken, refresh: session.refreshToken });
        return tokenResponse(session);
      },
    });

    app.post('/refresh', {
      config: { auth: 'public', rateLimit },
      schema: {
        operationId: 'refreshTokens',
        security: publicSecurity,
        tags,
        summary: 'Exchange a refresh token for new tokens (the old one is spent)',
        description: 'Reusing a spent refresh token ends the whole session. A suspended tenant’s sessions are refused with 403.',
        body: refreshBodySchema,
        response: { 200: tokenResponseSchema, ...errorResponses(401, 403, 422, 429) },
      },
      handler: async (request, reply) => {
        const token = request.body?.refresh_token ?? request.cookies[REFRESH_COOKIE];
        if (!token) throw new AppError('AUTHENTICATION_ERROR', { ja: 'セッションが終了しました。もう一度ログインしてください（API では本文に refresh_token を送ってください）。', en: 'Send refresh_token in the body (or the refresh cookie)' });
        const session = await auth.refresh(token);
        setSessionCookies(reply, cookieSecure, { access: session.accessToken, refresh: session.refreshToken });
        return tokenResponse(session);
      },
    });

    app.post('/logout', {
      config: { auth: 'user' },
      schema: {
        operationId: 'logout',
        tags,
        security: userSecurity,
        summary: 'Log out: this session’s access and refresh tokens stop working at once',
        response: { 200: messageResponseSchema, ...errorResponses(401) },
      },
      handler: async (request, reply) => {
        await auth.logout(principalOf(request));
        clearSessionCookies(reply, cookieSecure);
        return { message: inRequestLanguage(request, { ja: 'ログアウトしました。', en: 'Logged out' }) };
      },
    });

    app.get('/me', {
      config: { auth: 'user' },
      schema: { operationId: 'getCurrentUser', tags, security: userSecurity, summary: 'The current user', response: { 200: meResponseSchema, ...errorResponses(401) } },
      handler: async (request) => toMeResponse(await auth.currentUser(principalOf(request))),
    });

    app.post('/password', {
      config: { auth: 'user', rateLimit: passwordRateLimit },
      schema: {
        operationId: 'changePassword',
        tags,
        security: userSecurity,
        summary: 'Change password; every other session is logged out',
        body: changePasswordBodySchema,
        response: { 200: messageResponseSchema, ...errorResponses(401, 422, 429) },
      },
      handler: async (request) => {
        await auth.changePassword(principalOf(request), { currentPassword: request.body.current_password, newPassword: request.body.new_password });
        return { message: inRequestLanguage(request, { ja: 'パスワードを変更しました。', en: 'Password changed' }) };
      },
    });
  };
}
