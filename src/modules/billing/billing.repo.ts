import { and, count, eq, gte, ne, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { billingEvents, contents, invitations, messages, tenants, users } from '../../db/schema.js';

const billingColumns = {
  id: tenants.id,
  plan: tenants.plan,
  status: tenants.status,
  billingCycle: tenants.billingCycle,
  currentPeriodEnd: tenants.currentPeriodEnd,
  stripeCustomerId: tenants.stripeCustomerId,
  stripeSubscriptionId: tenants.stripeSubscriptionId,
  billingEventAt: tenants.billingEventAt,
};

export type TenantBilling = Pick<typeof tenants.$inferSelect, keyof typeof billingColumns>;
export type BillingChange = Partial<Omit<TenantBilling, 'id'>>;

/** What counts against a plan's limits. */
export interface TenantUsage {
  documents: number;
  storageBytes: number;
  messagesThisMonth: number;
  /** Active users plus pending (unexpired) invitations. */
  members: number;
  /** Active users alone: what accepting an invitation adds to. */
  activeUsers: number;
}

/** Answers given (not failed) since `monthStart`, all channels: what the plan's messages a month count. */
const answeredSince = (tenantId: string, monthStart: Date) =>
  and(eq(messages.tenantId, tenantId), eq(messages.role, 'assistant'), ne(messages.status, 'failed'), gte(messages.createdAt, monthStart));

/**
 * A tenant's plan, its Stripe ids and the webhook's event log. Queries by tenant name it in the
 * WHERE clause; the two lookups by Stripe id are how a webhook event finds its tenant.
 */
export function createBillingRepo(db: Database) {
  const one = async (where: ReturnType<typeof eq>, lock = false) => {
    const query = db.select(billingColumns).from(tenants).where(where);
    return (await (lock ? query.for('update') : query))[0] as TenantBilling | undefined;
  };

  return {
    find: (tenantId: string) => one(eq(tenants.id, tenantId)),
    /** The tenant's row, locked until the transaction ends: webhook events and limit checks of one tenant take turns. */
    lock: (tenantId: string) => one(eq(tenants.id, tenantId), true),
    lockByCustomer: (customerId: string) => one(eq(tenants.stripeCustomerId, customerId), true),
    lockBySubscription: (subscriptionId: string) => one(eq(tenants.stripeSubscriptionId, subscriptionId), true),

    update: (tenantId: string, change: BillingChange) => db.update(tenants).set({ ...change, updatedAt: new Date() }).where(eq(tenants.id, tenantId)),

    userEmail: async (tenantId: string, userId: string) =>
      (await db.select({ email: users.email }).from(users).where(and(eq(users.tenantId, tenantId), eq(users.id, userId))))[0]?.email ?? null,

    /** Claims a webhook event id; false when it was received before (a redelivery: change nothing). */
    claimEvent: async (id: string, type: string) =>
      (await db.insert(billingEvents).values({ id, type, outcome: 'pending' }).onConflictDoNothing().returning({ id: billingEvents.id })).length > 0,
    settleEvent: (id: string, tenantId: string | null, outcome: string) => db.update(billingEvents).set({ tenantId, outcome }).where(eq(billingEvents.id, id)),
    findEvent: async (id: string) => (await db.select().from(billingEvents).where(eq(billingEvents.id, id)))[0],

    answersSince: async (tenantId: string, monthStart: Date): Promise<number> => (await db.select({ n: count() }).from(messages).where(answeredSince(tenantId, monthStart)))[0]!.n,

    /** Everything that counts against the limits, in one round trip. Messages: answers given (not failed) since `monthStart`. */
    usage: async (tenantId: string, monthStart: Date): Promise<TenantUsage> => {
      const [row] = await db
        .select({
          // A failed document holds no passages: it does not take a place (its file still takes storage until deleted).
          documents: sql<number>`(select count(*)::int from ${contents} where ${contents.tenantId} = ${tenantId} and ${contents.status} <> 'failed')`,
          storageBytes: sql<number>`(select coalesce(sum(${contents.fileSize}), 0)::float8 from ${contents} where ${contents.tenantId} = ${tenantId})`,
          messagesThisMonth: sql<number>`(select count(*)::int from ${messages} where ${answeredSince(tenantId, monthStart)})`,
          activeUsers: sql<number>`(select count(*)::int from ${users} where ${users.tenantId} = ${tenantId} and ${users.isActive})`,
          pendingInvitations: sql<number>`(select count(*)::int from ${invitations} where ${invitations.tenantId} = ${tenantId}
            and ${invitations.acceptedAt} is null and ${invitations.revokedAt} is null and ${invitations.expiresAt} > now())`,
        })
        .from(tenants)
        .where(eq(tenants.id, tenantId));
      const { pendingInvitations, ...counts } = row!;
      return { ...counts, members: counts.activeUsers + pendingInvitations };
    },
  };
}

export type BillingRepo = ReturnType<typeof createBillingRepo>;
