import type { FileType } from '../../../db/enums.js';
import type { Text } from '../../../http/language.js';
import type { ChunkingRequest, PreparedChunk } from './prepare-chunks.js';
/** The document formats Shiori can index (the `contents.file_type` values). */
export type FileKind = FileType;

/**
 * Text of one page. `page` is 1-based: the PDF page, the XLSX sheet (in workbook order, its name
 * the page's first line) or the PPTX slide; DOCX, TXT, Markdown, HTML and CSV are one page numbered 1.
 */
export interface ExtractedPage {
  page: number;
  text: string;
}

export interface ExtractionResult {
  kind: FileKind;
  /** Pages that have text, in order. Pages without text are left out, so `page` numbers can skip. */
  pages: ExtractedPage[];
  /** PDF: the pages whose text was read by OCR (scanned pages without a text layer), in order. */
  ocrPages?: number[];
  /** Pages in the document (PDF), sheets (XLSX), slides (PPTX), or 1 for the other kinds. */
  pageCount: number;
  /** XLSX: each sheet's name, by page (index 0 is page 1), for citations that name the sheet. */
  pageLabels?: string[];
  /** Text files only (TXT, Markdown, HTML, CSV): the character encoding that was detected, e.g. `utf-8`, `shift_jis`. */
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
  /** PDFs with more pages (XLSX with more sheets, PPTX with more slides) are refused before any text is read. */
  maxPages: number;
  /** DOCX, XLSX, PPTX: the sum of the zip entries' uncompressed sizes (zip-bomb guard). */
  maxDecompressedBytes: number;
  /** DOCX, XLSX, PPTX: entries in the zip (a real file has a few dozen to hundreds; thousands means something is off). */
  maxZipEntries: number;
  /** Wall-clock time for the whole extraction, including starting the worker process. */
  timeoutMs: number;
  /** V8 heap of the worker process; its resident memory may be this plus max(this, 512 MB), no more. */
  maxMemoryMb: number;
  /** Extracted characters over all pages; beyond this the file is refused rather than cut. */
  maxTextChars: number;
  /** PDF pages without a text layer read by OCR, at most (the rest are named in a warning); 0 turns OCR off. */
  ocrMaxPages: number;
  /** OCR of one page; a page that takes longer is skipped with a warning. */
  ocrPageTimeoutMs: number;
  /** OCR of all pages of a document; keep it under `timeoutMs`, so the text pages still come back. */
  ocrTimeoutMs: number;
  /** Resolution pages are rendered at for OCR (capped at 12 M pixels a page). */
  ocrDpi: number;
}

export const defaultExtractionLimits: ExtractionLimits = Object.freeze({
  maxPages: 2000,
  maxDecompressedBytes: 500 * 1024 * 1024,
  maxZipEntries: 10_000,
  timeoutMs: 120_000,
  maxMemoryMb: 1024,
  maxTextChars: 20_000_000,
  ocrMaxPages: 50,
  ocrPageTimeoutMs: 30_000,
  ocrTimeoutMs: 90_000,
  ocrDpi: 300,
});

export interface ExtractOptions {
  /** Aborting kills the worker process, e.g. on shutdown; the promise rejects with TIMEOUT. */
  signal?: AbortSignal;
  /** Called with the worker's process id once it is started (for logs and tests). */
  onWorkerStarted?: (pid: number) => void;
  /** Also clean, chunk and segment the text in the child process (see prepareChunks). */
  chunking?: ChunkingRequest;
}
