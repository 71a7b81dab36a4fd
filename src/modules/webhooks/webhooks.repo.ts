import { and, count, desc, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { webhookDeliveries, webhookEndpoints, type WebhookDeliveryStatus } from '../../db/schema.js';

export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;

export function createWebhookEndpointsRepo(db: Database) {
  const byId = (tenantId: string, id: string) => and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, id));
  return {
    list: (tenantId: string, page: { skip: number; limit: number }) =>
      db.select().from(webhookEndpoints).where(eq(webhookEndpoints.tenantId, tenantId)).orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id)).offset(page.skip).limit(page.limit),
    count: async (tenantId: string) => (await db.select({ n: count() }).from(webhookEndpoints).where(eq(webhookEndpoints.tenantId, tenantId)))[0]?.n ?? 0,
    find: async (tenantId: string, id: string) => (await db.select().from(webhookEndpoints).where(byId(tenantId, id)))[0],
    insert: async (values: typeof webhookEndpoints.$inferInsert) => (await db.insert(webhookEndpoints).values(values).returning())[0]!,
    update: async (tenantId: string, id: string, values: Partial<typeof webhookEndpoints.$inferInsert>) =>
      (await db.update(webhookEndpoints).set({ ...values, updatedAt: new Date() }).where(byId(tenantId, id)).returning())[0],
    delete: async (tenantId: string, id: string) => (await db.delete(webhookEndpoints).where(byId(tenantId, id)).returning({ id: webhookEndpoints.id }))[0],
    /** The tenant's enabled endpoints that subscribed to `type`. */
    subscribed: (tenantId: string, type: string) =>
      db
        .select({ id: webhookEndpoints.id })
        .from(webhookEndpoints)
        .where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.enabled, true), sql`${webhookEndpoints.events} @> ${JSON.stringify([type])}::jsonb`)),
  };
}

export function createWebhookDeliveriesRepo(db: Database) {
  const byId = (tenantId: string, id: string) => and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.id, id));
  const ofEndpoint = (tenantId: string, endpointId: string, status?: WebhookDeliveryStatus) =>
    and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.endpointId, endpointId), status ? eq(webhookDeliveries.status, status) : undefined);
  return {
    insert: async (values: Array<typeof webhookDeliveries.$inferInsert>) => (values.length ? db.insert(webhookDeliveries).values(values).returning() : []),
    find: async (tenantId: string, id: string) => (await db.select().from(webhookDeliveries).where(byId(tenantId, id)))[0],
    /** Newest first. */
    list: (tenantId: string, endpointId: string, filter: { status?: WebhookDeliveryStatus }, page: { skip: number; limit: number }) =>
      db.select().from(webhookDeliveries).where(ofEndpoint(tenantId, endpointId, filter.status)).orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id)).offset(page.skip).limit(page.limit),
    count: async (tenantId: string, endpointId: string, filter: { status?: WebhookDeliveryStatus }) =>
      (await db.select({ n: count() }).from(webhookDeliveries).where(ofEndpoint(tenantId, endpointId, filter.status)))[0]?.n ?? 0,
    update: (tenantId: string, id: string, values: Partial<typeof webhookDeliveries.$inferInsert>) => db.update(webhookDeliveries).set(values).where(byId(tenantId, id)),
  };
}
