/**
 * Billing (docs/decisions.md D11): Stripe Checkout and customer portal, the signed and idempotent
 * webhook that changes a tenant's plan, and the plan limits the other modules enforce. See
 * README.md beside this file.
 *
 *   const planLimits = createPlanLimitsService({ db, limits: config.planLimits });
 *   await planLimits.assertMessageRoom(tenantId); // 429 QUOTA_EXCEEDED past the month's answers
 */
export { createBillingWebhook, type BillingWebhook, type WebhookOutcome } from './billing-webhook.js';
export { billingRoutes } from './billing.routes.js';
export { createBillingService, type BillingService } from './billing.service.js';
export { defaultPlanLimits, effectivePlan, type PlanLimits, type PlanLimitTable } from './plan-limits.js';
export { createPlanLimitsService, quotaExceeded, type MonthlyMessages, type PlanLimitsService } from './plan-limits.service.js';
export { createStripeClient } from './stripe-client.js';
