import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Stripe from 'stripe';
import type { BillingConfig } from '../config.js';
import { sendJson, startFakeServer } from './fake-server.js';

/**
 * A local stand-in for the Stripe API, for the calls Shiori makes, so tests run the real SDK
 * (form encoding, auth header, error mapping) without the network:
 * - `POST /v1/checkout/sessions` → a Checkout Session with a checkout.stripe.com URL;
 * - `POST /v1/billing_portal/sessions` → a portal session with a billing.stripe.com URL;
 * - anything else → 404 in Stripe's error shape.
 * Every request is recorded with its form body decoded into nested objects, as Stripe reads it.
 */
export interface FakeStripeRequest {
  method: string;
  path: string;
  /** `line_items[0][price]=x` → `{ line_items: [{ price: 'x' }] }` */
  params: Record<string, any>;
  authorization: string | undefined;
}

export interface FakeStripe {
  /** http://127.0.0.1:PORT, for STRIPE_API_BASE */
  origin: string;
  /** BillingConfig['stripeApi'] pointing here. */
  api: NonNullable<BillingConfig['stripeApi']>;
  requests: FakeStripeRequest[];
  /** The next `count` requests get Stripe's error shape with this status, type and message. */
  failNext(count: number, error: { status: number; type?: string; message: string }): void;
  reset(): void;
  close(): Promise<void>;
}

/** Decodes a form body the way Stripe does: bracketed keys are paths, numeric parts are array indexes. */
export function parseStripeForm(body: string): Record<string, any> {
  const root: Record<string, any> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.split(/\[|\]\[|\]/).filter((part) => part !== '');
    let node: any = root;
    path.forEach((part, i) => {
      const last = i === path.length - 1;
      if (last) node[part] = value;
      else node = node[part] ??= /^\d+$/.test(path[i + 1]!) ? [] : {};
    });
  }
  return root;
}

export async function startFakeStripe(): Promise<FakeStripe> {
  const requests: FakeStripeRequest[] = [];
  let failures: Array<{ status: number; type?: string; message: string }> = [];
  const id = (prefix: string) => `${prefix}_test_${randomBytes(8).toString('hex')}`;

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = (req.url ?? '/').split('?')[0]!;
    const params = parseStripeForm(Buffer.concat(chunks).toString('utf8'));
    requests.push({ method: req.method ?? 'GET', path, params, authorization: req.headers.authorization });
    const failure = failures.shift();
    if (failure) return sendJson(res, failure.status, { error: { type: failure.type ?? 'invalid_request_error', message: failure.message } });
    if (!/^Bearer (sk|rk)_/.test(req.headers.authorization ?? '')) {
      return sendJson(res, 401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } });
    }
    if (req.method === 'POST' && path === '/v1/checkout/sessions') {
      const session = id('cs');
      return sendJson(res, 200, {
        id: session,
        object: 'checkout.session',
        url: `https://checkout.stripe.com/c/pay/${session}`,
        mode: params.mode,
        client_reference_id: params.client_reference_id ?? null,
        customer: params.customer ?? null,
        customer_email: params.customer_email ?? null,
        metadata: params.metadata ?? {},
        payment_status: 'unpaid',
        status: 'open',
        success_url: params.success_url,
        cancel_url: params.cancel_url,
      });
    }
    if (req.method === 'POST' && path === '/v1/billing_portal/sessions') {
      if (!params.customer) return sendJson(res, 400, { error: { type: 'invalid_request_error', message: 'Missing required param: customer.' } });
      return sendJson(res, 200, {
        id: id('bps'),
        object: 'billing_portal.session',
        customer: params.customer,
        return_url: params.return_url ?? null,
        url: `https://billing.stripe.com/p/session/${id('bps')}`,
      });
    }
    return sendJson(res, 404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method}: ${path})` } });
  }

  const server = await startFakeServer(handle);
  const { port } = new URL(server.origin);
  return {
    origin: server.origin,
    api: { host: '127.0.0.1', port: Number(port), protocol: 'http' },
    requests,
    failNext: (count, error) => void (failures = [...failures, ...Array(count).fill(error)]),
    reset: () => {
      requests.length = 0;
      failures = [];
    },
    close: server.close,
  };
}

export interface SignedEvent {
  id: string;
  payload: string;
  /** The Stripe-Signature header, made by the SDK's own test helper. */
  signature: string;
}

let eventCounter = 0;

/**
 * A webhook event as Stripe sends it, signed with `secret`. `created` (Unix seconds) defaults to
 * now plus a counter, so events made later in a test are also later for the webhook's ordering.
 */
export function signedStripeEvent(secret: string, type: string, object: Record<string, unknown>, options: { id?: string; created?: number } = {}): SignedEvent {
  const id = options.id ?? `evt_test_${randomBytes(8).toString('hex')}`;
  const created = options.created ?? Math.floor(Date.now() / 1000) + ++eventCounter;
  const payload = JSON.stringify({
    id,
    object: 'event',
    api_version: Stripe.API_VERSION,
    created,
    type,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: { object },
  });
  return { id, payload, signature: Stripe.webhooks.generateTestHeaderString({ payload, secret }) };
}
