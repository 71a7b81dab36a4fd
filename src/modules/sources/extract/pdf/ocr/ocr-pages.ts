import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Text } from '../../../../../http/language.js';
import { describeCause } from '../../errors.js';
import type { ExtractedPage, ExtractionLimits } from '../../types.js';
import { cleanOcrText } from './clean-ocr-text.js';
import { startOcrEngine, type OcrEngine } from './ocr-engine.js';
import { renderPageImage } from './render-page.js';

/** Pixels per rendered page at most: A4 at 300 dpi is 8.7 M, so only pages larger than A3-ish come out coarser. */
const MAX_PIXELS = 12_000_000;

export interface OcrOutcome {
  /** The pages OCR found text on, in order. */
  pages: ExtractedPage[];
  warnings: Text[];
}

/**
 * Reads the pages without a text layer that hold images (scans) by OCR, within the limits: at most
 * `ocrMaxPages` pages, `ocrPageTimeoutMs` each and `ocrTimeoutMs` in all. A page over its time,
 * or one that fails, is skipped with a warning; the document is never failed for it.
 */
export async function ocrPages(
  document: PDFDocumentProxy,
  emptyPages: number[],
  isScanned: (page: number) => Promise<boolean>,
  limits: ExtractionLimits,
  engine?: OcrEngine,
): Promise<OcrOutcome> {
  const warnings: Text[] = [];
  // Only pages with images are read: a page that is blank in the PDF itself has nothing to recognise.
  const toRead: number[] = [];
  let position = 0;
  for (; position < emptyPages.length && toRead.length < limits.ocrMaxPages; position++) {
    if (await isScanned(emptyPages[position]!)) toRead.push(emptyPages[position]!);
  }
  const notRead = emptyPages.slice(position);
  if (notRead.length > 0) {
    warnings.push({
      ja: `文字認識（OCR）は上限の ${limits.ocrMaxPages} ページまで行いました。文字のない ${pageList(notRead)} ページ目は読み取っていません。`,
      en: `Text recognition (OCR) read ${limits.ocrMaxPages} pages, the limit; page${notRead.length > 1 ? 's' : ''} ${pageList(notRead)} without text ${notRead.length > 1 ? 'were' : 'was'} not read.`,
    });
  }
  const pages: ExtractedPage[] = [];
  if (toRead.length === 0) return { pages, warnings };

  const deadline = performance.now() + limits.ocrTimeoutMs;
  const ocr = engine ?? (await startOcrEngine());
  try {
    for (const [index, number] of toRead.entries()) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) {
        const seconds = limits.ocrTimeoutMs / 1000;
        const left = toRead.slice(index);
        warnings.push({
          ja: `文字認識（OCR）の合計時間が上限の ${seconds} 秒に達したため、${pageList(left)} ページ目は読み取っていません。`,
          en: `Text recognition (OCR) reached its total limit of ${seconds} seconds; page${left.length > 1 ? 's' : ''} ${pageList(left)} ${left.length > 1 ? 'were' : 'was'} not read.`,
        });
        break;
      }
      const timeoutMs = Math.min(limits.ocrPageTimeoutMs, remaining);
      try {
        const text = await readPage(document, number, ocr, { timeoutMs, dpi: limits.ocrDpi });
        if (text === 'timeout') {
          const seconds = Math.round(timeoutMs / 100) / 10;
          warnings.push({
            ja: `${number} ページ目の文字認識（OCR）が上限の ${seconds} 秒を超えたため、このページは飛ばしました。`,
            en: `Text recognition (OCR) of page ${number} took longer than the limit of ${seconds} seconds; the page was skipped.`,
          });
        } else if (text !== '') {
          pages.push({ page: number, text });
        }
      } catch (error) {
        warnings.push({
          ja: `${number} ページ目は文字認識（OCR）できなかったため、飛ばしました（${describeCause(error)}）。`,
          en: `Text recognition (OCR) of page ${number} failed and the page was skipped (${describeCause(error)}).`,
        });
      }
    }
  } finally {
    if (!engine) await ocr.close();
  }
  return { pages, warnings };
}

async function readPage(document: PDFDocumentProxy, number: number, ocr: OcrEngine, options: { timeoutMs: number; dpi: number }): Promise<string | 'timeout'> {
  const started = performance.now();
  const page = await document.getPage(number);
  try {
    const { png } = await renderPageImage(page, { dpi: options.dpi, maxPixels: MAX_PIXELS });
    const text = await ocr.read(png, Math.max(1, options.timeoutMs - (performance.now() - started)));
    return text === 'timeout' ? text : cleanOcrText(text);
  } finally {
    page.cleanup();
  }
}

/** [3, 4, 5, 9] → "3–5, 9"; long lists end in "…". */
export function pageList(numbers: number[]): string {
  const ranges: string[] = [];
  for (let i = 0; i < numbers.length; ) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j]! + 1) j++;
    ranges.push(j > i ? `${numbers[i]}–${numbers[j]}` : `${numbers[i]}`);
    i = j + 1;
  }
  return ranges.length > 10 ? `${ranges.slice(0, 10).join(', ')}, …` : ranges.join(', ');
}
