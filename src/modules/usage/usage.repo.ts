import { and, asc, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Database } from '../../db/client.js';
import { conversations, messages, usageEvents } from '../../db/schema.js';
import type { PricedUsage } from './usage-recorder.js';
import type { Granularity } from './usage.schemas.js';

/** Instants of the range: from `from` (inclusive) to `until` (exclusive). */
export interface UsageRange {
  from: Date;
  until: Date;
}

const tokens = sql<number>`coalesce(sum(${usageEvents.tokensIn} + ${usageEvents.tokensOut}), 0)`.mapWith(Number);
const costMicroUsd = sql<number>`coalesce(sum(${usageEvents.costMicroUsd}), 0)`.mapWith(Number);

/** date_trunc's units as SQL literals: only these three strings can ever reach the statement. */
const truncUnit: Record<Granularity, SQL> = { day: sql.raw(`'day'`), week: sql.raw(`'week'`), month: sql.raw(`'month'`) };

/**
 * The UTC day, ISO week (its Monday) or month an event falls in, as YYYY-MM-DD. The unit is a
 * literal, not a parameter: the GROUP BY's copy would be another parameter, and PostgreSQL would
 * not see that it groups by the selected expression.
 */
const bucketOf = (granularity: Granularity, at: PgColumn = usageEvents.createdAt) =>
  sql<string>`to_char(date_trunc(${truncUnit[granularity]}, ${at} at time zone 'UTC'), 'YYYY-MM-DD')`;

/**
 * The one write to usage_events, on `db` or a transaction: every recorded model call goes through
 * here. Awaited, it is a statement of its own; as a CTE (`db.$with('usage').as(insertUsageEvents(db, rows))`)
 * it rides in the caller's statement, as the chat stores an answer and its cost in one.
 */
export const insertUsageEvents = (db: Database, rows: PricedUsage[]) => db.insert(usageEvents).values(rows);

/** Every query names the tenant: another tenant's usage is never counted. */
export function createUsageRepo(db: Database) {
  const inRange = (tenantId: string, range: UsageRange) =>
    and(eq(usageEvents.tenantId, tenantId), gte(usageEvents.createdAt, range.from), lt(usageEvents.createdAt, range.until));

  return {
    insert: async (row: PricedUsage) => void (await insertUsageEvents(db, [row])),

    byBucket: (tenantId: string, range: UsageRange, granularity: Granularity) => {
      const bucket = bucketOf(granularity);
      return db.select({ bucket, tokens, costMicroUsd }).from(usageEvents).where(inRange(tenantId, range)).groupBy(bucket).orderBy(asc(bucket));
    },

    byModel: (tenantId: string, range: UsageRange) =>
      db
        .select({
          provider: usageEvents.provider,
          model: usageEvents.model,
          tokensIn: sql<number>`coalesce(sum(${usageEvents.tokensIn}), 0)`.mapWith(Number),
          tokensOut: sql<number>`coalesce(sum(${usageEvents.tokensOut}), 0)`.mapWith(Number),
          costMicroUsd,
        })
        .from(usageEvents)
        .where(inRange(tenantId, range))
        .groupBy(usageEvents.provider, usageEvents.model)
        .orderBy(desc(costMicroUsd), desc(tokens), asc(usageEvents.model)),

    byChannel: (tenantId: string, range: UsageRange) =>
      db.select({ channel: usageEvents.channel, tokens, costMicroUsd }).from(usageEvents).where(inRange(tenantId, range)).groupBy(usageEvents.channel),

    /** Answers given (not failed; as the plan's monthly count) per bucket and channel: extractive ones bill no tokens. */
    answers: (tenantId: string, range: UsageRange, granularity: Granularity) => {
      const bucket = bucketOf(granularity, messages.createdAt);
      return db
        .select({ bucket, channel: conversations.channel, answers: sql<number>`count(*)`.mapWith(Number) })
        .from(messages)
        .innerJoin(conversations, eq(conversations.id, messages.conversationId))
        .where(
          and(
            eq(messages.tenantId, tenantId),
            eq(messages.role, 'assistant'),
            sql`${messages.status} <> 'failed'`,
            gte(messages.createdAt, range.from),
            lt(messages.createdAt, range.until),
          ),
        )
        .groupBy(bucket, conversations.channel);
    },

    byKind: (tenantId: string, range: UsageRange) =>
      db.select({ kind: usageEvents.kind, tokens, costMicroUsd }).from(usageEvents).where(inRange(tenantId, range)).groupBy(usageEvents.kind),
  };
}

export type UsageRepo = ReturnType<typeof createUsageRepo>;
