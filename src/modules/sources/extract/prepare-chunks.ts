import { chunkDocument, type ChunkingOptions } from '../../../lib/text/chunk.js';
import { cleanPdfPages, cleanText, type PageText } from '../../../lib/text/normalize.js';
import { segmentForIndex } from '../../../lib/text/search-text.js';
import type { FileKind } from './types.js';

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

/** What a document is stored as: its pages as they were chunked (for reading back) and its chunks. */
export interface PreparedDocument {
  /** Each page's text as the document text has it (cleaned, characters kept); '' for an emptied page. */
  pages: PageText[];
  chunks: PreparedChunk[];
}

/**
 * The text indexed for a chunk: title and text cut into words. Also used when only the title
 * changes, so a renamed document is found by its new title without being read again.
 */
export const chunkSearchText = (title: string | null, text: string) => segmentForIndex([title ?? '', text].join('\n'));

const KINDS_WITH_PAGES: ReadonlySet<FileKind> = new Set(['pdf', 'xlsx', 'pptx']);

/**
 * Clean → chunk → segment. CPU-heavy for big files (seconds for a 5 MB text), so it runs in the
 * extraction child process, never on the server's event loop.
 */
export function prepareDocument(kind: FileKind, pages: readonly PageText[], request: ChunkingRequest): PreparedDocument {
  // cleanText per page is what documentText does before chunking: the stored pages are exactly
  // the pieces chunk offsets point into.
  const cleaned = (kind === 'pdf' ? cleanPdfPages(pages) : pages).map((p) => ({ page: p.page, text: cleanText(p.text) }));
  const chunks = chunkDocument(cleaned, request, { pagesApart: kind === 'xlsx' || kind === 'pptx' }).map((c) => ({
    chunkIndex: c.index,
    text: c.text,
    // Only PDF pages, XLSX sheets and PPTX slides are real places in the file; the other kinds
    // are one "page 1", and citing it would mislead.
    pageStart: KINDS_WITH_PAGES.has(kind) ? c.pageStart : null,
    pageEnd: KINDS_WITH_PAGES.has(kind) ? c.pageEnd : null,
    charStart: c.charStart,
    charEnd: c.charEnd,
    tokenCount: c.tokens,
    searchText: chunkSearchText(request.title, c.text),
  }));
  return { pages: cleaned, chunks };
}

/** The chunks of prepareDocument alone. */
export const prepareChunks = (kind: FileKind, pages: readonly PageText[], request: ChunkingRequest): PreparedChunk[] => prepareDocument(kind, pages, request).chunks;
