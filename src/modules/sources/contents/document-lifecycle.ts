import type { Database } from '../../../db/client.js';
import type { contents } from '../../../db/schema.js';
import type { PlanLimitsService } from '../../billing/plan-limits.service.js';
import { createContentsRepo, type ContentRow } from './contents.repo.js';
import type { IngestionPort } from './ingestion-port.js';
import type { FileStorage } from './storage/file-storage.js';

export interface DocumentLifecycleDeps {
  db: Database;
  storage: FileStorage;
  ingestion: Pick<IngestionPort, 'enqueue' | 'cancel' | 'unindex' | 'wake'>;
  /** A new document takes room: the plan's documents and storage limits. */
  limits: Pick<PlanLimitsService, 'assertDocumentRoom'>;
}

export type NewDocument = typeof contents.$inferInsert;
/** What describes a document's new bytes (a changed page): the stored file and what the row says of it. */
export type DocumentFile = Pick<NewDocument, 'fileName' | 'fileType' | 'fileSize' | 'sha256' | 'storageKey'> & Partial<Pick<NewDocument, 'title' | 'sourceUrl'>>;

/**
 * How a document comes and goes, for every source of documents (uploads here, crawled pages in
 * ../websites/): its row, its ingest work and its chunks move together, and this is the one
 * place a document's stored bytes are removed (the orphan sweeper aside: a server killed between
 * storing and committing).
 */
export function createDocumentLifecycle(deps: DocumentLifecycleDeps) {
  const { db, storage, ingestion } = deps;

  return {
    /** A new document for stored bytes: the plan's room, its row and its ingest job in one transaction, then the worker woken. */
    async add(values: NewDocument): Promise<ContentRow> {
      const created = await db.transaction(async (tx) => {
        await deps.limits.assertDocumentRoom(tx, values.tenantId, values.fileSize);
        const row = await createContentsRepo(tx).insert(values);
        await ingestion.enqueue(tx, values.tenantId, row.id);
        return row;
      });
      ingestion.wake();
      return created;
    },

    /** Points a document at new bytes and queues it again, in one transaction; its previous file is removed after the commit. */
    async replaceFile(existing: ContentRow, file: DocumentFile): Promise<void> {
      await db.transaction(async (tx) => {
        await ingestion.cancel(tx, existing.tenantId, existing.id);
        await createContentsRepo(tx).update(existing.tenantId, existing.id, { ...file, status: 'pending', failureCode: null, failureReason: null, failureMessage: null, processedAt: null });
        await ingestion.enqueue(tx, existing.tenantId, existing.id);
      });
      if (existing.storageKey !== file.storageKey) await storage.delete(existing.storageKey);
      ingestion.wake();
    },

    /**
     * Removes a document: its queued work, its chunks (counted out of the search statistics), its
     * row (page texts and vectors by cascade) and its file. `alongside` runs in the transaction
     * that deletes the row, while rows pointing at it still do. Undefined when there was none.
     */
    async remove(tenantId: string, id: string, alongside?: (tx: Database) => Promise<unknown>): Promise<ContentRow | undefined> {
      await ingestion.cancel(db, tenantId, id);
      await ingestion.unindex(db, tenantId, id);
      const deleted = await db.transaction(async (tx) => {
        await alongside?.(tx);
        return createContentsRepo(tx).delete(tenantId, id);
      });
      if (deleted) await storage.delete(deleted.storageKey);
      return deleted;
    },

    /** Removes stored bytes no document took (a refused upload or page). */
    discard: async (keys: readonly string[]): Promise<void> => void (await Promise.all(keys.map((key) => storage.delete(key)))),
  };
}

export type DocumentLifecycle = ReturnType<typeof createDocumentLifecycle>;
