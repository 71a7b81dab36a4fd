import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../http/error-schema.js';
import { requestLanguage, textIn, type Language } from '../../http/language.js';
import { principalOf } from '../../http/request-context.js';
import { messageResponseSchema, userSecurity } from '../../http/route-helpers.js';
import type { WebhookEventType } from '../../db/enums.js';
import {
  createWebhookBodySchema,
  listDeliveriesQuerySchema,
  listWebhooksQuerySchema,
  updateWebhookBodySchema,
  webhookDeliverySchema,
  webhookIdParamsSchema,
  webhookSchema,
  webhookWithSecretSchema,
} from './webhooks.schemas.js';
import type { WebhooksService } from './webhooks.service.js';
import type { WebhookDeliveryRow, WebhookEndpointRow } from './webhooks.repo.js';

const tags = ['webhooks'];
const iso = (d: Date | null) => d?.toISOString() ?? null;

// The sealed secret is never mapped: no response but create and rotate carries a secret at all.
const toWebhook = (e: WebhookEndpointRow) => ({
  id: e.id,
  url: e.url,
  description: e.description,
  events: e.events as WebhookEventType[],
  enabled: e.enabled,
  secret_rotated_at: e.secretRotatedAt.toISOString(),
  created_at: e.createdAt.toISOString(),
  updated_at: e.updatedAt.toISOString(),
});

const toDelivery = (d: WebhookDeliveryRow, maxAttempts: number, language: Language) => ({
  id: d.id,
  event_id: d.eventId,
  event_type: d.eventType,
  status: d.status,
  attempts: d.attempts,
  max_attempts: maxAttempts,
  last_status_code: d.lastStatusCode,
  last_error_code: d.lastErrorCode,
  last_error: d.lastError ? textIn(d.lastError, language) : null,
  last_duration_ms: d.lastDurationMs,
  last_attempt_at: iso(d.lastAttemptAt),
  next_attempt_at: d.status === 'pending' ? iso(d.nextAttemptAt) : null,
  delivered_at: iso(d.deliveredAt),
  created_at: d.createdAt.toISOString(),
});

