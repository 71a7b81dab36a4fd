import { readFile } from 'node:fs/promises';
import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Text } from '../../../../http/language.js';
import { ExtractionError, corruptFile, describeCause, tooLarge, tooMuchText } from '../errors.js';
import type { ExtractedPage, ExtractionLimits, ExtractionResult } from '../types.js';
import { foldGlyphArtifacts } from './fold-glyph-artifacts.js';
import { loadPdfjs } from './load-pdfjs.js';
import { explainEmptyPdf, hasDamageWarnings, pageHasImages } from './explain-empty-pdf.js';
import { collectPdfjsWarnings } from './pdfjs-warnings.js';
import { layoutPageText } from './text-layout.js';
import type { PdfTextRun } from './text-layout.js';

/**
 * Reads the text of every page of a PDF with pdf.js (predefined CJK CMaps and standard fonts
 * from the package, no network, no eval). Pages without a text layer that hold images are read by
 * OCR (`ocrPages` lists them); pages still without text are left out of `pages`.
 */
export async function extractPdf(filePath: string, limits: ExtractionLimits): Promise<ExtractionResult> {
  const { pdfjs, assets, patchProblem } = await loadPdfjs();
  const bytes = new Uint8Array(await readFile(filePath));
  const looksTruncated = !hasEndOfFileMarker(bytes);
  const pdfjsWarnings = collectPdfjsWarnings();
  let document: PDFDocumentProxy;
  try {
    document = await pdfjs.getDocument({
      data: bytes,
      ...assets,
      cMapPacked: true,
      isEvalSupported: false,
      useSystemFonts: false,
      disableFontFace: true,
      enableXfa: false,
      stopAtErrors: false,
      verbosity: pdfjs.VerbosityLevel.WARNINGS,
    }).promise;
  } catch (error) {
    pdfjsWarnings.stop();
    throw explainOpenError(error, looksTruncated);
  }

  try {
    if (document.numPages > limits.maxPages) {
      throw tooLarge(
        {
          ja: `この PDF は ${document.numPages.toLocaleString('en-US')} ページあり、上限の ${limits.maxPages.toLocaleString('en-US')} ページを超えています。小さなファイルに分けてアップロードしてください。`,
          en: `This PDF has ${document.numPages.toLocaleString('en-US')} pages, more than the limit of ${limits.maxPages.toLocaleString('en-US')}; split it into smaller files.`,
        },
      );
    }
    const { pages: textPages, emptyPages, unreadablePages } = await readAllPages(document, limits);
    const warnings: Text[] = unreadablePages.map((page) => ({
      ja: `${page.number} ページ目は読み取れなかったため、飛ばしました（${page.cause}）。`,
      en: `Page ${page.number} could not be read and was skipped (${page.cause}).`,
    }));
    const ocr = await recognizeScannedPages(document, emptyPages, pdfjs.OPS, limits);
    warnings.push(...ocr.warnings);
    const pages = mergePages(textPages, ocr.pages);
    if (pages.length === 0) {
      throw await explainEmptyPdf(document, pdfjs.OPS, {
        allPagesFailed: unreadablePages.length === document.numPages,
        damageWarnings: pdfjsWarnings.messages,
        ocr: limits.ocrMaxPages === 0 ? { off: true } : { off: false, warnings: ocr.warnings },
      });
    }
    if (pages.reduce((sum, page) => sum + page.text.length, 0) > limits.maxTextChars) throw tooMuchText(limits.maxTextChars);
    if (hasDamageWarnings(pdfjsWarnings.messages)) {
      warnings.push({ ja: 'この PDF は一部が壊れています。読み取り時に修復しましたが、一部のテキストが欠けている可能性があります。', en: 'The PDF is partly damaged; it was repaired while reading, but some text may be missing.' });
    }
    if (patchProblem) {
      warnings.push({
        ja: `フォント情報のないフォントの日本語テキストが欠けている可能性があります（pdf.js の修正を適用できませんでした: ${patchProblem}）。`,
        en: `Japanese text in fonts without a descriptor may be missing (pdf.js fix not applied: ${patchProblem}).`,
      });
    }
    if (hasUndecodableText(pages)) {
      warnings.push({ ja: '文字の対応表がないフォントのテキストがあり、読めないか検索で見つからない可能性があります。', en: 'Some text uses fonts without a character map and may be unreadable or missing from search.' });
    }
    return { kind: 'pdf', pages, pageCount: document.numPages, warnings, ...(ocr.pages.length > 0 ? { ocrPages: ocr.pages.map((page) => page.page) } : {}) };
  } finally {
    pdfjsWarnings.stop();
    await document.destroy();
  }
}

