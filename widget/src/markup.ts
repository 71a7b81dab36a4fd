// Pure (no DOM): the server's unit tests import this file too.
//
// The answer's text is the model's, so it is never parsed as HTML. This reads the small subset of
// Markdown that chat models write — paragraphs, line breaks, **bold**, list items, headings — plus
// the `[n]` citations, into plain data; render.ts builds it with DOM methods and text nodes only.

export type Inline = { kind: 'text'; text: string; bold: boolean } | { kind: 'cite'; n: number; raw: string } | { kind: 'break' };

export type Block = { kind: 'paragraph'; inlines: Inline[] } | { kind: 'list'; ordered: boolean; start: number; items: Inline[][] };

// Non-ASCII as \u escapes: esbuild keeps regular expression literals as written (see scripts/build-widget.ts).
// - * + • (U+2022) and ・ (U+30FB); 1. 1) 1． (U+FF0E).
const LIST_ITEM = /^\s*(?:[-*+\u2022]\s+|\u30fb\s*|(\d{1,3})[.)\uff0e]\s+)(.*)$/;
const HEADING = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/;
// [1], [1, 2], [1、2] (U+3001): chat models cite the numbered sources this way.
const CITATION = /\[(\d{1,3}(?:\s*[,\u3001]\s*\d{1,3})*)\]/g;
const CITATION_SEPARATOR = /\s*[,\u3001]\s*/;
// **bold** whose inside neither starts nor ends with a space; an unclosed ** (mid-stream) stays text.
const BOLD = /\*\*(?=\S)([\s\S]*?\S)\*\*/g;

/** Text runs and citations of one line or item. */
export function parseInline(text: string, bold = false): Inline[] {
  const out: Inline[] = [];
  const pushText = (value: string, isBold: boolean) => {
    let last = 0;
    for (const match of value.matchAll(CITATION)) {
      if (match.index > last) out.push({ kind: 'text', text: value.slice(last, match.index), bold: isBold });
      for (const n of match[1]!.split(CITATION_SEPARATOR)) out.push({ kind: 'cite', n: Number(n), raw: `[${n}]` });
      last = match.index + match[0].length;
    }
    if (last < value.length) out.push({ kind: 'text', text: value.slice(last), bold: isBold });
  };
  if (bold) {
    pushText(text, true);
    return out;
  }
  let last = 0;
  for (const match of text.matchAll(BOLD)) {
    if (match.index > last) pushText(text.slice(last, match.index), false);
    pushText(match[1]!, true);
    last = match.index + match[0].length;
  }
  if (last < text.length) pushText(text.slice(last), false);
  return out;
}

/**
 * Splits an answer into paragraphs (blank lines; single line breaks are kept) and lists
 * (`- `, `* `, `• `, `・`, `1. `).
 *
 * @example parseMarkup('**有給休暇**は10日です[1]。\n- 入社6か月後') → a paragraph, then a list
 */
export function parseMarkup(text: string): Block[] {
  const blocks: Block[] = [];
  let paragraph: Inline[] | null = null;
  let list: Extract<Block, { kind: 'list' }> | null = null;
  const endBlock = () => {
    paragraph = null;
    list = null;
  };
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    if (line.trim() === '') {
      endBlock();
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      const ordered = item[1] !== undefined;
      if (!list || list.ordered !== ordered) {
        list = { kind: 'list', ordered, start: ordered ? Number(item[1]) : 1, items: [] };
        blocks.push(list);
      }
      paragraph = null;
      list.items.push(parseInline(item[2]!.trim()));
      continue;
    }
    const heading = HEADING.exec(line);
    const inlines = heading ? parseInline(heading[1]!, true) : parseInline(line.trim());
    if (heading || !paragraph) {
      endBlock();
      paragraph = [...inlines];
      blocks.push({ kind: 'paragraph', inlines: paragraph });
      // A heading stands alone: the next line starts a new paragraph.
      if (heading) paragraph = null;
    } else {
      paragraph.push({ kind: 'break' }, ...inlines);
    }
  }
  return blocks;
}

/** The source numbers an answer cites, in ascending order, each once. */
export function citedNumbers(text: string): number[] {
  const found = new Set<number>();
  for (const match of text.matchAll(CITATION)) for (const n of match[1]!.split(CITATION_SEPARATOR)) found.add(Number(n));
  return [...found].sort((a, b) => a - b);
}

/**
 * A passage shortened to `max` characters (whole code points), whitespace collapsed. With `near`
 * (the answer), it starts at the sentence sharing the most two-character pieces with it: the part
 * of the passage the answer used, not whatever the passage happens to begin with.
 */
export function excerpt(text: string, max = 160, near = ''): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const start = near ? bestSentenceStart(flat, near) : 0;
  const chars = [...flat.slice(start)];
  const lead = start > 0 ? '…' : '';
  return chars.length <= max ? lead + chars.join('') : `${lead}${chars.slice(0, max).join('').trimEnd()}…`;
}

const pairs = (text: string) => {
  const chars = [...text.toLowerCase()];
  return chars.slice(1).map((c, i) => chars[i] + c);
};

// 。．！？ written as escapes: the bundle is ASCII only.
const SENTENCE = /[^\u3002\uff0e\uff01\uff1f.!?]+[\u3002\uff0e\uff01\uff1f.!?]*\s*/g;

function bestSentenceStart(text: string, near: string): number {
  const wanted = new Set(pairs(near));
  let best = { start: 0, score: 0 };
  for (const match of text.matchAll(SENTENCE)) {
    const score = pairs(match[0]).filter((p) => wanted.has(p)).length;
    if (score > best.score) best = { start: match.index, score };
  }
  return best.start;
}
