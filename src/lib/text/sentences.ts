// Sentence splitting for Japanese, English and mixed text, on top of ICU's rules
// (Intl.Segmenter), with the corrections ICU needs for real documents.

import { segmentLong } from './segment.js';

/** A half-open range [start, end) of UTF-16 offsets into a string. */
export interface TextSpan {
  start: number;
  end: number;
}

const sentenceSegmenter = new Intl.Segmenter('ja', { granularity: 'sentence' });

// ICU (without locale tailoring, which V8 does not expose) ends a sentence after "Mr." or "e.g.".
const NON_FINAL_ABBREVIATION =
  /(?:^|[\s(])(?:mr|mrs|ms|dr|prof|sr|jr|st|mt|vs|cf|approx|fig|figs|no|nos|vol|ch|sec|eq|e\.g|i\.e|[A-Z])\.\s*$/i;
const OPENING = '「『（(【〔［[｛{〈《';
const CLOSING = '」』）)】〕］]｝}〉》';
// A quote or parenthesis closed and followed directly by hiragana continues the sentence:
// 「はい。」と彼は言った。 is one sentence, not two.
const ENDS_WITH_CLOSING = /[」』）)】〕］\]]\s*$/u;
// Quotation particles and the like; a conjunction (そして) after 」 starts a new sentence.
const CONTINUES_AFTER_QUOTE = /^(?:と|って|という|とか|など|なんて|の|は|が|を|に|で|も|や)/u;
/** A stray unclosed bracket must not swallow the rest of the document. */
const MAX_QUOTE_MERGE = 400;

function bracketDepthChange(text: string): number {
  let depth = 0;
  for (const char of text) {
    if (OPENING.includes(char)) depth += 1;
    else if (CLOSING.includes(char)) depth -= 1;
  }
  return depth;
}

function shouldMerge(current: string, next: string, openDepth: number): boolean {
  if (current.endsWith('\n')) return false; // a line break always ends a sentence
  if (NON_FINAL_ABBREVIATION.test(current)) return true;
  if (openDepth > 0 && current.length + next.length <= MAX_QUOTE_MERGE) return true;
  return ENDS_WITH_CLOSING.test(current) && CONTINUES_AFTER_QUOTE.test(next);
}

/**
 * ICU's sentence spans, with opening brackets moved to the sentence they open: ICU counts
 * "(" as closing punctuation and leaves it on the previous sentence ("…た。(" + "注…)").
 */
function icuSpans(text: string): TextSpan[] {
  const starts = Array.from(segmentLong(sentenceSegmenter, text), (s) => s.index);
  for (let i = 1; i < starts.length; i += 1) {
    const floor = (starts[i - 1] ?? 0) + 1;
    let start = starts[i] ?? 0;
    while (start > floor && OPENING.includes(text[start - 1] ?? '')) start -= 1;
    starts[i] = start;
  }
  return starts.map((start, i) => ({ start, end: starts[i + 1] ?? text.length }));
}

/**
 * Sentence spans of `text`. The spans are contiguous and cover the whole text (whitespace
 * after a sentence belongs to it), so joining them gives the text back. A line break always
 * ends a sentence, which handles Japanese headings and list items without 。.
 * @example sentenceSpans('Hi. 「はい。」と言った。') // [{start:0,end:4},{start:4,end:14}]
 */
export function sentenceSpans(text: string): TextSpan[] {
  const spans: TextSpan[] = [];
  let current: TextSpan | null = null;
  let depth = 0;
  for (const span of icuSpans(text)) {
    const segment = text.slice(span.start, span.end);
    if (current && shouldMerge(text.slice(current.start, current.end), segment, depth)) {
      current.end = span.end;
    } else {
      if (current) spans.push(current);
      current = span;
      depth = 0;
    }
    depth = Math.max(0, depth + bracketDepthChange(segment));
  }
  if (current) spans.push(current);
  return spans;
}

/** The sentences of `text`, trimmed, without empty ones. */
export function splitSentences(text: string): string[] {
  return sentenceSpans(text)
    .map((s) => text.slice(s.start, s.end).trim())
    .filter((s) => s !== '');
}
