import { and, asc, count, eq } from 'drizzle-orm';
import type { Database } from '../../../db/client.js';
import { chunks, contentPages } from '../../../db/schema.js';
import type { PageText } from '../../../lib/text/normalize.js';

export interface Paging {
  skip: number;
  limit: number;
}

/** Rows inserted per statement are bounded by characters too: one page of a TXT file may be megabytes. */
const BATCH_ROWS = 100;
const BATCH_CHARS = 1_000_000;

const yieldToRequests = () => new Promise((resolve) => setImmediate(resolve));

/**
 * A document's text as stored: its pages (written here by ingestion) and its chunks (passages), read
 * only: chunks are written by ../../retrieval/search-index.ts, through ingestion. Every query names the tenant.
 */
export function createDocumentTextRepo(db: Database) {
  const ofPages = (tenantId: string, contentId: string) => and(eq(contentPages.tenantId, tenantId), eq(contentPages.contentId, contentId));
  const ofChunks = (tenantId: string, contentId: string) => and(eq(chunks.tenantId, tenantId), eq(chunks.contentId, contentId));

  return {
    pages: (tenantId: string, contentId: string, page: Paging) =>
      db.select({ page: contentPages.page, text: contentPages.text, ocr: contentPages.ocr }).from(contentPages).where(ofPages(tenantId, contentId)).orderBy(asc(contentPages.page)).offset(page.skip).limit(page.limit),
    /** Pages whose text is '' (a scanned page: no text layer), in order. */
    blankPages: async (tenantId: string, contentId: string) =>
      (await db.select({ page: contentPages.page }).from(contentPages).where(and(ofPages(tenantId, contentId), eq(contentPages.text, ''))).orderBy(asc(contentPages.page))).map((r) => r.page),
    countPages: async (tenantId: string, contentId: string) => (await db.select({ n: count() }).from(contentPages).where(ofPages(tenantId, contentId)))[0]?.n ?? 0,

    chunks: (tenantId: string, contentId: string, page: Paging) =>
      db
        .select({ id: chunks.id, chunkIndex: chunks.chunkIndex, text: chunks.text, pageStart: chunks.pageStart, pageEnd: chunks.pageEnd, tokenCount: chunks.tokenCount })
        .from(chunks)
        .where(ofChunks(tenantId, contentId))
        .orderBy(asc(chunks.chunkIndex))
        .offset(page.skip)
        .limit(page.limit),
    countChunks: async (tenantId: string, contentId: string) => (await db.select({ n: count() }).from(chunks).where(ofChunks(tenantId, contentId)))[0]?.n ?? 0,

    /** Every chunk's id and text, for re-indexing them under a new title. */
    chunkTexts: (tenantId: string, contentId: string) => db.select({ id: chunks.id, text: chunks.text }).from(chunks).where(ofChunks(tenantId, contentId)),

    /**
     * Replaces a document's page texts with pages 1..pageCount ('' where the extraction had none),
     * in short batches like the chunks (a crashed run is re-run from the delete); `ocrPages` are marked as read by OCR.
     */
    async replacePages(tenantId: string, contentId: string, pages: readonly PageText[], pageCount: number, ocrPages: readonly number[] = []): Promise<void> {
      const byOcr = new Set(ocrPages);
      await db.delete(contentPages).where(ofPages(tenantId, contentId));
      const byNumber = new Map(pages.map((p) => [p.page, p.text]));
      const last = Math.max(pageCount, ...pages.map((p) => p.page));
      let batch: Array<typeof contentPages.$inferInsert> = [];
      let chars = 0;
      const flush = async () => {
        if (batch.length) await db.insert(contentPages).values(batch);
        batch = [];
        chars = 0;
        await yieldToRequests();
      };
      for (let page = 1; page <= last; page += 1) {
        const text = byNumber.get(page) ?? '';
        if (batch.length && (batch.length >= BATCH_ROWS || chars + text.length > BATCH_CHARS)) await flush();
        batch.push({ tenantId, contentId, page, text, ocr: byOcr.has(page) });
        chars += text.length;
      }
      await flush();
    },
  };
}

export type DocumentTextRepo = ReturnType<typeof createDocumentTextRepo>;
