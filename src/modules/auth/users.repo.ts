import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { users, type Role } from '../../db/schema.js';

export type UserRow = typeof users.$inferSelect;

/** Queries on users that are not scoped to one tenant: only login and sign-up need these. */
export function createUsersRepo(db: Database) {
  return {
    findByEmail: async (email: string) => (await db.select().from(users).where(eq(users.email, email)))[0],
    findByUsername: async (username: string) =>
      (await db.select().from(users).where(sql`lower(${users.username}) = lower(${username})`))[0],
    /** Scoped lookup: a user of another tenant is simply not found. */
    findInTenant: async (tenantId: string, id: string) =>
      (await db.select().from(users).where(and(eq(users.tenantId, tenantId), eq(users.id, id))))[0],

    emailTaken: async (email: string) => (await db.select({ id: users.id }).from(users).where(eq(users.email, email))).length > 0,
    usernameTaken: async (username: string) =>
      (await db.select({ id: users.id }).from(users).where(sql`lower(${users.username}) = lower(${username})`)).length > 0,

    createUser: async (values: { tenantId: string; email: string | null; username: string; passwordHash: string; role: Role; isVerified: boolean }) =>
      (await db.insert(users).values(values).returning())[0]!,

    update: async (id: string, values: Partial<typeof users.$inferInsert>) =>
      (await db.update(users).set({ ...values, updatedAt: new Date() }).where(eq(users.id, id)).returning())[0],
  };
}

export type UsersRepo = ReturnType<typeof createUsersRepo>;
