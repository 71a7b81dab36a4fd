// Intl.Segmenter over long texts, a window at a time.

export interface TextSegment {
  segment: string;
  /** Offset of the segment in the whole text. */
  index: number;
  isWordLike?: boolean;
}

/** Characters per window: small enough to stay cheap, large enough that cuts are rare. */
const WINDOW = 4000;
/** Where a window may end, best first: after a line break, after sentence-final punctuation, after a space. */
const WINDOW_ENDS = [/\n/g, /[。．.!?！？]/g, /\s/g];

/**
 * `segmenter.segment(text)`, with each segment's index in the whole text. V8 copies the input for
 * every segment it hands out, so one call over a long text costs memory quadratic in its length
 * (a 200,000-character text: about 3 GB, enough to kill the parser). Windows of a few thousand
 * characters keep it linear; a window ends after a line break when there is one (where sentences
 * end anyway), else after punctuation or a space, else at a character boundary.
 */
export function* segmentLong(segmenter: Intl.Segmenter, text: string): Generator<TextSegment> {
  for (let start = 0; start < text.length; ) {
    const end = windowEnd(text, start);
    for (const { segment, index, isWordLike } of segmenter.segment(text.slice(start, end))) yield { segment, index: start + index, isWordLike };
    start = end;
  }
}

function windowEnd(text: string, start: number): number {
  if (text.length - start <= WINDOW) return text.length;
  const half = text.slice(start + WINDOW / 2, start + WINDOW);
  for (const pattern of WINDOW_ENDS) {
    let last = -1;
    for (const match of half.matchAll(pattern)) last = match.index + match[0].length;
    if (last > 0) return start + WINDOW / 2 + last;
  }
  // No boundary at all (one giant word): never cut between the halves of a surrogate pair.
  const end = start + WINDOW;
  const code = text.charCodeAt(end - 1);
  return code >= 0xd800 && code <= 0xdbff ? end - 1 : end;
}
