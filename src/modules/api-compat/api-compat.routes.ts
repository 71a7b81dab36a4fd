import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { readCredentials } from '../../http/auth-hook.js';
import { assertSameOrigin } from '../../http/csrf.js';
import { AppError } from '../../http/errors.js';
import { errorResponses } from '../../http/error-schema.js';
import type { RateLimitRule } from '../../http/rate-limit.js';
import { principalOf } from '../../http/request-context.js';
import { clientInfo, publicSecurity, userSecurity } from '../../http/route-helpers.js';
import type { TwoFactorService } from '../two-factor/two-factor.service.js';
import type { AuthService } from '../auth/auth.service.js';
import { clearSessionCookies, setSessionCookies } from '../auth/cookies.js';
import {
  login2faBodySchema,
  login2faResponseSchema,
  profileResponseSchema,
  signupBodySchema,
  simpleLoginBodySchema,
  simpleLoginResponseSchema,
  statusSuccessSchema,
  tfaEnableBodySchema,
  tfaEnableResponseSchema,
  tfaSetupResponseSchema,
} from './api-compat.schemas.js';

export interface ApiCompatDeps {
  auth: AuthService;
  twoFactor: TwoFactorService;
  authRateLimit: RateLimitRule;
  registerRateLimit: RateLimitRule;
  cookieSecure: boolean;
}

const tags = ['auth (/api compatibility)'];

/** This surface answers 400 where v1 answers 401/409/422: same errors, its own statuses (docs/decisions.md C11). */
async function withCompatStatus<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof AppError && ['INVALID_CREDENTIALS', 'CONFLICT', 'BAD_REQUEST'].includes(error.code)) {
      throw new AppError(error.code, error.detail, { ...error.extra, status: 400 });
    }
    throw error;
  }
}

/** The /api compatibility surface (docs/decisions.md C11): the same users and sessions as /api/v1 (D3). */
export function apiCompatRoutes(deps: ApiCompatDeps): FastifyPluginAsyncZod {
  const { auth, twoFactor, authRateLimit: rateLimit, registerRateLimit, cookieSecure } = deps;
  const seedConfig = { rateLimit, validationStatus: 400 as const };

  return async (app) => {
    app.post('/signup/', {
      config: { auth: 'public', ...seedConfig, rateLimit: registerRateLimit },
      schema: {
        operationId: 'simpleSignup',
        security: publicSecurity,
        tags,
        summary: 'Sign up with a username (creates a personal tenant)',
        body: signupBodySchema,
        response: { 201: statusSuccessSchema, ...errorResponses(400, 429) },
      },
      handler: async (request, reply) => {
        const { username, password, email } = request.body;
        await withCompatStatus(auth.createTenantWithAdmin({ username, password, email: email ?? null, tenantName: username, domain: null }));
        return reply.status(201).send({ status: 'success' as const });
      },
    });

    app.post('/login/', {
      config: { auth: 'public', ...seedConfig },
      schema: {
        operationId: 'simpleLogin',
        security: publicSecurity,
        tags,
        summary: 'Log in with username and password; the JWT is also set as an HttpOnly cookie',
        description: 'Users with 2FA get 401 TWO_FACTOR_REQUIRED and log in through /api/login-2fa/.',
        body: simpleLoginBodySchema,
        response: { 200: simpleLoginResponseSchema, ...errorResponses(400, 401, 429) },
      },
      handler: async (request, reply) => {
        const { username, password } = request.body;
        const { session } = await withCompatStatus(auth.loginByUsername(username, { password }, clientInfo(request)));
        setSessionCookies(reply, cookieSecure, { access: session.accessToken });
        return { status: 'success' as const, jwt: session.accessToken };
      },
    });

    app.post('/login-2fa/', {
      config: { auth: 'public', ...seedConfig },
      schema: {
        operationId: 'simpleLoginTwoFactor',
        security: publicSecurity,
        tags,
        summary: 'Log in with username, password and a 2FA code (or recovery code)',
        body: login2faBodySchema,
        response: { 200: login2faResponseSchema, ...errorResponses(400, 401, 429) },
      },
      handler: async (request, reply) => {
        const { username, password, code } = request.body;
        const { session } = await withCompatStatus(auth.loginByUsername(username, { password, totpCode: code }, clientInfo(request)));
        setSessionCookies(reply, cookieSecure, { access: session.accessToken });
        return { jwt: session.accessToken };
      },
    });

    app.get('/profile/', {
      config: { auth: 'user' },
      schema: { operationId: 'getSimpleProfile', tags, security: userSecurity, summary: 'The logged-in user', response: { 200: profileResponseSchema, ...errorResponses(401) } },
      handler: async (request) => {
        const user = await auth.currentUser(principalOf(request));
        return { username: user.username, email: user.email, opt_enabled: user.totpSecret !== null };
      },
    });

    app.post('/logout/', {
      // This surface answers 400 (not 401) without a valid token (docs/decisions.md C11), so this route checks the token itself.
      config: { auth: 'public' },
      schema: { operationId: 'simpleLogout', tags, security: userSecurity, summary: 'Log out: the token stops working and the cookie is removed', response: { 200: statusSuccessSchema, ...errorResponses(400, 403) } },
      handler: async (request, reply) => {
        const credentials = readCredentials(request);
        if (!credentials) throw new AppError('BAD_REQUEST', { ja: 'ログインしていません（トークンがありません）。', en: 'No token: you are not logged in' });
        if (credentials.via === 'cookie') assertSameOrigin(request);
        const principal = await auth.authenticate(credentials.token).catch(() => {
          throw new AppError('BAD_REQUEST', { ja: 'トークンが無効か、すでにログアウトしています。', en: 'The token is invalid or has already been logged out' });
        });
        await auth.logout({ ...principal, via: credentials.via });
        clearSessionCookies(reply, cookieSecure);
        return { status: 'success' as const };
      },
    });

    app.get('/signup-tfa/', {
      config: { auth: 'user' },
      schema: { operationId: 'startSimpleTwoFactorSetup', tags, security: userSecurity, summary: 'Start 2FA set-up: QR code and secret', response: { 200: tfaSetupResponseSchema, ...errorResponses(400, 401) } },
      handler: async (request) => {
        const setup = await twoFactor.setup(await auth.currentUser(principalOf(request)));
        return { qr_url: setup.qr_url, secret_key: setup.secret_key };
      },
    });

    app.post('/signup-tfa/', {
      config: { auth: 'user', validationStatus: 400 as const },
      schema: {
        operationId: 'enableSimpleTwoFactor',
        tags,
        security: userSecurity,
        summary: 'Enable 2FA: the secret_key from the GET and a current code from the app',
        body: tfaEnableBodySchema,
        response: { 200: tfaEnableResponseSchema, ...errorResponses(400, 401, 429) },
      },
      handler: async (request) => {
        const principal = principalOf(request);
        const user = await auth.currentUser(principal);
        const codes = await withCompatStatus(twoFactor.enable(user, { code: request.body.code, secretKey: request.body.secret_key, keepSessionId: principal.sessionId }));
        return { status: 'success' as const, recovery_codes: codes };
      },
    });
  };
}
