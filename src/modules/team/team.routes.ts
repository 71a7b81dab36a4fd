import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../http/error-schema.js';
import type { RateLimitRule } from '../../http/rate-limit.js';
import { principalOf } from '../../http/request-context.js';
import { messageResponseSchema, publicSecurity, userSecurity } from '../../http/route-helpers.js';
import type { UserRow } from '../auth/users.repo.js';
import {
  acceptedUserSchema,
  acceptInvitationBodySchema,
  createdInvitationSchema,
  createInvitationBodySchema,
  idParamsSchema,
  invitationPreviewSchema,
  invitationSchema,
  invitationTokenBodySchema,
  teamMemberSchema,
  updateMemberBodySchema,
} from './team.schemas.js';
import { invitationStatus, type TeamService } from './team.service.js';
import type { InvitationRow } from './team.repo.js';
import { inRequestLanguage } from '../../http/language.js';

const tags = ['team'];
const admin = { auth: 'admin' as const };

const toInvitation = (i: InvitationRow) => ({
  id: i.id,
  email: i.email,
  role: i.role,
  status: invitationStatus(i),
  expires_at: i.expiresAt.toISOString(),
  created_at: i.createdAt.toISOString(),
});

const toMember = (u: UserRow) => ({
  id: u.id,
  email: u.email,
  username: u.username,
  role: u.role,
  is_active: u.isActive,
  is_verified: u.isVerified,
  two_factor_enabled: u.totpSecret !== null,
  last_login_at: u.lastLoginAt?.toISOString() ?? null,
  created_at: u.createdAt.toISOString(),
});

/** Team members (/api/v1/users) and invitations (/api/v1/invitations). */
export function teamRoutes(deps: { team: TeamService; authRateLimit: RateLimitRule }): FastifyPluginAsyncZod {
  const { team, authRateLimit: rateLimit } = deps;
  return async (app) => {
    app.get('/users', {
      config: admin,
      schema: { operationId: 'listUsers', tags, security: userSecurity, summary: 'List the tenant’s users (ADMIN)', response: { 200: z.array(teamMemberSchema), ...errorResponses(401, 403) } },
      handler: async (request) => (await team.listMembers(principalOf(request))).map(toMember),
    });

    app.patch('/users/:id', {
      config: admin,
      schema: {
        operationId: 'updateUser',
        tags,
        security: userSecurity,
        summary: 'Change a user’s role or deactivate/reactivate them (ADMIN)',
        description: 'Deactivation logs the user out everywhere at once. The last active ADMIN cannot be demoted or deactivated.',
        params: idParamsSchema,
        body: updateMemberBodySchema,
        response: { 200: teamMemberSchema, ...errorResponses(401, 403, 404, 409, 422) },
      },
      handler: async (request) =>
        toMember(await team.updateMember(principalOf(request), request.params.id, { role: request.body.role, isActive: request.body.is_active })),
    });

    app.post('/users/:id/2fa/reset', {
      config: admin,
      schema: {
        operationId: 'resetUserTwoFactor',
        tags,
        security: userSecurity,
        summary: 'Reset a member’s two-factor authentication (ADMIN)',
        description:
          'For a member who lost their authenticator and recovery codes: 2FA is turned off, the recovery codes are deleted and all their sessions end. They log in with their password and may set 2FA up again. 409 for your own account (use POST /api/v1/auth/2fa/disable) or a member without 2FA.',
        params: idParamsSchema,
        response: { 200: teamMemberSchema, ...errorResponses(401, 403, 404, 409, 422) },
      },
      handler: async (request) => toMember(await team.resetTwoFactor(principalOf(request), request.params.id)),
    });

    app.post('/invitations', {
      config: admin,
      schema: {
        operationId: 'createInvitation',
        tags,
        security: userSecurity,
        summary: 'Invite someone by email (ADMIN); the link is returned once',
        description: 'A pending invitation takes a place in the plan’s members limit: past it, 403 `QUOTA_EXCEEDED` (see GET /api/v1/billing).',
        body: createInvitationBodySchema,
        response: { 201: createdInvitationSchema, ...errorResponses(401, 403, 409, 422) },
      },
      handler: async (request, reply) => {
        const created = await team.invite(principalOf(request), request.body, request.publicUrl);
        return reply.status(201).send({ ...toInvitation(created.invitation), token: created.token, invite_url: created.inviteUrl });
      },
    });

    app.get('/invitations', {
      config: admin,
      schema: { operationId: 'listInvitations', tags, security: userSecurity, summary: 'List invitations (ADMIN)', response: { 200: z.array(invitationSchema), ...errorResponses(401, 403) } },
      handler: async (request) => (await team.listInvitations(principalOf(request))).map(toInvitation),
    });

    app.delete('/invitations/:id', {
      config: admin,
      schema: {
        operationId: 'revokeInvitation',
        tags,
        security: userSecurity,
        summary: 'Revoke a pending invitation (ADMIN)',
        params: idParamsSchema,
        response: { 200: messageResponseSchema, ...errorResponses(401, 403, 404, 409, 422) },
      },
      handler: async (request) => {
        await team.revokeInvitation(principalOf(request), request.params.id);
        return { message: inRequestLanguage(request, { ja: '招待を取り消しました。', en: 'Invitation revoked' }) };
      },
    });

    app.post('/invitations/preview', {
      config: { auth: 'public', rateLimit },
      schema: {
        operationId: 'previewInvitation',
        security: publicSecurity,
        tags,
        summary: 'What an invitation token is for (for the accept page)',
        body: invitationTokenBodySchema,
        response: { 200: invitationPreviewSchema, ...errorResponses(404, 422, 429) },
      },
      handler: async (request) => {
        const { invitation, tenantName } = await team.preview(request.body.token);
        return { email: invitation.email, role: invitation.role, tenant_name: tenantName, expires_at: invitation.expiresAt.toISOString() };
      },
    });

    app.post('/invitations/accept', {
      config: { auth: 'public', rateLimit },
      schema: {
        operationId: 'acceptInvitation',
        security: publicSecurity,
        tags,
        summary: 'Accept an invitation: choose a username and password',
        description: '403 `QUOTA_EXCEEDED` when the tenant’s plan has no room for another user (it may have been downgraded since the invitation).',
        body: acceptInvitationBodySchema,
        response: { 201: acceptedUserSchema, ...errorResponses(403, 404, 409, 422, 429) },
      },
      handler: async (request, reply) => {
        const user = await team.accept(request.body);
        return reply.status(201).send({ id: user.id, email: user.email!, username: user.username, tenant_id: user.tenantId, role: user.role });
      },
    });
  };
}
