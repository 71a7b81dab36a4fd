// Re-joins lines that a PDF extractor broke at the visual line end, inside a paragraph.
// PDF text has one line per printed line; sentences and even words run across them.
import { displayWidth, firstCodePoint, isCjkChar, lastCodePoint } from './scripts.js';

// Lines starting like this begin a new list item or heading: the break before them is real.
// "1.申請" (no space, Japanese after the number) is a list item; "3.5" is not.
const LIST_OR_HEADING_START =
  /^(?:[-•●○■□◆◇▪・*※→>]|\d{1,3}[.)](?:\s|$|(?=[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]))|\(\d{1,3}\)|[a-zA-Z][.)]\s|第\s*\d+\s*[章節条項部編]|#{1,6}\s)/u;
// Sentence-final punctuation, optionally followed by a closing quote or bracket.
const SENTENCE_END = /[。.!?:;…][」』"')\]]?$/u;
const HYPHENATED_END = /\p{Script=Latin}-$/u;
const LOWERCASE_START = /^\p{Ll}/u;


/** Width of a "full" printed line on this page (80th percentile, robust to short lines). */
function fullLineWidth(lines: readonly string[]): number {
  const widths = lines.filter((l) => l !== '').map(displayWidth).sort((a, b) => a - b);
  if (widths.length === 0) return 0;
  return widths[Math.min(widths.length - 1, Math.floor(widths.length * 0.8))] ?? 0;
}

type Join = 'keep-break' | 'hyphen' | 'join';

function decideJoin(prev: string, next: string, fullWidth: number): Join {
  if (prev === '' || next === '') return 'keep-break';
  // The patterns are tested on the matching form, so "１．" starts a list like "1." and "。）" ends a sentence.
  const [prevKey, nextKey] = [prev.normalize('NFKC'), next.normalize('NFKC')];
  if (HYPHENATED_END.test(prev) && LOWERCASE_START.test(next)) return 'hyphen';
  if (LIST_OR_HEADING_START.test(nextKey)) return 'keep-break';
  const width = displayWidth(prev);
  // A sentence end on a line that stops short of the margin is a paragraph end.
  if (SENTENCE_END.test(prevKey) && width < fullWidth * 0.8) return 'keep-break';
  // A short line without a sentence end is a heading, a label or a list entry.
  if (width < fullWidth * 0.5) return 'keep-break';
  return 'join';
}

/** Separator when joining two line fragments: none next to CJK text, else one space. */
function joinSeparator(prev: string, next: string): string {
  return isCjkChar(lastCodePoint(prev)) || isCjkChar(firstCodePoint(next)) ? '' : ' ';
}

/**
 * Joins the lines of one page into paragraphs. Blank lines stay paragraph breaks; a Latin
 * word hyphenated at a line end is re-joined ("inter-" + "national" → "international").
 */
export function joinBrokenLines(lines: readonly string[]): string {
  const fullWidth = fullLineWidth(lines);
  let out = lines[0] ?? '';
  for (let i = 1; i < lines.length; i += 1) {
    const prev = lines[i - 1] ?? '';
    const next = lines[i] ?? '';
    const decision = decideJoin(prev, next, fullWidth);
    if (decision === 'hyphen') out = out.slice(0, -1) + next;
    else if (decision === 'join') out += joinSeparator(prev, next) + next;
    else out += '\n' + next;
  }
  return out;
}
