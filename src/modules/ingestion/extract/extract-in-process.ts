import { extractDocx } from './docx/extract-docx.js';
import { extractPdf } from './pdf/extract-pdf.js';
import { extractTxt } from './txt/extract-txt.js';
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
  }
}
