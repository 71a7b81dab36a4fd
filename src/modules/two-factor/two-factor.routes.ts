import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../http/error-schema.js';
import { principalOf } from '../../http/request-context.js';
import { messageResponseSchema, userSecurity } from '../../http/route-helpers.js';
import type { AuthService } from '../auth/auth.service.js';
import { disableBodySchema, enableBodySchema, recoveryCodesResponseSchema, setupResponseSchema, statusResponseSchema } from './two-factor.schemas.js';
import type { TwoFactorService } from './two-factor.service.js';
import { inRequestLanguage } from '../../http/language.js';

const tags = ['two-factor'];
const config = { auth: 'user' as const };

/** v1 2FA management (docs/decisions.md D5), mounted at /api/v1/auth/2fa. */
export function twoFactorRoutes(deps: { auth: AuthService; twoFactor: TwoFactorService }): FastifyPluginAsyncZod {
  const { auth, twoFactor } = deps;
  return async (app) => {
    app.get('/', {
      config,
      schema: { operationId: 'getTwoFactorStatus', tags, security: userSecurity, summary: 'Whether 2FA is on, and how many recovery codes are left', response: { 200: statusResponseSchema, ...errorResponses(401) } },
      handler: async (request) => {
        const user = await auth.currentUser(principalOf(request));
        return { enabled: user.totpSecret !== null, recovery_codes_remaining: user.totpSecret ? await twoFactor.remainingRecoveryCodes(user.id) : 0 };
      },
    });

    app.post('/setup', {
      config,
      schema: {
        operationId: 'startTwoFactorSetup',
        tags,
        security: userSecurity,
        summary: 'Start enrolment: a new secret and its QR code',
        description: 'Nothing changes until /enable receives a valid code for this secret. Calling again replaces the waiting secret.',
        response: { 200: setupResponseSchema, ...errorResponses(400, 401) },
      },
      handler: async (request) => twoFactor.setup(await auth.currentUser(principalOf(request))),
    });

    app.post('/enable', {
      config,
      schema: {
        operationId: 'enableTwoFactor',
        tags,
        security: userSecurity,
        summary: 'Confirm enrolment with a code from the app; returns ten recovery codes once',
        body: enableBodySchema,
        response: { 200: recoveryCodesResponseSchema, ...errorResponses(400, 401, 422, 429) },
      },
      handler: async (request) => {
        const principal = principalOf(request);
        const codes = await twoFactor.enable(await auth.currentUser(principal), { code: request.body.code, keepSessionId: principal.sessionId });
        return { recovery_codes: codes };
      },
    });

    app.post('/disable', {
      config,
      schema: {
        operationId: 'disableTwoFactor',
        tags,
        security: userSecurity,
        summary: 'Turn 2FA off (password and a current or recovery code required)',
        body: disableBodySchema,
        response: { 200: messageResponseSchema, ...errorResponses(400, 401, 422, 429) },
      },
      handler: async (request) => {
        const principal = principalOf(request);
        await twoFactor.disable(await auth.currentUser(principal), { ...request.body, keepSessionId: principal.sessionId });
        return { message: inRequestLanguage(request, { ja: '2 段階認証をオフにしました。', en: 'Two-factor authentication disabled' }) };
      },
    });

    app.post('/recovery-codes', {
      config,
      schema: {
        operationId: 'replaceRecoveryCodes',
        tags,
        security: userSecurity,
        summary: 'Replace the recovery codes (the old ones stop working)',
        body: enableBodySchema,
        response: { 200: recoveryCodesResponseSchema, ...errorResponses(400, 401, 422, 429) },
      },
      handler: async (request) => ({ recovery_codes: await twoFactor.regenerateRecoveryCodes(await auth.currentUser(principalOf(request)), request.body.code) }),
    });
  };
}
