import type { FastifyBaseLogger } from 'fastify';
import type Stripe from 'stripe';
import type { BillingConfig, PaidPlan } from '../../config.js';
import type { Database } from '../../db/client.js';
import { billingCycles, plans, type BillingCycle } from '../../db/schema.js';
import { AppError, notFound } from '../../http/errors.js';
import type { Text } from '../../http/language.js';
import type { Principal } from '../../http/request-context.js';
import { createBillingRepo } from './billing.repo.js';
import type { PlanLimitsService } from './plan-limits.service.js';
import { stripeFailure } from './stripe-client.js';

export interface BillingDeps {
  db: Database;
  /** Undefined without STRIPE_SECRET_KEY: Checkout and the portal answer 503. */
  stripe: Stripe | undefined;
  config: BillingConfig;
  limits: PlanLimitsService;
  log: FastifyBaseLogger;
}

const NOT_CONFIGURED: Text = {
  ja: 'このサーバーでは請求が設定されていません（STRIPE_SECRET_KEY が未設定）。運用者が .env.example を参考に有効にできます。',
  en: 'Billing is not configured on this server (STRIPE_SECRET_KEY is not set); the operator can enable it (see .env.example)',
};

/** Checkout, the customer portal and the billing overview (docs/decisions.md D11). The webhook is in billing-webhook.ts. */
export function createBillingService(deps: BillingDeps) {
  const { config, log } = deps;
  const repo = createBillingRepo(deps.db);
  /** The caller's own tenant: it exists unless it was deleted since the caller logged in, which is a 404. */
  const ownTenant = async (principal: Principal) => {
    const tenant = await repo.find(principal.tenantId);
    if (!tenant) throw notFound('Tenant');
    return tenant;
  };

  function stripeOrFail(): Stripe {
    if (!deps.stripe) throw new AppError('BILLING_NOT_CONFIGURED', NOT_CONFIGURED);
    return deps.stripe;
  }

  async function callStripe<T>(what: string, tenantId: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      const failure = stripeFailure(error);
      if (!failure) throw error;
      log.warn({ err: error, tenantId }, `Stripe ${what} failed`);
      throw failure;
    }
  }

  const purchasable = (plan: PaidPlan) => billingCycles.filter((cycle) => deps.stripe && config.prices[plan][cycle]);

  return {
    /** A Checkout Session for a paid plan; the plan changes only when Stripe's webhook confirms the payment. */
    /** `publicUrl`: where Stripe sends the browser back to (src/http/public-url.ts). */
    async checkout(principal: Principal, input: { plan: PaidPlan; billing_cycle: BillingCycle }, publicUrl: string) {
      const stripe = stripeOrFail();
      const price = config.prices[input.plan][input.billing_cycle];
      if (!price) {
        throw new AppError(
          'BILLING_NOT_CONFIGURED',
          {
            ja: `このサーバーでは ${input.plan} プランを${input.billing_cycle === 'MONTHLY' ? '月払い' : '年払い'}で購入できません（STRIPE_PRICE_${input.plan}_${input.billing_cycle} が未設定）。`,
            en: `The ${input.plan} plan cannot be bought ${input.billing_cycle.toLowerCase()} on this server (STRIPE_PRICE_${input.plan}_${input.billing_cycle} is not set)`,
          },
        );
      }
      const tenant = await ownTenant(principal);
      // A second Checkout would start a second subscription, billed alongside the first.
      if (tenant.stripeSubscriptionId) {
        throw new AppError(
          'CONFLICT',
          {
            ja: `この組織はすでに ${tenant.plan} プランを契約しています。変更や解約はダッシュボードの「請求」ページから請求ポータルで行ってください。`,
            en: `This tenant already has a ${tenant.plan} subscription (${tenant.billingCycle ?? 'unknown cycle'}): change or cancel it from the Billing page of the dashboard (the billing portal)`,
          },
        );
      }
      const metadata = { tenant_id: tenant.id, plan: input.plan, billing_cycle: input.billing_cycle };
      const email = tenant.stripeCustomerId ? null : await repo.userEmail(principal.tenantId, principal.userId);
      const session = await callStripe('Checkout Session', tenant.id, () =>
        stripe.checkout.sessions.create({
          mode: 'subscription',
          line_items: [{ price, quantity: 1 }],
          client_reference_id: tenant.id,
          metadata,
          // The subscription carries them too, so its own events name the tenant and the plan.
          subscription_data: { metadata },
          ...(tenant.stripeCustomerId ? { customer: tenant.stripeCustomerId } : email ? { customer_email: email } : {}),
          success_url: `${publicUrl}/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}`,
          cancel_url: `${publicUrl}/billing?checkout=canceled`,
        }),
      );
      if (!session.url) throw new AppError('PAYMENT_PROVIDER_ERROR', { ja: 'Stripe が購入画面の URL を返しませんでした。もう一度お試しください。', en: 'Stripe created the Checkout Session without a URL' });
      log.info({ tenantId: tenant.id, sessionId: session.id, plan: input.plan, cycle: input.billing_cycle }, 'Checkout Session created');
      return { url: session.url, session_id: session.id };
    },

    /** Stripe's customer portal: payment method, invoices, plan changes and cancellation. */
    async portal(principal: Principal, publicUrl: string) {
      const stripe = stripeOrFail();
      const tenant = await ownTenant(principal);
      if (!tenant.stripeCustomerId) {
        throw new AppError('CONFLICT', { ja: 'まだプランを契約していません。先にダッシュボードの「請求」ページでプランを選んでください。', en: 'This tenant has no Stripe customer yet: choose a plan on the Billing page of the dashboard first' });
      }
      const customer = tenant.stripeCustomerId;
      const session = await callStripe('portal session', tenant.id, () => stripe.billingPortal.sessions.create({ customer, return_url: `${publicUrl}/billing` }));
      return { url: session.url };
    },

    /** The plan, its limits and the current use, and what can be bought here. */
    async overview(principal: Principal) {
      const { tenant, plan, limits, usage, messagesResetAt } = await deps.limits.overview(principal.tenantId);
      return {
        tenant,
        effectivePlan: plan,
        limits,
        usage,
        messagesResetAt,
        configured: deps.stripe !== undefined,
        limitsApply: deps.limits.apply,
        plans: plans.map((p) => ({ plan: p, limits: deps.limits.table[p], cycles: p === 'FREE' ? [] : purchasable(p) })),
      };
    },
  };
}

export type BillingService = ReturnType<typeof createBillingService>;
