import type { Database } from '../../db/client.js';
import type { Plan } from '../../db/schema.js';
import { AppError } from '../../http/errors.js';
import { createBillingRepo, type TenantBilling, type TenantUsage } from './billing.repo.js';
import { effectivePlan, formatBytes, monthStartUtc, nextMonthStartUtc, unlimitedPlanLimits, type PlanLimits, type PlanLimitTable } from './plan-limits.js';

/** A tenant's messages this month against its plan; `limit` null = unlimited. */
export interface MonthlyMessages {
  limit: number | null;
  used: number;
  /** The 1st of next month, 00:00 UTC. */
  resetsAt: Date;
}

export interface PlanSnapshot {
  tenant: TenantBilling;
  /** The plan whose limits apply (FREE for a CANCELED tenant). */
  plan: Plan;
  limits: PlanLimits;
  usage: TenantUsage;
  messagesResetAt: Date;
}

const UPGRADE = 'An ADMIN can raise it by upgrading the plan (POST /api/v1/billing/checkout).';

/**
 * Refused by the plan. Documents, storage and members stay refused until something is deleted or
 * the plan is upgraded (403); the monthly messages come back on the 1st (429 with Retry-After).
 */
export function quotaExceeded(detail: string, retryAfterSeconds?: number): AppError {
  return retryAfterSeconds === undefined
    ? new AppError('QUOTA_EXCEEDED', detail, { status: 403 })
    : new AppError('QUOTA_EXCEEDED', detail, { retryAfterSeconds });
}

/**
 * The plan limits (SPEC decision 11): what each plan allows comes from config (PLAN_LIMITS over the
 * defaults), what the tenant uses is counted from its rows. Checks that guard a write take the
 * write's transaction and lock the tenant row first, so two requests at once cannot both take the
 * last place.
 */
export function createPlanLimitsService(deps: { db: Database; limits: PlanLimitTable | null; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  const table = deps.limits ?? unlimitedPlanLimits;

  async function snapshot(db: Database, tenantId: string, lock: boolean): Promise<PlanSnapshot> {
    const repo = createBillingRepo(db);
    const tenant = lock ? await repo.lock(tenantId) : await repo.find(tenantId);
    if (!tenant) throw new AppError('RESOURCE_NOT_FOUND', 'Tenant not found');
    const at = now();
    const plan = effectivePlan(tenant);
    return { tenant, plan, limits: table[plan], usage: await repo.usage(tenantId, monthStartUtc(at)), messagesResetAt: nextMonthStartUtc(at) };
  }

  async function monthlyMessages(tenantId: string): Promise<MonthlyMessages & { plan: Plan }> {
    const { plan, limits, usage, messagesResetAt } = await snapshot(deps.db, tenantId, false);
    return { plan, limit: limits.messagesPerMonth, used: usage.messagesThisMonth, resetsAt: messagesResetAt };
  }

  return {
    /** False on a self-hosted server: no plan limits apply (config `planLimits: null`). */
    apply: deps.limits !== null,
    /** Every plan's limits. */
    table,

    /** Plan, limits and current use, for GET /api/v1/billing. */
    overview: (tenantId: string) => snapshot(deps.db, tenantId, false),

    /** Before an upload is recorded (in its transaction): one more document of `fileBytes` must fit. */
    async assertDocumentRoom(tx: Database, tenantId: string, fileBytes: number): Promise<void> {
      const { plan, limits, usage } = await snapshot(tx, tenantId, true);
      if (limits.documents !== null && usage.documents + 1 > limits.documents) {
        throw quotaExceeded(
          `Document limit reached: the ${plan} plan allows ${limits.documents} documents and this tenant has ${usage.documents}. ` +
            `Delete documents to make room. ${UPGRADE}`,
        );
      }
      if (limits.storageBytes !== null && usage.storageBytes + fileBytes > limits.storageBytes) {
        throw quotaExceeded(
          `Storage limit reached: this file (${formatBytes(fileBytes)}) would bring the tenant's documents to ${formatBytes(usage.storageBytes + fileBytes)}, ` +
            `over the ${plan} plan's ${formatBytes(limits.storageBytes)} (${formatBytes(usage.storageBytes)} used). Delete documents to make room. ${UPGRADE}`,
        );
      }
    },

    /**
     * Before an invitation (`invite`: users and pending invitations count) or its acceptance
     * (`accept`: its own invitation is already counted, so only users must leave a place).
     */
    async assertMemberRoom(tx: Database, tenantId: string, step: 'invite' | 'accept'): Promise<void> {
      const { plan, limits, usage } = await snapshot(tx, tenantId, true);
      if (limits.members === null) return;
      const taken = step === 'invite' ? usage.members : usage.activeUsers;
      if (taken + 1 > limits.members) {
        const counted = step === 'invite' ? `${usage.activeUsers} users and ${usage.members - usage.activeUsers} pending invitations` : `${usage.activeUsers} users`;
        const remedy = step === 'invite' ? 'Revoke pending invitations or deactivate users to make room.' : 'Ask an ADMIN of the tenant to make room or upgrade the plan.';
        throw quotaExceeded(`Member limit reached: the ${plan} plan allows ${limits.members} members and this tenant has ${counted}. ${remedy} ${UPGRADE}`);
      }
    },

    monthlyMessages,

    /** Before a dashboard or API question: answers of every channel this month count. */
    async assertMessageRoom(tenantId: string): Promise<void> {
      const budget = await monthlyMessages(tenantId);
      if (budget.limit === null || budget.used < budget.limit) return;
      const retryAfterSeconds = Math.max(1, Math.ceil((budget.resetsAt.getTime() - now().getTime()) / 1000));
      throw quotaExceeded(
        `Monthly message limit reached: the ${budget.plan} plan allows ${budget.limit} answers a month (dashboard, API and widget together) ` +
          `and this tenant has had ${budget.used}. It resets on ${budget.resetsAt.toISOString().slice(0, 10)} (UTC). ${UPGRADE}`,
        retryAfterSeconds,
      );
    },
  };
}

export type PlanLimitsService = ReturnType<typeof createPlanLimitsService>;
