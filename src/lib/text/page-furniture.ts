// Detects running headers, footers and page numbers in per-page text so they do not end up in
// the middle of chunks (where they break sentences and pollute search with repeated terms).

/** How many non-empty lines at each edge of a page may be furniture. */
const EDGE_LINES = 3;
/** Longer lines are body text, even if they recur (a recurring long line is rare furniture). */
const MAX_FURNITURE_LENGTH = 200;

// Page-number lines that are unambiguous on their own: "- 3 -", "3 / 10", "Page 3", "p. 3",
// "3ページ", "3頁". A bare "3" is only removed when it recurs (see furnitureKey).
const PAGE_NUMBER_LINE =
  /^(?:[-–—]\s*\d+\s*[-–—]|\d+\s*\/\s*\d+|(?:page|p\.?)\s*\d+(?:\s*(?:of|\/)\s*\d+)?|\d+\s*(?:ページ|頁)|第\s*\d+\s*(?:ページ|頁))$/i;

/** Up to this many non-digit characters, lines differing only in numbers count as one. */
const MAX_NUMBERED_LABEL = 12;

/**
 * Lines that differ only in their numbers ("Page 3", "Page 4") count as the same line, but
 * only for short labels: two body sentences that differ only in a number are still body text.
 */
function furnitureKey(line: string): string {
  // Compared in matching form: "－３－" is the page-number line "-3-".
  const lower = line.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
  const label = lower.replace(/[\d\s]+/g, '');
  return label.length <= MAX_NUMBERED_LABEL ? lower.replace(/\d+/g, '#') : lower;
}

/** Indices of the first and last EDGE_LINES non-empty lines of a page. */
function edgeIndices(lines: readonly string[]): { top: number[]; bottom: number[] } {
  const nonEmpty = lines.flatMap((line, i) => (line.trim() === '' ? [] : [i]));
  // On a short page the edges would cover the whole body: look at a third of it at most.
  const edge = Math.min(EDGE_LINES, Math.ceil(nonEmpty.length / 3));
  return { top: nonEmpty.slice(0, edge), bottom: nonEmpty.slice(-edge) };
}

/** How many pages a line must recur on to count as a running header or footer. */
export function furnitureThreshold(pageCount: number): number {
  // 40 % rather than "most": books alternate left/right headers, each on half the pages.
  return pageCount <= 2 ? pageCount : Math.max(3, Math.ceil(pageCount * 0.4));
}

function countEdgeKeys(pages: readonly (readonly string[])[], edge: 'top' | 'bottom'): Map<string, number> {
  const counts = new Map<string, number>();
  for (const lines of pages) {
    const keys = new Set(edgeIndices(lines)[edge].map((i) => furnitureKey(lines[i] ?? '')));
    for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/**
 * Removes running headers/footers (lines recurring at the top or bottom of enough pages,
 * numbers ignored) and page-number lines at page edges. Returns new line arrays.
 */
export function removePageFurniture(pages: readonly (readonly string[])[]): string[][] {
  const threshold = furnitureThreshold(pages.length);
  const topCounts = countEdgeKeys(pages, 'top');
  const bottomCounts = countEdgeKeys(pages, 'bottom');
  const recurs = (counts: Map<string, number>, line: string) =>
    pages.length >= 2 && line.length <= MAX_FURNITURE_LENGTH && (counts.get(furnitureKey(line)) ?? 0) >= threshold;

  return pages.map((lines) => {
    const { top, bottom } = edgeIndices(lines);
    const drop = new Set<number>();
    for (const i of top) {
      const line = lines[i] ?? '';
      if (recurs(topCounts, line) || PAGE_NUMBER_LINE.test(line.normalize('NFKC').trim())) drop.add(i);
    }
    for (const i of bottom) {
      const line = lines[i] ?? '';
      if (recurs(bottomCounts, line) || PAGE_NUMBER_LINE.test(line.normalize('NFKC').trim())) drop.add(i);
    }
    return lines.filter((_, i) => !drop.has(i));
  });
}
