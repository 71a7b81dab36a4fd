import { and, asc, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { invitations, tenants, users, type Role } from '../../db/schema.js';

export type InvitationRow = typeof invitations.$inferSelect;

/** Every query names the tenant: another tenant's rows are never found. */
export function createTeamRepo(db: Database) {
  return {
    listMembers: (tenantId: string) => db.select().from(users).where(eq(users.tenantId, tenantId)).orderBy(asc(users.createdAt)),
    lockTenant: (tenantId: string) => db.execute(sql`select id from ${tenants} where ${tenants.id} = ${tenantId} for update`),
    countActiveAdmins: async (tenantId: string) =>
      (
        await db
          .select({ n: sql<number>`count(*)::int` })
          .from(users)
          .where(and(eq(users.tenantId, tenantId), eq(users.role, 'ADMIN'), eq(users.isActive, true)))
      )[0]?.n ?? 0,
    updateMember: async (tenantId: string, id: string, values: { role?: Role; isActive?: boolean }) =>
      (await db.update(users).set({ ...values, updatedAt: new Date() }).where(and(eq(users.tenantId, tenantId), eq(users.id, id))).returning())[0],

    createInvitation: async (values: typeof invitations.$inferInsert) => (await db.insert(invitations).values(values).returning())[0]!,
    listInvitations: (tenantId: string) => db.select().from(invitations).where(eq(invitations.tenantId, tenantId)).orderBy(desc(invitations.createdAt)),
    revokeInvitation: async (tenantId: string, id: string) =>
      (
        await db
          .update(invitations)
          .set({ revokedAt: new Date() })
          .where(and(eq(invitations.tenantId, tenantId), eq(invitations.id, id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
          .returning()
      )[0],
    revokePendingFor: (tenantId: string, email: string) =>
      db
        .update(invitations)
        .set({ revokedAt: new Date() })
        .where(and(eq(invitations.tenantId, tenantId), eq(invitations.email, email), isNull(invitations.acceptedAt), isNull(invitations.revokedAt))),
    findInvitation: async (tenantId: string, id: string) =>
      (await db.select().from(invitations).where(and(eq(invitations.tenantId, tenantId), eq(invitations.id, id))))[0],

    /** A usable invitation by token hash, with its tenant's name (for the accept page). */
    findUsableByTokenHash: async (tokenHash: string) =>
      (
        await db
          .select({ invitation: invitations, tenantName: tenants.name })
          .from(invitations)
          .innerJoin(tenants, eq(tenants.id, invitations.tenantId))
          .where(and(eq(invitations.tokenHash, tokenHash), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, sql`now()`)))
      )[0],
    /** Spends the invitation; false if someone else (or a second click) spent it first. */
    markAccepted: async (id: string) =>
      (
        await db
          .update(invitations)
          .set({ acceptedAt: new Date() })
          .where(and(eq(invitations.id, id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, sql`now()`)))
          .returning({ id: invitations.id })
      ).length > 0,
  };
}

export type TeamRepo = ReturnType<typeof createTeamRepo>;
