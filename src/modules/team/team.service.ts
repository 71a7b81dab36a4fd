import type { Database } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import type { Role } from '../../db/schema.js';
import { AppError, notFound } from '../../http/errors.js';
import type { Text } from '../../http/language.js';
import type { Principal } from '../../http/request-context.js';
import { hashPassword, randomToken, sha256 } from '../../lib/hashing.js';
import { createSessionsRepo } from '../auth/sessions.repo.js';
import type { PlanLimitsService } from '../billing/plan-limits.service.js';
import { createUsersRepo, type UserRow } from '../auth/users.repo.js';
import type { TwoFactorService } from '../two-factor/two-factor.service.js';
import { createTeamRepo, type InvitationRow, type TeamRepo } from './team.repo.js';

export interface TeamDeps {
  db: Database;
  invitationTtlHours: number;
  /** The plan's members limit (users plus pending invitations). */
  limits: Pick<PlanLimitsService, 'assertMemberRoom'>;
  twoFactor: Pick<TwoFactorService, 'reset'>;
}

const invalidInvitationLink: Text = { ja: 'この招待リンクは無効か、期限切れか、すでに使われています。組織の ADMIN に新しい招待を依頼してください。', en: 'This invitation link is invalid, expired or already used' };

const invitationAlready: Record<ReturnType<typeof invitationStatus>, Text> = {
  pending: { ja: 'この招待はまだ承諾されていません。', en: 'This invitation is already pending' },
  accepted: { ja: 'この招待はすでに承諾されています。', en: 'This invitation is already accepted' },
  revoked: { ja: 'この招待はすでに取り消されています。', en: 'This invitation is already revoked' },
  expired: { ja: 'この招待はすでに期限切れです。', en: 'This invitation is already expired' },
};

export function invitationStatus(invitation: InvitationRow): 'pending' | 'accepted' | 'revoked' | 'expired' {
  if (invitation.acceptedAt) return 'accepted';
  if (invitation.revokedAt) return 'revoked';
  return invitation.expiresAt.getTime() <= Date.now() ? 'expired' : 'pending';
}

