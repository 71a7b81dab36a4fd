import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { billingEvents, tenants } from '../../db/schema.js';
import { startFakeStripe, type FakeStripe } from '../../test/fake-stripe.js';
import { buildTestApp, expectError, type TestApp, type TestTenant } from '../../test/harness.js';
import { uploadText } from '../../test/upload.js';
import { defaultPlanLimits } from './plan-limits.js';
import {
  billingConfig,
  billingOf,
  completedSession,
  deliver,
  failedInvoice,
  postWebhook,
  PRICES,
  signed,
  stripeIds,
  subscription,
} from './test-support/billing-fixtures.js';

let stripe: FakeStripe;
let t: TestApp;
before(async () => {
  stripe = await startFakeStripe();
  t = await buildTestApp({ billing: billingConfig(stripe), planLimits: defaultPlanLimits });
});
after(async () => {
  await t.close();
  await stripe.close();
});
beforeEach(() => stripe.reset());

const checkout = (tenant: TestTenant, body: unknown, token = tenant.admin.accessToken) => t.request('POST', '/api/v1/billing/checkout', { token, body });
const portal = (tenant: TestTenant, token = tenant.admin.accessToken) => t.request('POST', '/api/v1/billing/portal', { token });
const tenantRow = async (id: string) => (await t.app.database.db.select().from(tenants).where(eq(tenants.id, id)))[0]!;
const eventRow = async (id: string) => (await t.app.database.db.select().from(billingEvents).where(eq(billingEvents.id, id)))[0];
const limitsJson = (plan: keyof typeof defaultPlanLimits) => {
  const l = defaultPlanLimits[plan];
  return { documents: l.documents, storage_bytes: l.storageBytes, messages_per_month: l.messagesPerMonth, members: l.members };
};

/** A tenant that has completed Checkout for PRO monthly. */
async function subscribed(label: string) {
  const tenant = await t.createTenant(label);
  const ids = stripeIds();
  assert.equal(await deliver(t, 'checkout.session.completed', completedSession(tenant.id, ids)), 'applied');
  return { tenant, ids };
}

describe('without Stripe configured', () => {
  let bare: TestApp;
  before(async () => {
    bare = await buildTestApp();
  });
  after(() => bare.close());

  test('checkout and the portal answer 503 BILLING_NOT_CONFIGURED, saying what is missing', async () => {
    const res = await bare.request('POST', '/api/v1/billing/checkout', { token: bare.a.admin.accessToken, body: { plan: 'PRO', billing_cycle: 'MONTHLY' } });
    assert.match(expectError(res, 503, 'BILLING_NOT_CONFIGURED').detail, /STRIPE_SECRET_KEY/);
    expectError(await bare.request('POST', '/api/v1/billing/portal', { token: bare.a.admin.accessToken }), 503, 'BILLING_NOT_CONFIGURED');
  });

  test('the webhook answers 503 too: without its secret nothing can be verified', async () => {
    const res = await postWebhook(bare, signed('checkout.session.completed', completedSession(bare.a.id, stripeIds())));
    assert.match(expectError(res, 503, 'BILLING_NOT_CONFIGURED').detail, /STRIPE_WEBHOOK_SECRET/);
    assert.equal((await bare.request('GET', '/api/v1/billing', { token: bare.a.admin.accessToken })).json().plan, 'FREE');
  });

  test('GET /billing still shows the plan and use, that billing is off, and that no plan limit applies', async () => {
    const body = (await bare.request('GET', '/api/v1/billing', { token: bare.a.operator.accessToken })).json();
    assert.equal(body.billing_configured, false);
    assert.equal(body.limits_apply, false);
    assert.equal(body.plan, 'FREE');
    assert.deepEqual(body.limits, { documents: null, storage_bytes: null, messages_per_month: null, members: null });
    assert.deepEqual(body.plans.map((p: { billing_cycles: string[] }) => p.billing_cycles), [[], [], []]);
  });

  test('self-hosted means no caps: more documents than the FREE plan’s 20 are accepted', async () => {
    const tenant = await bare.createTenant('uncapped');
    for (let i = 0; i <= defaultPlanLimits.FREE.documents!; i += 1) {
      const res = await uploadText(bare, tenant.admin.accessToken, `社内文書 ${i}: 規程の第${i}条。`, {}, `doc-${i}.txt`);
      assert.equal(res.statusCode, 201, res.body);
    }
    assert.equal((await bare.request('GET', '/api/v1/billing', { token: tenant.admin.accessToken })).json().usage.documents, defaultPlanLimits.FREE.documents! + 1);
  });
});