/** Signed webhooks (src/modules/webhooks/README.md): endpoints, their secret, a test event, the delivery log. */
export function webhooksRoutes(deps: { webhooks: WebhooksService }): FastifyPluginAsyncZod {
  const { webhooks } = deps;
  return async (app) => {
    app.get('/', {
      config: { auth: 'user' },
      schema: {
        operationId: 'listWebhooks',
        tags,
        security: userSecurity,
        summary: 'List webhook endpoints, newest first (never their secrets)',
        description: 'The total is in the X-Total-Count header.',
        querystring: listWebhooksQuerySchema,
        response: { 200: z.array(webhookSchema), ...errorResponses(401, 422) },
      },
      handler: async (request, reply) => {
        const { rows, total } = await webhooks.list(principalOf(request), request.query);
        reply.header('X-Total-Count', String(total));
        return rows.map(toWebhook);
      },
    });

    app.post('/', {
      config: { auth: 'admin' },
      schema: {
        operationId: 'createWebhook',
        tags,
        security: userSecurity,
        summary: 'Register a webhook endpoint (ADMIN); the answer holds its signing secret, shown this once',
        description:
          'Events are POSTed as JSON with the headers Shiori-Event, Shiori-Delivery and Shiori-Signature (`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` with the secret). ' +
          'An address this server may not reach (private networks unless the operator allows them, metadata addresses never) is refused with 422; a tenant has at most 20 endpoints (409).',
        body: createWebhookBodySchema,
        response: { 201: webhookWithSecretSchema, ...errorResponses(401, 403, 409, 422) },
      },
      handler: async (request, reply) => {
        const { endpoint, secret } = await webhooks.create(principalOf(request), request.body);
        return reply.status(201).send({ ...toWebhook(endpoint), secret });
      },
    });

    app.get('/:webhook_id', {
      config: { auth: 'user' },
      schema: {
        operationId: 'getWebhook',
        tags,
        security: userSecurity,
        summary: 'A webhook endpoint (never its secret)',
        params: webhookIdParamsSchema,
        response: { 200: webhookSchema, ...errorResponses(401, 404, 422) },
      },
      handler: async (request) => toWebhook(await webhooks.get(principalOf(request), request.params.webhook_id)),
    });

    app.patch('/:webhook_id', {
      config: { auth: 'admin' },
      schema: {
        operationId: 'updateWebhook',
        tags,
        security: userSecurity,
        summary: 'Change a webhook endpoint’s address, description, events or whether it is enabled (ADMIN)',
        description: 'While disabled, new events are not queued for it and queued ones end as failed (ENDPOINT_DISABLED).',
        params: webhookIdParamsSchema,
        body: updateWebhookBodySchema,
        response: { 200: webhookSchema, ...errorResponses(401, 403, 404, 422) },
      },
      handler: async (request) => toWebhook(await webhooks.update(principalOf(request), request.params.webhook_id, request.body)),
    });

    app.post('/:webhook_id/rotate-secret', {
      config: { auth: 'admin' },
      schema: {
        operationId: 'rotateWebhookSecret',
        tags,
        security: userSecurity,
        summary: 'Replace a webhook endpoint’s signing secret (ADMIN); the new one is shown this once',
        description: 'Every attempt from now on, retries of earlier events included, is signed with the new secret.',
        params: webhookIdParamsSchema,
        response: { 200: webhookWithSecretSchema, ...errorResponses(401, 403, 404, 422) },
      },
      handler: async (request) => {
        const { endpoint, secret } = await webhooks.rotateSecret(principalOf(request), request.params.webhook_id);
        return { ...toWebhook(endpoint), secret };
      },
    });

    app.post('/:webhook_id/test', {
      config: { auth: 'admin' },
      schema: {
        operationId: 'testWebhook',
        tags,
        security: userSecurity,
        summary: 'Send a `test` event to the endpoint now (ADMIN), even when it is disabled',
        description: 'Answers with the queued delivery; follow it in GET /api/v1/webhooks/{webhook_id}/deliveries.',
        params: webhookIdParamsSchema,
        response: { 202: webhookDeliverySchema, ...errorResponses(401, 403, 404, 422) },
      },
      handler: async (request, reply) =>
        reply.status(202).send(toDelivery(await webhooks.sendTest(principalOf(request), request.params.webhook_id), webhooks.maxAttempts, requestLanguage(request))),
    });

    app.get('/:webhook_id/deliveries', {
      config: { auth: 'user' },
      schema: {
        operationId: 'listWebhookDeliveries',
        tags,
        security: userSecurity,
        summary: 'The endpoint’s delivery log, newest first: each event’s status, attempts, last answer or reason (in the caller’s language) and next retry',
        description: 'The total is in the X-Total-Count header.',
        params: webhookIdParamsSchema,
        querystring: listDeliveriesQuerySchema,
        response: { 200: z.array(webhookDeliverySchema), ...errorResponses(401, 404, 422) },
      },
      handler: async (request, reply) => {
        const { skip, limit, status } = request.query;
        const { rows, total } = await webhooks.deliveries(principalOf(request), request.params.webhook_id, { status }, { skip, limit });
        reply.header('X-Total-Count', String(total));
        return rows.map((row) => toDelivery(row, webhooks.maxAttempts, requestLanguage(request)));
      },
    });

    app.delete('/:webhook_id', {
      config: { auth: 'admin' },
      schema: {
        operationId: 'deleteWebhook',
        tags,
        security: userSecurity,
        summary: 'Delete a webhook endpoint with its delivery log (ADMIN)',
        params: webhookIdParamsSchema,
        response: { 200: messageResponseSchema, ...errorResponses(401, 403, 404, 422) },
      },
      handler: async (request) => {
        await webhooks.remove(principalOf(request), request.params.webhook_id);
        return { message: 'Webhook を削除しました' };
      },
    });
  };
}
