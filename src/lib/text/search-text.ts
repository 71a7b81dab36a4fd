// Full-text search over Japanese and English with PostgreSQL's built-in 'simple' configuration:
// the words are cut here, in JavaScript (Intl.Segmenter), and Postgres only stores and matches
// them. No extension (pg_bigm, PGroonga) is needed, so it runs on PGlite and any managed Postgres.
//
//   tsv      = to_tsvector('simple', segmentForIndex(chunk.text))
//   question = to_tsquery('simple', buildTsQuery(question))   -- when not null
import { stemmer } from 'stemmer';
import { normalizeText } from './normalize.js';
import { CJK_LETTER_CLASS } from './scripts.js';
import { isStopword } from './stopwords.js';

export interface SearchTextOptions {
  /** Also index character bigrams of CJK text, so differing word cuts still match. */
  cjkBigrams: boolean;
  /** Weight of a bigram relative to a word in a question (see queryTerms). */
  bigramWeight: number;
  /** Drop function words (の, です, the, what…). */
  dropStopwords: boolean;
  /** Reduce English words to their Porter stem ("colonies" and "colony" → "coloni"). */
  stemEnglish: boolean;
}

/** The design chosen with bench/eval-fulltext.ts. Index and queries must use the same options. */
export const defaultSearchText: SearchTextOptions = { cjkBigrams: true, bigramWeight: 0.3, dropStopwords: true, stemEnglish: true };

/** Longer "words" (hashes, base64) would only bloat the index; Postgres skips > 2047 bytes anyway. */
const MAX_TERM_LENGTH = 64;
/** Bounds the work a single question can cause (a 10,000-character paste is still one query). */
const MAX_QUERY_TERMS = 48;

const wordSegmenter = new Intl.Segmenter('ja', { granularity: 'word' });
// Only letters, marks and digits reach Postgres: no tsquery operator, quote or backslash can
// appear in a term, and its parser sees the same plain word in documents and questions.
const TERM_PART = /[\p{L}\p{M}\p{N}]+/gu;
const CJK_WORD = new RegExp(`^[${CJK_LETTER_CLASS}]+$`, 'u');
/** Porter's rules are for English: leave other Latin-script words and short words alone. */
const STEMMABLE = /^[a-z]{3,}$/;

interface Terms {
  words: string[];
  bigrams: string[];
}

/** Overlapping two-character strings of `run` (by code point); a 1-character run gives none. */
function bigramsOf(run: string): string[] {
  const chars = [...run];
  return chars.slice(1).map((char, i) => chars[i] + char);
}

function extractTerms(text: string, options: SearchTextOptions): Terms {
  const words: string[] = [];
  const bigrams: string[] = [];
  // CJK content words in a row form a run; bigrams are taken across the run so that
  // "低|コスト" in a question still meets "低コスト" cut as one word in a document.
  let cjkRun = '';
  const endRun = () => {
    if (options.cjkBigrams) bigrams.push(...bigramsOf(cjkRun));
    cjkRun = '';
  };
  for (const { segment, isWordLike } of wordSegmenter.segment(normalizeText(text).toLowerCase())) {
    if (!isWordLike) {
      endRun();
      continue;
    }
    for (const term of segment.match(TERM_PART) ?? []) {
      if (term.length > MAX_TERM_LENGTH || (options.dropStopwords && isStopword(term))) {
        endRun();
        continue;
      }
      words.push(options.stemEnglish && STEMMABLE.test(term) ? stemmer(term) : term);
      if (CJK_WORD.test(term)) cjkRun += term;
      else endRun();
    }
  }
  endRun();
  return { words, bigrams };
}

/**
 * Space-separated lowercase terms of `text` for to_tsvector('simple', …): its words
 * (Intl.Segmenter, word-like segments only), then the bigrams of its CJK runs.
 * @example segmentForIndex('東京大学に行きました') // '東京 大学 行き 東京 京大 大学'
 */
export function segmentForIndex(text: string, options: SearchTextOptions = defaultSearchText): string {
  const { words, bigrams } = extractTerms(text, options);
  return [...words, ...bigrams].join(' ');
}

/** A search term of a question and how much a match on it should count (words 1). */
export interface QueryTerm {
  term: string;
  weight: number;
}

/**
 * The distinct search terms of a question (words first, then CJK bigrams), at most
 * MAX_QUERY_TERMS. A ranking that sums per-term scores (BM25) multiplies each by `weight`:
 * bigrams are a fallback for differing word cuts and should not outvote whole words.
 */
export function queryTerms(question: string, options: SearchTextOptions = defaultSearchText): QueryTerm[] {
  const { words, bigrams } = extractTerms(question, options);
  const weights = new Map<string, number>();
  for (const term of words) weights.set(term, 1);
  for (const term of bigrams) if (!weights.has(term)) weights.set(term, options.bigramWeight);
  return [...weights].slice(0, MAX_QUERY_TERMS).map(([term, weight]) => ({ term, weight }));
}

/**
 * A to_tsquery('simple', …) string for a question in any language: its terms ORed, so partial
 * matches still rank. Safe for any input (only letters and digits, each term quoted). Null when
 * nothing searchable remains (empty, punctuation or stopwords only).
 * @example buildTsQuery('東京大学はどこ?') // "'東京' | '大学' | '京大'"
 */
export function buildTsQuery(question: string, options: SearchTextOptions = defaultSearchText): string | null {
  const terms = queryTerms(question, options);
  return terms.length === 0 ? null : terms.map(({ term }) => `'${term}'`).join(' | ');
}
