import { and, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { authSessions, refreshTokens, tenants, users } from '../../db/schema.js';

export function createSessionsRepo(db: Database) {
  return {
    create: async (values: { userId: string; tenantId: string; expiresAt: Date; userAgent?: string; ip?: string }) =>
      (await db.insert(authSessions).values(values).returning())[0]!,

    /** Everything needed to accept an access token, in one query. */
    findActiveContext: async (sessionId: string, userId: string) =>
      (
        await db
          .select({
            userId: users.id,
            tenantId: users.tenantId,
            role: users.role,
            isActive: users.isActive,
            tenantStatus: tenants.status,
          })
          .from(authSessions)
          .innerJoin(users, eq(users.id, authSessions.userId))
          .innerJoin(tenants, eq(tenants.id, users.tenantId))
          .where(and(eq(authSessions.id, sessionId), eq(authSessions.userId, userId), isNull(authSessions.revokedAt), gt(authSessions.expiresAt, sql`now()`)))
      )[0],

    revoke: (sessionId: string, reason: string) =>
      db.update(authSessions).set({ revokedAt: new Date(), revokeReason: reason }).where(and(eq(authSessions.id, sessionId), isNull(authSessions.revokedAt))),
    /** Ends every session of the user but `keepSessionId` (the caller's own, when there is one). */
    revokeOthers: (userId: string, keepSessionId: string | undefined, reason: string) =>
      db
        .update(authSessions)
        .set({ revokedAt: new Date(), revokeReason: reason })
        .where(and(eq(authSessions.userId, userId), isNull(authSessions.revokedAt), keepSessionId ? ne(authSessions.id, keepSessionId) : undefined)),

    addRefreshToken: (values: { jtiHash: string; sessionId: string; expiresAt: Date }) => db.insert(refreshTokens).values(values),
    /**
     * Marks a refresh token spent and reports what it was. The conditional UPDATE makes two
     * concurrent refreshes with the same token impossible: only one sees `spent: false`.
     */
    spendRefreshToken: async (jtiHash: string) => {
      const spent = await db
        .update(refreshTokens)
        .set({ usedAt: new Date() })
        .where(and(eq(refreshTokens.jtiHash, jtiHash), isNull(refreshTokens.usedAt)))
        .returning({ sessionId: refreshTokens.sessionId, expiresAt: refreshTokens.expiresAt });
      if (spent[0]) return { ...spent[0], spent: false as const };
      const existing = (await db.select().from(refreshTokens).where(eq(refreshTokens.jtiHash, jtiHash)))[0];
      return existing ? { sessionId: existing.sessionId, expiresAt: existing.expiresAt, spent: true as const } : undefined;
    },
  };
}

export type SessionsRepo = ReturnType<typeof createSessionsRepo>;
