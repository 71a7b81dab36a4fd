import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../http/error-schema.js';
import { principalOf } from '../../http/request-context.js';
import { publicSecurity, userSecurity } from '../../http/route-helpers.js';
import type { BillingWebhook } from './billing-webhook.js';
import { limitsJson } from './plan-limits.js';
import {
  billingOverviewSchema,
  checkoutBodySchema,
  checkoutResponseSchema,
  portalResponseSchema,
  webhookHeadersSchema,
  webhookResponseSchema,
} from './billing.schemas.js';
import type { BillingService } from './billing.service.js';

const tags = ['billing'];

const warningFor = (status: string) =>
  status === 'PAST_DUE'
    ? 'The last payment failed. The plan’s limits stay while Stripe retries it: update the payment method in the billing portal before the subscription is canceled.'
    : status === 'CANCELED'
      ? 'This tenant’s subscription is canceled: the FREE plan’s limits apply.'
      : null;

/** docs/decisions.md C7 and D11: Checkout, Stripe’s webhook, the portal, and the plan with its limits and use. */
export function billingRoutes(deps: { billing: BillingService; webhook: BillingWebhook }): FastifyPluginAsyncZod {
  const { billing } = deps;
  return async (app) => {
    app.get('/', {
      config: { auth: 'user' },
      schema: {
        operationId: 'getBilling',
        tags,
        security: userSecurity,
        summary: 'The tenant’s plan, its limits and the current use',
        description:
          'Any user of the tenant. `null` limits are unlimited. Messages are the answers of every channel (dashboard, API, widget) since the ' +
          '1st of this month (UTC); members are active users plus pending invitations. A PAST_DUE tenant keeps its plan’s limits (with a ' +
          '`warning`); a CANCELED one has the FREE plan’s.',
        response: { 200: billingOverviewSchema, ...errorResponses(401) },
      },
      handler: async (request) => {
        const { tenant, effectivePlan, limits, usage, messagesResetAt, configured, limitsApply, plans } = await billing.overview(principalOf(request));
        return {
          plan: tenant.plan,
          status: tenant.status,
          effective_plan: effectivePlan,
          billing_cycle: tenant.billingCycle,
          current_period_end: tenant.currentPeriodEnd?.toISOString() ?? null,
          has_subscription: tenant.stripeSubscriptionId !== null,
          billing_configured: configured,
          limits_apply: limitsApply,
          warning: warningFor(tenant.status),
          limits: limitsJson(limits),
          usage: { documents: usage.documents, storage_bytes: usage.storageBytes, messages_this_month: usage.messagesThisMonth, members: usage.members },
          messages_reset_at: messagesResetAt.toISOString(),
          plans: plans.map((p) => ({ plan: p.plan, limits: limitsJson(p.limits), billing_cycles: p.cycles })),
        };
      },
    });

    app.post('/checkout', {
      config: { auth: 'admin' },
      schema: {
        operationId: 'createCheckoutSession',
        tags,
        security: userSecurity,
        summary: 'Start a Stripe Checkout for a paid plan (ADMIN)',
        description:
          'Answers the Checkout URL to send the browser to. The plan changes when Stripe confirms the payment through the webhook, not ' +
          'before. A tenant that already has a subscription gets 409: plan changes and cancellation go through the billing portal. ' +
          '503 `BILLING_NOT_CONFIGURED` when the server has no Stripe key or no price for that plan and cycle.',
        body: checkoutBodySchema,
        response: { 200: checkoutResponseSchema, ...errorResponses(401, 403, 409, 422, 502, 503) },
      },
      handler: async (request) => billing.checkout(principalOf(request), request.body, request.publicUrl),
    });

    app.post('/portal', {
      config: { auth: 'admin' },
      schema: {
        operationId: 'createBillingPortalSession',
        tags,
        security: userSecurity,
        summary: 'Open Stripe’s customer portal (ADMIN): payment method, invoices, plan change, cancellation',
        description: '409 when the tenant has never subscribed (no Stripe customer yet). 503 `BILLING_NOT_CONFIGURED` without a Stripe key.',
        response: { 200: portalResponseSchema, ...errorResponses(401, 403, 409, 502, 503) },
      },
      handler: async (request) => billing.portal(principalOf(request), request.publicUrl),
    });

    // Signatures are computed over the exact bytes Stripe sent: this route alone keeps the JSON body raw.
    await app.register(async (raw) => {
      raw.removeAllContentTypeParsers();
      raw.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
      raw.post('/webhook', {
        config: { auth: 'public' },
        schema: {
          operationId: 'receiveStripeWebhook',
          security: publicSecurity,
          tags,
          summary: 'Stripe’s webhook (called by Stripe, signed)',
          description:
            'Configure it in Stripe as PUBLIC_URL/api/v1/billing/webhook with the events `checkout.session.completed`, ' +
            '`customer.subscription.created`, `customer.subscription.updated`, `customer.subscription.deleted` and `invoice.payment_failed`. ' +
            'The `Stripe-Signature` is verified with STRIPE_WEBHOOK_SECRET (400 and nothing applied when it is missing or wrong). Each event ' +
            'id is applied once: a redelivery answers 200 `replayed`. Other event types, and events of no known tenant, answer 200 and ' +
            'change nothing. A subscription that ends returns the tenant to FREE.',
          headers: webhookHeadersSchema,
          consumes: ['application/json'],
          response: { 200: webhookResponseSchema, ...errorResponses(400, 413, 415, 503) },
        },
        handler: async (request) => {
          const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
          const signature = request.headers['stripe-signature'];
          const { outcome } = await deps.webhook.receive(body, typeof signature === 'string' ? signature : undefined);
          return { received: true as const, outcome };
        },
      });
    });
  };
}
