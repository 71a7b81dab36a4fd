import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { tenants } from '../../db/schema.js';

export function createWidgetKeysRepo(db: Database) {
  return {
    /** The tenant a widget key belongs to (looked up by the key's hash). */
    findTenantIdByKeyHash: async (hash: string) => (await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.widgetKeyHash, hash)))[0]?.id,

    sealedKey: async (tenantId: string) => (await db.select({ sealed: tenants.widgetKeySealed }).from(tenants).where(eq(tenants.id, tenantId)))[0]?.sealed ?? null,

    /** Sets the key unless one exists (two first requests at once must not hand out two keys); true if set. */
    setIfAbsent: async (tenantId: string, hash: string, sealed: string) =>
      (
        await db
          .update(tenants)
          .set({ widgetKeyHash: hash, widgetKeySealed: sealed })
          .where(and(eq(tenants.id, tenantId), isNull(tenants.widgetKeyHash)))
          .returning({ id: tenants.id })
      ).length === 1,

    /** Replaces the key: the old one stops working at once. */
    replace: (tenantId: string, hash: string, sealed: string) =>
      db.update(tenants).set({ widgetKeyHash: hash, widgetKeySealed: sealed, updatedAt: new Date() }).where(eq(tenants.id, tenantId)),
  };
}

export type WidgetKeysRepo = ReturnType<typeof createWidgetKeysRepo>;
