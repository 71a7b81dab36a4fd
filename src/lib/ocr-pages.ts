/**
 * Whether a passage covering pages `pageStart`..`pageEnd` was (in part) read by OCR, given its
 * document's OCR'd pages (contents.ocr_pages): what marks search results, citations and the
 * passages of the document page, so a reader knows the text may hold recognition errors.
 */
export function readByOcr(pageStart: number | null, pageEnd: number | null, ocrPages: readonly number[]): boolean {
  if (pageStart === null || ocrPages.length === 0) return false;
  const last = pageEnd ?? pageStart;
  return ocrPages.some((page) => page >= pageStart && page <= last);
}
