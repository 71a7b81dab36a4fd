import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
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
 * A PDF with no text is a scan (pages are images: tell the user about OCR), a damaged file
 * (pdf.js had to repair it and found nothing: say so), or blank.
 */
export async function explainEmptyPdf(
  document: PDFDocumentProxy,
  ops: Ops,
  facts: { allPagesFailed: boolean; damageWarnings: string[] },
): Promise<ExtractionError> {
  if (facts.allPagesFailed) return corruptFile({ ja: 'どのページも読み取れませんでした', en: 'none of its pages could be read' });
  if (await hasImages(document, ops)) {
    return noTextFound(
      {
        ja: 'この PDF には画像（スキャンしたページ）しかありません。文字認識（OCR）にはまだ対応していないため、テキストを含む PDF（OCR 済みのものなど）をアップロードしてください。',
        en: 'This PDF contains only images (scanned pages); text recognition (OCR) is not supported yet.',
      },
    );
  }
  const damage = facts.damageWarnings.find((message) => DAMAGE.test(message));
  if (damage) return corruptFile({ ja: 'ページの内容を復号できませんでした', en: 'the content of its pages could not be decoded' }, damage);
  return noTextFound({ ja: 'この PDF にはテキストがありません（白紙か図形だけのページです）。登録する内容がありません。', en: 'This PDF contains no text (its pages are blank or contain only drawings); there is nothing to index.' });
}

async function hasImages(document: PDFDocumentProxy, ops: Ops): Promise<boolean> {
  const imageOps = new Set(IMAGE_OPERATORS.map((name) => ops[name]).filter((op) => op !== undefined));
  for (let number = 1; number <= Math.min(document.numPages, PAGES_TO_SAMPLE); number++) {
    try {
      const page = await document.getPage(number);
      const operators = await page.getOperatorList();
      page.cleanup();
      if (operators.fnArray.some((op) => imageOps.has(op))) return true;
    } catch {
      // An unreadable page is no evidence either way.
    }
  }
  return false;
}
