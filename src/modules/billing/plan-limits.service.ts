import type { Database } from '../../db/client.js';
import type { Plan } from '../../db/schema.js';
import { AppError, notFound } from '../../http/errors.js';
import type { Text } from '../../http/language.js';
import type { TenantCache } from '../tenants/tenant-cache.js';
import { createBillingRepo, type TenantBilling, type TenantUsage } from './billing.repo.js';
import { effectivePlan, formatBytes, monthStartUtc, nextMonthStartUtc, unlimitedPlanLimits, type PlanLimits, type PlanLimitTable } from './plan-limits.js';

/** A tenant's messages this month against its plan; `limit` null = unlimited. */
export interface MonthlyMessages {
  limit: number | null;
  /** Counted only when a limit applies; 0 when the plan has none (nothing to count against). */
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

/** What to do next, in the dashboard's terms: the billing page shows the plans (or says none can be bought here). */
const UPGRADE: Text = { ja: 'ADMIN はダッシュボードの「請求」ページでプランを確認し、上限を引き上げられます。', en: 'An ADMIN can raise it on the Billing page of the dashboard.' };

/**
 * Refused by the plan. Documents, storage and members stay refused until something is deleted or
 * the plan is upgraded (403); the monthly messages come back on the 1st (429 with Retry-After).
 */
export function quotaExceeded(detail: Text, retryAfterSeconds?: number): AppError {
  return retryAfterSeconds === undefined
    ? new AppError('QUOTA_EXCEEDED', detail, { status: 403 })
    : new AppError('QUOTA_EXCEEDED', detail, { retryAfterSeconds });
}

/** Closer than this to the monthly limit, the answers are counted in the database on every question. */
export const EXACT_COUNT_WITHIN = 10;

/**
 * The plan limits (docs/decisions.md D11): what each plan allows comes from config (PLAN_LIMITS over the
 * defaults), what the tenant uses is counted from its rows. Checks that guard a write take the
 * write's transaction and lock the tenant row first, so two requests at once cannot both take the
 * last place. The monthly answers, checked before every question, are counted in the database at
 * most every `countTtlMs` and by this process's own answers (`countAnswer`) in between, except
 * within EXACT_COUNT_WITHIN of the limit (README: the margin this leaves across instances).
 */
export function createPlanLimitsService(deps: { db: Database; limits: PlanLimitTable | null; tenants: Pick<TenantCache, 'get'>; countTtlMs: number; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  const table = deps.limits ?? unlimitedPlanLimits;
  // Without plan limits nothing can be refused: the checks on uploads, invitations and every answer skip their queries.
  const off = deps.limits === null;
  const counted = new Map<string, { monthStart: number; used: number; countedAt: number }>();

  async function snapshot(db: Database, tenantId: string, lock: boolean): Promise<PlanSnapshot> {
    const repo = createBillingRepo(db);
    const tenant = lock ? await repo.lock(tenantId) : await repo.find(tenantId);
    if (!tenant) throw notFound('Tenant');
    const at = now();
    const plan = effectivePlan(tenant);
    return { tenant, plan, limits: table[plan], usage: await repo.usage(tenantId, monthStartUtc(at)), messagesResetAt: nextMonthStartUtc(at) };
  }

  async function answersThisMonth(tenantId: string, limit: number, at: Date): Promise<number> {
    const monthStart = monthStartUtc(at);
    const held = counted.get(tenantId);
    const fresh = held && held.monthStart === monthStart.getTime() && at.getTime() - held.countedAt < deps.countTtlMs;
    if (fresh && limit - held.used > EXACT_COUNT_WITHIN) return held.used;
    const used = await createBillingRepo(deps.db).answersSince(tenantId, monthStart);
    counted.delete(tenantId);
    counted.set(tenantId, { monthStart: monthStart.getTime(), used, countedAt: at.getTime() });
    if (counted.size > 10_000) counted.delete(counted.keys().next().value!);
    return used;
  }

  async function monthlyMessages(tenantId: string): Promise<MonthlyMessages & { plan: Plan }> {
    const at = now();
    if (off) return { plan: 'FREE', limit: null, used: 0, resetsAt: nextMonthStartUtc(at) };
    const tenant = await deps.tenants.get(tenantId);
    if (!tenant) throw notFound('Tenant');
    const plan = effectivePlan(tenant);
    const limit = table[plan].messagesPerMonth;
    return { plan, limit, used: limit === null ? 0 : await answersThisMonth(tenantId, limit, at), resetsAt: nextMonthStartUtc(at) };
  }

  return {
    /** False on a self-hosted server: no plan limits apply (config `planLimits: null`). */
    apply: !off,
    /** Every plan's limits. */
    table,

    /** Plan, limits and current use, for GET /api/v1/billing. */
    overview: (tenantId: string) => snapshot(deps.db, tenantId, false),

    /** Before an upload is recorded (in its transaction): one more document of `fileBytes` must fit. */
    async assertDocumentRoom(tx: Database, tenantId: string, fileBytes: number): Promise<void> {
      if (off) return;
      const { plan, limits, usage } = await snapshot(tx, tenantId, true);
      if (limits.documents !== null && usage.documents + 1 > limits.documents) {
        throw quotaExceeded({
          ja: `文書の上限に達しました。${plan} プランで登録できる文書は ${limits.documents} 件で、現在 ${usage.documents} 件あります。不要な文書を削除してください。${UPGRADE.ja}`,
          en: `Document limit reached: the ${plan} plan allows ${limits.documents} documents and this tenant has ${usage.documents}. Delete documents to make room. ${UPGRADE.en}`,
        });
      }
      if (limits.storageBytes !== null && usage.storageBytes + fileBytes > limits.storageBytes) {
        const [file, total, allowed, used] = [fileBytes, usage.storageBytes + fileBytes, limits.storageBytes, usage.storageBytes].map(formatBytes);
        throw quotaExceeded({
          ja: `保存容量の上限に達しました。このファイル（${file}）を加えると文書の合計が ${total} になり、${plan} プランの ${allowed} を超えます（使用中 ${used}）。不要な文書を削除してください。${UPGRADE.ja}`,
          en: `Storage limit reached: this file (${file}) would bring the tenant's documents to ${total}, over the ${plan} plan's ${allowed} (${used} used). Delete documents to make room. ${UPGRADE.en}`,
        });
      }
    },

    /**
     * Before an invitation (`invite`: users and pending invitations count) or its acceptance
     * (`accept`: its own invitation is already counted, so only users must leave a place).
     */
    async assertMemberRoom(tx: Database, tenantId: string, step: 'invite' | 'accept'): Promise<void> {
      if (off) return;
      const { plan, limits, usage } = await snapshot(tx, tenantId, true);
      if (limits.members === null) return;
      const taken = step === 'invite' ? usage.members : usage.activeUsers;
      if (taken + 1 > limits.members) {
        const pending = usage.members - usage.activeUsers;
        const counted: Text =
          step === 'invite'
            ? { ja: `ユーザー ${usage.activeUsers} 人と承諾待ちの招待 ${pending} 件`, en: `${usage.activeUsers} users and ${pending} pending invitations` }
            : { ja: `ユーザー ${usage.activeUsers} 人`, en: `${usage.activeUsers} users` };
        const remedy: Text =
          step === 'invite'
            ? { ja: '承諾待ちの招待を取り消すか、ユーザーを無効にしてください。', en: 'Revoke pending invitations or deactivate users to make room.' }
            : { ja: '組織の ADMIN に空きを作るかプランの変更を依頼してください。', en: 'Ask an ADMIN of the tenant to make room or upgrade the plan.' };
        throw quotaExceeded({
          ja: `メンバーの上限に達しました。${plan} プランのメンバーは ${limits.members} 人までで、現在${counted.ja}です。${remedy.ja}${UPGRADE.ja}`,
          en: `Member limit reached: the ${plan} plan allows ${limits.members} members and this tenant has ${counted.en}. ${remedy.en} ${UPGRADE.en}`,
        });
      }
    },

    monthlyMessages,

    /** An answer was stored (completed or cancelled: what counts), so this process's count stays exact between counts. */
    countAnswer(tenantId: string): void {
      const held = counted.get(tenantId);
      if (held) held.used += 1;
    },

    /** Before a dashboard or API question: answers of every channel this month count. */
    async assertMessageRoom(tenantId: string): Promise<void> {
      const budget = await monthlyMessages(tenantId);
      if (budget.limit === null || budget.used < budget.limit) return;
      const retryAfterSeconds = Math.max(1, Math.ceil((budget.resetsAt.getTime() - now().getTime()) / 1000));
      const resets = budget.resetsAt.toISOString().slice(0, 10);
      throw quotaExceeded(
        {
          ja: `今月の回答数の上限に達しました。${budget.plan} プランの回答は月 ${budget.limit} 件まで（ダッシュボード・API・ウィジェットの合計）で、今月は ${budget.used} 件です。${resets}（UTC）にリセットされます。${UPGRADE.ja}`,
          en: `Monthly message limit reached: the ${budget.plan} plan allows ${budget.limit} answers a month (dashboard, API and widget together) and this tenant has had ${budget.used}. It resets on ${resets} (UTC). ${UPGRADE.en}`,
        },
        retryAfterSeconds,
      );
    },
  };
}

export type PlanLimitsService = ReturnType<typeof createPlanLimitsService>;
