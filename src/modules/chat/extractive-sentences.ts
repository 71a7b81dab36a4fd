// The sentences of a passage that can be quoted: whole sentences, as the document wrote them,
// with headings and title lines marked, and lines broken inside a sentence joined again.
import { sentenceSpans } from '../../lib/text/sentences.js';

export interface QuotableSentence {
  /** The sentence as written, whitespace runs shown as one space (none between CJK characters). */
  text: string;
  /** A title, heading or label line: never quoted on its own. */
  heading: boolean;
  /** Ordinal of its paragraph in the passage (blank-line separated block). */
  paragraph: number;
}

/** Longer lines are body text even without final punctuation. */
const MAX_HEADING_LENGTH = 60;
const SENTENCE_FINAL = /[。．.!?！？…‥][」』"”'’)）\]］]*$/u;
/** A line ending like this continues on the next one ("…例として、" / "Contact:"). */
const CONTINUES = /(?:[、，,：:;；（(「『・\-－–]|[はをがもやへ]|など|および|及び|ならびに|並びに|または|又は)$/u;
const LIST_ITEM = /^(?:[-•●○■□◆◇▪・*※→]|\d{1,3}[.)．）]|[（(]\d{1,3}[)）]|[①-⑳])/u;
/** A spreadsheet or CSV row as the table reader writes it, "列名: 値 | 列名: 値": a statement, never a heading. */
const TABLE_ROW = /^[^|:：\n]+[:：] [^|\n]*(?: \| [^|:：\n]+[:：] [^|\n]*)+$/u;
const CJK_EDGE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303F\uFF01-\uFF60ー]/u;

interface Line {
  text: string;
  /** First line of its paragraph (start of the passage, or after a blank line). */
  opensParagraph: boolean;
  /** A blank line (or the passage's end) follows. */
  closesParagraph: boolean;
  /** The sentence ends with a line break: the next sentence starts on a new line. */
  endsLine: boolean;
}

/** Shows a sentence on one line: a line break becomes a space, or nothing next to CJK characters. */
export function displayText(raw: string): string {
  // The ideographic space (U+3000) is the document's character, not layout: it stays.
  return raw.trim().replace(/[^\S\u3000]+/gu, (space, at: number, whole: string) => {
    const before = whole[at - 1] ?? '';
    const after = whole[at + space.length] ?? '';
    return /\n/.test(space) && (CJK_EDGE.test(before) || CJK_EDGE.test(after)) ? '' : ' ';
  });
}

function sentenceLines(passage: string): Line[] {
  const lines: Line[] = [];
  for (const span of sentenceSpans(passage)) {
    const raw = passage.slice(span.start, span.end);
    if (raw.trim() === '') continue;
    // Spans are contiguous: the whitespace after a sentence belongs to it, so a blank line
    // before this sentence is at the end of the text before it.
    const head = passage.slice(0, span.start + raw.length - raw.trimStart().length);
    const trailing = raw.slice(raw.trimEnd().length);
    lines.push({
      text: raw,
      opensParagraph: head.trim() === '' || /\n[^\S\n]*\n\s*$/.test(head),
      closesParagraph: span.end >= passage.length || /\n[^\S\n]*\n/.test(trailing),
      endsLine: /\n/.test(trailing) || span.end >= passage.length,
    });
  }
  return lines;
}

function isHeading(line: Line, next: Line | undefined): boolean {
  const text = line.text.trim();
  if (/^#{1,6}\s/.test(text)) return true;
  if (!line.endsLine || TABLE_ROW.test(text) || text.length > MAX_HEADING_LENGTH) return false;
  if (SENTENCE_FINAL.test(text) || CONTINUES.test(text)) return false;
  // A passage's last line is a heading only standing alone (a title-only passage).
  if (!next) return line.opensParagraph;
  // "The plan was approved by the" + "board in May.": a line going on in lowercase is no heading.
  if (!line.closesParagraph && /^\p{Ll}/u.test(next.text.trim())) return false;
  // A paragraph's short first line without final punctuation, or a short line standing alone.
  return line.opensParagraph || line.closesParagraph;
}

/** The line goes on in the next one: a sentence broken by a line end inside its paragraph. */
function continuesOnNextLine(line: Line, next: Line | undefined): boolean {
  if (!next || !line.endsLine || line.closesParagraph) return false;
  const text = line.text.trim();
  if (SENTENCE_FINAL.test(text) || TABLE_ROW.test(text) || LIST_ITEM.test(next.text.trim()) || LIST_ITEM.test(text)) return false;
  return true;
}

/**
 * The passage's sentences in order, each whole: a sentence broken over lines is joined, a
 * heading or title line is marked (`heading`) so it is never quoted alone.
 * @example quotableSentences('会社概要\n\n当社は1990年に設立された。')
 *   // [{ text: '会社概要', heading: true, paragraph: 0 }, { text: '当社は1990年に設立された。', heading: false, paragraph: 1 }]
 */
export function quotableSentences(passage: string): QuotableSentence[] {
  const lines = sentenceLines(passage);
  const sentences: QuotableSentence[] = [];
  let paragraph = -1;
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    if (line.opensParagraph) paragraph += 1;
    if (isHeading(line, lines[i + 1])) {
      sentences.push({ text: displayText(line.text), heading: true, paragraph });
      continue;
    }
    let raw = line.text;
    while (continuesOnNextLine(lines[i]!, lines[i + 1]) && !isHeading(lines[i + 1]!, lines[i + 2])) {
      i += 1;
      raw += lines[i]!.text;
    }
    sentences.push({ text: displayText(raw), heading: false, paragraph });
  }
  return sentences;
}
