import type { FastifyBaseLogger } from 'fastify';
import Stripe from 'stripe';
import type { BillingConfig, PaidPlan } from '../../config.js';
import type { Database } from '../../db/client.js';
import { billingCycles, type BillingCycle } from '../../db/schema.js';
import { AppError } from '../../http/errors.js';
import { createBillingRepo, type BillingChange, type BillingRepo, type TenantBilling } from './billing.repo.js';
import { stripeId } from './stripe-client.js';

/**
 * What became of an event. Everything but `replayed` is recorded with the event:
 * - `applied`: the tenant's plan or status changed (or its Stripe ids were learnt);
 * - `ignored`: a type we do not act on, or nothing to do;
 * - `unknown_tenant`: no tenant has this customer, subscription or id;
 * - `stale`: older than the last event applied to the tenant, or about a subscription it no longer has;
 * - `conflict`: it names a tenant, but its customer belongs to another one (nothing changes);
 * - `replayed`: this event id was received before and is not applied again.
 */
export type WebhookOutcome = 'applied' | 'ignored' | 'unknown_tenant' | 'stale' | 'conflict' | 'replayed';

interface Decision {
  outcome: WebhookOutcome;
  tenantId: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PAID_PLANS: readonly PaidPlan[] = ['PRO', 'ENTERPRISE'];

/** Where a subscription that ends leaves the tenant: an ordinary FREE tenant, in good standing. */
const BACK_TO_FREE: BillingChange = { plan: 'FREE', status: 'ACTIVE', billingCycle: null, currentPeriodEnd: null, stripeSubscriptionId: null };

const decided = (outcome: WebhookOutcome, tenant?: { id: string } | null): Decision => ({ outcome, tenantId: tenant?.id ?? null });

/** Plan and cycle from our own metadata (set on the Checkout Session and its subscription). */
function planFromMetadata(metadata: Stripe.Metadata | null | undefined): { plan: PaidPlan; billingCycle: BillingCycle } | undefined {
  const plan = PAID_PLANS.find((p) => p === metadata?.plan);
  const billingCycle = billingCycles.find((c) => c === metadata?.billing_cycle);
  return plan && billingCycle ? { plan, billingCycle } : undefined;
}

/**
 * POST /api/v1/billing/webhook: verifies Stripe's signature over the raw body, then applies the
 * event once. The event id is claimed in `billing_events` inside the same transaction as the
 * change, so a redelivery (Stripe retries until it gets a 2xx) changes nothing, and a failure
 * rolls both back for Stripe to retry.
 */
export function createBillingWebhook(deps: {
  db: Database;
  config: BillingConfig;
  log: FastifyBaseLogger;
  /** Called after a change to a tenant's plan or status is committed (cached copies of the tenant are dropped). */
  onTenantChanged(tenantId: string): void;
}) {
  const { config, log } = deps;
  const planOfPrice = new Map<string, { plan: PaidPlan; billingCycle: BillingCycle }>();
  for (const plan of PAID_PLANS) {
    for (const billingCycle of billingCycles) {
      const price = config.prices[plan][billingCycle];
      if (price) planOfPrice.set(price, { plan, billingCycle });
    }
  }

  function verify(rawBody: Buffer, signature: string | undefined): Stripe.Event {
    if (!config.stripeWebhookSecret) {
      throw new AppError('BILLING_NOT_CONFIGURED', { ja: 'このサーバーでは Stripe の Webhook が設定されていません（STRIPE_WEBHOOK_SECRET が未設定）。', en: 'Stripe webhooks are not configured on this server (STRIPE_WEBHOOK_SECRET is not set)' });
    }
    if (!signature) throw new AppError('BAD_REQUEST', { ja: 'Stripe-Signature ヘッダーがありません。このエンドポイントは Stripe だけが呼び出せます。', en: 'Missing Stripe-Signature header: only Stripe can call this endpoint' });
    try {
      return Stripe.webhooks.constructEvent(rawBody, signature, config.stripeWebhookSecret);
    } catch (error) {
      log.warn({ err: error }, 'Stripe webhook refused: bad signature');
      throw new AppError('BAD_REQUEST', { ja: 'Stripe-Signature ヘッダーが本文と一致しないか古すぎます。何も反映していません。', en: 'The Stripe-Signature header does not match this payload, or is too old: nothing was applied' });
    }
  }

  /** The change lands only if the event is not older than the last one applied to the tenant. */
  async function apply(repo: BillingRepo, tenant: TenantBilling, event: Stripe.Event, change: BillingChange): Promise<Decision> {
    const at = new Date(event.created * 1000);
    if (tenant.billingEventAt && at < tenant.billingEventAt) return decided('stale', tenant);
    // Suspension is the operator's, not Stripe's: billing changes the plan of a suspended tenant but never lifts it.
    const { status, ...rest } = change;
    await repo.update(tenant.id, { ...rest, ...(status && tenant.status !== 'SUSPENDED' ? { status } : {}), billingEventAt: at });
    return decided('applied', tenant);
  }

  /**
   * The tenant a subscription belongs to: by the subscription, else by its customer (unless the
   * tenant has moved on to another subscription), else by our metadata — only for a tenant with
   * no Stripe customer yet, so an event can never take over another tenant's customer.
   */
  async function tenantOfSubscription(repo: BillingRepo, subscriptionId: string, customerId: string | null, metadata?: Stripe.Metadata | null) {
    const bySubscription = await repo.lockBySubscription(subscriptionId);
    if (bySubscription) return { tenant: bySubscription };
    const byCustomer = customerId ? await repo.lockByCustomer(customerId) : undefined;
    if (byCustomer) return byCustomer.stripeSubscriptionId ? { refused: decided('stale', byCustomer) } : { tenant: byCustomer };
    const claimed = metadata?.tenant_id;
    const byMetadata = claimed && UUID.test(claimed) ? await repo.lock(claimed) : undefined;
    if (!byMetadata) return { refused: decided('unknown_tenant') };
    if (byMetadata.stripeCustomerId) return { refused: decided('conflict', byMetadata) };
    return { tenant: byMetadata };
  }

  async function checkoutCompleted(repo: BillingRepo, event: Stripe.Event, session: Stripe.Checkout.Session): Promise<Decision> {
    if (session.mode !== 'subscription') return decided('ignored');
    const claimed = session.client_reference_id ?? session.metadata?.tenant_id;
    const tenant = claimed && UUID.test(claimed) ? await repo.lock(claimed) : undefined;
    if (!tenant) return decided('unknown_tenant');
    const customer = stripeId(session.customer);
    const owner = customer ? await repo.lockByCustomer(customer) : undefined;
    if (owner && owner.id !== tenant.id) return decided('conflict', tenant);
    const purchase = planFromMetadata(session.metadata);
    // An asynchronous payment (bank transfer…) is not paid yet: the subscription's own events upgrade the tenant when it is.
    const upgrade = purchase && session.payment_status !== 'unpaid' ? { ...purchase, status: 'ACTIVE' as const } : {};
    if (!purchase) log.warn({ eventId: event.id, tenantId: tenant.id }, 'Checkout Session without our plan metadata: only its customer is recorded');
    return apply(repo, tenant, event, { stripeCustomerId: customer ?? tenant.stripeCustomerId, stripeSubscriptionId: stripeId(session.subscription), ...upgrade });
  }

  async function subscriptionChanged(repo: BillingRepo, event: Stripe.Event, subscription: Stripe.Subscription): Promise<Decision> {
    const customer = stripeId(subscription.customer);
    const found = await tenantOfSubscription(repo, subscription.id, customer, subscription.metadata);
    if (!found.tenant) return found.refused;
    const item = subscription.items?.data?.[0];
    const priceId = item?.price?.id;
    const purchase = (priceId ? planOfPrice.get(priceId) : undefined) ?? planFromMetadata(subscription.metadata);
    if (!purchase) log.warn({ eventId: event.id, priceId }, 'Subscription price is none of STRIPE_PRICE_*: its status is applied, the plan is kept');
    // Older API versions put the period on the subscription, newer ones on its items.
    const periodEnd = item?.current_period_end ?? (subscription as unknown as { current_period_end?: number }).current_period_end;
    const ids = { stripeSubscriptionId: subscription.id, stripeCustomerId: customer ?? found.tenant.stripeCustomerId };
    const period = periodEnd ? { currentPeriodEnd: new Date(periodEnd * 1000) } : {};
    switch (subscription.status) {
      case 'active':
      case 'trialing':
        return apply(repo, found.tenant, event, { ...ids, ...period, ...purchase, status: 'ACTIVE' });
      case 'past_due':
      case 'unpaid':
      case 'paused':
        return apply(repo, found.tenant, event, { ...ids, ...period, ...purchase, status: 'PAST_DUE' });
      case 'canceled':
      case 'incomplete_expired':
        return apply(repo, found.tenant, event, { ...BACK_TO_FREE, stripeCustomerId: ids.stripeCustomerId });
      default:
        // `incomplete`: the first payment is still due; nothing is granted before it is paid.
        return apply(repo, found.tenant, event, ids);
    }
  }

  async function subscriptionDeleted(repo: BillingRepo, event: Stripe.Event, subscription: Stripe.Subscription): Promise<Decision> {
    const found = await tenantOfSubscription(repo, subscription.id, stripeId(subscription.customer));
    if (!found.tenant) return found.refused;
    return apply(repo, found.tenant, event, BACK_TO_FREE);
  }

  async function paymentFailed(repo: BillingRepo, event: Stripe.Event, invoice: Stripe.Invoice): Promise<Decision> {
    const legacy = (invoice as unknown as { subscription?: string | { id: string } | null }).subscription;
    const subscriptionId = stripeId(invoice.parent?.subscription_details?.subscription ?? legacy);
    if (!subscriptionId) return decided('ignored'); // a one-off invoice: no plan depends on it
    const tenant = await repo.lockBySubscription(subscriptionId);
    if (!tenant) return decided(invoice.customer && (await repo.lockByCustomer(stripeId(invoice.customer)!)) ? 'stale' : 'unknown_tenant');
    // The first payment of a new subscription: the tenant was never upgraded, so there is nothing to hold back.
    if (tenant.plan === 'FREE') return decided('ignored', tenant);
    return apply(repo, tenant, event, { status: 'PAST_DUE' });
  }

  function handle(repo: BillingRepo, event: Stripe.Event): Promise<Decision> {
    switch (event.type) {
      case 'checkout.session.completed':
        return checkoutCompleted(repo, event, event.data.object);
      case 'customer.subscription.created':
      case 'customer.subscription.updated':
        return subscriptionChanged(repo, event, event.data.object);
      case 'customer.subscription.deleted':
        return subscriptionDeleted(repo, event, event.data.object);
      case 'invoice.payment_failed':
        return paymentFailed(repo, event, event.data.object);
      default:
        return Promise.resolve(decided('ignored'));
    }
  }

  return {
    async receive(rawBody: Buffer, signature: string | undefined): Promise<{ eventId: string; outcome: WebhookOutcome }> {
      const event = verify(rawBody, signature);
      const decision = await deps.db.transaction(async (tx) => {
        const repo = createBillingRepo(tx);
        if (!(await repo.claimEvent(event.id, event.type))) return decided('replayed');
        const result = await handle(repo, event);
        await repo.settleEvent(event.id, result.tenantId, result.outcome);
        return result;
      });
      if (decision.tenantId) deps.onTenantChanged(decision.tenantId);
      const entry = { eventId: event.id, type: event.type, tenantId: decision.tenantId, outcome: decision.outcome };
      if (decision.outcome === 'unknown_tenant' || decision.outcome === 'conflict') log.warn(entry, 'Stripe event not applied');
      else log.info(entry, 'Stripe event received');
      return { eventId: event.id, outcome: decision.outcome };
    },
  };
}

export type BillingWebhook = ReturnType<typeof createBillingWebhook>;
