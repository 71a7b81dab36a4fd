import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../db/client.js';
import type { Text } from '../../http/language.js';
import { errorCauses } from '../../lib/error-causes.js';
import { outboundRefusal, type OutboundFetch } from '../../lib/outbound/outbound-fetch.js';
import type { SecretBox } from '../../lib/secret-box.js';
import { deliveryFailures } from './delivery-failures.js';
import { MAX_RESPONSE_BYTES, type WebhookOptions } from './webhook-options.js';
import { SIGNATURE_HEADER, signWebhook } from './webhook-signature.js';
import { createWebhookDeliveriesRepo, createWebhookEndpointsRepo, type WebhookDeliveryRow, type WebhookEndpointRow } from './webhooks.repo.js';

export interface WebhookRunnerDeps {
  db: Database;
  box: SecretBox;
  /** createOutboundFetch with returnRedirects: a redirect is a failed attempt, never followed. */
  fetch: OutboundFetch;
  options: WebhookOptions;
  log: FastifyBaseLogger;
}

/** What the runner needs of the queue's job. */
export interface WebhookJob {
  tenantId: string;
  webhookDeliveryId: string | null;
  /** This attempt's number (1 for the first) and how many there may be. */
  attempts: number;
  maxAttempts: number;
}

type Attempt = { ok: true; status: number } | { ok: false; status?: number; code: string; reason: Text };

/** Reads at most MAX_RESPONSE_BYTES of the answer (a receiver's page is not ours to store), then lets the connection go. */
async function discardBody(response: Response): Promise<void> {
  const reader = response.body?.getReader();
  if (!reader) return;
  let read = 0;
  try {
    while (read < MAX_RESPONSE_BYTES) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/**
 * One attempt of one delivery (a job of kind 'webhook'): signs the stored body with the endpoint's
 * current secret and the time of sending, POSTs it, and records how it went on the delivery
 * (docs/decisions.md D22).
 */
export function createWebhookDeliveryRunner(deps: WebhookRunnerDeps) {
  const { options } = deps;

  async function send(endpoint: WebhookEndpointRow, delivery: WebhookDeliveryRow, signal: AbortSignal): Promise<Attempt> {
    const timestamp = Math.floor(Date.now() / 1000);
    const timeout = AbortSignal.timeout(options.timeoutMs);
    try {
      const response = await deps.fetch(endpoint.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Shiori-Webhooks/1',
          'shiori-event': delivery.eventType,
          'shiori-delivery': delivery.id,
          [SIGNATURE_HEADER.toLowerCase()]: signWebhook(deps.box.open(endpoint.secretSealed), timestamp, delivery.payload),
        },
        body: delivery.payload,
        signal: AbortSignal.any([signal, timeout]),
      });
      await discardBody(response).catch(() => {});
      if (response.ok) return { ok: true, status: response.status };
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) return { ok: false, status: response.status, code: 'REDIRECTED', reason: deliveryFailures.redirected(response.status, location.slice(0, 200)) };
      return { ok: false, status: response.status, code: 'HTTP_ERROR', reason: deliveryFailures.httpError(response.status) };
    } catch (error) {
      if (signal.aborted) throw error;
      if (timeout.aborted) return { ok: false, code: 'TIMEOUT', reason: deliveryFailures.timeout(Math.round(options.timeoutMs / 1000)) };
      const refusal = outboundRefusal(error);
      if (refusal) return { ok: false, code: 'ADDRESS_REFUSED', reason: deliveryFailures.refused(refusal.message) };
      const causes = [...errorCauses(error)];
      const why = causes.map((c) => c.code).find(Boolean) ?? causes.at(-1)?.message ?? 'unknown error';
      return { ok: false, code: 'CONNECTION_FAILED', reason: deliveryFailures.unreachable(String(why).slice(0, 200)) };
    }
  }

  return async function runWebhook(job: WebhookJob, signal: AbortSignal): Promise<{ retryAfterSeconds?: number; error?: string }> {
    const deliveries = createWebhookDeliveriesRepo(deps.db);
    const delivery = job.webhookDeliveryId ? await deliveries.find(job.tenantId, job.webhookDeliveryId) : undefined;
    if (!delivery || delivery.status !== 'pending') return {}; // deleted with its endpoint, or already over
    const endpoint = await createWebhookEndpointsRepo(deps.db).find(job.tenantId, delivery.endpointId);
    if (!endpoint) return {};
    const record = (values: Partial<WebhookDeliveryRow>) => deliveries.update(job.tenantId, delivery.id, { attempts: job.attempts, lastAttemptAt: new Date(), ...values });
    // Ended without sending: the attempts and their times stay those actually made.
    const giveUp = async (code: string, reason: Text) => {
      await deliveries.update(job.tenantId, delivery.id, { status: 'failed', lastErrorCode: code, lastError: reason, nextAttemptAt: null });
      return { error: `${code}: ${reason.en}` };
    };
    if (job.attempts > job.maxAttempts) return giveUp('STOPPED', deliveryFailures.stoppedRepeatedly(job.maxAttempts));
    // Events wait for nothing while the endpoint is off; the test button sends anyway.
    if (!endpoint.enabled && delivery.eventType !== 'test') return giveUp('ENDPOINT_DISABLED', deliveryFailures.disabled());

    const started = performance.now();
    const attempt = await send(endpoint, delivery, signal);
    const timing = { lastDurationMs: Math.round(performance.now() - started), lastStatusCode: attempt.status ?? null };
    if (attempt.ok) {
      await record({ ...timing, status: 'succeeded', lastErrorCode: null, lastError: null, nextAttemptAt: null, deliveredAt: new Date() });
      return {};
    }
    deps.log.info({ deliveryId: delivery.id, endpointId: endpoint.id, attempt: job.attempts, code: attempt.code }, 'webhook attempt failed');
    if (job.attempts >= job.maxAttempts) {
      await record({ ...timing, status: 'failed', lastErrorCode: attempt.code, lastError: attempt.reason, nextAttemptAt: null });
      return { error: `${attempt.code}: ${attempt.reason.en}` };
    }
    const delay = options.retryDelaysSeconds[job.attempts - 1] ?? options.retryDelaysSeconds.at(-1) ?? 60;
    await record({ ...timing, lastErrorCode: attempt.code, lastError: attempt.reason, nextAttemptAt: new Date(Date.now() + delay * 1000) });
    return { retryAfterSeconds: delay, error: `${attempt.code}: ${attempt.reason.en}` };
  };
}
