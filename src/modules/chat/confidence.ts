// How far an answer can be trusted, from what produced it: the retrieval's best score against the
// cut, how much of the question the cited passages cover, whether full-text and vector search agreed,
// an FAQ match, and whether the answer itself says the documents do not hold it. The thresholds were
// measured with bench/confidence.ts over shared/eval (answered vs unanswerable questions; README.md).
import type { ConfidenceLevel } from '../../db/enums.js';
import { normalizeText } from '../../lib/text/normalize.js';
import { CJK_LETTER_CLASS } from '../../lib/text/scripts.js';
import { queryTerms, segmentForIndex } from '../../lib/text/search-text.js';
import { splitSentences } from '../../lib/text/sentences.js';
import type { RetrievedChunk } from '../retrieval/retrieval.service.js';
import { NOT_IN_DOCUMENTS } from './not-found.js';


/** What a level was decided from; stored with the answer (messages.confidence) and returned with it. */
export interface ConfidenceSignals {
  /** The best cited passage's score (0–1); null without passages. */
  best_score: number | null;
  /** The score a question's best passage must reach to be answered at all (the default min_score). */
  cut: number;
  /** best_score / cut: 1 is just through the cut. */
  margin: number | null;
  /** Share of the question's words (search terms, src/lib/text) found in the top passages, 0–1. */
  coverage: number | null;
  /**
   * The same share in the one sentence of the top passages (with its passage's title) that holds
   * most of them: an answer restates what was asked near the answer, while an unrelated question's
   * common words turn up scattered over a passage.
   */
  sentence_coverage: number | null;
  /** When vector search ran: share of the top passages both searches found, 0–1; null otherwise. */
  agreement: number | null;
  /** The answer is an FAQ entry's, or an FAQ entry is the best source. */
  faq: boolean;
  /** The answer says the documents do not hold the answer (the not-found answer, or a model saying so). */
  not_found: boolean;
}

export interface Confidence {
  level: ConfidenceLevel;
  signals: ConfidenceSignals;
}

/** Passages the coverage and agreement look at: the ones an answer mostly draws on. */
const TOP_PASSAGES = 3;
/**
 * What a level needs: `medium` a sentence holding that share of the question's words (the signal
 * that best tells unanswerable questions apart), `high` besides a clear margin over the cut and the
 * question's words in the top passages (the signal that best tells right answers from wrong ones).
 */
export interface LevelThresholds {
  high: { margin: number; coverage: number };
  medium: { margin: number; sentenceCoverage: number };
}
/** Chosen with bench/confidence.ts on the shared eval sets (README.md: the sweep). */
export const THRESHOLDS: LevelThresholds = { high: { margin: 1.5, coverage: 0.75 }, medium: { margin: 1, sentenceCoverage: 0.4 } };

const CJK_WORD = new RegExp(`^[${CJK_LETTER_CLASS}]+$`, 'u');

