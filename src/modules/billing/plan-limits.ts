import { z } from 'zod';
import { plans, type Plan, type TenantStatus } from '../../db/schema.js';

/** What a plan allows; `null` = unlimited. Messages are answers of every channel in a calendar month (UTC). */
export interface PlanLimits {
  documents: number | null;
  storageBytes: number | null;
  messagesPerMonth: number | null;
  /** Active users plus pending invitations. */
  members: number | null;
}

export type PlanLimitTable = Record<Plan, PlanLimits>;

const MB = 1024 * 1024;
const GB = 1024 * MB;

/** The built-in limits (docs/decisions.md D11); PLAN_LIMITS overrides any of them. */
export const defaultPlanLimits: PlanLimitTable = {
  FREE: { documents: 20, storageBytes: 100 * MB, messagesPerMonth: 500, members: 3 },
  PRO: { documents: 1_000, storageBytes: 10 * GB, messagesPerMonth: 10_000, members: 20 },
  ENTERPRISE: { documents: null, storageBytes: 100 * GB, messagesPerMonth: 100_000, members: null },
};

const unlimited: PlanLimits = { documents: null, storageBytes: null, messagesPerMonth: null, members: null };
/** What every plan allows on a server without plan limits (config `planLimits: null`). */
export const unlimitedPlanLimits: PlanLimitTable = { FREE: unlimited, PRO: unlimited, ENTERPRISE: unlimited };

/** The JSON field names of PLAN_LIMITS and of GET /api/v1/billing. */
const jsonField = { documents: 'documents', storageBytes: 'storage_bytes', messagesPerMonth: 'messages_per_month', members: 'members' } as const;

const LIMIT_VALUE = 'must be a whole number of 0 or more, or null for unlimited';
const limitValue = z.union([z.number().int(LIMIT_VALUE).min(0, LIMIT_VALUE).max(Number.MAX_SAFE_INTEGER, 'is too large'), z.null()], { error: LIMIT_VALUE });

const planPatch = z.strictObject(
  { documents: limitValue.optional(), storage_bytes: limitValue.optional(), messages_per_month: limitValue.optional(), members: limitValue.optional() },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown limit ${issue.keys.join(', ')} (documents, storage_bytes, messages_per_month, members)`
        : 'must be an object such as {"documents": 50, "storage_bytes": 209715200}',
  },
);

/**
 * PLAN_LIMITS: JSON of limits by plan, laid field by field over the defaults, e.g.
 * `{"FREE": {"documents": 50}, "PRO": {"messages_per_month": 20000}, "ENTERPRISE": {"storage_bytes": null}}`.
 */
export const planLimitsEnvSchema = z
  .string()
  .transform((raw, ctx) => {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON like {"FREE": {"documents": 50, "messages_per_month": 1000}}' });
      return z.NEVER;
    }
  })
  .pipe(
    z.strictObject(
      { FREE: planPatch.optional(), PRO: planPatch.optional(), ENTERPRISE: planPatch.optional() },
      {
        error: (issue) =>
          issue.code === 'unrecognized_keys' ? `unknown plan ${issue.keys.join(', ')} (FREE, PRO or ENTERPRISE)` : 'must be a JSON object of plans',
      },
    ),
  )
  .transform((patch) => mergePlanLimits(patch));

type PlanPatch = z.infer<typeof planPatch>;

export function mergePlanLimits(patch: Partial<Record<Plan, PlanPatch>>): PlanLimitTable {
  const merged = structuredClone(defaultPlanLimits);
  for (const plan of plans) {
    for (const key of Object.keys(jsonField) as Array<keyof PlanLimits>) {
      const value = patch[plan]?.[jsonField[key]];
      if (value !== undefined) merged[plan][key] = value;
    }
  }
  return merged;
}

/** Limits in the API's field names. */
export const limitsJson = (limits: PlanLimits) => ({
  documents: limits.documents,
  storage_bytes: limits.storageBytes,
  messages_per_month: limits.messagesPerMonth,
  members: limits.members,
});

/**
 * The plan whose limits apply. PAST_DUE keeps its plan (Stripe retries the payment; the dashboard
 * warns); a CANCELED tenant falls back to FREE. SUSPENDED tenants are refused before any limit.
 */
export function effectivePlan(tenant: { plan: Plan; status: TenantStatus }): Plan {
  return tenant.status === 'CANCELED' ? 'FREE' : tenant.plan;
}

export function monthStartUtc(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

export function nextMonthStartUtc(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
}

/** 1.5 MB, 100 MB, 10 GB: binary units, as the defaults are written. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}
