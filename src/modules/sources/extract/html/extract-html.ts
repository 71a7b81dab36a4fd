import { htmlToMainText } from '../../../../lib/html/main-text.js';
import { noTextFound, tooMuchText } from '../errors.js';
import { readTextFile } from '../txt/extract-txt.js';
import type { ExtractionLimits, ExtractionResult } from '../types.js';

/**
 * Reads a saved web page: only its main content (htmlToMainText: Readability over linkedom,
 * navigation, header, footer and sidebars dropped), the page title first as its heading.
 * One page numbered 1.
 */
export async function extractHtml(filePath: string, limits: ExtractionLimits): Promise<ExtractionResult> {
  const { text: source, encoding, warnings } = await readTextFile(filePath, limits);
  const { title, text: body } = htmlToMainText(source);
  // The title names the page (often "規程 | 会社名"); it goes first unless the content already starts with it.
  const text = title && !body.startsWith(title) ? `${title}\n\n${body}`.trim() : body;
  if (text.length > limits.maxTextChars) throw tooMuchText(limits.maxTextChars);
  if (body.trim() === '') throw noTextFound({ ja: 'この HTML ファイルには本文がありません。', en: 'This HTML file has no main content to index.' });
  return { kind: 'html', pages: [{ page: 1, text }], pageCount: 1, encoding, warnings };
}
