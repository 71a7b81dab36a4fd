import type { Database } from '../../../db/client.js';
import type { TenantSettings } from '../../../db/schema.js';
import { createContentsRepo, type ContentRow } from '../contents/contents.repo.js';
import { createDocumentTextRepo } from '../contents/document-text.repo.js';
import type { FileStorage } from '../contents/storage/file-storage.js';
import { createSearchIndex } from '../../retrieval/search-index.js';
import { chunkingFor } from '../../tenants/tenant-settings.js';
import { withVectorWarning, type DocumentEmbedder } from './document-embedder.js';
import { reindexUnderTitle } from './title-index.js';
import { ExtractionError, extractFile, type ExtractionLimits } from '../extract/index.js';

export interface IngestionDeps {
  db: Database;
  storage: FileStorage;
  limits?: Partial<ExtractionLimits>;
  /** Computes the chunks' vectors when the tenant has an embedding key and pgvector is there. */
  embedder?: DocumentEmbedder;
}

export interface IngestRun {
  signal: AbortSignal;
  /** The job will not be retried: a transient embedding failure then leaves a warning instead. */
  lastAttempt: boolean;
}

/**
 * Extract and chunk (in a child process) → index → embed one document. Safe to run again on the same document:
 * its chunks (and with them their vectors) are replaced, never added to. Throws ExtractionError
 * for documents that cannot be read, and a transient EmbeddingError so the job is retried.
 */
export async function ingestDocument(deps: IngestionDeps, content: ContentRow, settings: TenantSettings, run: IngestRun): Promise<void> {
  const { signal } = run;
  const contents = createContentsRepo(deps.db);
  const started = performance.now();
  const queuedMs = Date.now() - content.updatedAt.getTime();
  await contents.update(content.tenantId, content.id, { status: 'processing', processingStartedAt: new Date() });

  // Parsing and chunking both happen in the child process: the server's event loop stays free.
  const chunking = { ...chunkingFor(settings), title: content.title };
  const extraction = await deps.storage.withLocalFile(content.storageKey, (path) => extractFile(path, content.fileType, deps.limits, { signal, chunking }));
  const rows = extraction.chunks ?? [];
  if (rows.length === 0) throw new ExtractionError('NO_TEXT', { ja: 'ファイルに登録するテキストがありません。', en: 'The file contains no text to index.' });
  const chunked = performance.now();
  signal.throwIfAborted();

  // Replaced in short statements rather than one transaction: on PGlite a long statement stalls
  // every request. Still safe: search reads only completed documents, and a crashed run is re-run
  // from the removal, so chunks are never duplicated.
  const index = createSearchIndex(deps.db);
  await index.removeDocument(content.tenantId, content.id);
  await index.addChunks(content.tenantId, content.id, rows);
  await createDocumentTextRepo(deps.db).replacePages(content.tenantId, content.id, extraction.pages, extraction.pageCount, extraction.ocrPages);
  // Renamed while it was being read: the chunks were indexed under the old title.
  const now = await contents.find(content.tenantId, content.id);
  if (now && now.title !== content.title) await reindexUnderTitle(deps.db, content.tenantId, content.id, now.title);
  const indexed = performance.now();

  // Before "completed", so a completed document is searchable by vectors at once. Failing to
  // embed never fails the document: full-text search works without vectors.
  const embedding = await deps.embedder?.embedDocument(now ?? content, { signal, lastAttempt: run.lastAttempt });
  const embedded = performance.now();

  await contents.update(content.tenantId, content.id, {
    status: 'completed',
    failureCode: null,
    failureReason: null,
    failureMessage: null,
    pageCount: extraction.pageCount,
    pageLabels: extraction.pageLabels ?? null,
    chunkCount: rows.length,
    encoding: extraction.encoding ?? null,
    ocrPages: extraction.ocrPages ?? [],
    warnings: withVectorWarning(extraction.warnings, embedding?.status === 'failed' ? embedding.warning : undefined),
    processedAt: new Date(),
    timings: {
      queued_ms: Math.max(0, queuedMs),
      extract_ms: Math.round(chunked - started - (extraction.chunkMs ?? 0)),
      chunk_ms: extraction.chunkMs ?? 0,
      index_ms: Math.round(indexed - chunked),
      ...(embedding && embedding.status !== 'skipped' ? { embed_ms: Math.round(embedded - indexed) } : {}),
      total_ms: Math.round(embedded - started),
    },
  });
}
