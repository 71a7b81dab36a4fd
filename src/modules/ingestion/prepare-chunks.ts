import { chunkDocument, type ChunkingOptions } from '../../lib/text/chunk.js';
import { cleanPdfPages, type PageText } from '../../lib/text/normalize.js';
import { segmentForIndex } from '../../lib/text/search-text.js';
import type { FileKind } from './extract/types.js';

export interface ChunkingRequest extends ChunkingOptions {
  /** The document's title, indexed with every chunk (measured: +2 points hit@1 in Japanese). */
  title: string | null;
}

/** A chunk ready to insert: its text, where it came from, and the words to index. */
export interface PreparedChunk {
  chunkIndex: number;
  text: string;
  pageStart: number | null;
  pageEnd: number | null;
  charStart: number;
  charEnd: number;
  tokenCount: number;
  /** Input of to_tsvector('simple', …): title and text cut into words (Japanese has no spaces). */
  searchText: string;
}

/**
 * Clean → chunk → segment. CPU-heavy for big files (seconds for a 5 MB text), so it runs in the
 * extraction child process, never on the server's event loop.
 */
export function prepareChunks(kind: FileKind, pages: readonly PageText[], request: ChunkingRequest): PreparedChunk[] {
  const cleaned = kind === 'pdf' ? cleanPdfPages(pages) : pages;
  return chunkDocument(cleaned, request).map((c) => ({
    chunkIndex: c.index,
    text: c.text,
    // DOCX and TXT have no reliable pages: citing "page 1" for them would mislead.
    pageStart: kind === 'pdf' ? c.pageStart : null,
    pageEnd: kind === 'pdf' ? c.pageEnd : null,
    charStart: c.charStart,
    charEnd: c.charEnd,
    tokenCount: c.tokens,
    searchText: segmentForIndex([request.title ?? '', c.text].join('\n')),
  }));
}
