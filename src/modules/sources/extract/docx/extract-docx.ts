import type { Text } from '../../../../http/language.js';
import mammoth from 'mammoth';
import { corruptFile, describeCause, noTextFound, tooMuchText } from '../errors.js';
import type { ExtractionLimits, ExtractionResult } from '../types.js';
import { mammothHtmlToText } from './html-to-text.js';
import { assertSafeOfficeZip, officeFormats } from '../office/zip-guard.js';

const MAX_WARNINGS = 20;

/**
 * Reads a Word document. The zip is inspected first (zip bombs, zip slip, DTDs); mammoth then
 * converts it to HTML — not raw text, which drops footnotes, list markers and table
 * structure — and the HTML is rendered to plain text. One page numbered 1: Word decides page
 * breaks only when it lays the document out, so page numbers from the file would be wrong.
 */
export async function extractDocx(filePath: string, limits: ExtractionLimits): Promise<ExtractionResult> {
  await assertSafeOfficeZip(filePath, limits, officeFormats.docx);

  let conversion: Awaited<ReturnType<typeof mammoth.convertToHtml>>;
  try {
    conversion = await mammoth.convertToHtml(
      { path: filePath },
      // Images are counted, not kept: inlining them as base64 would only cost memory.
      { convertImage: mammoth.images.imgElement(async () => ({ src: '' })) },
    );
  } catch (error) {
    throw corruptFile(explainMammothError(error), describeCause(error));
  }

  const { text, imageCount } = mammothHtmlToText(conversion.value);
  if (text.length > limits.maxTextChars) throw tooMuchText(limits.maxTextChars);
  if (text.trim() === '') {
    throw noTextFound(
      imageCount > 0
        ? { ja: 'この Word 文書には画像しかなく、テキストがありません。文字認識（OCR）にはまだ対応していません。', en: 'This Word document contains only images, no text; text recognition (OCR) is not supported yet.' }
        : { ja: 'この Word 文書は空です。登録するテキストがありません。', en: 'This Word document is empty; there is no text to index.' },
    );
  }
  const warnings = conversion.messages
    .filter((message) => message.type === 'warning' || message.type === 'error')
    .slice(0, MAX_WARNINGS)
    // The converter's own words (mammoth), in English; the Japanese says where they come from.
    .map((message) => ({ ja: `Word 文書の変換時の注意: ${message.message}`, en: message.message }));
  return { kind: 'docx', pages: [{ page: 1, text }], pageCount: 1, warnings };
}

function explainMammothError(error: unknown): Text {
  const message = describeCause(error);
  if (/main document part/i.test(message)) return { ja: 'zip ファイルですが Word 文書ではありません（本文のパートがありません）', en: 'it is a zip file but not a Word document (no main document part)' };
  if (/xmldom|xml/i.test(message)) return { ja: '中の XML の形式が正しくありません', en: 'its XML content is malformed' };
  return { ja: 'Word 文書の構造が正しくありません', en: 'the Word document structure is invalid' };
}
