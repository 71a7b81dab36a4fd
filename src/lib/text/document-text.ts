// The single text a document is chunked and cited against: its pages, cleaned and joined.
// Characters are kept as the document wrote them (cleanText, not normalizeText): quotes and
// citations show this text.
import { cleanText, type PageText } from './normalize.js';

/** Where one page's text sits in the document text: [start, end) UTF-16 offsets. */
export interface PageRange {
  page: number;
  start: number;
  end: number;
}

export interface DocumentText {
  text: string;
  /** In document order; pages whose text cleans to '' are left out. */
  pages: PageRange[];
}

/** Pages are separated by a paragraph break, so no sentence or paragraph spans two pages. */
export const PAGE_SEPARATOR = '\n\n';

/**
 * Cleans each page (cleanText: artefacts repaired, characters kept) and joins the non-empty ones
 * with PAGE_SEPARATOR. Chunk offsets (charStart/charEnd) index into `text`.
 * @example documentText([{ page: 1, text: 'Ａ\r\n' }, { page: 2, text: 'b' }]).text // 'Ａ\n\nb'
 */
export function documentText(pages: readonly PageText[]): DocumentText {
  const ranges: PageRange[] = [];
  let text = '';
  for (const { page, text: raw } of pages) {
    const cleaned = cleanText(raw);
    if (cleaned === '') continue;
    if (text !== '') text += PAGE_SEPARATOR;
    ranges.push({ page, start: text.length, end: text.length + cleaned.length });
    text += cleaned;
  }
  return { text, pages: ranges };
}

/** The page holding document offset `offset` (an offset in a separator counts for the page before). */
export function pageAtOffset(pages: readonly PageRange[], offset: number): number {
  let low = 0;
  let high = pages.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((pages[mid]?.start ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return pages[low]?.page ?? 1;
}
