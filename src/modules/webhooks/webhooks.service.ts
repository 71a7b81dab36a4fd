import { randomBytes } from 'node:crypto';
import type { Database } from '../../db/client.js';
import type { WebhookDeliveryStatus } from '../../db/enums.js';
import { AppError, notFound, validationFailed } from '../../http/errors.js';
import type { Principal } from '../../http/request-context.js';
import { checkOutboundUrl, outboundRefusal, type OutboundOptions } from '../../lib/outbound/outbound-fetch.js';
import type { SecretBox } from '../../lib/secret-box.js';
import type { WebhookEvents } from './webhook-events.js';
import { MAX_ENDPOINTS } from './webhook-options.js';
import type { CreateWebhookBody, UpdateWebhookBody } from './webhooks.schemas.js';
import { createWebhookDeliveriesRepo, createWebhookEndpointsRepo, type WebhookDeliveryRow, type WebhookEndpointRow } from './webhooks.repo.js';

export interface WebhooksDeps {
  db: Database;
  box: SecretBox;
  events: WebhookEvents;
  /** The SSRF policy: checked when an address is saved, and again at every connection. */
  outbound: OutboundOptions;
}

/** A signing secret: `whsec_` and 32 random bytes, base64url. */
const newSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

const tooMany = () =>
  new AppError('CONFLICT', { ja: `Webhook は ${MAX_ENDPOINTS} 件まで登録できます。不要なものを削除してから追加してください。`, en: `A tenant can register at most ${MAX_ENDPOINTS} webhooks: delete some before adding more.` });

export function createWebhooksService(deps: WebhooksDeps) {
  const { db, box } = deps;
  const endpoints = createWebhookEndpointsRepo(db);
  const deliveries = createWebhookDeliveriesRepo(db);

  async function get(principal: Principal, id: string): Promise<WebhookEndpointRow> {
    const endpoint = await endpoints.find(principal.tenantId, id);
    if (!endpoint) throw notFound('Webhook');
    return endpoint;
  }

  /** https:// only, unless this server may reach private networks (how a receiver on loopback is tested); never credentials in the address. */
  async function checkUrl(raw: string): Promise<string> {
    const url = new URL(raw);
    const refuse = (ja: string, en: string) => validationFailed([{ field: 'url', message: { ja, en } }]);
    if (url.protocol !== 'https:' && !deps.outbound.allowPrivateNetworks) throw refuse('https:// で始まるアドレスを入力してください', 'must be an https:// address');
    if (url.username || url.password) throw refuse('アドレスにユーザー名やパスワードを含めないでください（署名で確認できます）', 'must not hold a user name or password (verify the signature instead)');
    if (url.hash) throw refuse('アドレスに # 以降を含めないでください', 'must not have a #fragment');
    try {
      await checkOutboundUrl(url.href, deps.outbound);
    } catch (error) {
      const why = outboundRefusal(error)?.message ?? 'the host name does not resolve';
      throw refuse(`このサーバーから接続できないアドレスです（${why}）`, `this server cannot reach it (${why})`);
    }
    return url.href;
  }

  return {
    async list(principal: Principal, page: { skip: number; limit: number }): Promise<{ rows: WebhookEndpointRow[]; total: number }> {
      const [rows, total] = await Promise.all([endpoints.list(principal.tenantId, page), endpoints.count(principal.tenantId)]);
      return { rows, total };
    },

    get,

    /** Registers an endpoint with a fresh secret, returned this once in plain. */
    async create(principal: Principal, body: CreateWebhookBody): Promise<{ endpoint: WebhookEndpointRow; secret: string }> {
      const url = await checkUrl(body.url);
      if ((await endpoints.count(principal.tenantId)) >= MAX_ENDPOINTS) throw tooMany();
      const secret = newSecret();
      const endpoint = await endpoints.insert({
        tenantId: principal.tenantId,
        url,
        description: body.description,
        events: body.events,
        enabled: body.enabled,
        secretSealed: box.seal(secret),
        createdBy: principal.userId,
      });
      return { endpoint, secret };
    },

    async update(principal: Principal, id: string, patch: UpdateWebhookBody): Promise<WebhookEndpointRow> {
      await get(principal, id);
      const url = patch.url === undefined ? undefined : await checkUrl(patch.url);
      const updated = await endpoints.update(principal.tenantId, id, { url, description: patch.description, events: patch.events, enabled: patch.enabled });
      if (!updated) throw notFound('Webhook');
      return updated;
    },

    /** A new secret at once: attempts from now on, retries included, are signed with it. */
    async rotateSecret(principal: Principal, id: string): Promise<{ endpoint: WebhookEndpointRow; secret: string }> {
      await get(principal, id);
      const secret = newSecret();
      const endpoint = await endpoints.update(principal.tenantId, id, { secretSealed: box.seal(secret), secretRotatedAt: new Date() });
      if (!endpoint) throw notFound('Webhook');
      return { endpoint, secret };
    },

    /** Removes the endpoint with its delivery log and the attempts still queued. */
    async remove(principal: Principal, id: string): Promise<void> {
      if (!(await endpoints.delete(principal.tenantId, id))) throw notFound('Webhook');
    },

    /** Queues a `test` event to this endpoint now (enabled or not) and returns its delivery. */
    async sendTest(principal: Principal, id: string): Promise<WebhookDeliveryRow> {
      const endpoint = await get(principal, id);
      return deps.events.sendTest(principal.tenantId, endpoint.id, {
        message: { ja: 'Shiori からのテストイベントです。', en: 'A test event from Shiori.' },
        webhook_id: endpoint.id,
      });
    },

    async deliveries(principal: Principal, id: string, filter: { status?: WebhookDeliveryStatus }, page: { skip: number; limit: number }): Promise<{ rows: WebhookDeliveryRow[]; total: number }> {
      await get(principal, id);
      const [rows, total] = await Promise.all([deliveries.list(principal.tenantId, id, filter, page), deliveries.count(principal.tenantId, id, filter)]);
      return { rows, total };
    },

    maxAttempts: deps.events.maxAttempts,
  };
}

export type WebhooksService = ReturnType<typeof createWebhooksService>;
