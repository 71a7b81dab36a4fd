// Cuts a sentence too long to quote down to its part that answers: whole clauses around the
// best match, at a clause boundary (、, ; …), never inside what matched, never inside a word.
import { displayWidth } from '../../lib/text/scripts.js';
import type { TextSpan } from '../../lib/text/sentences.js';

/** A CJK character or full-width form takes two columns; the quote's budget is in columns. */
export const MAX_QUOTE_WIDTH = 300;

/** Where a clause ends: after these, with any spaces after them. */
const CLAUSE_END = /[、，,;；:：]\s*|\s[–—-]\s|[—―]/gu;
/** Trimmed off a cut edge before the ellipsis: "…例として、" reads as unfinished twice. */
const CUT_EDGE_PUNCTUATION = /[\s、，,;；:：–—―-]+$/u;
const wordSegmenter = new Intl.Segmenter('ja', { granularity: 'word' });


/** A weighted span of the sentence: a question term (its weight) or a likely answer. */
export interface Protected extends TextSpan {
  weight: number;
}

/** Boundaries [0, …, length] of the pieces a cut may fall between, none inside a protected span. */
function cutPoints(sentence: string, candidates: number[], keep: readonly TextSpan[]): number[] {
  const inside = (at: number) => keep.some((s) => s.start < at && at < s.end);
  return [...new Set([0, ...candidates, sentence.length])].filter((at) => !inside(at)).sort((a, b) => a - b);
}

function clauseEnds(sentence: string): number[] {
  return Array.from(sentence.matchAll(CLAUSE_END), (m) => m.index + m[0].length);
}

function wordStarts(sentence: string): number[] {
  return Array.from(wordSegmenter.segment(sentence), (s) => s.index);
}

/**
 * The best window of consecutive pieces that fits `maxWidth`: it starts from the piece with the
 * most weight and grows towards the heavier neighbour (the following one on a tie).
 */
function bestWindow(sentence: string, points: number[], spans: readonly Protected[], maxWidth: number, mustFit: boolean): TextSpan | null {
  const pieces = points.slice(1).map((end, i) => ({ start: points[i]!, end }));
  if (pieces.length === 0) return null;
  const weightOf = (p: TextSpan) => spans.reduce((sum, s) => (s.start < p.end && s.end > p.start ? sum + s.weight : sum), 0);
  const widthOf = (from: number, to: number) => displayWidth(sentence.slice(pieces[from]!.start, pieces[to]!.end).trim());
  let best = 0;
  pieces.forEach((p, i) => {
    if (weightOf(p) > weightOf(pieces[best]!)) best = i;
  });
  if (mustFit && widthOf(best, best) > maxWidth) return null;
  let [first, last] = [best, best];
  for (;;) {
    const canLeft = first > 0 && widthOf(first - 1, last) <= maxWidth;
    const canRight = last + 1 < pieces.length && widthOf(first, last + 1) <= maxWidth;
    if (!canLeft && !canRight) break;
    const goLeft = canLeft && (!canRight || weightOf(pieces[first - 1]!) > weightOf(pieces[last + 1]!));
    if (goLeft) first -= 1;
    else last += 1;
  }
  return { start: pieces[first]!.start, end: pieces[last]!.end };
}

/**
 * `sentence` itself when it fits `maxWidth` columns; else its best part with "…" where it was
 * cut. Cuts fall at clause boundaries, or at word boundaries when one clause is too long, and
 * never inside a protected span (a matched term or a likely answer). A protected span longer
 * than the budget is kept whole anyway.
 * @example clipSentence('Apollo, who was the god of healing, had a son, Asclepius, who …', spans, 40)
 */
export function clipSentence(sentence: string, spans: readonly Protected[], maxWidth = MAX_QUOTE_WIDTH): string {
  if (displayWidth(sentence) <= maxWidth) return sentence;
  const window =
    bestWindow(sentence, cutPoints(sentence, clauseEnds(sentence), spans), spans, maxWidth, true) ??
    bestWindow(sentence, cutPoints(sentence, wordStarts(sentence), spans), spans, maxWidth, false);
  if (!window) return sentence;
  let text = sentence.slice(window.start, window.end).trim();
  const cutAfter = window.end < sentence.trimEnd().length;
  if (cutAfter) text = `${text.replace(CUT_EDGE_PUNCTUATION, '')}…`;
  return window.start > 0 ? `…${text}` : text;
}
