import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { recoveryCodes, users } from '../../db/schema.js';

export function createTwoFactorRepo(db: Database) {
  return {
    replaceRecoveryCodes: async (userId: string, codeHashes: string[]) => {
      await db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
      if (codeHashes.length) await db.insert(recoveryCodes).values(codeHashes.map((codeHash) => ({ userId, codeHash })));
    },
    /** Spends a recovery code; false when unknown or already used. */
    spendRecoveryCode: async (userId: string, codeHash: string) =>
      (
        await db
          .update(recoveryCodes)
          .set({ usedAt: new Date() })
          .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, codeHash), isNull(recoveryCodes.usedAt)))
          .returning({ id: recoveryCodes.id })
      ).length > 0,
    remainingRecoveryCodes: async (userId: string) =>
      (await db.select({ n: sql<number>`count(*)::int` }).from(recoveryCodes).where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt))))[0]?.n ?? 0,
    /** Records the accepted step; false when this step (or a later one) was already used: a replay. */
    advanceTotpStep: async (userId: string, step: number) =>
      (
        await db
          .update(users)
          .set({ totpLastStep: step })
          .where(and(eq(users.id, userId), or(isNull(users.totpLastStep), lt(users.totpLastStep, step))))
          .returning({ id: users.id })
      ).length > 0,
  };
}

export type TwoFactorRepo = ReturnType<typeof createTwoFactorRepo>;
