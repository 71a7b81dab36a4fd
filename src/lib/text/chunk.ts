// Splits a document into overlapping chunks for retrieval, along paragraph and sentence
// boundaries, sized in estimated tokens so Japanese and English chunks carry a similar amount
// of text for the LLM (400 tokens ≈ 400 Japanese characters ≈ 1,900 English characters).
import { chunkUnits, type ChunkUnit } from './chunk-units.js';
import { documentText, pageAtOffset } from './document-text.js';
import type { PageText } from './normalize.js';
import { estimateTokens } from './tokens.js';
export { estimateTokens } from './tokens.js';

export interface ChunkingOptions {
  /** Maximum chunk size in estimated tokens (see estimateTokens). */
  chunkSize: number;
  /** Tokens of whole sentences repeated from the end of the previous chunk (0 = none). */
  chunkOverlap: number;
}

export interface Chunk {
  /** 0-based position in the document. */
  index: number;
  /** Exactly documentText(pages).text.slice(charStart, charEnd): no leading/trailing space. */
  text: string;
  /** Page of the first and of the last character (page numbers as given by the caller). */
  pageStart: number;
  pageEnd: number;
  /** UTF-16 offsets [charStart, charEnd) into the document text (documentText(pages).text). */
  charStart: number;
  charEnd: number;
  /** estimateTokens(text). */
  tokens: number;
}

/** Chosen with bench/eval-fulltext.ts; see README in this folder for the figures. */
export const defaultChunking: ChunkingOptions = { chunkSize: 400, chunkOverlap: 60 };

/** Limits a tenant's chunking setting is checked against. */
export const chunkingBounds = {
  chunkSize: { min: 64, max: 2048 },
  /** The overlap may not exceed half the chunk size (or every chunk would be mostly repeat). */
  chunkOverlap: { min: 0, max: 1024, maxShareOfChunkSize: 0.5 },
} as const;

/** Problems with `options`, as readable messages; empty when they are valid. */
export function validateChunkingOptions(options: ChunkingOptions): string[] {
  const { chunkSize, chunkOverlap } = options;
  const problems: string[] = [];
  const size = chunkingBounds.chunkSize;
  const overlap = chunkingBounds.chunkOverlap;
  if (!Number.isInteger(chunkSize) || chunkSize < size.min || chunkSize > size.max) {
    problems.push(`chunkSize must be an integer from ${size.min} to ${size.max} tokens`);
  }
  if (!Number.isInteger(chunkOverlap) || chunkOverlap < overlap.min || chunkOverlap > overlap.max) {
    problems.push(`chunkOverlap must be an integer from ${overlap.min} to ${overlap.max} tokens`);
  } else if (chunkOverlap > chunkSize * overlap.maxShareOfChunkSize) {
    problems.push('chunkOverlap must be at most half of chunkSize');
  }
  return problems;
}

/**
 * A chunk ending at a paragraph end is better than one that stops mid-paragraph: once a chunk
 * is this full, a paragraph that no longer fits starts the next chunk.
 */
const PARAGRAPH_BREAK_FILL = 0.5;

interface Draft {
  units: ChunkUnit[];
  weight: number;
}

const sumWeights = (units: readonly ChunkUnit[]) => units.reduce((sum, u) => sum + u.weight, 0);

/** Whole sentences from the end of `units`, weighing at most `budget` together. */
function overlapTail(units: readonly ChunkUnit[], budget: number): ChunkUnit[] {
  const tail: ChunkUnit[] = [];
  let weight = 0;
  for (let i = units.length - 1; i > 0; i -= 1) {
    const unit = units[i];
    if (!unit || unit.piece || weight + unit.weight > budget) break;
    tail.unshift(unit);
    weight += unit.weight;
  }
  return tail;
}

/** Groups units into drafts: greedy packing, paragraph-aware, headings kept with what follows. */
function packUnits(units: readonly ChunkUnit[], paragraphWeights: readonly number[], options: ChunkingOptions): Draft[] {
  const { chunkSize, chunkOverlap } = options;
  const drafts: Draft[] = [];
  let current: Draft = { units: [], weight: 0 };
  for (const unit of units) {
    const fits = current.weight + unit.weight <= chunkSize;
    const paragraphFits = current.weight + (paragraphWeights[unit.paragraph] ?? 0) <= chunkSize;
    const preferBreak = unit.paragraphStart && !paragraphFits && current.weight >= chunkSize * PARAGRAPH_BREAK_FILL;
    if (current.units.length === 0 || (fits && !preferBreak)) {
      current.units.push(unit);
      current.weight += unit.weight;
      continue;
    }
    // A heading at the end of a chunk belongs to the text after it.
    const carried: ChunkUnit[] = [];
    while (current.units.length > 1 && current.units.at(-1)?.heading) carried.unshift(current.units.pop() as ChunkUnit);
    drafts.push({ units: current.units, weight: sumWeights(current.units) });
    const startsSection = carried.length > 0 || unit.heading;
    let next = [...(startsSection ? [] : overlapTail(current.units, chunkOverlap)), ...carried, unit];
    if (sumWeights(next) > chunkSize) next = [...carried, unit];
    if (sumWeights(next) > chunkSize) {
      if (carried.length > 0) drafts.push({ units: carried, weight: sumWeights(carried) });
      next = [unit];
    }
    current = { units: next, weight: sumWeights(next) };
  }
  if (current.units.length > 0) drafts.push(current);
  return drafts;
}

/**
 * Splits a document into chunks of at most `chunkSize` estimated tokens. Pages are normalised
 * and joined as documentText does; chunk offsets index that text. Sentences are never cut,
 * except one longer than a chunk (cut at word, else grapheme, boundaries). Consecutive chunks
 * share whole sentences of up to `chunkOverlap` tokens, except where a new section (heading)
 * starts. With `pagesApart`, no chunk spans two pages (a spreadsheet's sheets, a deck's slides:
 * a passage cited as sheet 2 must not hold rows of sheet 1). Deterministic: the same input
 * always gives the same chunks.
 * @throws RangeError when the options are outside chunkingBounds.
 */
export function chunkDocument(pages: readonly PageText[], options: ChunkingOptions = defaultChunking, layout: { pagesApart?: boolean } = {}): Chunk[] {
  const problems = validateChunkingOptions(options);
  if (problems.length > 0) throw new RangeError(problems.join('; '));
  const doc = documentText(pages);
  const spans = layout.pagesApart ? doc.pages : [{ start: 0, end: doc.text.length }];
  const drafts = spans.flatMap(({ start, end }) => {
    const { units, paragraphWeights } = chunkUnits(doc.text.slice(start, end), options.chunkSize);
    return packUnits(units, paragraphWeights, options).map((draft) => ({ draft, offset: start }));
  });
  return drafts.map(({ draft, offset }, index) => {
    const first = draft.units[0] as ChunkUnit;
    const last = draft.units.at(-1) as ChunkUnit;
    const raw = doc.text.slice(offset + first.start, offset + last.end);
    const charStart = offset + first.start + (raw.length - raw.trimStart().length);
    const charEnd = offset + last.end - (raw.length - raw.trimEnd().length);
    const text = doc.text.slice(charStart, charEnd);
    return {
      index,
      text,
      pageStart: pageAtOffset(doc.pages, charStart),
      pageEnd: pageAtOffset(doc.pages, charEnd - 1),
      charStart,
      charEnd,
      tokens: estimateTokens(text),
    };
  });
}
