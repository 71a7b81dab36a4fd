// Which words of a cited passage the answer quoted, to highlight them in the passage dialog.
// Only words the answer repeats verbatim (spaces and line breaks aside) are marked: the
// extractive answer quotes whole sentences, so they are always found; a model's paraphrase
// is not marked at all, since a guessed "closest" sentence could point at the wrong one.

export interface TextRange {
  start: number;
  end: number;
}

/** Shorter pieces (spaces not counted) are not looked for: 「する」 would match anywhere. */
const MIN_QUOTE_LENGTH = 4;
const CITATION = /\[(\d{1,2})\]/g;
/** A bullet or list marker in front of a quote is the answer's, not the document's. */
const LIST_MARKER = /^\s*(?:[・•\-*]|\d{1,2}[.)．）])\s*/u;
/** A quote clipped at a clause boundary is marked with "…" where it was cut. */
const ELLIPSIS = /…|\.\.\./;
/** Words the answer puts in quotation marks. */
const QUOTED = /「([^」]+)」|『([^』]+)』|“([^”]+)”|"([^"]+)"/gu;
/** After a sentence's final mark (and a closing bracket), where the next sentence starts. */
const SENTENCE_END = /(?<=[。！？!?][」』）)]*)(?![」』）)])\s*|(?<=\.)\s+/u;
/** What a claim may start with that belongs to the text before it: 「…です[1]。」 leaves 「。」. */
const LEFTOVER = /^[\s。、．，.,]+/u;

/**
 * The text of `answer` that cites source `n` as `[n]`: for each citation, what stands before it
 * since the last line break or citation, then its parts cut at "…", its sentences, and any words in
 * quotation marks — each a candidate to find in the passage.
 * @example quotesCiting('要約です。\n・10日の年次有給休暇を付与する。 [1]', 1) // includes '10日の年次有給休暇を付与する。'
 */
export function quotesCiting(answer: string, n: number): string[] {
  const quotes = new Set<string>();
  for (const match of answer.matchAll(CITATION)) {
    if (Number(match[1]) !== n) continue;
    // The claim a citation ends starts after the last line break or citation before it.
    const before = answer.slice(0, match.index);
    const lastCitation = Math.max(0, ...Array.from(before.matchAll(CITATION), (m) => m.index + m[0].length));
    const claim = before
      .slice(Math.max(before.lastIndexOf('\n') + 1, lastCitation))
      .replace(LEFTOVER, '')
      .replace(LIST_MARKER, '')
      .trim();
    for (const part of claim.split(ELLIPSIS)) {
      quotes.add(part.trim());
      for (const sentence of part.split(SENTENCE_END)) quotes.add(sentence.trim());
    }
    for (const q of claim.matchAll(QUOTED)) quotes.add((q[1] ?? q[2] ?? q[3] ?? q[4] ?? '').trim());
  }
  return [...quotes].filter((q) => q.replace(/\s+/g, '').length >= MIN_QUOTE_LENGTH);
}

/**
 * Every place of `passage` where one of `quotes` stands, whitespace ignored on both sides (the
 * answer shows a sentence on one line; the document may break it), merged and in order.
 * @example quotedRanges('始業は\n午前9時。', ['始業は午前9時。']) // [{ start: 0, end: 9 }]
 */
export function quotedRanges(passage: string, quotes: readonly string[]): TextRange[] {
  // The passage without whitespace, and where each of its characters stands in the passage.
  const at: number[] = [];
  let compact = '';
  for (let i = 0; i < passage.length; i += 1) {
    if (/\s/.test(passage[i]!)) continue;
    at.push(i);
    compact += passage[i];
  }
  const found: TextRange[] = [];
  for (const quote of quotes) {
    const needle = quote.replace(/\s+/g, '');
    if (needle.length < MIN_QUOTE_LENGTH) continue;
    for (let from = compact.indexOf(needle); from !== -1; from = compact.indexOf(needle, from + 1)) {
      found.push({ start: at[from]!, end: at[from + needle.length - 1]! + 1 });
    }
  }
  found.sort((a, b) => a.start - b.start);
  const merged: TextRange[] = [];
  for (const range of found) {
    const last = merged.at(-1);
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}

/** `text` cut into the pieces a renderer shows plain and marked. */
export function markedPieces(text: string, ranges: readonly TextRange[]): Array<{ text: string; marked: boolean }> {
  const pieces: Array<{ text: string; marked: boolean }> = [];
  let at = 0;
  for (const range of ranges) {
    if (range.start > at) pieces.push({ text: text.slice(at, range.start), marked: false });
    pieces.push({ text: text.slice(range.start, range.end), marked: true });
    at = range.end;
  }
  if (at < text.length) pieces.push({ text: text.slice(at), marked: false });
  return pieces;
}
