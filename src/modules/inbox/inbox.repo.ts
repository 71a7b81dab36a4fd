import { and, count, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { questionKey } from '../../db/question-key.js';
import { inboxItems, inboxOccurrences, type InboxReason, type InboxStatus } from '../../db/schema.js';
import { GROUP_CANDIDATES, type StoredTerms } from './inbox-grouping.js';

export type InboxItemRow = typeof inboxItems.$inferSelect;
export type InboxOccurrenceRow = typeof inboxOccurrences.$inferSelect;
export type NewOccurrence = Omit<typeof inboxOccurrences.$inferInsert, 'id' | 'tenantId' | 'itemId' | 'createdAt'>;

export interface InboxFilters {
  status?: InboxStatus;
  reason?: InboxReason;
}

/** jsonb array holds the value. */
const holds = (column: SQL | typeof inboxItems.reasons, value: string) => sql`${column} @> ${JSON.stringify([value])}::jsonb`;
/** jsonb array with the value added once. */
const withValue = (column: typeof inboxItems.reasons | typeof inboxItems.channels, value: string) =>
  sql`CASE WHEN ${column} @> ${JSON.stringify([value])}::jsonb THEN ${column} ELSE ${column} || ${JSON.stringify([value])}::jsonb END`;

/** Every query names the tenant. */
export function createInboxRepo(db: Database) {
  const where = (tenantId: string, filters: InboxFilters) =>
    and(eq(inboxItems.tenantId, tenantId), filters.status && eq(inboxItems.status, filters.status), filters.reason && holds(inboxItems.reasons, filters.reason));

  return {
    /** Held to the end of the transaction: one writer of a tenant's inbox at a time. */
    lock: (tx: Database, tenantId: string) => tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`inbox:${tenantId}`}))`),

    /** Each item's distinct wordings, for the export. */
    wordingsOf: async (tenantId: string, itemIds: string[]) => {
      const rows = itemIds.length
        ? await db
            .selectDistinct({ itemId: inboxOccurrences.itemId, question: inboxOccurrences.question })
            .from(inboxOccurrences)
            .where(and(eq(inboxOccurrences.tenantId, tenantId), inArray(inboxOccurrences.itemId, itemIds)))
        : [];
      const map = new Map<string, string[]>();
      for (const row of rows) map.set(row.itemId, [...(map.get(row.itemId) ?? []), row.question]);
      return map;
    },

    find: async (tenantId: string, id: string) => (await db.select().from(inboxItems).where(and(eq(inboxItems.tenantId, tenantId), eq(inboxItems.id, id))))[0],

    /** The item a question's key names (the most recently seen), if any. */
    byKey: async (tenantId: string, question: string) =>
      (
        await db
          .select()
          .from(inboxItems)
          .where(and(eq(inboxItems.tenantId, tenantId), eq(inboxItems.questionKey, questionKey(sql`${question}`))))
          .orderBy(desc(inboxItems.lastSeenAt))
          .limit(1)
      )[0],

    /** The items a new question may join by shared terms: the most recently seen. */
    candidates: (tenantId: string) =>
      db
        .select({ id: inboxItems.id, question: inboxItems.question, matchTerms: inboxItems.matchTerms })
        .from(inboxItems)
        .where(eq(inboxItems.tenantId, tenantId))
        .orderBy(desc(inboxItems.lastSeenAt))
        .limit(GROUP_CANDIDATES),

    /** Whether this answer was already recorded for this reason (a 👎 set twice, a retried write). */
    hasOccurrence: async (tenantId: string, messageId: string, reason: InboxReason) =>
      (await db.select({ id: inboxOccurrences.id }).from(inboxOccurrences).where(and(eq(inboxOccurrences.tenantId, tenantId), eq(inboxOccurrences.messageId, messageId), eq(inboxOccurrences.reason, reason))).limit(1))
        .length > 0,

    create: async (tenantId: string, question: string, terms: StoredTerms, at: Date) =>
      (
        await db
          .insert(inboxItems)
          .values({ tenantId, question, questionKey: sql`${questionKey(sql`${question}`)}`, matchTerms: terms, firstSeenAt: at, lastSeenAt: at })
          .returning()
      )[0]!,

    /**
     * One more occurrence of an item: counted, its channel and reason added, last seen now; a
     * resolved item is open again (the question failed after it was dealt with), an ignored one stays ignored.
     */
    addOccurrence: async (tenantId: string, itemId: string, occurrence: NewOccurrence, at: Date) => {
      await db.insert(inboxOccurrences).values({ ...occurrence, tenantId, itemId, createdAt: at });
      return (
        await db
          .update(inboxItems)
          .set({
            count: sql`${inboxItems.count} + 1`,
            channels: withValue(inboxItems.channels, occurrence.channel),
            reasons: withValue(inboxItems.reasons, occurrence.reason),
            lastSeenAt: at,
            updatedAt: at,
            status: sql`CASE WHEN ${inboxItems.status} = 'resolved' THEN 'open' ELSE ${inboxItems.status} END`,
            resolvedAt: sql`CASE WHEN ${inboxItems.status} = 'resolved' THEN NULL ELSE ${inboxItems.resolvedAt} END`,
            resolvedBy: sql`CASE WHEN ${inboxItems.status} = 'resolved' THEN NULL ELSE ${inboxItems.resolvedBy} END`,
          })
          .where(and(eq(inboxItems.tenantId, tenantId), eq(inboxItems.id, itemId)))
          .returning()
      )[0]!;
    },

    list: (tenantId: string, filters: InboxFilters, page: { skip: number; limit: number }) =>
      db.select().from(inboxItems).where(where(tenantId, filters)).orderBy(desc(inboxItems.lastSeenAt), desc(inboxItems.id)).offset(page.skip).limit(page.limit),

    total: async (tenantId: string, filters: InboxFilters) => (await db.select({ n: count() }).from(inboxItems).where(where(tenantId, filters)))[0]?.n ?? 0,

    /** Items per status under the reason filter (the status filter aside): the tabs' counts. */
    countsByStatus: (tenantId: string, reason: InboxReason | undefined) =>
      db.select({ status: inboxItems.status, n: count() }).from(inboxItems).where(where(tenantId, { reason })).groupBy(inboxItems.status),

    occurrences: (tenantId: string, itemIds: string[], limit: number) =>
      itemIds.length === 0
        ? Promise.resolve([] as InboxOccurrenceRow[])
        : db
            .select()
            .from(inboxOccurrences)
            .where(and(eq(inboxOccurrences.tenantId, tenantId), inArray(inboxOccurrences.itemId, itemIds)))
            .orderBy(desc(inboxOccurrences.createdAt))
            .limit(limit),

    /** The other wordings of an item, each with how often it was asked, the most asked first. */
    phrasings: async (tenantId: string, itemId: string, limit: number) =>
      db
        .select({ question: inboxOccurrences.question, count: count() })
        .from(inboxOccurrences)
        .where(and(eq(inboxOccurrences.tenantId, tenantId), eq(inboxOccurrences.itemId, itemId)))
        .groupBy(inboxOccurrences.question)
        .orderBy(desc(count()), inboxOccurrences.question)
        .limit(limit),

    setStatus: async (tenantId: string, id: string, status: InboxStatus, by: string | null, faqId?: string) =>
      (
        await db
          .update(inboxItems)
          .set({
            status,
            resolvedAt: status === 'resolved' ? new Date() : null,
            resolvedBy: status === 'open' ? null : by,
            ...(faqId ? { faqId } : {}),
            updatedAt: new Date(),
          })
          .where(and(eq(inboxItems.tenantId, tenantId), eq(inboxItems.id, id)))
          .returning()
      )[0],
  };
}

export type InboxRepo = ReturnType<typeof createInboxRepo>;
