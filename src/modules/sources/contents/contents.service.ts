import type { Readable } from 'node:stream';
import type { Database } from '../../../db/client.js';
import { isUniqueViolation } from '../../../db/errors.js';
import { AppError, notFound } from '../../../http/errors.js';
import type { Principal } from '../../../http/request-context.js';
import type { PlanLimitsService } from '../../billing/plan-limits.service.js';
import { createContentsRepo, type ContentFilter, type ContentRow } from './contents.repo.js';
import type { UpdateContentBody } from './contents.schemas.js';
import { createDocumentLifecycle } from './document-lifecycle.js';
import { createDocumentTextRepo, type Paging } from './document-text.repo.js';
import type { IngestionPort } from './ingestion-port.js';
import type { FileStorage, StoredFile } from './storage/file-storage.js';

export interface ContentsDeps {
  db: Database;
  storage: FileStorage;
  /** The plan's documents and storage limits, checked once the file's real size is known. */
  limits: Pick<PlanLimitsService, 'assertDocumentRoom'>;
  ingestion: IngestionPort;
  /** Recomputes a document's vectors (each passage is embedded with its title) when it was renamed. */
  reembed?: (tenantId: string, contentId: string) => Promise<unknown>;
  /** A person deleted the document: told in the deletion's transaction (a crawled page remembers it, ../websites/). */
  onRemoved?: (tx: Database, tenantId: string, contentId: string) => Promise<unknown>;
}

export interface UploadInput {
  stored: StoredFile;
  fileName: string;
  title?: string;
  description?: string;
  tags: string[];
}

/** Reads an upload's request, writing its file with `store`; throws for a bad field. */
export type ReceiveUpload = (store: (file: Readable) => Promise<StoredFile>) => Promise<UploadInput>;

/** A document with what its detail says about its stored text. */
export interface ContentDetailRow {
  content: ContentRow;
  hasPageText: boolean;
  blankPages: number[];
}

/** Display names only: strip paths and control/bidi characters, keep it short. */
export function displayFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  return (clean || 'upload').slice(0, 255);
}

