import { and, count, desc, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../../db/client.js';
import { faqEntries } from '../../../db/schema.js';

export type FaqRow = typeof faqEntries.$inferSelect;
export type FaqValues = Pick<typeof faqEntries.$inferInsert, 'question' | 'answer' | 'alternatives' | 'createdBy'>;

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Every query names the tenant: another tenant's entries are never found. */
export function createFaqRepo(db: Database) {
  function where(tenantId: string, search: string | undefined): SQL | undefined {
    const pattern = search ? `%${escapeLike(search)}%` : undefined;
    return and(
      eq(faqEntries.tenantId, tenantId),
      pattern
        ? or(
            ilike(faqEntries.question, pattern),
            ilike(faqEntries.answer, pattern),
            sql`exists (select 1 from unnest(${faqEntries.alternatives}) alternative where alternative ilike ${pattern})`,
          )
        : undefined,
    );
  }

  return {
    list: (tenantId: string, search: string | undefined, page: { skip: number; limit: number }) =>
      db.select().from(faqEntries).where(where(tenantId, search)).orderBy(desc(faqEntries.createdAt), desc(faqEntries.id)).offset(page.skip).limit(page.limit),
    count: async (tenantId: string, search?: string) => (await db.select({ n: count() }).from(faqEntries).where(where(tenantId, search)))[0]?.n ?? 0,
    /** Every entry of the tenant, oldest first: what questions are matched against (at most MAX_FAQ_ENTRIES). */
    all: (tenantId: string) => db.select().from(faqEntries).where(eq(faqEntries.tenantId, tenantId)).orderBy(faqEntries.createdAt, faqEntries.id),
    find: async (tenantId: string, id: string) => (await db.select().from(faqEntries).where(and(eq(faqEntries.tenantId, tenantId), eq(faqEntries.id, id))))[0],
    insert: (tenantId: string, values: FaqValues[]) => (values.length ? db.insert(faqEntries).values(values.map((v) => ({ ...v, tenantId }))).returning() : Promise.resolve([])),
    update: async (tenantId: string, id: string, values: Partial<FaqValues>) =>
      (await db.update(faqEntries).set({ ...values, updatedAt: new Date() }).where(and(eq(faqEntries.tenantId, tenantId), eq(faqEntries.id, id))).returning())[0],
    delete: async (tenantId: string, id: string) => (await db.delete(faqEntries).where(and(eq(faqEntries.tenantId, tenantId), eq(faqEntries.id, id))).returning())[0],
    /** Serialises writes that check the entry count, per tenant, until the transaction ends. */
    lockTenant: (tenantId: string) => db.execute(sql`select pg_advisory_xact_lock(hashtext(${`faq:${tenantId}`}))`),
  };
}
