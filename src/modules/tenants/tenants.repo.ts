import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { tenants } from '../../db/schema.js';

export function createTenantsRepo(db: Database) {
  return {
    /** `id` must also be the caller's tenant: both go in the WHERE clause, so any other id is not found. */
    settings: async (tenantId: string) => (await db.select({ settings: tenants.settings }).from(tenants).where(eq(tenants.id, tenantId)))[0]!.settings,
    findOwn: async (tenantId: string, id: string) => (await db.select().from(tenants).where(and(eq(tenants.id, tenantId), eq(tenants.id, id))))[0],
  };
}

export type TenantsRepo = ReturnType<typeof createTenantsRepo>;
