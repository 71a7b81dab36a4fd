import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { tenants, type TenantSettings } from '../../db/schema.js';
import { defaultTenantSettings } from './tenant-settings.js';

/** A tenant as the answer paths need it: who, in which state and plan, with which settings and widget key (its hash). */
export type TenantView = Pick<typeof tenants.$inferSelect, 'id' | 'name' | 'status' | 'plan' | 'settings' | 'widgetKeyHash'>;

export function createTenantsRepo(db: Database) {
  return {
    /** A new tenant, with the default settings (sign-up creates it together with its first ADMIN). */
    create: async (values: { name: string; domain: string | null }) =>
      (await db.insert(tenants).values({ ...values, settings: defaultTenantSettings }).returning())[0]!,
    /** Domains are unique regardless of case. */
    domainTaken: async (domain: string) =>
      (await db.select({ id: tenants.id }).from(tenants).where(sql`lower(${tenants.domain}) = lower(${domain})`)).length > 0,
    settings: async (tenantId: string) => (await db.select({ settings: tenants.settings }).from(tenants).where(eq(tenants.id, tenantId)))[0]!.settings,
    /** Merges `patch` into the settings and returns the result. */
    updateSettings: async (tenantId: string, patch: Partial<TenantSettings>) =>
      (
        await db
          .update(tenants)
          .set({ settings: sql`${tenants.settings} || ${JSON.stringify(patch)}::jsonb`, updatedAt: new Date() })
          .where(eq(tenants.id, tenantId))
          .returning({ settings: tenants.settings })
      )[0]?.settings,
    rename: (tenantId: string, name: string) => db.update(tenants).set({ name, updatedAt: new Date() }).where(eq(tenants.id, tenantId)),
    /** `id` must also be the caller's tenant: both go in the WHERE clause, so any other id is not found. */
    findOwn: async (tenantId: string, id: string) => (await db.select().from(tenants).where(and(eq(tenants.id, tenantId), eq(tenants.id, id))))[0],
    /** What the request paths read on every question (tenant-cache.ts). */
    requestView: async (tenantId: string): Promise<TenantView | undefined> =>
      (
        await db
          .select({ id: tenants.id, name: tenants.name, status: tenants.status, plan: tenants.plan, settings: tenants.settings, widgetKeyHash: tenants.widgetKeyHash })
          .from(tenants)
          .where(eq(tenants.id, tenantId))
      )[0],
  };
}

export type TenantsRepo = ReturnType<typeof createTenantsRepo>;
