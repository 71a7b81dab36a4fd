import { z } from 'zod';
import { webhookDeliveryStatuses, webhookEventTypes } from '../../db/enums.js';
import { MAX_DESCRIPTION_LENGTH, MAX_URL_LENGTH } from './webhook-options.js';

const webhookUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// address' })
  .max(MAX_URL_LENGTH, `must be at most ${MAX_URL_LENGTH} characters`)
  .describe('Where events are POSTed: https:// (plain http:// only on a server whose outbound policy allows private networks)');

const description = z.string().trim().max(MAX_DESCRIPTION_LENGTH, `must be at most ${MAX_DESCRIPTION_LENGTH} characters`).describe('A note for people: what receives it');

const events = z
  .array(z.enum(webhookEventTypes))
  .min(1, 'must name at least one event')
  .max(webhookEventTypes.length)
  .transform((list) => [...new Set(list)])
  .describe('The event types sent to it');

export const createWebhookBodySchema = z.strictObject({
  url: webhookUrl,
  description: description.default(''),
  events,
  enabled: z.boolean().default(true),
});
export type CreateWebhookBody = z.infer<typeof createWebhookBodySchema>;

export const updateWebhookBodySchema = z.strictObject({ url: webhookUrl.optional(), description: description.optional(), events: events.optional(), enabled: z.boolean().optional() });
export type UpdateWebhookBody = z.infer<typeof updateWebhookBodySchema>;

export const webhookIdParamsSchema = z.object({ webhook_id: z.uuid('must be a UUID') });

const paging = {
  skip: z.coerce.number().int('must be a whole number').min(0, 'must be 0 or more').default(0),
  limit: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(500, 'must be at most 500').default(100),
};
export const listWebhooksQuerySchema = z.object(paging);
export const listDeliveriesQuerySchema = z.object({ ...paging, status: z.enum(webhookDeliveryStatuses).optional() });

export const webhookSchema = z
  .object({
    id: z.uuid(),
    url: z.string(),
    description: z.string(),
    events: z.array(z.enum(webhookEventTypes)),
    enabled: z.boolean(),
    secret_rotated_at: z.iso.datetime().describe('When the signing secret was made; it is shown only then'),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ id: 'Webhook' });

export const webhookWithSecretSchema = webhookSchema
  .extend({ secret: z.string().describe('The signing secret (`whsec_…`): shown this once, store it with the receiver') })
  .meta({ id: 'WebhookWithSecret' });

export const webhookDeliverySchema = z
  .object({
    id: z.uuid().describe('Sent as the Shiori-Delivery header'),
    event_id: z.string().describe('The body’s `id`: the same for the deliveries of one event to several endpoints'),
    event_type: z.string(),
    status: z.enum(webhookDeliveryStatuses).describe('pending (waiting for its next attempt), succeeded (a 2xx answer), failed (no attempts left)'),
    attempts: z.number().int(),
    max_attempts: z.number().int(),
    last_status_code: z.number().int().nullable().describe('The HTTP status of the last answer, if one came'),
    last_error_code: z.string().nullable().describe('HTTP_ERROR, REDIRECTED, TIMEOUT, ADDRESS_REFUSED, CONNECTION_FAILED, ENDPOINT_DISABLED'),
    last_error: z.string().nullable().describe('Why the last attempt failed, in the caller’s language'),
    last_duration_ms: z.number().int().nullable(),
    last_attempt_at: z.iso.datetime().nullable(),
    next_attempt_at: z.iso.datetime().nullable().describe('When it is tried (again), while pending'),
    delivered_at: z.iso.datetime().nullable(),
    created_at: z.iso.datetime(),
  })
  .meta({ id: 'WebhookDelivery' });
