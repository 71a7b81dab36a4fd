// Cuts the document text into the units the chunker packs: sentences, and pieces of sentences
// too long to fit in one chunk.
import { segmentLong } from './segment.js';
import { sentenceSpans, type TextSpan } from './sentences.js';
import { tokenWeight } from './tokens.js';

export interface ChunkUnit extends TextSpan {
  /** tokenWeight of the unit's text (its trailing whitespace weighs nothing). */
  weight: number;
  /** Ordinal of the paragraph (blank-line separated block) the unit belongs to. */
  paragraph: number;
  paragraphStart: boolean;
  /** A paragraph's short first line without sentence-final punctuation: a title or heading. */
  heading: boolean;
  /** Part of a sentence longer than a chunk: never used as overlap. */
  piece: boolean;
}

export interface UnitList {
  units: ChunkUnit[];
  /** Total weight of each paragraph, by ordinal. */
  paragraphWeights: number[];
}

const MAX_HEADING_LENGTH = 60;
// ASCII and full-width forms: the document text keeps the characters as written.
const SENTENCE_FINAL = /[。.!?;:、,．！？；：，]["'」』)\]）］”’]?$/u;
const MARKDOWN_HEADING = /^#{1,6}\s/;

const wordSegmenter = new Intl.Segmenter('ja', { granularity: 'word' });
const graphemeSegmenter = new Intl.Segmenter('ja', { granularity: 'grapheme' });

function looksLikeHeading(sentence: string, endsLine: boolean): boolean {
  const trimmed = sentence.trim();
  if (MARKDOWN_HEADING.test(trimmed)) return true;
  return endsLine && trimmed.length <= MAX_HEADING_LENGTH && !SENTENCE_FINAL.test(trimmed);
}

/** Boundaries where `text` may be cut: word boundaries, or grapheme boundaries inside a giant word. */
function cutPoints(text: string, maxWeight: number): number[] {
  const points: number[] = [];
  for (const { segment, index } of segmentLong(wordSegmenter, text)) {
    if (tokenWeight(segment) <= maxWeight) points.push(index);
    else for (const g of segmentLong(graphemeSegmenter, segment)) points.push(index + g.index);
  }
  return points;
}

/**
 * Splits one oversize sentence [start, end) of `text` into pieces of at most `maxWeight`,
 * cutting at word boundaries (grapheme boundaries for a word larger than a chunk), so a piece
 * never ends inside a surrogate pair or a combined character.
 */
export function splitOversize(text: string, span: TextSpan, maxWeight: number): TextSpan[] {
  const sentence = text.slice(span.start, span.end);
  const points = [...cutPoints(sentence, maxWeight), sentence.length];
  const pieces: TextSpan[] = [];
  let pieceStart = 0;
  let weight = 0;
  for (let i = 0; i + 1 < points.length; i += 1) {
    const from = points[i] ?? 0;
    const to = points[i + 1] ?? sentence.length;
    const stepWeight = tokenWeight(sentence.slice(from, to));
    if (weight + stepWeight > maxWeight && from > pieceStart) {
      pieces.push({ start: span.start + pieceStart, end: span.start + from });
      pieceStart = from;
      weight = 0;
    }
    weight += stepWeight;
  }
  pieces.push({ start: span.start + pieceStart, end: span.end });
  return pieces;
}

/** Paragraph spans of normalised text: blocks separated by blank lines. */
function paragraphSpans(text: string): TextSpan[] {
  const spans: TextSpan[] = [];
  let start = 0;
  for (const match of text.matchAll(/\n{2,}/g)) {
    if (match.index > start) spans.push({ start, end: match.index });
    start = match.index + match[0].length;
  }
  if (start < text.length) spans.push({ start, end: text.length });
  return spans;
}

/** Sentence units of normalised document text, oversize sentences already split. */
export function chunkUnits(text: string, maxWeight: number): UnitList {
  const units: ChunkUnit[] = [];
  const paragraphWeights: number[] = [];
  for (const [paragraph, para] of paragraphSpans(text).entries()) {
    let paragraphWeight = 0;
    for (const local of sentenceSpans(text.slice(para.start, para.end))) {
      const span = { start: para.start + local.start, end: para.start + local.end };
      const sentence = text.slice(span.start, span.end);
      const weight = tokenWeight(sentence);
      paragraphWeight += weight;
      const paragraphStart = span.start === para.start;
      if (weight <= maxWeight) {
        // Only a paragraph's first line can be its heading; a short last line is not one.
        const heading = paragraphStart && looksLikeHeading(sentence, sentence.endsWith('\n') || span.end === para.end);
        units.push({ ...span, weight, paragraph, paragraphStart, heading, piece: false });
        continue;
      }
      for (const [i, piece] of splitOversize(text, span, maxWeight).entries()) {
        const pieceWeight = tokenWeight(text.slice(piece.start, piece.end));
        units.push({ ...piece, weight: pieceWeight, paragraph, paragraphStart: paragraphStart && i === 0, heading: false, piece: true });
      }
    }
    paragraphWeights.push(paragraphWeight);
  }
  return { units, paragraphWeights };
}
