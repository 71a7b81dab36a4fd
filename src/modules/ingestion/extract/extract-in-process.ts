import { extractDocx } from './docx/extract-docx.js';
import { extractHtml } from './html/extract-html.js';
import { extractMarkdown } from './markdown/extract-markdown.js';
import { extractPdf } from './pdf/extract-pdf.js';
import { extractPptx } from './pptx/extract-pptx.js';
import { extractCsv } from './table/extract-csv.js';
import { extractTxt } from './txt/extract-txt.js';
import { extractXlsx } from './xlsx/extract-xlsx.js';
import type { ExtractionLimits, ExtractionResult, FileKind } from './types.js';

/**
 * Runs the parser for `kind` in the current process. Only the worker process calls this:
 * everyone else goes through extractFile, which adds the time and memory limits.
 */
export function extractInProcess(filePath: string, kind: FileKind, limits: ExtractionLimits): Promise<ExtractionResult> {
  switch (kind) {
    case 'pdf':
      return extractPdf(filePath, limits);
    case 'docx':
      return extractDocx(filePath, limits);
    case 'txt':
      return extractTxt(filePath, limits);
    case 'md':
      return extractMarkdown(filePath, limits);
    case 'html':
      return extractHtml(filePath, limits);
    case 'csv':
      return extractCsv(filePath, limits);
    case 'xlsx':
      return extractXlsx(filePath, limits);
    case 'pptx':
      return extractPptx(filePath, limits);
  }
}
