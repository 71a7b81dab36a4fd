import type { ExtractionLimits, ExtractionResult, FileKind } from './types.js';

type Parser = (filePath: string, limits: ExtractionLimits) => Promise<ExtractionResult>;

/**
 * Each parser is loaded when its kind is asked for: the worker is a fresh process per file, and
 * loading every parser (exceljs, linkedom, pdf.js…) took 1.4–2.1 s before any reading began.
 */
const parsers: Record<FileKind, () => Promise<Parser>> = {
  pdf: async () => (await import('./pdf/extract-pdf.js')).extractPdf,
  docx: async () => (await import('./docx/extract-docx.js')).extractDocx,
  txt: async () => (await import('./txt/extract-txt.js')).extractTxt,
  md: async () => (await import('./markdown/extract-markdown.js')).extractMarkdown,
  html: async () => (await import('./html/extract-html.js')).extractHtml,
  csv: async () => (await import('./table/extract-csv.js')).extractCsv,
  xlsx: async () => (await import('./xlsx/extract-xlsx.js')).extractXlsx,
  pptx: async () => (await import('./pptx/extract-pptx.js')).extractPptx,
};

/**
 * Runs the parser for `kind` in the current process. Only the worker process calls this:
 * everyone else goes through extractFile, which adds the time and memory limits.
 */
export async function extractInProcess(filePath: string, kind: FileKind, limits: ExtractionLimits): Promise<ExtractionResult> {
  return (await parsers[kind]())(filePath, limits);
}
