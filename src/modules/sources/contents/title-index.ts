// The title is indexed with every chunk (`${title}\n${text}`, see ../extract/prepare-chunks.ts),
// so renaming a document re-indexes its chunks' words; their text and vectors' passages stay.
import { chunkSearchText } from '../extract/prepare-chunks.js';
import type { DocumentTextRepo } from './document-text.repo.js';

/** Chunks segmented between two yields: ~10 ms of work, so requests keep being served. */
const SLICE = 200;

/**
 * The indexed words of each chunk under `title`. Segmenting is CPU work (a second for thousands of
 * chunks): it is done in slices before any transaction opens, never inside one.
 */
export async function searchTextsUnder(title: string | null, rows: ReadonlyArray<{ id: string; text: string }>): Promise<Array<{ id: string; searchText: string }>> {
  const out: Array<{ id: string; searchText: string }> = [];
  for (let i = 0; i < rows.length; i += SLICE) {
    for (const row of rows.slice(i, i + SLICE)) out.push({ id: row.id, searchText: chunkSearchText(title, row.text) });
    await new Promise((resolve) => setImmediate(resolve));
  }
  return out;
}

/** Re-indexes a document's chunks under `title` (outside a transaction: ingestion's catch-up). */
export async function reindexUnderTitle(text: DocumentTextRepo, tenantId: string, contentId: string, title: string | null): Promise<void> {
  await text.setSearchTexts(tenantId, contentId, await searchTextsUnder(title, await text.chunkTexts(tenantId, contentId)));
}
