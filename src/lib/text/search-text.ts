// Full-text search over Japanese and English with PostgreSQL's built-in 'simple' configuration:
// the words are cut here, in JavaScript (Intl.Segmenter), and Postgres only stores and matches
// them. No extension (pg_bigm, PGroonga) is needed, so it runs on PGlite and any managed Postgres.
//
//   tsv      = to_tsvector('simple', segmentForIndex(`${title}\n${chunk.text}`))
//   match    = tsv @@ to_tsquery('simple', buildTsQuery(question))   -- when not null
//   rank     = BM25 over queryTerms(question), see README.md (Postgres' ts_rank has no IDF)
import { stemmer } from 'stemmer';
import { normalizeText } from './normalize.js';
import { CJK_LETTER_CLASS } from './scripts.js';
import { segmentLong } from './segment.js';
import { isStopword } from './stopwords.js';

export interface SearchTextOptions {
  /** Also index character bigrams of CJK text, so differing word cuts still match. */
  cjkBigrams: boolean;
  /** Weight of a bigram relative to a word in a question (see queryTerms); 0 = unused. */
  bigramWeight: number;
  /** Weight of an adjacent word pair of the question (see queryTerms); 0 = unused. */
  phraseWeight: number;
  /** Drop function words (の, です, the, what…). */
  dropStopwords: boolean;
  /** Reduce English words to their Porter stem ("colonies" and "colony" → "coloni"). */
  stemEnglish: boolean;
}

/** The design chosen with bench/eval-fulltext.ts. Index and queries must use the same options. */
export const defaultSearchText: SearchTextOptions = {
  cjkBigrams: true,
  bigramWeight: 0.3,
  phraseWeight: 0.5,
  dropStopwords: true,
  stemEnglish: true,
};

/** Longer "words" (hashes, base64) would only bloat the index; Postgres skips > 2047 bytes anyway. */
const MAX_TERM_LENGTH = 64;
/** Bounds the work a single question can cause (a 10,000-character paste is still one query). */
const MAX_QUERY_TERMS = 48;

const wordSegmenter = new Intl.Segmenter('ja', { granularity: 'word' });
// Only letters, marks and digits reach Postgres: no tsquery operator, quote or backslash can
// appear in a term, and its parser sees the same plain word in documents and questions.
const TERM_PART = /[\p{L}\p{M}\p{N}]+/gu;
const CJK_WORD = new RegExp(`^[${CJK_LETTER_CLASS}]+$`, 'u');
/**
 * An English possessive or "is"/"has" contraction ("Apollo's", "Apollo’s"): TERM_PART would cut it
 * into "apollo" + "s", a stray term found in most English chunks (where it is indexed, harmlessly).
 */
const APOSTROPHE_S = /(?<=\p{L})['’]s(?![\p{L}\p{M}\p{N}])/giu;
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
  for (const { segment, isWordLike } of segmentLong(wordSegmenter, normalizeText(text).toLowerCase())) {
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
 * @example segmentForIndex('東京大学に行きました') // '東京 大学 行き 東京 京大 大学 行き'
 */
export function segmentForIndex(text: string, options: SearchTextOptions = defaultSearchText): string {
  const { words, bigrams } = extractTerms(text, options);
  return [...words, ...bigrams].join(' ');
}

/** A search term of a question and how much a match on it should count (words 1). */
export interface QueryTerm {
  /** The word, bigram, or two words of a phrase separated by a space. */
  term: string;
  /** The term as a to_tsquery('simple', …) string: 'word', or 'one' <-> 'two' for a phrase. */
  tsquery: string;
  /** How much a match should count in a ranking that sums per-term scores (BM25). */
  weight: number;
  /** A word of the question, a pair of adjacent words, or a CJK character bigram. */
  kind: 'word' | 'phrase' | 'bigram';
}

/**
 * The distinct search terms of a question, at most MAX_QUERY_TERMS: its words (weight 1), each
 * pair of adjacent words as a phrase (phraseWeight: chunks keeping the question's word order
 * rank higher), then CJK bigrams (bigramWeight: a fallback for differing word cuts that must
 * not outvote whole words). Stopwords are left out of the index too, so "東京の大学" and
 * "東京大学" both give the adjacent pair 東京 大学.
 */
export function queryTerms(question: string, options: SearchTextOptions = defaultSearchText): QueryTerm[] {
  // Query side only, so stored tsvectors stay valid: a question's "'s" adds nothing but noise.
  const { words, bigrams } = extractTerms(question.replace(APOSTROPHE_S, ''), options);
  const terms = new Map<string, QueryTerm>();
  const add = (term: string, tsquery: string, weight: number, kind: QueryTerm['kind']) => {
    if (weight > 0 && !terms.has(term)) terms.set(term, { term, tsquery, weight, kind });
  };
  for (const word of words) add(word, `'${word}'`, 1, 'word');
  for (let i = 1; i < words.length; i += 1) {
    const [first, second] = [words[i - 1], words[i]];
    if (first !== second) add(`${first} ${second}`, `'${first}' <-> '${second}'`, options.phraseWeight, 'phrase');
  }
  for (const bigram of bigrams) add(bigram, `'${bigram}'`, options.bigramWeight, 'bigram');
  return [...terms.values()].slice(0, MAX_QUERY_TERMS);
}

/**
 * A to_tsquery('simple', …) string for a question in any language: its terms ORed, so partial
 * matches still rank. Safe for any input (only letters and digits, each term quoted). Null when
 * nothing searchable remains (empty, punctuation or stopwords only).
 * @example buildTsQuery('東京大学はどこ?') // "'東京' | '大学' | '京大'"
 */
export function buildTsQuery(question: string, options: SearchTextOptions = defaultSearchText): string | null {
  return tsQueryOf(queryTerms(question, options));
}

/** The OR of `terms` as buildTsQuery makes it, for terms already chosen (a question with its conversation's). */
export function tsQueryOf(terms: QueryTerm[]): string | null {
  // Phrases add nothing to which chunks match: their words are already in the OR.
  const singles = terms.filter((t) => t.kind !== 'phrase');
  return singles.length === 0 ? null : singles.map((t) => t.tsquery).join(' | ');
}
