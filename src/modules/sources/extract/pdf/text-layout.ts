/**
 * Turns pdf.js text items into plain text with line breaks where the page has them.
 *
 * pdf.js already merges glyphs into runs, flags line ends (`hasEOL`) and inserts spaces for
 * wide gaps; this adds what it leaves to the caller:
 * - a space between runs on the same line only when the gap is wide, and never between two
 *   CJK characters (Japanese has no spaces between words);
 * - a line break when the next run starts on another line but pdf.js did not flag it;
 * - Japanese lines that wrap inside a sentence are joined without a break, so that a word cut
 *   at the line end ("デュプ|レックス") stays one word for search;
 * - vertical writing (tategaki) and rotated pages, by measuring along the text direction.
 * Runs are kept in content-stream order, which follows columns; sorting by position would
 * interleave the columns of a multi-column page.
 */
export interface PdfTextRun {
  str: string;
  /** [a, b, c, d, e, f]: the text matrix; (e, f) is the run's origin on the page. */
  transform: number[];
  width: number;
  height: number;
  hasEOL: boolean;
  /** The font writes top to bottom (tategaki). */
  vertical: boolean;
}

/** Where a run or line starts and ends along the writing direction, and its position across it. */
interface Placed {
  start: number;
  end: number;
  across: number;
  size: number;
}

interface Line extends Placed {
  text: string;
}

/** Gap (in font sizes) above which two runs on one line get a space between them. */
const SPACE_GAP = 0.2;
/** Characters of slack (in font sizes) a wrapped line may stop short of its block's margin. */
const WRAP_SLACK = 3;
/** Between CJK characters only a gap this wide (a table column, a tab stop) is worth a space. */
const CJK_SPACE_GAP = 1;
/** Shift across the writing direction (in font sizes) that means a new line, not a superscript. */
const NEW_LINE_SHIFT = 0.9;

export function layoutPageText(runs: PdfTextRun[]): string {
  const lines: Line[] = [];
  let current: Line | null = null;
  let lineEnded = true;

  // pdf.js emits the spaces it infers from gaps as runs of their own; they are held back so
  // that a space between two CJK characters (justification, not a word break) can be dropped.
  let pendingSpace = false;

  for (const run of runs) {
    const placed = place(run);
    if (run.str.trim() === '') {
      if (run.str !== '') pendingSpace = true;
    } else {
      const continues = current !== null && !lineEnded && !isNewLine(current, placed);
      if (continues && current) {
        current.text += separator(current, placed, run.str, pendingSpace) + run.str;
        current.end = Math.max(current.end, placed.end);
        current.size = Math.max(current.size, placed.size);
      } else {
        current = { text: run.str, ...placed };
        lines.push(current);
      }
      lineEnded = false;
      pendingSpace = false;
    }
    if (run.hasEOL) {
      lineEnded = true;
      pendingSpace = false;
    }
  }
  return joinLines(lines);
}

/** Positions along (start/end) and across the writing direction, from the run's matrix. */
function place(run: PdfTextRun): Placed {
  const [a = 1, b = 0, , , e = 0, f = 0] = run.transform;
  const size = Math.hypot(a, b) || 1;
  // Unit vector of the baseline; vertical fonts advance a quarter turn clockwise from it.
  let ux = a / size;
  let uy = b / size;
  if (run.vertical) [ux, uy] = [uy, -ux];
  const start = e * ux + f * uy;
  const advance = run.vertical ? run.height : run.width;
  return { start, end: start + advance, across: -e * uy + f * ux, size };
}

function isNewLine(line: Line, next: Placed): boolean {
  const shift = Math.abs(next.across - line.across);
  if (shift > NEW_LINE_SHIFT * Math.max(line.size, next.size)) return true;
  // Same baseline but jumping back before the line's start: a new column or table cell.
  return next.start < line.start - line.size;
}

function separator(line: Line, next: Placed, nextText: string, pendingSpace: boolean): string {
  const before = line.text.at(-1) ?? '';
  const after = nextText[0] ?? '';
  if (/\s/.test(before) || /\s/.test(after)) return '';
  const gap = next.start - line.end;
  const size = Math.min(line.size, next.size);
  if (isCjk(before) && isCjk(after)) return gap > CJK_SPACE_GAP * size ? ' ' : '';
  if (pendingSpace) return ' ';
  return gap > SPACE_GAP * size ? ' ' : '';
}

function joinLines(lines: Line[]): string {
  const blockEnds = farEdgeOfBlocks(lines);
  let text = '';
  lines.forEach((line, index) => {
    if (index > 0) text += wrapsIntoNextLine(lines[index - 1]!, line, blockEnds[index - 1]!) ? '' : '\n';
    text += line.text.trim();
  });
  return text;
}

/**
 * A Japanese line continues on the next one when it ends in a CJK character that does not
 * close a sentence, the next starts with one, and the line runs (nearly) to the far margin of
 * its block — a short line is a heading, a list item or the end of a paragraph.
 */
function wrapsIntoNextLine(line: Line, next: Line, blockEnd: number): boolean {
  const last = line.text.trimEnd().at(-1) ?? '';
  const first = next.text.trimStart()[0] ?? '';
  if (!isCjk(last) || SENTENCE_END.test(last) || !isCjk(first)) return false;
  if (!belongTogether(line, next)) return false;
  // Justification and kinsoku (line-break rules) leave up to a few characters of slack.
  return line.end >= blockEnd - WRAP_SLACK * line.size;
}

/** Consecutive lines one line pitch apart, starting at about the same place, in the same size. */
function belongTogether(line: Line, next: Line): boolean {
  const pitch = Math.abs(next.across - line.across);
  return (
    pitch <= 2.5 * line.size &&
    Math.abs(next.start - line.start) <= 2 * line.size &&
    Math.abs(next.size - line.size) < 0.2 * line.size
  );
}

/** For each line, the far edge of its block: the run of consecutive lines that belong together. */
function farEdgeOfBlocks(lines: Line[]): number[] {
  const edges: number[] = [];
  let blockStart = 0;
  for (let index = 0; index <= lines.length; index++) {
    const continues = index > 0 && index < lines.length && belongTogether(lines[index - 1]!, lines[index]!);
    if (index > 0 && !continues) {
      const edge = Math.max(...lines.slice(blockStart, index).map((line) => line.end));
      for (let member = blockStart; member < index; member++) edges[member] = edge;
      blockStart = index;
    }
  }
  return edges;
}

const SENTENCE_END = /[。．！？!?」』）)】〕]/;

/** Han, kana, and CJK punctuation and full-width forms. */
export function isCjk(char: string): boolean {
  return /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\u3000-\u303f\uff01-\uff60\ufe30-\ufe4f\u2f00-\u2fdf]/u.test(char);
}
