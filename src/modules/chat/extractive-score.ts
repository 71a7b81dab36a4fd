// How well a sentence answers a question: the question's terms it holds, weighted by how rare
// they are among the candidate sentences, plus something of the kind the question asks for.
// Everything is compared in matching form (NFKC, lowercase); offsets are mapped back to the
// sentence as written, so a quote can be cut without touching what matched.
import { queryTerms, segmentForIndex } from '../../lib/text/search-text.js';
import type { TextSpan } from '../../lib/text/sentences.js';
import { kindSpans, questionKind, type QuestionKind } from './extractive-question-kind.js';
import { withContextTerms } from '../retrieval/context-terms.js';

/** A sentence holding an answer of the asked kind counts like this many rare question words. */
const KIND_WEIGHT = 1.5;
/**
 * Share of a word's weight a sentence gets when the word is in the sentence before it or in its
 * heading: Japanese leaves out a subject already named (「…は出版社。京都市に本社を置く。」).
 */
const CONTEXT_SHARE = 0.5;

const graphemes = new Intl.Segmenter('ja', { granularity: 'grapheme' });

/** `text` in matching form, with the offset in `text` of every UTF-16 unit of the matching form. */
export interface MatchingView {
  key: string;
  /** origin[i] = offset in the original of the grapheme key[i] came from; origin[key.length] = its length. */
  origin: number[];
}

/** NFKC + lowercase, grapheme by grapheme, so every matching offset maps back to the original. */
export function matchingView(text: string, lowercase = true): MatchingView {
  let key = '';
  const origin: number[] = [];
  for (const { segment, index } of graphemes.segment(text)) {
    const folded = segment.normalize('NFKC');
    const piece = lowercase ? folded.toLowerCase() : folded;
    for (let i = 0; i < piece.length; i += 1) origin.push(index);
    key += piece;
  }
  origin.push(text.length);
  return { key, origin };
}

/** A span of the matching form as a span of the original: whole graphemes only. */
function toOriginal(view: MatchingView, span: TextSpan): TextSpan {
  const start = view.origin[span.start] ?? 0;
  let end = view.origin[span.end] ?? view.origin.at(-1)!;
  // A span ending inside one grapheme's expansion ("㍻" → "平成") takes the whole grapheme.
  if (span.end > 0 && view.origin[span.end - 1] === end) end = view.origin.find((o, i) => i >= span.end && o > end) ?? view.origin.at(-1)!;
  return { start, end };
}

interface WeightedTerm {
  term: string;
  kind: 'word' | 'phrase' | 'bigram';
  /** The term's words, each matched at a word start (stems match their inflections). */
  pattern: RegExp;
  weight: number;
}

/** What matched in a sentence, as spans of the sentence as written. */
export interface SentenceMatch {
  score: number;
  /** Question terms found, with their weight. */
  terms: Array<TextSpan & { weight: number }>;
  /** Something of the asked kind that the question itself does not contain: a likely answer. */
  answers: TextSpan[];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Porter stems drop endings and turn y into i: "coloni" must meet "colony" and "colonies". */
const wordPattern = (word: string) =>
  /^[a-z]/.test(word) ? `\\b${escape(word.endsWith('i') ? word.slice(0, -1) : word)}${word.endsWith('i') ? '[iy]' : ''}` : escape(word);

/**
 * Scores sentences against one question. Term weights are the question's (words 1, phrases and
 * bigrams less) times an IDF over `pool`, the candidate sentences: a word every sentence has
 * (the article's subject) tells them apart less than a rare one.
 */
export function sentenceScorer(question: string, pool: readonly string[], conversation?: string) {
  const kind: QuestionKind | null = questionKind(question);
  const questionKey = matchingView(question).key.replace(/\s+/g, '');
  const indexed = pool.map((s) => ` ${segmentForIndex(s)} `);
  // A follow-up's quote is chosen with the conversation's words too, weighted as retrieval weighs them.
  const questionTerms = conversation ? withContextTerms(queryTerms(question), queryTerms(conversation)) : queryTerms(question);
  const terms: WeightedTerm[] = questionTerms.map((t) => {
    const needle = ` ${t.term} `;
    const df = indexed.filter((s) => s.includes(needle)).length;
    // BM25's IDF: a word most candidate sentences share (the article's subject) weighs little.
    const idf = Math.log(1 + (pool.length - df + 0.5) / (df + 0.5));
    return { term: t.term, kind: t.kind, pattern: new RegExp(t.term.split(' ').map(wordPattern).join('[\\s\\S]{0,12}?'), 'gu'), weight: t.weight * idf };
  });
  const maxWeight = Math.max(1, ...terms.map((t) => t.weight));

  const matchedTerms = (text: string): WeightedTerm[] => {
    const tokens = ` ${segmentForIndex(text)} `;
    const matched = terms.filter((t) => tokens.includes(` ${t.term} `));
    // A bigram is a fallback for a word cut differently: it adds nothing to a word that matched whole.
    const whole = matched.filter((t) => t.kind !== 'bigram').map((t) => t.term.replace(' ', ''));
    return matched.filter((t) => t.kind !== 'bigram' || !whole.some((w) => w.includes(t.term)));
  };

  /** `context`: the sentence before this one in its paragraph, and its heading. */
  return function score(sentence: string, context: readonly string[] = []): SentenceMatch {
    const view = matchingView(sentence);
    const found: SentenceMatch['terms'] = [];
    let score = 0;
    const own = matchedTerms(sentence);
    for (const t of own) {
      score += t.weight;
      for (const m of view.key.matchAll(t.pattern)) found.push({ ...toOriginal(view, { start: m.index, end: m.index + m[0].length }), weight: t.weight });
    }
    const inherited = new Set(context.flatMap((c) => matchedTerms(c)).filter((t) => t.kind === 'word' && !own.includes(t)));
    for (const t of inherited) score += CONTEXT_SHARE * t.weight;
    const answers: TextSpan[] = [];
    if (kind) {
      const cased = matchingView(sentence, false);
      for (const span of kindSpans(kind, cased.key)) {
        const candidate = cased.key.slice(span.start, span.end).toLowerCase().replace(/\s+/g, '');
        if (!questionKey.includes(candidate)) answers.push(toOriginal(cased, span));
      }
      if (answers.length > 0) score += KIND_WEIGHT * Math.min(maxWeight, 2);
    }
    return { score, terms: found, answers };
  };
}
