import { and, asc, count, eq, inArray, isNull, lt } from 'drizzle-orm';
import type { Database } from '../../../db/client.js';
import type { Text } from '../../../http/language.js';
import { websitePages, type WebsitePageStatus } from '../../../db/schema.js';

export type WebsitePageRow = typeof websitePages.$inferSelect;
export type WebsitePageValues = Omit<typeof websitePages.$inferInsert, 'id' | 'tenantId' | 'sourceId' | 'url' | 'createdAt'>;

export function createWebsitePagesRepo(db: Database) {
  const ofSource = (tenantId: string, sourceId: string) => and(eq(websitePages.tenantId, tenantId), eq(websitePages.sourceId, sourceId));
  return {
    list: (tenantId: string, sourceId: string, filter: { status?: WebsitePageStatus }, page: { skip: number; limit: number }) =>
      db
        .select()
        .from(websitePages)
        .where(and(ofSource(tenantId, sourceId), filter.status ? eq(websitePages.status, filter.status) : undefined))
        .orderBy(asc(websitePages.url))
        .offset(page.skip)
        .limit(page.limit),
    count: async (tenantId: string, sourceId: string, filter: { status?: WebsitePageStatus }) =>
      (await db.select({ n: count() }).from(websitePages).where(and(ofSource(tenantId, sourceId), filter.status ? eq(websitePages.status, filter.status) : undefined)))[0]?.n ?? 0,
    /** Pages per status, for a source's progress. */
    countsByStatus: async (tenantId: string, sourceId: string) =>
      Object.fromEntries(
        (await db.select({ status: websitePages.status, n: count() }).from(websitePages).where(ofSource(tenantId, sourceId)).groupBy(websitePages.status)).map((r) => [r.status, r.n]),
      ) as Partial<Record<WebsitePageStatus, number>>,
    all: (tenantId: string, sourceId: string) => db.select().from(websitePages).where(ofSource(tenantId, sourceId)),
    find: async (tenantId: string, sourceId: string, url: string) => (await db.select().from(websitePages).where(and(ofSource(tenantId, sourceId), eq(websitePages.url, url))))[0],
    /** Writes what this crawl found of an address, creating its row the first time. */
    upsert: (tenantId: string, sourceId: string, url: string, values: WebsitePageValues) =>
      db
        .insert(websitePages)
        .values({ tenantId, sourceId, url, ...values })
        .onConflictDoUpdate({ target: [websitePages.sourceId, websitePages.url], set: { ...values, updatedAt: new Date() } }),
    /** Pages this crawl did not find (not seen since it started): gone from the sitemap and the links. A page a person removed stays listed. */
    notSeenSince: (tenantId: string, sourceId: string, since: Date) =>
      db.select().from(websitePages).where(and(ofSource(tenantId, sourceId), lt(websitePages.seenAt, since), isNull(websitePages.removedAt))),
    /** A person deleted this document: its page is listed as skipped from now on, and never made a document again. */
    markRemoved: (tenantId: string, contentId: string, reason: Text) =>
      db
        .update(websitePages)
        .set({ status: 'skipped', failureCode: 'REMOVED', failureMessage: reason, removedAt: new Date(), etag: null, lastModified: null, sha256: null, updatedAt: new Date() })
        .where(and(eq(websitePages.tenantId, tenantId), eq(websitePages.contentId, contentId))),
    deleteMany: (tenantId: string, ids: string[]) => (ids.length ? db.delete(websitePages).where(and(eq(websitePages.tenantId, tenantId), inArray(websitePages.id, ids))) : Promise.resolve()),
  };
}

export type WebsitePagesRepo = ReturnType<typeof createWebsitePagesRepo>;
