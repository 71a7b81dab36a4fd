// Shared by the billing tests: the billing config pointed at the fake Stripe, Stripe-shaped
// objects for webhook events, and sending a signed event to the app.
import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import type { BillingConfig } from '../../../config.js';
import type { FakeStripe, SignedEvent } from '../../../test/fake-stripe.js';
import { signedStripeEvent } from '../../../test/fake-stripe.js';
import type { TestApp } from '../../../test/harness.js';

export const WEBHOOK_SECRET = 'whsec_test_shiori_billing';
export const PRICES = { PRO_MONTHLY: 'price_pro_monthly', PRO_YEARLY: 'price_pro_yearly', ENTERPRISE_MONTHLY: 'price_enterprise_monthly' } as const;

/** Stripe configured, except the ENTERPRISE yearly price (to test a plan that cannot be bought). */
export function billingConfig(stripe: FakeStripe): BillingConfig {
  return {
    enabled: true,
    stripeSecretKey: 'sk_test_shiori',
    stripeWebhookSecret: WEBHOOK_SECRET,
    prices: { PRO: { MONTHLY: PRICES.PRO_MONTHLY, YEARLY: PRICES.PRO_YEARLY }, ENTERPRISE: { MONTHLY: PRICES.ENTERPRISE_MONTHLY } },
    stripeApi: stripe.api,
  };
}

export const stripeIds = () => {
  const suffix = randomBytes(6).toString('hex');
  return { customer: `cus_test_${suffix}`, subscription: `sub_test_${suffix}` };
};

type Ids = ReturnType<typeof stripeIds>;

export function completedSession(tenantId: string, ids: Ids, options: { plan?: string; cycle?: string; paymentStatus?: string } = {}) {
  const metadata = { tenant_id: tenantId, plan: options.plan ?? 'PRO', billing_cycle: options.cycle ?? 'MONTHLY' };
  return {
    id: `cs_test_${randomBytes(6).toString('hex')}`,
    object: 'checkout.session',
    mode: 'subscription',
    status: 'complete',
    payment_status: options.paymentStatus ?? 'paid',
    client_reference_id: tenantId,
    customer: ids.customer,
    subscription: ids.subscription,
    metadata,
  };
}

export function subscription(ids: Ids, options: { status?: string; price?: string; periodEnd?: number; metadata?: Record<string, string> } = {}) {
  return {
    id: ids.subscription,
    object: 'subscription',
    customer: ids.customer,
    status: options.status ?? 'active',
    metadata: options.metadata ?? {},
    items: {
      object: 'list',
      data: [
        {
          id: `si_test_${randomBytes(4).toString('hex')}`,
          object: 'subscription_item',
          price: { id: options.price ?? PRICES.PRO_MONTHLY, object: 'price' },
          current_period_end: options.periodEnd ?? Math.floor(Date.now() / 1000) + 30 * 86400,
        },
      ],
    },
  };
}

export function failedInvoice(ids: Ids) {
  return {
    id: `in_test_${randomBytes(4).toString('hex')}`,
    object: 'invoice',
    customer: ids.customer,
    status: 'open',
    parent: { type: 'subscription_details', subscription_details: { subscription: ids.subscription, metadata: {} } },
  };
}

export const signed = (type: string, object: Record<string, unknown>, options: { id?: string; created?: number; secret?: string } = {}) =>
  signedStripeEvent(options.secret ?? WEBHOOK_SECRET, type, object, options);

export function postWebhook(t: TestApp, event: Pick<SignedEvent, 'payload'> & { signature?: string }): Promise<LightMyRequestResponse> {
  return t.request('POST', '/api/v1/billing/webhook', {
    body: event.payload,
    headers: { 'content-type': 'application/json; charset=utf-8', ...(event.signature ? { 'stripe-signature': event.signature } : {}) },
  });
}

/** Sends a signed event and returns the webhook's outcome; fails unless Stripe would see a 200. */
export async function deliver(t: TestApp, type: string, object: Record<string, unknown>, options: { id?: string; created?: number } = {}): Promise<string> {
  const res = await postWebhook(t, signed(type, object, options));
  if (res.statusCode !== 200) throw new Error(`webhook ${type} answered ${res.statusCode}: ${res.body}`);
  return res.json().outcome;
}

/** GET /api/v1/billing as the tenant's OPERATOR (any user may read it). */
export async function billingOf(t: TestApp, tenant: { operator: { accessToken: string } }) {
  const res = await t.request('GET', '/api/v1/billing', { token: tenant.operator.accessToken });
  if (res.statusCode !== 200) throw new Error(`GET /api/v1/billing answered ${res.statusCode}: ${res.body}`);
  return res.json();
}
