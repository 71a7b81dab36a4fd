import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Text } from '../../../../http/language.js';
import type { ExtractionError } from '../errors.js';
import { corruptFile, noTextFound } from '../errors.js';

type Ops = Record<string, number>;

/** pdf.js warnings that mean the file's bytes are damaged, as opposed to unusual but valid. */
const DAMAGE = /Indexing all PDF objects|Invalid stream|FormatError|Bad (FCHECK|FDICT)|unknown compression method|invalid (block|code|stored)|Invalid XRef|bad XRef|Unterminated string|End of file inside/i;
/** Pages looked at for images: enough to recognise a scan without decoding a whole book of them. */
const PAGES_TO_SAMPLE = 3;
const IMAGE_OPERATORS = [
  'paintImageXObject',
  'paintInlineImageXObject',
  'paintInlineImageXObjectGroup',
  'paintImageXObjectRepeat',
  'paintImageMaskXObject',
  'paintImageMaskXObjectGroup',
  'paintImageMaskXObjectRepeat',
  'paintSolidColorImageMask',
];

export function hasDamageWarnings(messages: string[]): boolean {
  return messages.some((message) => DAMAGE.test(message));
}

/**
 * A PDF with no text, after OCR, is a scan OCR found nothing in (or OCR is off), a damaged file
 * (pdf.js had to repair it and found nothing: say so), or blank.
 */
export async function explainEmptyPdf(
  document: PDFDocumentProxy,
  ops: Ops,
  facts: { allPagesFailed: boolean; damageWarnings: string[]; ocr: { off: true } | { off: false; warnings: Text[] } },
): Promise<ExtractionError> {
  if (facts.allPagesFailed) return corruptFile({ ja: 'どのページも読み取れませんでした', en: 'none of its pages could be read' });
  if (await hasImages(document, ops)) return scanWithoutText(facts.ocr);
  const damage = facts.damageWarnings.find((message) => DAMAGE.test(message));
  if (damage) return corruptFile({ ja: 'ページの内容を復号できませんでした', en: 'the content of its pages could not be decoded' }, damage);
  return noTextFound({ ja: 'この PDF にはテキストがありません（白紙か図形だけのページです）。登録する内容がありません。', en: 'This PDF contains no text (its pages are blank or contain only drawings); there is nothing to index.' });
}

/** Only images, and OCR off, or OCR found no text in them (or ran out of time: its warning says so). */
function scanWithoutText(ocr: { off: true } | { off: false; warnings: Text[] }): ExtractionError {
  if (ocr.off) {
    return noTextFound({
      ja: 'この PDF には画像（スキャンしたページ）しかなく、このサーバーでは文字認識（OCR）が無効になっています（OCR_MAX_PAGES=0）。テキストを含む PDF をアップロードしてください。',
      en: 'This PDF contains only images (scanned pages), and text recognition (OCR) is turned off on this server (OCR_MAX_PAGES=0); upload a PDF with text.',
    });
  }
  const why = ocr.warnings[0];
  return noTextFound({
    ja: `この PDF には画像（スキャンしたページ）しかなく、文字認識（OCR）でも文字が見つかりませんでした${why ? `（${why.ja}）` : '。白紙か、文字が小さすぎるかかすれている可能性があります'}。`,
    en: `This PDF contains only images (scanned pages), and text recognition (OCR) found no text in them${why ? ` (${why.en})` : ': they may be blank, or the text too small or faint to read'}.`,
  });
}

async function hasImages(document: PDFDocumentProxy, ops: Ops): Promise<boolean> {
  for (let number = 1; number <= Math.min(document.numPages, PAGES_TO_SAMPLE); number++) {
    if (await pageHasImages(document, number, ops)) return true;
  }
  return false;
}

/** Whether the page draws an image (a scan is one); decoding the operator list is cheap next to OCR. */
export async function pageHasImages(document: PDFDocumentProxy, number: number, ops: Ops): Promise<boolean> {
  const imageOps = new Set(IMAGE_OPERATORS.map((name) => ops[name]).filter((op) => op !== undefined));
  try {
    const page = await document.getPage(number);
    const operators = await page.getOperatorList();
    page.cleanup();
    return operators.fnArray.some((op) => imageOps.has(op));
  } catch {
    return false; // An unreadable page is no evidence either way.
  }
}
