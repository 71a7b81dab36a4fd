import { randomBytes } from 'node:crypto';
import type { Database } from '../../db/client.js';
import type { WebhookEventType } from '../../db/enums.js';
import type { WebhookOptions } from './webhook-options.js';
import { createWebhookDeliveriesRepo, createWebhookEndpointsRepo, type WebhookDeliveryRow } from './webhooks.repo.js';

export { webhookEventTypes, type WebhookEventType } from '../../db/enums.js';

/** How deliveries reach the durable job queue (built by sources/ingestion/ingestion-queue.ts). */
export interface WebhookQueue {
  /** Queues a delivery's first attempt, in the caller's transaction. */
  enqueueWebhook(tx: Database, tenantId: string, deliveryId: string, maxAttempts: number): Promise<unknown>;
  wake(): void;
}

/** What a receiver gets: the same bytes on every attempt. */
export interface WebhookBody {
  id: string;
  type: WebhookEventType | 'test';
  /** Unix seconds when the event happened. */
  created: number;
  tenant_id: string;
  data: Record<string, unknown>;
}

/** `emit` as other modules are handed it (src/services.ts): they never import this module. */
export type EmitWebhook = (tx: Database | undefined, tenantId: string, type: WebhookEventType, data: Record<string, unknown>) => Promise<number>;

export function createWebhookEvents(deps: { db: Database; queue: WebhookQueue; options: WebhookOptions }) {
  const maxAttempts = deps.options.retryDelaysSeconds.length + 1;

  async function deliver(tx: Database, tenantId: string, endpointIds: string[], type: WebhookBody['type'], data: Record<string, unknown>): Promise<WebhookDeliveryRow[]> {
    if (endpointIds.length === 0) return [];
    const body: WebhookBody = { id: `evt_${randomBytes(12).toString('hex')}`, type, created: Math.floor(Date.now() / 1000), tenant_id: tenantId, data };
    const payload = JSON.stringify(body);
    const rows = await createWebhookDeliveriesRepo(tx).insert(endpointIds.map((endpointId) => ({ tenantId, endpointId, eventId: body.id, eventType: type, payload })));
    for (const row of rows) await deps.queue.enqueueWebhook(tx, tenantId, row.id, maxAttempts);
    return rows;
  }

  /** Runs `work` in the caller's transaction when there is one, else in its own; wakes the worker after. */
  async function inTransaction<T>(tx: Database | undefined, work: (tx: Database) => Promise<T>): Promise<T> {
    const result = tx ? await work(tx) : await deps.db.transaction(work);
    // Inside a caller's transaction the rows are visible only after its commit: the worker's next poll finds them then.
    deps.queue.wake();
    return result;
  }

  return {
    maxAttempts,

    /**
     * One delivery (and its job) per enabled endpoint of the tenant subscribed to `type`, in `tx`
     * when given so the event exists exactly when the change that caused it does. Returns how many.
     */
    emit: (async (tx, tenantId, type, data) =>
      inTransaction(tx, async (db) => {
        const endpoints = await createWebhookEndpointsRepo(db).subscribed(tenantId, type);
        return (await deliver(db, tenantId, endpoints.map((e) => e.id), type, data)).length;
      })) satisfies EmitWebhook as EmitWebhook,

    /** The "send test event" button: a `test` event to this one endpoint, enabled or not. */
    sendTest: async (tenantId: string, endpointId: string, data: Record<string, unknown>) =>
      (await inTransaction(undefined, (db) => deliver(db, tenantId, [endpointId], 'test', data)))[0]!,
  };
}

export type WebhookEvents = ReturnType<typeof createWebhookEvents>;