describe('POST /api/v1/billing/checkout', () => {
  test('the seed’s body → 200 {url, session_id} of a subscription Checkout Session for the price, tenant and plan', async () => {
    const res = await checkout(t.a, { plan: 'PRO', billing_cycle: 'MONTHLY' });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.deepEqual(Object.keys(body).sort(), ['session_id', 'url']);
    assert.match(body.session_id, /^cs_test_/);
    assert.equal(body.url, `https://checkout.stripe.com/c/pay/${body.session_id}`);

    assert.equal(stripe.requests.length, 1);
    const [sent] = stripe.requests;
    assert.equal(sent!.path, '/v1/checkout/sessions');
    assert.equal(sent!.authorization, 'Bearer sk_test_shiori');
    const params = sent!.params;
    assert.equal(params.mode, 'subscription');
    assert.deepEqual(params.line_items, [{ price: PRICES.PRO_MONTHLY, quantity: '1' }]);
    assert.equal(params.client_reference_id, t.a.id);
    const metadata = { tenant_id: t.a.id, plan: 'PRO', billing_cycle: 'MONTHLY' };
    assert.deepEqual(params.metadata, metadata);
    assert.deepEqual(params.subscription_data, { metadata }, 'the subscription’s own events name the tenant too');
    assert.equal(params.success_url, `${t.publicUrl}/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}`);
    assert.equal(params.cancel_url, `${t.publicUrl}/billing?checkout=canceled`);
    assert.equal(params.customer_email, t.a.admin.email, 'no customer yet: Stripe creates one with the ADMIN’s email');
    assert.equal(params.customer, undefined);
    assert.equal((await tenantRow(t.a.id)).plan, 'FREE', 'nothing changes before the webhook confirms the payment');
  });

  test('each plan and cycle uses its own price', async () => {
    assert.equal((await checkout(t.a, { plan: 'PRO', billing_cycle: 'YEARLY' })).statusCode, 200);
    assert.equal((await checkout(t.a, { plan: 'ENTERPRISE', billing_cycle: 'MONTHLY' })).statusCode, 200);
    assert.deepEqual(
      stripe.requests.map((r) => r.params.line_items[0].price),
      [PRICES.PRO_YEARLY, PRICES.ENTERPRISE_MONTHLY],
    );
  });

  test('a plan and cycle without a configured price → 503 naming the variable; Stripe is not called', async () => {
    const res = await checkout(t.a, { plan: 'ENTERPRISE', billing_cycle: 'YEARLY' });
    assert.match(expectError(res, 503, 'BILLING_NOT_CONFIGURED').detail, /STRIPE_PRICE_ENTERPRISE_YEARLY/);
    assert.equal(stripe.requests.length, 0);
  });

  const invalid: Array<[string, unknown, string]> = [
    ['an empty body', {}, 'plan'],
    ['FREE, which is not bought', { plan: 'FREE', billing_cycle: 'MONTHLY' }, 'plan'],
    ['a lower-case plan', { plan: 'pro', billing_cycle: 'MONTHLY' }, 'plan'],
    ['an unknown cycle', { plan: 'PRO', billing_cycle: 'WEEKLY' }, 'billing_cycle'],
    ['no cycle', { plan: 'PRO' }, 'billing_cycle'],
    ['an unknown field', { plan: 'PRO', billing_cycle: 'MONTHLY', coupon: 'FREE100' }, 'body'],
  ];
  for (const [name, body, field] of invalid) {
    test(`422 VALIDATION_ERROR for ${name}, naming ${field}`, async () => {
      const error = expectError(await checkout(t.a, body), 422, 'VALIDATION_ERROR');
      assert.ok(error.errors?.some((e) => e.field === field), JSON.stringify(error));
      assert.equal(stripe.requests.length, 0);
    });
  }

  test('ADMIN only: an OPERATOR gets 403, no token 401; Stripe is not called', async () => {
    expectError(await checkout(t.a, { plan: 'PRO', billing_cycle: 'MONTHLY' }, t.a.operator.accessToken), 403, 'PERMISSION_DENIED');
    expectError(await t.request('POST', '/api/v1/billing/checkout', { body: { plan: 'PRO', billing_cycle: 'MONTHLY' } }), 401, 'AUTHENTICATION_ERROR');
    assert.equal(stripe.requests.length, 0);
  });

  test('Stripe refusing the request → 502 PAYMENT_PROVIDER_ERROR with Stripe’s reason', async () => {
    stripe.failNext(1, { status: 400, message: "No such price: 'price_pro_monthly'" });
    const res = await checkout(t.a, { plan: 'PRO', billing_cycle: 'MONTHLY' });
    assert.match(expectError(res, 502, 'PAYMENT_PROVIDER_ERROR').detail, /No such price/);
  });

  test('a tenant with a subscription → 409 pointing at the portal; after it ends, Checkout reuses its Stripe customer', async () => {
    const { tenant, ids } = await subscribed('renew');
    assert.match(expectError(await checkout(tenant, { plan: 'ENTERPRISE', billing_cycle: 'MONTHLY' }), 409, 'CONFLICT').detail, /portal/);
    assert.equal(await deliver(t, 'customer.subscription.deleted', subscription(ids, { status: 'canceled' })), 'applied');
    assert.equal((await checkout(tenant, { plan: 'PRO', billing_cycle: 'YEARLY' })).statusCode, 200);
    const params = stripe.requests.at(-1)!.params;
    assert.equal(params.customer, ids.customer);
    assert.equal(params.customer_email, undefined);
  });
});

