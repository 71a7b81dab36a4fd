import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { tenants } from '../../db/schema.js';

export function createTenantsRepo(db: Database) {
  return {
    /** `id` must also be the caller's tenant: both go in the WHERE clause, so any other id is not found. */
    findOwn: async (tenantId: string, id: string) => (await db.select().from(tenants).where(and(eq(tenants.id, tenantId), eq(tenants.id, id))))[0],
  };
}

export type TenantsRepo = ReturnType<typeof createTenantsRepo>;
