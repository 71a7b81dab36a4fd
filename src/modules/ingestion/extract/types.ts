import type { Text } from '../../../http/language.js';
import type { ChunkingRequest, PreparedChunk } from '../prepare-chunks.js';
/** The document formats Shiori can index. */
export type FileKind = 'pdf' | 'docx' | 'txt';

/** Text of one page. `page` is 1-based; DOCX and TXT are one page numbered 1. */
export interface ExtractedPage {
  page: number;
  text: string;
}

export interface ExtractionResult {
  kind: FileKind;
  /** Pages that have text, in order. Pages without text are left out, so `page` numbers can skip. */
  pages: ExtractedPage[];
  /** Pages in the document (PDF), or 1 for DOCX and TXT. */
  pageCount: number;
  /** TXT only: the character encoding that was detected, e.g. `utf-8`, `shift_jis`. */
  encoding?: string;
  /** Things the reader recovered from or skipped; for logs and the admin UI, never fatal. */
  warnings: Text[];
  /**
   * When `chunking` was asked for: the document's chunks, made in the child process (and `pages`
   * then holds each page cleaned as it was chunked, the text stored for reading it back).
   */
  chunks?: PreparedChunk[];
  /** Time spent chunking in the child process, in milliseconds. */
  chunkMs?: number;
}

export type ExtractionFailure = 'NO_TEXT' | 'PASSWORD_REQUIRED' | 'CORRUPT' | 'TOO_LARGE' | 'TIMEOUT' | 'UNSUPPORTED';

export interface ExtractionLimits {
  /** PDFs with more pages are refused before any text is read. */
  maxPages: number;
  /** DOCX: the sum of the zip entries' uncompressed sizes (zip-bomb guard). */
  maxDecompressedBytes: number;
  /** DOCX: entries in the zip (a real .docx has a few dozen; thousands means something is off). */
  maxZipEntries: number;
  /** Wall-clock time for the whole extraction, including starting the worker process. */
  timeoutMs: number;
  /** V8 heap of the worker process; its resident memory may be this plus max(this, 512 MB), no more. */
  maxMemoryMb: number;
  /** Extracted characters over all pages; beyond this the file is refused rather than cut. */
  maxTextChars: number;
}

export const defaultExtractionLimits: ExtractionLimits = Object.freeze({
  maxPages: 2000,
  maxDecompressedBytes: 500 * 1024 * 1024,
  maxZipEntries: 10_000,
  timeoutMs: 120_000,
  maxMemoryMb: 1024,
  maxTextChars: 20_000_000,
});

export interface ExtractOptions {
  /** Aborting kills the worker process, e.g. on shutdown; the promise rejects with TIMEOUT. */
  signal?: AbortSignal;
  /** Called with the worker's process id once it is started (for logs and tests). */
  onWorkerStarted?: (pid: number) => void;
  /** Also clean, chunk and segment the text in the child process (see prepareChunks). */
  chunking?: ChunkingRequest;
}
