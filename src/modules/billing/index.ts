/**
 * Billing (SPEC decision 11): the plan limits the other modules enforce.
 *
 *   const planLimits = createPlanLimitsService({ db, limits: config.planLimits });
 *   await planLimits.assertMessageRoom(tenantId); // 429 QUOTA_EXCEEDED past the month's answers
 */
export { defaultPlanLimits, effectivePlan, type PlanLimits, type PlanLimitTable } from './plan-limits.js';
export { createPlanLimitsService, quotaExceeded, type MonthlyMessages, type PlanLimitsService } from './plan-limits.service.js';
