import { and, count, desc, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../../db/client.js';
import { contents, type ContentStatus, type FileType } from '../../../db/schema.js';

export type ContentRow = typeof contents.$inferSelect;

export interface ContentFilter {
  fileType?: FileType;
  status?: ContentStatus;
  search?: string;
}

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Every query names the tenant: another tenant's documents are never found. */
export function createContentsRepo(db: Database) {
  function where(tenantId: string, filter: ContentFilter): SQL | undefined {
    const pattern = filter.search ? `%${escapeLike(filter.search)}%` : undefined;
    return and(
      eq(contents.tenantId, tenantId),
      filter.fileType ? eq(contents.fileType, filter.fileType) : undefined,
      filter.status ? eq(contents.status, filter.status) : undefined,
      pattern
        ? or(
            ilike(contents.fileName, pattern),
            ilike(contents.title, pattern),
            ilike(contents.description, pattern),
            sql`exists (select 1 from unnest(${contents.tags}) tag where tag ilike ${pattern})`,
          )
        : undefined,
    );
  }

  return {
    list: (tenantId: string, filter: ContentFilter, page: { skip: number; limit: number }) =>
      db.select().from(contents).where(where(tenantId, filter)).orderBy(desc(contents.createdAt), desc(contents.id)).offset(page.skip).limit(page.limit),
    count: async (tenantId: string, filter: ContentFilter) => (await db.select({ n: count() }).from(contents).where(where(tenantId, filter)))[0]?.n ?? 0,
    find: async (tenantId: string, id: string) => (await db.select().from(contents).where(and(eq(contents.tenantId, tenantId), eq(contents.id, id))))[0],
    findBySha256: async (tenantId: string, sha256: string) =>
      (await db.select().from(contents).where(and(eq(contents.tenantId, tenantId), eq(contents.sha256, sha256))))[0],
    /** Which of these storage keys belong to a document of the tenant. */
    storageKeysIn: async (tenantId: string, keys: string[]) =>
      (await db.select({ key: contents.storageKey }).from(contents).where(and(eq(contents.tenantId, tenantId), inArray(contents.storageKey, keys)))).map((r) => r.key),
    insert: async (values: typeof contents.$inferInsert) => (await db.insert(contents).values(values).returning())[0]!,
    update: (tenantId: string, id: string, values: Partial<typeof contents.$inferInsert>) =>
      db.update(contents).set({ ...values, updatedAt: new Date() }).where(and(eq(contents.tenantId, tenantId), eq(contents.id, id))),
    /** The row only: its chunks must be gone first (IngestionPort.unindex), its pages and vectors go by cascade. */
    delete: async (tenantId: string, id: string) => (await db.delete(contents).where(and(eq(contents.tenantId, tenantId), eq(contents.id, id))).returning())[0],
  };
}

export type ContentsRepo = ReturnType<typeof createContentsRepo>;