/**
 * Pages without a text layer that hold images are read by OCR. tesseract.js (and its 20 MB of
 * WebAssembly and trained data) is loaded only then: a PDF with text never pays for it.
 */
async function recognizeScannedPages(document: PDFDocumentProxy, emptyPages: number[], ops: Record<string, number>, limits: ExtractionLimits) {
  if (emptyPages.length === 0 || limits.ocrMaxPages === 0) return { pages: [], warnings: [] };
  const { ocrPages } = await import('./ocr/ocr-pages.js');
  return ocrPages(document, emptyPages, (number) => pageHasImages(document, number, ops), limits);
}

function mergePages(textPages: ExtractedPage[], ocrPages: ExtractedPage[]): ExtractedPage[] {
  if (ocrPages.length === 0) return textPages;
  return [...textPages, ...ocrPages].sort((a, b) => a.page - b.page);
}

async function readAllPages(document: PDFDocumentProxy, limits: ExtractionLimits) {
  const pages: ExtractedPage[] = [];
  const emptyPages: number[] = [];
  const unreadablePages: { number: number; cause: string }[] = [];
  let characters = 0;
  for (let number = 1; number <= document.numPages; number++) {
    let text: string;
    try {
      text = await readPageText(document, number);
    } catch (error) {
      unreadablePages.push({ number, cause: describeCause(error) });
      continue;
    }
    characters += text.length;
    if (characters > limits.maxTextChars) throw tooMuchText(limits.maxTextChars);
    if (text.trim() !== '') pages.push({ page: number, text });
    else emptyPages.push(number);
  }
  return { pages, emptyPages, unreadablePages };
}

async function readPageText(document: PDFDocumentProxy, number: number): Promise<string> {
  const page = await document.getPage(number);
  try {
    const content = await page.getTextContent();
    const runs: PdfTextRun[] = [];
    for (const item of content.items) {
      if (!('str' in item)) continue; // marked-content boundaries carry no text
      const vertical = content.styles[item.fontName]?.vertical === true || item.dir === 'ttb';
      runs.push({ str: item.str, transform: item.transform, width: item.width, height: item.height, hasEOL: item.hasEOL, vertical });
    }
    return foldGlyphArtifacts(layoutPageText(runs));
  } finally {
    page.cleanup();
  }
}

function explainOpenError(error: unknown, looksTruncated: boolean): ExtractionError {
  const { name } = (error ?? {}) as { name?: string };
  // Uploads take no password: a protected PDF is refused with the way out.
  if (name === 'PasswordException') {
    return new ExtractionError(
      'PASSWORD_REQUIRED',
      { ja: 'この PDF はパスワードで保護されています。パスワードを外してからアップロードしてください。', en: 'This PDF is password-protected; upload it without a password.' },
      { detail: describeCause(error) },
    );
  }
  if (looksTruncated) {
    return corruptFile({ ja: 'ファイルが途中で切れています（アップロードかダウンロードの途中で切れた可能性があります）', en: 'the file is incomplete (it was probably cut off during upload or download)' }, describeCause(error));
  }
  if (name === 'InvalidPDFException') return corruptFile({ ja: '正しい PDF ではありません', en: 'it is not a valid PDF' }, describeCause(error));
  return corruptFile({ ja: 'PDF の構造が正しくありません', en: 'the PDF structure is invalid' }, describeCause(error));
}

/** A complete PDF ends with "%%EOF" (give or take trailing bytes some writers append). */
function hasEndOfFileMarker(bytes: Uint8Array): boolean {
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 2048))).toString('latin1');
  return tail.includes('%%EOF');
}

/** Private-use code points are what pdf.js returns for glyphs it cannot map to Unicode. */
function hasUndecodableText(pages: ExtractedPage[]): boolean {
  let privateUse = 0;
  let total = 0;
  for (const { text } of pages) {
    total += text.length;
    privateUse += text.match(/[\ue000-\uf8ff\ufffd]/g)?.length ?? 0;
  }
  return total > 0 && privateUse / total > 0.2;
}
