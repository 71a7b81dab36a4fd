import { z } from 'zod';
import { billingCycles, plans, tenantStatuses } from '../../db/enums.js';

/** The checkout body (docs/decisions.md C7). FREE is where every tenant starts and where a canceled subscription leads: it is not bought. */
export const checkoutBodySchema = z
  .strictObject({
    plan: z.enum(['PRO', 'ENTERPRISE'], { error: 'must be PRO or ENTERPRISE (FREE is not bought)' }),
    billing_cycle: z.enum(billingCycles, { error: 'must be MONTHLY or YEARLY' }),
  })
  .meta({ id: 'CheckoutRequest', example: { plan: 'PRO', billing_cycle: 'MONTHLY' } });

export type CheckoutBody = z.infer<typeof checkoutBodySchema>;

export const checkoutResponseSchema = z
  .object({
    url: z.string().describe('Stripe Checkout: send the browser there'),
    session_id: z.string().describe('The Checkout Session id (cs_…)'),
  })
  .meta({ id: 'CheckoutSession', example: { url: 'https://checkout.stripe.com/c/pay/cs_test_a1b2c3', session_id: 'cs_test_a1b2c3' } });

export const portalResponseSchema = z
  .object({ url: z.string().describe('Stripe’s customer portal for this tenant: payment method, invoices, plan changes, cancellation') })
  .meta({ id: 'BillingPortalSession' });

const limit = z.number().int().nullable();

export const planLimitsSchema = z
  .object({
    documents: limit,
    storage_bytes: limit,
    messages_per_month: limit.describe('Answers on every channel (dashboard, API, widget) in a calendar month (UTC)'),
    members: limit.describe('Active users plus pending invitations'),
  })
  .describe('null = unlimited')
  .meta({ id: 'PlanLimits' });

export const billingOverviewSchema = z
  .object({
    plan: z.enum(plans),
    status: z.enum(tenantStatuses),
    effective_plan: z.enum(plans).describe('The plan whose limits apply: FREE for a CANCELED tenant, else `plan`'),
    billing_cycle: z.enum(billingCycles).nullable(),
    current_period_end: z.iso.datetime().nullable().describe('When the paid period ends (renews, or ends if canceled)'),
    has_subscription: z.boolean(),
    billing_configured: z.boolean().describe('False: this server has no Stripe key, checkout and the portal answer 503'),
    limits_apply: z
      .boolean()
      .describe('False on a self-hosted server (no Stripe key and no PLAN_LIMITS): no plan limit applies, every limit is null'),
    warning: z.string().nullable().describe('Something an ADMIN should act on, e.g. a failed payment'),
    limits: planLimitsSchema,
    usage: z.object({
      documents: z.number().int(),
      storage_bytes: z.number().int(),
      messages_this_month: z.number().int(),
      members: z.number().int(),
    }),
    messages_reset_at: z.iso.datetime().describe('The 1st of next month, 00:00 UTC'),
    plans: z
      .array(z.object({ plan: z.enum(plans), limits: planLimitsSchema, billing_cycles: z.array(z.enum(billingCycles)).describe('Cycles that can be bought here now') }))
      .describe('Every plan with its limits, for an upgrade page'),
  })
  .meta({ id: 'BillingOverview' });

export const webhookHeadersSchema = z.object({ 'stripe-signature': z.string().optional().describe('Set by Stripe; required') });

export const webhookResponseSchema = z
  .object({
    received: z.literal(true),
    outcome: z.enum(['applied', 'ignored', 'unknown_tenant', 'stale', 'conflict', 'replayed']),
  })
  .meta({ id: 'BillingWebhookReceipt' });
