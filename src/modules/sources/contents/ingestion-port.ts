import type { Database } from '../../../db/client.js';
import type { FileType } from '../../../db/enums.js';
import type { Text } from '../../../http/language.js';

/**
 * What documents hand to ingestion (built by ../ingestion/ingestion-queue.ts): the check of a
 * file's real type, the queue of work, and every write of a document's chunks — contents reads
 * chunks but never writes them.
 */
export interface IngestionPort {
  fileType(path: string, fileName: string): Promise<{ kind: FileType | null; reason?: Text }>;
  /** Queues reading the document, in the caller's transaction. */
  enqueue(tx: Database, tenantId: string, contentId: string): Promise<unknown>;
  /** Drops the document's queued or running work. */
  cancel(tx: Database, tenantId: string, contentId: string): Promise<unknown>;
  /** Removes the document's chunks, keeping the search statistics; before its row goes (a cascade would not count them out). */
  unindex(db: Database, tenantId: string, contentId: string): Promise<void>;
  /** Prepares the chunks' words under a new title (CPU work, done now) and returns their write, for the rename's transaction. */
  retitle(db: Database, tenantId: string, contentId: string, title: string | null): Promise<(tx: Database) => Promise<void>>;
  /** After the commit: starts the work at once rather than at the next poll. */
  wake(): void;
}
