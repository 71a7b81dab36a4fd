import { Readable } from 'node:stream';
import type { Database } from '../../../db/client.js';
import { AppError } from '../../../http/errors.js';
import type { Text } from '../../../http/language.js';
import type { PlanLimitsService } from '../../billing/plan-limits.service.js';
import { createContentsRepo } from '../contents/contents.repo.js';
import type { IngestionPort } from '../contents/contents.service.js';
import type { FileStorage } from '../contents/storage/file-storage.js';
import type { WebsiteSourceRow } from './website-sources.repo.js';

export interface PageDocumentsDeps {
  db: Database;
  storage: FileStorage;
  ingestion: Pick<IngestionPort, 'enqueue' | 'cancel' | 'wake'>;
  /** A new page is a new document: the plan's documents and storage limits apply as to an upload. */
  limits: Pick<PlanLimitsService, 'assertDocumentRoom'>;
}

export interface FetchedPage {
  url: string;
  title: string | null;
  body: Buffer;
}

/** The name a page's document is listed under: its address without the scheme. */
export const pageFileName = (url: string) => url.replace(/^https?:\/\//, '').slice(0, 255);

/**
 * A crawled page as a document, stored and indexed the way an upload is: the HTML goes to file
 * storage, the `contents` row (type html, with its URL) and its ingest job are written in one
 * transaction, and the worker extracts the main content (extract/html: Readability over linkedom).
 */
export function createPageDocuments(deps: PageDocumentsDeps) {
  const { db, storage, ingestion } = deps;
  const contents = createContentsRepo(db);

  return {
    /**
     * Stores a new or changed page and queues its indexing; its previous file is removed after
     * the commit. A refusal of the plan is the page's failure, not the crawl's.
     */
    async store(source: WebsiteSourceRow, page: FetchedPage, contentId: string | null): Promise<{ contentId: string } | { refused: Text }> {
      const stored = await storage.write(source.tenantId, Readable.from([page.body]));
      const values = {
        fileName: pageFileName(page.url),
        fileType: 'html' as const,
        title: page.title || pageFileName(page.url),
        fileSize: stored.size,
        sha256: stored.sha256,
        storageKey: stored.key,
        sourceUrl: page.url,
        websiteSourceId: source.id,
      };
      try {
        const existing = contentId ? await contents.find(source.tenantId, contentId) : undefined;
        const id = await db.transaction(async (tx) => {
          const repo = createContentsRepo(tx);
          if (existing) {
            await ingestion.cancel(tx, source.tenantId, existing.id);
            await repo.update(source.tenantId, existing.id, { ...values, status: 'pending', failureCode: null, failureReason: null, failureMessage: null, processedAt: null });
            await ingestion.enqueue(tx, source.tenantId, existing.id);
            return existing.id;
          }
          await deps.limits.assertDocumentRoom(tx, source.tenantId, stored.size);
          const created = await repo.insert({ tenantId: source.tenantId, ...values, uploadedBy: source.createdBy });
          await ingestion.enqueue(tx, source.tenantId, created.id);
          return created.id;
        });
        if (existing && existing.storageKey !== stored.key) await storage.delete(existing.storageKey);
        ingestion.wake();
        return { contentId: id };
      } catch (error) {
        await storage.delete(stored.key);
        if (error instanceof AppError) return { refused: error.detail };
        throw error;
      }
    },

    /** Removes a page's document: its queued work, its passages, its row and its file. */
    async remove(tenantId: string, contentId: string): Promise<void> {
      await ingestion.cancel(db, tenantId, contentId);
      const deleted = await contents.delete(tenantId, contentId);
      if (deleted) await storage.delete(deleted.storageKey);
    },
  };
}

export type PageDocuments = ReturnType<typeof createPageDocuments>;
