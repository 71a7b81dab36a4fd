import { Readable } from 'node:stream';
import { AppError } from '../../../http/errors.js';
import type { Text } from '../../../http/language.js';
import { createContentsRepo } from '../contents/contents.repo.js';
import { createDocumentLifecycle, type DocumentLifecycleDeps } from '../contents/document-lifecycle.js';
import type { WebsiteSourceRow } from './website-sources.repo.js';

/** A new page is a new document: the plan's documents and storage limits apply as to an upload. */
export type PageDocumentsDeps = DocumentLifecycleDeps;

export interface FetchedPage {
  url: string;
  title: string | null;
  body: Buffer;
}

/** The name a page's document is listed under: its address without the scheme. */
export const pageFileName = (url: string) => url.replace(/^https?:\/\//, '').slice(0, 255);

/**
 * A crawled page as a document, stored and indexed the way an upload is, through the same
 * document lifecycle (../contents/document-lifecycle.ts): the HTML goes to file storage, the
 * `contents` row (type html, with its URL) and its ingest job are written in one transaction, and
 * the worker extracts the main content (extract/html: Readability over linkedom).
 */
export function createPageDocuments(deps: PageDocumentsDeps) {
  const lifecycle = createDocumentLifecycle(deps);
  const contents = createContentsRepo(deps.db);

  return {
    /**
     * Stores a new or changed page and queues its indexing; its previous file is removed after
     * the commit. The page's title replaces the document's only while no person has edited it
     * (`title_edited_at`): an ADMIN's title survives every re-sync. A refusal of the plan is the
     * page's failure, not the crawl's.
     */
    async store(source: WebsiteSourceRow, page: FetchedPage, contentId: string | null): Promise<{ contentId: string } | { refused: Text }> {
      const stored = await deps.storage.write(source.tenantId, Readable.from([page.body]));
      const file = { fileName: pageFileName(page.url), fileType: 'html' as const, fileSize: stored.size, sha256: stored.sha256, storageKey: stored.key, sourceUrl: page.url };
      const title = page.title || pageFileName(page.url);
      try {
        const existing = contentId ? await contents.find(source.tenantId, contentId) : undefined;
        if (existing) {
          await lifecycle.replaceFile(existing, existing.titleEditedAt ? file : { ...file, title });
          return { contentId: existing.id };
        }
        const created = await lifecycle.add({ tenantId: source.tenantId, ...file, title, websiteSourceId: source.id, uploadedBy: source.createdBy });
        return { contentId: created.id };
      } catch (error) {
        await lifecycle.discard([stored.key]);
        if (error instanceof AppError) return { refused: error.detail };
        throw error;
      }
    },

    /** Removes a page's document: its queued work, its passages, its row and its file. */
    remove: async (tenantId: string, contentId: string): Promise<void> => void (await lifecycle.remove(tenantId, contentId)),
  };
}

export type PageDocuments = ReturnType<typeof createPageDocuments>;