export function createTeamService(deps: TeamDeps) {
  const { db } = deps;
  const team = createTeamRepo(db);
  const users = createUsersRepo(db);
  const sessions = createSessionsRepo(db);

  /** Refuses changes that would leave the tenant with no active ADMIN. */
  async function assertKeepsAnAdmin(repo: TeamRepo, tenantId: string, target: UserRow, change: { role?: Role; isActive?: boolean }) {
    const losesAdmin = target.role === 'ADMIN' && target.isActive && (change.role === 'OPERATOR' || change.isActive === false);
    if (losesAdmin && (await repo.countActiveAdmins(tenantId)) <= 1) {
      throw new AppError('CONFLICT', { ja: '組織には有効な ADMIN が 1 人以上必要です。先にほかのメンバーを ADMIN にしてください。', en: 'A tenant needs at least one active ADMIN: promote someone else first' });
    }
  }

  return {
    listMembers: (principal: Principal) => team.listMembers(principal.tenantId),

    async updateMember(principal: Principal, id: string, change: { role?: Role; isActive?: boolean }) {
      const updated = await db.transaction(async (tx) => {
        const repo = createTeamRepo(tx);
        // Two ADMINs demoting each other at once must not both succeed: changes to a tenant's members are serialised.
        await repo.lockTenant(principal.tenantId);
        const target = await createUsersRepo(tx).findInTenant(principal.tenantId, id);
        if (!target) throw notFound('User');
        await assertKeepsAnAdmin(repo, principal.tenantId, target, change);
        return repo.updateMember(principal.tenantId, id, change);
      });
      if (!updated) throw notFound('User');
      // A deactivated user is logged out everywhere at once.
      if (change.isActive === false) await sessions.revokeOthers(id, undefined, 'deactivated');
      return updated;
    },

    /** For a member locked out of 2FA. Your own 2FA is turned off with your password and a code instead. */
    async resetTwoFactor(principal: Principal, id: string): Promise<UserRow> {
      const target = await users.findInTenant(principal.tenantId, id);
      if (!target) throw notFound('User');
      if (target.id === principal.userId) {
        throw new AppError('CONFLICT', { ja: '自分の二要素認証は「アカウント」ページで、パスワードとコードを入力してオフにしてください。', en: 'Your own two-factor authentication is turned off in your account settings, with your password and a code' });
      }
      if (!target.totpSecret) throw new AppError('CONFLICT', { ja: 'このユーザーは二要素認証を設定していません。', en: 'This user has no two-factor authentication to reset' });
      await deps.twoFactor.reset(target);
      return (await users.findInTenant(principal.tenantId, id)) ?? target;
    },

    /** `publicUrl`: where the invitee opens the link (src/http/public-url.ts). */
    async invite(principal: Principal, input: { email: string; role: Role }, publicUrl: string) {
      if (await users.emailTaken(input.email)) throw new AppError('CONFLICT', { ja: 'このメールアドレスのユーザーはすでに存在します。', en: 'A user with this email already exists' });
      const token = randomToken(32);
      const invitation = await db.transaction(async (tx) => {
        const repo = createTeamRepo(tx);
        // The tenant row first, as every member change does: the same order everywhere cannot deadlock.
        await repo.lockTenant(principal.tenantId);
        // Inviting again replaces the earlier invitation, whose link stops working (and whose place it takes).
        await repo.revokePendingFor(principal.tenantId, input.email);
        await deps.limits.assertMemberRoom(tx, principal.tenantId, 'invite');
        return repo.createInvitation({
          tenantId: principal.tenantId,
          email: input.email,
          role: input.role,
          tokenHash: sha256(token),
          invitedBy: principal.userId,
          expiresAt: new Date(Date.now() + deps.invitationTtlHours * 3600_000),
        });
      });
      return { invitation, token, inviteUrl: `${publicUrl}/invite#token=${token}` };
    },

    listInvitations: (principal: Principal) => team.listInvitations(principal.tenantId),

    async revokeInvitation(principal: Principal, id: string) {
      if (await team.revokeInvitation(principal.tenantId, id)) return;
      const existing = await team.findInvitation(principal.tenantId, id);
      if (!existing) throw notFound('Invitation');
      throw new AppError('CONFLICT', invitationAlready[invitationStatus(existing)]);
    },

    async preview(token: string) {
      const found = await team.findUsableByTokenHash(sha256(token));
      if (!found) throw new AppError('RESOURCE_NOT_FOUND', invalidInvitationLink);
      return found;
    },

    /** The invitee chooses username and password; the invitation is spent exactly once. */
    async accept(input: { token: string; username: string; password: string }): Promise<UserRow> {
      const found = await team.findUsableByTokenHash(sha256(input.token));
      if (!found) throw new AppError('RESOURCE_NOT_FOUND', invalidInvitationLink);
      const { invitation } = found;
      if (await users.usernameTaken(input.username)) throw new AppError('CONFLICT', { ja: 'このユーザー名はすでに使われています。別のユーザー名を選んでください。', en: 'This username is already taken' });
      if (await users.emailTaken(invitation.email)) throw new AppError('CONFLICT', { ja: 'このメールアドレスのユーザーはすでに存在します。', en: 'A user with this email already exists' });
      const passwordHash = await hashPassword(input.password);
      try {
        return await db.transaction(async (tx) => {
          // A plan downgraded since the invitation may no longer have room for one more user.
          await deps.limits.assertMemberRoom(tx, invitation.tenantId, 'accept');
          if (!(await createTeamRepo(tx).markAccepted(invitation.id))) {
            throw new AppError('RESOURCE_NOT_FOUND', invalidInvitationLink);
          }
          // The token reached the invitee's mailbox, so the address counts as verified.
          return createUsersRepo(tx).createUser({
            tenantId: invitation.tenantId,
            email: invitation.email,
            username: input.username,
            passwordHash,
            role: invitation.role,
            isVerified: true,
          });
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw new AppError('CONFLICT', { ja: 'このユーザー名またはメールアドレスはすでに登録されています。', en: 'This username or email is already registered' });
        throw error;
      }
    },
  };
}

export type TeamService = ReturnType<typeof createTeamService>;
