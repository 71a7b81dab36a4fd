// The title is indexed with every chunk (`${title}\n${text}`, `chunkSearchText` in
// ../extract/prepare-chunks.ts), so renaming a document re-indexes its chunks' words; their text
// and the vectors' passages stay.
import type { Database } from '../../../db/client.js';
import { createSearchIndex } from '../../retrieval/search-index.js';
import { createDocumentTextRepo } from '../contents/document-text.repo.js';
import { chunkSearchText } from '../extract/prepare-chunks.js';

/** Chunks segmented between two yields: ~10 ms of work, so requests keep being served. */
const SLICE = 200;

/**
 * The indexed words of each chunk under `title`. Segmenting is CPU work (a second for thousands of
 * chunks): it is done in slices before any transaction opens, never inside one.
 */
async function searchTextsUnder(title: string | null, rows: ReadonlyArray<{ id: string; text: string }>): Promise<Array<{ id: string; searchText: string }>> {
  const out: Array<{ id: string; searchText: string }> = [];
  for (let i = 0; i < rows.length; i += SLICE) {
    for (const row of rows.slice(i, i + SLICE)) out.push({ id: row.id, searchText: chunkSearchText(title, row.text) });
    await new Promise((resolve) => setImmediate(resolve));
  }
  return out;
}

/**
 * Segments a document's chunks under `title` now (outside any transaction) and returns the write
 * of their new words, for the caller's transaction: the rename and its words commit together.
 */
export async function prepareTitleIndex(db: Database, tenantId: string, contentId: string, title: string | null): Promise<(tx: Database) => Promise<void>> {
  const rows = await searchTextsUnder(title, await createDocumentTextRepo(db).chunkTexts(tenantId, contentId));
  return (tx) => createSearchIndex(tx).setSearchTexts(tenantId, contentId, rows);
}

/** Re-indexes a document's chunks under `title` (outside a transaction: ingestion's catch-up). */
export async function reindexUnderTitle(db: Database, tenantId: string, contentId: string, title: string | null): Promise<void> {
  await (await prepareTitleIndex(db, tenantId, contentId, title))(db);
}