export function createContentsService(deps: ContentsDeps) {
  const { db, storage, ingestion } = deps;
  const contents = createContentsRepo(db);
  const text = createDocumentTextRepo(db);
  const lifecycle = createDocumentLifecycle(deps);

  async function get(principal: Principal, id: string): Promise<ContentRow> {
    const content = await contents.find(principal.tenantId, id);
    if (!content) throw notFound('File');
    return content;
  }

  async function original(tenantId: string, id: string): Promise<{ content: ContentRow; bytes: Readable }> {
    const content = await contents.find(tenantId, id);
    if (!content) throw notFound('File');
    try {
      return { content, bytes: await storage.read(content.storageKey) };
    } catch (error) {
      // Removed from the disk by hand, or never finished: the document row alone is not a file to send.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError('RESOURCE_NOT_FOUND', { ja: 'この文書の元のファイルはもう保存されていません。', en: 'The original file of this document is no longer stored' });
      throw error;
    }
  }

  async function accept(principal: Principal, input: UploadInput): Promise<ContentRow> {
    const fileName = displayFileName(input.fileName);
    const detected = await storage.withLocalFile(input.stored.key, (path) => ingestion.fileType(path, fileName));
    if (!detected.kind) throw new AppError('UNSUPPORTED_FILE_TYPE', detected.reason);
    const kind = detected.kind;
    const existing = await contents.findBySha256(principal.tenantId, input.stored.sha256);
    if (existing) throw duplicate(existing);
    try {
      return await lifecycle.add({
        tenantId: principal.tenantId,
        fileName,
        fileType: kind,
        title: input.title || null,
        description: input.description || null,
        tags: input.tags,
        fileSize: input.stored.size,
        sha256: input.stored.sha256,
        storageKey: input.stored.key,
        uploadedBy: principal.userId,
      });
    } catch (error) {
      // Two uploads of the same bytes at once: the second loses the race on the unique index.
      const existing = isUniqueViolation(error) ? await contents.findBySha256(principal.tenantId, input.stored.sha256) : undefined;
      throw existing ? duplicate(existing) : error;
    }
  }

  return {
    list: (principal: Principal, filter: ContentFilter, page: { skip: number; limit: number }) => contents.list(principal.tenantId, filter, page),
    count: (principal: Principal, filter: ContentFilter) => contents.count(principal.tenantId, filter),

    get,

    /** The detail page's document: its row, whether its page texts are stored, and its pages without text. */
    async detail(principal: Principal, id: string): Promise<ContentDetailRow> {
      const content = await get(principal, id);
      const [pageCount, blankPages] = await Promise.all([text.countPages(principal.tenantId, id), text.blankPages(principal.tenantId, id)]);
      return { content, hasPageText: pageCount > 0, blankPages };
    },

    /** A page range of the document's text, and how many pages are stored (0 before reprocessing, for older documents). */
    async pages(principal: Principal, id: string, page: Paging) {
      await get(principal, id);
      const [rows, total] = await Promise.all([text.pages(principal.tenantId, id, page), text.countPages(principal.tenantId, id)]);
      return { rows, total };
    },

    /** A range of the document's passages, in order, and how many it has. */
    async chunks(principal: Principal, id: string, page: Paging) {
      const content = await get(principal, id);
      const [rows, total] = await Promise.all([text.chunks(principal.tenantId, id, page), text.countChunks(principal.tenantId, id)]);
      return { rows, total, ocrPages: content.ocrPages };
    },

    /**
     * Changes title, description and tags. A new title is indexed with every passage in the same
     * transaction, so search finds it at once without reading the file again; vectors follow in
     * the background (each passage is embedded with its title). A title a person set is kept by
     * re-syncs of a crawled page (`title_edited_at`).
     */
    async update(principal: Principal, id: string, patch: UpdateContentBody): Promise<void> {
      const content = await get(principal, id);
      const retitled = patch.title !== undefined && patch.title !== content.title;
      // Segmenting is CPU work: done before the transaction, so it never holds the database.
      const writeTitleIndex = retitled ? await ingestion.retitle(db, principal.tenantId, id, patch.title ?? null) : undefined;
      await db.transaction(async (tx) => {
        await createContentsRepo(tx).update(principal.tenantId, id, { title: patch.title, description: patch.description, tags: patch.tags, ...(retitled ? { titleEditedAt: new Date() } : {}) });
        await writeTitleIndex?.(tx);
      });
      if (retitled && content.status === 'completed') await deps.reembed?.(principal.tenantId, id);
    },

    /** The file as uploaded, for download. */
    download: (principal: Principal, id: string) => original(principal.tenantId, id),

    /** The tenant's file as uploaded, for a visitor's signed link (src/modules/widget/file-links.ts). */
    original,

    /**
     * Stores an upload and accepts it: checks its real type, refuses duplicates, checks the plan's
     * limits with its stored size, and queues it. Whatever refuses it — a bad field, the type, a
     * duplicate, the plan — the bytes it stored are removed here, so nothing is left behind.
     */
    async upload(principal: Principal, receive: ReceiveUpload): Promise<ContentRow> {
      const written: string[] = [];
      try {
        const input = await receive(async (file) => {
          const stored = await storage.write(principal.tenantId, file);
          written.push(stored.key);
          return stored;
        });
        return await accept(principal, input);
      } catch (error) {
        await lifecycle.discard(written);
        throw error;
      }
    },

    /** Removes the document, its chunks (and vectors, by cascade) and its file; a crawled page is not made a document again. */
    async remove(principal: Principal, id: string): Promise<void> {
      const onRemoved = deps.onRemoved;
      const deleted = await lifecycle.remove(principal.tenantId, id, onRemoved && ((tx) => onRemoved(tx, principal.tenantId, id)));
      if (!deleted) throw notFound('File');
    },

    /** Runs ingestion again (after a fix, a new limit, or a changed chunking setting). */
    async reprocess(principal: Principal, id: string): Promise<ContentRow> {
      const content = await contents.find(principal.tenantId, id);
      if (!content) throw notFound('File');
      await db.transaction(async (tx) => {
        // A failed document takes no place toward the documents limit; reprocessing it takes one again.
        if (content.status === 'failed') await deps.limits.assertDocumentRoom(tx, principal.tenantId, 0);
        await ingestion.cancel(tx, principal.tenantId, id);
        await createContentsRepo(tx).update(principal.tenantId, id, { status: 'pending', failureCode: null, failureReason: null, failureMessage: null, processedAt: null });
        await ingestion.enqueue(tx, principal.tenantId, id);
      });
      ingestion.wake();
      return (await contents.find(principal.tenantId, id))!;
    },
  };
}

/** The body's `existing_content_id` lets a client link to the document it already has. */
const duplicate = (existing: ContentRow) =>
  new AppError('CONFLICT', {
    ja: `このファイルは「${existing.title || existing.fileName}」としてすでにアップロードされています。同じ内容を入れ直すには、その文書を削除するか再処理してください。`,
    en: `This file was already uploaded as "${existing.title || existing.fileName}"; to replace it, delete that document or reprocess it.`,
  }, { fields: { existing_content_id: existing.id } });

export type ContentsService = ReturnType<typeof createContentsService>;
