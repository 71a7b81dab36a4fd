import type { MessageSource } from '../../db/schema.js';
import { queryTerms } from '../../lib/text/search-text.js';
import { sentenceSpans } from '../../lib/text/sentences.js';
import type { AnswerLanguage } from './language.js';
import { NOT_IN_DOCUMENTS } from './not-found.js';

/** The model name reported when no provider is configured (SPEC decision 8). */
export const EXTRACTIVE_MODEL = 'extractive';

/** Passages quoted in an extractive answer, and how much of each. */
const QUOTED_PASSAGES = 3;
const EXCERPT_CHARS = 240;

const LEAD: Record<AnswerLanguage, string> = {
  ja: '資料の中から、ご質問に最も関連する箇所を抜粋しました。',
  en: 'Here are the passages of the documents most relevant to your question.',
};

/**
 * The answer without a language model: the best passages, each cut down to its sentences that
 * share the most words with the question, cited [n] like a model's answer would be.
 */
export function extractiveAnswer(question: string, sources: MessageSource[], language: AnswerLanguage): string {
  if (sources.length === 0) return NOT_IN_DOCUMENTS[language];
  const terms = queryTerms(question).filter((t) => !t.term.includes(' '));
  const quotes = sources.slice(0, QUOTED_PASSAGES).map((source, i) => `・${excerpt(source.chunk_text, terms)} [${i + 1}]`);
  return [LEAD[language], '', ...quotes].join('\n');
}

/**
 * The sentences around the one that matches the question best, up to EXCERPT_CHARS, within its
 * paragraph: a passage often holds the end of one article and the start of the next.
 */
function excerpt(text: string, terms: Array<{ term: string; weight: number }>): string {
  const sentences = sentenceSpans(text)
    .map((span) => ({ text: text.slice(span.start, span.end).replace(/\s+/g, ' ').trim(), endsParagraph: /\n/.test(text.slice(span.start, span.end)) }))
    .filter((s) => s.text);
  if (sentences.length === 0) return '';
  const scoreOf = (sentence: string) => {
    const lower = sentence.toLowerCase();
    return terms.reduce((sum, t) => (lower.includes(t.term) ? sum + t.weight : sum), 0);
  };
  let best = 0;
  sentences.forEach((s, i) => {
    if (scoreOf(s.text) > scoreOf(sentences[best]!.text)) best = i;
  });
  let first = best;
  let last = best;
  const length = () => joinSentences(sentences.slice(first, last + 1).map((s) => s.text)).length;
  const fits = (i: number) => length() + sentences[i]!.text.length < EXCERPT_CHARS;
  // Grow forwards, then backwards, within the paragraph and the budget: context reads better after a match.
  while (last + 1 < sentences.length && !sentences[last]!.endsParagraph && fits(last + 1)) last += 1;
  while (first > 0 && !sentences[first - 1]!.endsParagraph && fits(first - 1)) first -= 1;
  const joined = joinSentences(sentences.slice(first, last + 1).map((s) => s.text));
  const clipped = joined.length > EXCERPT_CHARS ? `${joined.slice(0, EXCERPT_CHARS - 1)}…` : joined;
  const cutBefore = first > 0 && !sentences[first - 1]!.endsParagraph;
  const cutAfter = last < sentences.length - 1 && !sentences[last]!.endsParagraph && !clipped.endsWith('…');
  return `${cutBefore ? '…' : ''}${clipped}${cutAfter ? '…' : ''}`;
}

/** Japanese sentences follow each other without a space; others get one. */
function joinSentences(sentences: string[]): string {
  return sentences.reduce((text, s) => (text === '' ? s : `${text}${/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}。！？」』）]$/u.test(text) ? '' : ' '}${s}`), '');
}
