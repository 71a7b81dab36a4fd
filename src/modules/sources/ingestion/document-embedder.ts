import { textIn, type StoredText, type Text } from '../../../http/language.js';
import type { ContentRow } from '../contents/contents.repo.js';

/**
 * What ingestion needs to give a document its vectors: the embeddings module provides it, the
 * worker only calls it. Declared here, by the one who calls, so that ingestion does not depend on
 * how vectors are made.
 */
export interface DocumentEmbedder {
  /** Throws a transient error unless `lastAttempt`, so the job is retried later. */
  embedDocument(content: ContentRow, options: { signal?: AbortSignal; lastAttempt: boolean }): Promise<EmbedOutcome>;
}

export type EmbedOutcome =
  | { status: 'embedded'; model: string; vectors: number; ms: number }
  | { status: 'skipped'; reason: 'vectors-unavailable' | 'no-provider' }
  /** The document stays searchable by full text; `warning` says why it has no vectors. */
  | { status: 'failed'; warning: Text; ms: number };

/** How a document's warning about its missing vectors begins (in English), so a later one replaces it. */
export const VECTOR_WARNING_PREFIX = 'No vectors:';

/** The document's warnings with any earlier vector warning replaced by `warning` (or just removed). */
export function withVectorWarning(warnings: StoredText[], warning?: Text): StoredText[] {
  const others = warnings.filter((w) => !textIn(w, 'en').startsWith(VECTOR_WARNING_PREFIX));
  return warning ? [...others, warning] : others;
}