/** Ways a model says the sources do not answer (ja and en); the product's own sentence is the first. */
const SAYS_NOT_FOUND = [
  ...Object.values(NOT_IN_DOCUMENTS).map((text) => new RegExp(escape(text.slice(0, 24)))),
  /(?:資料|文書|ドキュメント|情報|ソース)(?:の中)?(?:に|で|から)は?[^。\n]{0,30}(?:見つかりません|見当たりません|記載(?:が|は)?(?:ありません|ない|されていません)|含まれていません|わかりません|分かりません)/u,
  /\b(?:documents?|sources?|provided (?:information|context))\b[^.\n]{0,60}\b(?:do(?:es)? not|don't|doesn't)\b[^.\n]{0,40}\b(?:contain|include|mention|say|cover|answer)/iu,
  /\b(?:could not|couldn't|cannot|can't|unable to)\b[^.\n]{0,20}\bfind\b[^.\n]{0,60}\b(?:documents?|sources?)\b/iu,
];

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The answer says the documents do not hold what was asked (not-found.ts, or a model's own words). */
export function saysNotFound(answer: string): boolean {
  const text = normalizeText(answer);
  return SAYS_NOT_FOUND.some((pattern) => pattern.test(text) || pattern.test(answer));
}

/** Cites at least one source as [n]. */
export const cites = (answer: string) => /\[\d+\]/.test(answer);

/**
 * Share of the question's words present in the passages, in search form (NFKC, lower case, English
 * stems). A Japanese word the passages cut differently counts when all its character bigrams are there.
 * @example termCoverage('有給休暇は何日？', ['有給休暇は年10日付与する']) // 1 (有給, 休暇, 何, 日 → 何 is a stopword)
 */
export function termCoverage(question: string, passages: string[]): number | null {
  const words = questionWords(question);
  if (words.length === 0 || passages.length === 0) return null;
  return coverageIn(words, passages.join('\n'));
}

/**
 * The best share of the question's words in one sentence of the passages (read with its passage's title).
 * @example sentenceCoverage('Do you ship to Canada?', [{ title: null, text: 'Ships sail. Canada is large.' }]) // 0.5
 */
export function sentenceCoverage(question: string, passages: Array<{ title: string | null; text: string }>): number | null {
  const words = questionWords(question);
  if (words.length === 0 || passages.length === 0) return null;
  let best = 0;
  for (const passage of passages) {
    for (const sentence of splitSentences(passage.text)) best = Math.max(best, coverageIn(words, `${passage.title ?? ''}\n${sentence}`));
    if (best === 1) break;
  }
  return best;
}

const questionWords = (question: string) => queryTerms(question).filter((t) => t.kind === 'word').map((t) => t.term);

function coverageIn(words: string[], text: string): number {
  const index = new Set(segmentForIndex(text).split(' '));
  const covered = words.filter((term) => {
    if (index.has(term)) return true;
    const chars = [...term];
    if (!CJK_WORD.test(term) || chars.length < 2) return false;
    for (let i = 1; i < chars.length; i += 1) if (!index.has(chars[i - 1]! + chars[i]!)) return false;
    return true;
  });
  return covered.length / words.length;
}

export interface ConfidenceInput {
  question: string;
  answer: string;
  /** What retrieval returned, best first (empty for an FAQ answer or nothing found). */
  passages: RetrievedChunk[];
  /** The default min_score of the retrieval. */
  cut: number;
  /** The question was answered with an FAQ entry verbatim. */
  faqAnswer: boolean;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** The confidence of one answer, with what it came from. */
export function assessConfidence(input: ConfidenceInput): Confidence {
  const top = input.passages.slice(0, TOP_PASSAGES);
  const best = input.passages.reduce<number | null>((max, p) => (max === null ? p.score : Math.max(max, p.score)), null);
  const vectorRan = input.passages.some((p) => p.match !== 'fulltext');
  const signals: ConfidenceSignals = {
    best_score: best,
    cut: input.cut,
    margin: best === null || input.cut <= 0 ? null : round(best / input.cut),
    coverage: input.faqAnswer ? null : nullable(termCoverage(input.question, top.map((p) => `${p.title ?? ''}\n${p.chunk_text}`))),
    sentence_coverage: input.faqAnswer ? null : nullable(sentenceCoverage(input.question, top.map((p) => ({ title: p.title, text: p.chunk_text })))),
    agreement: vectorRan ? round(top.filter((p) => p.match === 'both').length / top.length) : null,
    faq: input.faqAnswer || input.passages[0]?.kind === 'faq',
    not_found: !input.faqAnswer && (input.passages.length === 0 || saysNotFound(input.answer)),
  };
  return { level: levelOf(signals, cites(input.answer)), signals };
}

const nullable = (x: number | null) => (x === null ? null : round(x));

/** The level the signals give; `cited`: the answer cites a source as [n]. */
export function levelOf(s: ConfidenceSignals, cited: boolean, thresholds: LevelThresholds = THRESHOLDS): ConfidenceLevel {
  const { high: HIGH, medium: MEDIUM } = thresholds;
  if (s.faq && !s.not_found && (s.best_score === null || s.best_score >= s.cut)) return 'high';
  if (s.best_score === null || (s.not_found && !cited)) return 'none';
  if (s.not_found) return 'low';
  const margin = s.margin ?? 0;
  // Vector search that found none of the full-text's top passages disagrees: one step down.
  const disagree = s.agreement === 0;
  if (margin < MEDIUM.margin || (s.sentence_coverage ?? 0) < MEDIUM.sentenceCoverage) return 'low';
  if (margin >= HIGH.margin && (s.coverage ?? 0) >= HIGH.coverage && !disagree) return 'high';
  return disagree ? 'low' : 'medium';
}
