import { and, count, desc, eq, sql } from 'drizzle-orm';
import type { Database } from '../../../db/client.js';
import { contents, ingestionJobs, websiteSources, type ContentStatus } from '../../../db/schema.js';

export type WebsiteSourceRow = typeof websiteSources.$inferSelect;

/** Every query names the tenant, except the scheduler's, which queues work for every tenant. */
export function createWebsiteSourcesRepo(db: Database) {
  const byId = (tenantId: string, id: string) => and(eq(websiteSources.tenantId, tenantId), eq(websiteSources.id, id));
  return {
    list: (tenantId: string, page: { skip: number; limit: number }) =>
      db.select().from(websiteSources).where(eq(websiteSources.tenantId, tenantId)).orderBy(desc(websiteSources.createdAt), desc(websiteSources.id)).offset(page.skip).limit(page.limit),
    count: async (tenantId: string) => (await db.select({ n: count() }).from(websiteSources).where(eq(websiteSources.tenantId, tenantId)))[0]?.n ?? 0,
    find: async (tenantId: string, id: string) => (await db.select().from(websiteSources).where(byId(tenantId, id)))[0],
    insert: async (values: typeof websiteSources.$inferInsert) => (await db.insert(websiteSources).values(values).returning())[0]!,
    update: (tenantId: string, id: string, values: Partial<typeof websiteSources.$inferInsert>) =>
      db.update(websiteSources).set({ ...values, updatedAt: new Date() }).where(byId(tenantId, id)),
    /** The source's documents by indexing status. */
    documentCounts: async (tenantId: string, id: string) =>
      Object.fromEntries(
        (
          await db
            .select({ status: contents.status, n: count() })
            .from(contents)
            .where(and(eq(contents.tenantId, tenantId), eq(contents.websiteSourceId, id)))
            .groupBy(contents.status)
        ).map((r) => [r.status, r.n]),
      ) as Partial<Record<ContentStatus, number>>,
    /** Every document the source made, whether or not a page row still names it. */
    documentIds: async (tenantId: string, id: string) =>
      (await db.select({ id: contents.id }).from(contents).where(and(eq(contents.tenantId, tenantId), eq(contents.websiteSourceId, id)))).map((r) => r.id),
    delete: async (tenantId: string, id: string) => (await db.delete(websiteSources).where(byId(tenantId, id)).returning())[0],

    /**
     * The scheduler: every source whose next sync is due gets a crawl job and its next time, in one
     * statement. Rows another worker is scheduling are skipped (SKIP LOCKED), and a source with a
     * live crawl gets no second one (the partial unique index), so two workers never double a run.
     * Returns how many crawls were queued. `now` is the app's clock (the database's would do in
     * production; tests move the app's).
     */
    async queueDue(now: Date, limit = 20): Promise<number> {
      const at = now.toISOString();
      const result = await db.execute(sql`
        with due as (
          select id from ${websiteSources}
          where next_sync_at <= ${at}::timestamptz and sync_interval_hours > 0
          order by next_sync_at limit ${limit}
          for update skip locked
        ), bumped as (
          update ${websiteSources} s set next_sync_at = ${at}::timestamptz + make_interval(hours => s.sync_interval_hours), status = case when s.status = 'crawling' then s.status else 'queued' end
          from due where s.id = due.id
          returning s.id, s.tenant_id
        )
        insert into ${ingestionJobs} (tenant_id, website_source_id, kind)
        select tenant_id, id, 'crawl' from bumped
        on conflict do nothing
        returning id`);
      return (result as unknown as { rows: unknown[] }).rows.length;
    },
  };
}

export type WebsiteSourcesRepo = ReturnType<typeof createWebsiteSourcesRepo>;
