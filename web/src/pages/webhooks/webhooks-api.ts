import type { z } from 'zod';
import type { CreateWebhookBody, UpdateWebhookBody, webhookDeliverySchema, webhookSchema, webhookWithSecretSchema } from '../../../../src/modules/webhooks/webhooks.schemas.js';
import { api, apiFetch } from '../../api/client.js';

export type Webhook = z.infer<typeof webhookSchema>;
export type WebhookWithSecret = z.infer<typeof webhookWithSecretSchema>;
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;

export interface DeliveryFilters {
  status?: string;
  skip: number;
  limit: number;
}

const one = (id: string) => `/api/v1/webhooks/${encodeURIComponent(id)}`;

export const listWebhooks = (signal?: AbortSignal) => api<Webhook[]>('/api/v1/webhooks', { signal });
export const getWebhook = (id: string, signal?: AbortSignal) => api<Webhook>(one(id), { signal });
export const createWebhook = (body: CreateWebhookBody) => api<WebhookWithSecret>('/api/v1/webhooks', { method: 'POST', body });
export const updateWebhook = (id: string, body: UpdateWebhookBody) => api<Webhook>(one(id), { method: 'PATCH', body });
export const deleteWebhook = (id: string) => api<{ message: string }>(one(id), { method: 'DELETE' });
export const rotateWebhookSecret = (id: string) => api<WebhookWithSecret>(`${one(id)}/rotate-secret`, { method: 'POST' });
export const sendTestEvent = (id: string) => api<WebhookDelivery>(`${one(id)}/test`, { method: 'POST' });

/** One page of the delivery log, with the total from X-Total-Count. */
export async function listDeliveries(id: string, filters: DeliveryFilters, signal?: AbortSignal): Promise<{ items: WebhookDelivery[]; total: number }> {
  const res = await apiFetch(`${one(id)}/deliveries`, { query: { skip: filters.skip, limit: filters.limit, ...(filters.status ? { status: filters.status } : {}) }, signal });
  const items = (await res.json()) as WebhookDelivery[];
  return { items, total: Number(res.headers.get('X-Total-Count') ?? items.length) };
}
