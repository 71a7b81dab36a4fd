// Two forms of text. cleanText repairs extraction artefacts and keeps the document's characters:
// it is what is stored, chunked, cited and quoted. normalizeText also folds characters (NFKC), so
// that the same words look the same to every matching step (search index, question terms,
// sentence scoring); it is never stored.
import { CJK_CHAR_CLASS } from './scripts.js';
import { removePageFurniture } from './page-furniture.js';
import { joinBrokenLines } from './pdf-lines.js';

export interface PageText {
  /** 1-based page number as the extractor reports it. */
  page: number;
  text: string;
}

// C0/C1 controls except \t and \n (\r is handled as a line ending first), plus invisible
// characters that split words for search without being visible: zero-width space, word joiner,
// BOM, soft hyphen, and bidi marks. ZWJ/ZWNJ stay: emoji sequences and several scripts need them.
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B\u2060\uFEFF\u00AD\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
// Spaces of any width except the ideographic space (U+3000), which Japanese authors type on
// purpose ("第1章　概要") and which is kept as written.
const HORIZONTAL_SPACE_RUN = /[ \t\f\v\u00A0\u2000-\u200A\u202F\u205F]+/g;
// A space between two CJK characters is an extraction artefact (Japanese has no word spaces).
// The lookahead lets "日 本 語" lose both spaces in one pass.
const SPACE_BETWEEN_CJK = new RegExp(`(?<=[${CJK_CHAR_CLASS}]) +(?=[${CJK_CHAR_CLASS}])`, 'gu');

/**
 * Extracted text with its artefacts repaired and its characters kept: LF line ends, no control
 * or zero-width characters, single spaces, at most one blank line between paragraphs, no spaces
 * between CJK characters, no leading/trailing blank space. Full-width ASCII, （）, 〒, half-width
 * kana and the ideographic space stay as the document wrote them.
 * Idempotent: cleanText(cleanText(x)) === cleanText(x).
 * @example cleanText('ＡＢＣ（日 本 語）\r\n') // 'ＡＢＣ（日本語）'
 */
export function cleanText(text: string): string {
  const lines = text
    .replace(/\r\n?|\u0085|\u2028/g, '\n')
    .replace(/\u2029/g, '\n\n')
    .replace(INVISIBLE, '')
    .split('\n')
    .map((line) => line.replace(HORIZONTAL_SPACE_RUN, ' ').trim().replace(SPACE_BETWEEN_CJK, ''));
  return lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * The matching form of text: NFKC (full-width ASCII → ASCII, half-width kana → kana, ideographic
 * space → space), then cleanText. For comparing and indexing only; never stored or shown.
 * Idempotent: normalizeText(normalizeText(x)) === normalizeText(x).
 * @example normalizeText('ＡＢＣ　日 本 語\r\n') // 'ABC 日本語'
 */
export function normalizeText(text: string): string {
  return cleanText(text.normalize('NFKC'));
}

/**
 * Cleans the per-page text of a PDF extraction: cleans each page (cleanText), drops repeated
 * headers/footers and page-number lines, re-joins words hyphenated at line ends and lines
 * broken inside a paragraph. Pages keep their numbers (an emptied page stays, with text '').
 * Only meant for PDFs: TXT and DOCX line breaks are the author's and are kept.
 */
export function cleanPdfPages(pages: readonly PageText[]): PageText[] {
  const normalized = pages.map((p) => ({ page: p.page, lines: cleanText(p.text).split('\n') }));
  const withoutFurniture = removePageFurniture(normalized.map((p) => p.lines));
  return normalized.map((p, i) => ({
    page: p.page,
    text: cleanText(joinBrokenLines(withoutFurniture[i] ?? [])),
  }));
}