describe('POST /api/v1/billing/portal', () => {
  test('no Stripe customer yet → 409 saying to subscribe first', async () => {
    const tenant = await t.createTenant('noportal');
    assert.match(expectError(await portal(tenant), 409, 'CONFLICT').detail, /choose a plan on the Billing page/);
    assert.equal(stripe.requests.length, 0);
  });

  test('after Checkout → 200 {url} of a portal session for the tenant’s customer, returning to the dashboard', async () => {
    const { tenant, ids } = await subscribed('portal');
    const res = await portal(tenant);
    assert.equal(res.statusCode, 200, res.body);
    assert.match(res.json().url, /^https:\/\/billing\.stripe\.com\/p\/session\//);
    const [sent] = stripe.requests;
    assert.equal(sent!.path, '/v1/billing_portal/sessions');
    assert.deepEqual(sent!.params, { customer: ids.customer, return_url: `${t.publicUrl}/billing` });
    expectError(await portal(tenant, tenant.operator.accessToken), 403, 'PERMISSION_DENIED');
  });
});

describe('GET /api/v1/billing', () => {
  test('any user sees the plan, the limits and the use, and what can be bought', async () => {
    const body = await billingOf(t, t.b);
    assert.equal(body.plan, 'FREE');
    assert.equal(body.status, 'ACTIVE');
    assert.equal(body.effective_plan, 'FREE');
    assert.equal(body.billing_cycle, null);
    assert.equal(body.current_period_end, null);
    assert.equal(body.has_subscription, false);
    assert.equal(body.billing_configured, true);
    assert.equal(body.warning, null);
    assert.deepEqual(body.limits, limitsJson('FREE'));
    assert.deepEqual(body.usage, { documents: 0, storage_bytes: 0, messages_this_month: 0, members: 2 });
    const now = new Date();
    assert.equal(body.messages_reset_at, new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString());
    assert.deepEqual(
      body.plans.map((p: { plan: string; billing_cycles: string[] }) => [p.plan, p.billing_cycles]),
      [['FREE', []], ['PRO', ['MONTHLY', 'YEARLY']], ['ENTERPRISE', ['MONTHLY']]],
    );
    assert.deepEqual(body.plans[1].limits, limitsJson('PRO'));
  });
});

describe('POST /api/v1/billing/webhook', () => {
  test('a missing or wrong Stripe-Signature → 400, and nothing is applied or recorded', async () => {
    const tenant = await t.createTenant('forged');
    const event = signed('checkout.session.completed', completedSession(tenant.id, stripeIds()));
    expectError(await postWebhook(t, { payload: event.payload }), 400, 'BAD_REQUEST');
    const forged = signed('checkout.session.completed', completedSession(tenant.id, stripeIds()), { secret: 'whsec_someone_else' });
    assert.match(expectError(await postWebhook(t, forged), 400, 'BAD_REQUEST').detail, /Stripe-Signature/);
    const tampered = event.payload.replace('"PRO"', '"ENTERPRISE"');
    expectError(await postWebhook(t, { payload: tampered, signature: event.signature }), 400, 'BAD_REQUEST');
    expectError(await postWebhook(t, { payload: event.payload, signature: 'garbage' }), 400, 'BAD_REQUEST');
    assert.equal((await tenantRow(tenant.id)).plan, 'FREE');
    assert.equal(await eventRow(event.id), undefined);
    assert.equal(await eventRow(forged.id), undefined);
  });

  test('a body over 1 MB → 413; another media type → 415', async () => {
    const big = signed('checkout.session.completed', { padding: 'x'.repeat(1024 * 1024) });
    expectError(await postWebhook(t, big), 413, 'PAYLOAD_TOO_LARGE');
    const event = signed('checkout.session.completed', completedSession(t.b.id, stripeIds()));
    const res = await t.request('POST', '/api/v1/billing/webhook', { body: event.payload, headers: { 'content-type': 'text/plain', 'stripe-signature': event.signature } });
    expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  test('checkout.session.completed → PRO, ACTIVE, the Stripe ids stored, and the PRO limits in GET /billing', async () => {
    const { tenant, ids } = await subscribed('upgrade');
    const row = await tenantRow(tenant.id);
    assert.equal(row.plan, 'PRO');
    assert.equal(row.status, 'ACTIVE');
    assert.equal(row.billingCycle, 'MONTHLY');
    assert.equal(row.stripeCustomerId, ids.customer);
    assert.equal(row.stripeSubscriptionId, ids.subscription);
    const body = await billingOf(t, tenant);
    assert.equal(body.plan, 'PRO');
    assert.equal(body.has_subscription, true);
    assert.deepEqual(body.limits, limitsJson('PRO'));
  });

  test('a replayed event is applied once: 200 replayed, and it does not overwrite a later state', async () => {
    const tenant = await t.createTenant('replay');
    const ids = stripeIds();
    const completed = signed('checkout.session.completed', completedSession(tenant.id, ids));
    assert.equal((await postWebhook(t, completed)).json().outcome, 'applied');
    assert.deepEqual((await postWebhook(t, completed)).json(), { received: true, outcome: 'replayed' });

    // Later the customer moves to ENTERPRISE, then leaves; Stripe redelivers the old completion.
    assert.equal(await deliver(t, 'customer.subscription.updated', subscription(ids, { price: PRICES.ENTERPRISE_MONTHLY })), 'applied');
    assert.equal((await tenantRow(tenant.id)).plan, 'ENTERPRISE');
    assert.equal((await postWebhook(t, completed)).json().outcome, 'replayed');
    assert.equal((await tenantRow(tenant.id)).plan, 'ENTERPRISE', 'the replay changed nothing');
    assert.deepEqual(await eventRow(completed.id).then((e) => [e?.outcome, e?.tenantId]), ['applied', tenant.id]);
  });

  test('an event older than the last one applied changes nothing (Stripe does not promise order)', async () => {
    const { tenant, ids } = await subscribed('order');
    const now = Math.floor(Date.now() / 1000);
    assert.equal(await deliver(t, 'customer.subscription.updated', subscription(ids, { status: 'active' }), { created: now + 1000 }), 'applied');
    assert.equal(await deliver(t, 'customer.subscription.updated', subscription(ids, { status: 'past_due' }), { created: now + 500 }), 'stale');
    assert.equal((await tenantRow(tenant.id)).status, 'ACTIVE');
  });

  test('customer.subscription.updated: plan from the price, status from the subscription, the period end', async () => {
    const { tenant, ids } = await subscribed('updated');
    const periodEnd = Math.floor(Date.UTC(2031, 0, 31) / 1000);
    assert.equal(await deliver(t, 'customer.subscription.updated', subscription(ids, { price: PRICES.PRO_YEARLY, periodEnd })), 'applied');
    let body = await billingOf(t, tenant);
    assert.deepEqual([body.plan, body.billing_cycle, body.status, body.current_period_end], ['PRO', 'YEARLY', 'ACTIVE', '2031-01-31T00:00:00.000Z']);

    for (const [status, expected] of [['past_due', 'PAST_DUE'], ['trialing', 'ACTIVE'], ['unpaid', 'PAST_DUE'], ['active', 'ACTIVE']] as const) {
      await deliver(t, 'customer.subscription.updated', subscription(ids, { status, price: PRICES.ENTERPRISE_MONTHLY }));
      body = await billingOf(t, tenant);
      assert.deepEqual([body.plan, body.status], ['ENTERPRISE', expected], status);
    }
  });

  test('customer.subscription.deleted → back to FREE and ACTIVE, the customer kept; the old subscription’s events are stale', async () => {
    const { tenant, ids } = await subscribed('deleted');
    assert.equal(await deliver(t, 'customer.subscription.deleted', subscription(ids, { status: 'canceled' })), 'applied');
    const body = await billingOf(t, tenant);
    assert.deepEqual([body.plan, body.status, body.billing_cycle, body.current_period_end, body.has_subscription], ['FREE', 'ACTIVE', null, null, false]);
    assert.deepEqual(body.limits, limitsJson('FREE'));
    assert.equal((await tenantRow(tenant.id)).stripeCustomerId, ids.customer, 'kept for the next Checkout and the portal');
    // A new subscription, then a late event of the old one.
    const next = { customer: ids.customer, subscription: `${ids.subscription}_2` };
    assert.equal(await deliver(t, 'checkout.session.completed', completedSession(tenant.id, next)), 'applied');
    assert.equal(await deliver(t, 'customer.subscription.updated', subscription(ids, { status: 'past_due' })), 'stale');
    assert.equal(await deliver(t, 'customer.subscription.deleted', subscription(ids, { status: 'canceled' })), 'stale');
    assert.deepEqual(await billingOf(t, tenant).then((b) => [b.plan, b.status]), ['PRO', 'ACTIVE']);
  });

  test('invoice.payment_failed → PAST_DUE: the plan’s limits stay, with a warning; a later payment makes it ACTIVE', async () => {
    const { tenant, ids } = await subscribed('failed');
    assert.equal(await deliver(t, 'invoice.payment_failed', failedInvoice(ids)), 'applied');
    let body = await billingOf(t, tenant);
    assert.deepEqual([body.plan, body.status, body.effective_plan], ['PRO', 'PAST_DUE', 'PRO']);
    assert.deepEqual(body.limits, limitsJson('PRO'));
    assert.match(body.warning, /payment failed/);
    await deliver(t, 'customer.subscription.updated', subscription(ids, { status: 'active' }));
    body = await billingOf(t, tenant);
    assert.deepEqual([body.status, body.warning], ['ACTIVE', null]);
  });

  test('an unpaid Checkout (asynchronous payment) records the customer but grants nothing yet', async () => {
    const tenant = await t.createTenant('async');
    const ids = stripeIds();
    assert.equal(await deliver(t, 'checkout.session.completed', completedSession(tenant.id, ids, { paymentStatus: 'unpaid' })), 'applied');
    const row = await tenantRow(tenant.id);
    assert.deepEqual([row.plan, row.stripeCustomerId], ['FREE', ids.customer]);
    assert.equal(await deliver(t, 'invoice.payment_failed', failedInvoice(ids)), 'ignored', 'nothing to hold back on FREE');
    assert.equal(await deliver(t, 'customer.subscription.updated', subscription(ids, { status: 'active' })), 'applied');
    assert.equal((await tenantRow(tenant.id)).plan, 'PRO');
  });

  test('unknown event types and unknown tenants → 200 and nothing changes', async () => {
    const before = await tenantRow(t.b.id);
    assert.equal(await deliver(t, 'charge.succeeded', { id: 'ch_test_1', object: 'charge' }), 'ignored');
    assert.equal(await deliver(t, 'checkout.session.completed', completedSession(randomUUID(), stripeIds())), 'unknown_tenant');
    assert.equal(await deliver(t, 'checkout.session.completed', completedSession('not-a-uuid', stripeIds())), 'unknown_tenant');
    assert.equal(await deliver(t, 'customer.subscription.updated', subscription(stripeIds())), 'unknown_tenant');
    assert.equal(await deliver(t, 'invoice.payment_failed', failedInvoice(stripeIds())), 'unknown_tenant');
    assert.deepEqual(await tenantRow(t.b.id), before);
  });

  test('tenant isolation: events of tenant A never touch tenant B', async () => {
    const b = await t.createTenant('bystander');
    const { tenant: a, ids } = await subscribed('owner');
    const bBefore = await tenantRow(b.id);
    // A's subscription, whose metadata claims B: found by its id, so it changes A only.
    await deliver(t, 'customer.subscription.updated', subscription(ids, { price: PRICES.ENTERPRISE_MONTHLY, metadata: { tenant_id: b.id, plan: 'ENTERPRISE', billing_cycle: 'MONTHLY' } }));
    // A Checkout naming B but paid by A's customer: refused rather than moving the customer.
    assert.equal(await deliver(t, 'checkout.session.completed', completedSession(b.id, { customer: ids.customer, subscription: 'sub_test_other' })), 'conflict');
    // A new subscription of an unknown customer that claims A, which already has a customer.
    assert.equal(await deliver(t, 'customer.subscription.updated', subscription(stripeIds(), { metadata: { tenant_id: a.id } })), 'conflict');
    assert.deepEqual(await tenantRow(b.id), bBefore);
    assert.equal((await tenantRow(a.id)).plan, 'ENTERPRISE');
    assert.equal((await tenantRow(a.id)).stripeSubscriptionId, ids.subscription);
  });
});
