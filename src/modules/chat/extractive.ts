import { normalizeText } from '../../lib/text/normalize.js';
import { displayWidth } from '../../lib/text/scripts.js';
import type { ChatSource } from './chat.schemas.js';
import type { AnswerLanguage } from './language.js';
import { clipSentence, MAX_QUOTE_WIDTH } from './extractive-clip.js';
import { sentenceScorer, type SentenceMatch } from './extractive-score.js';
import { questionKind } from './extractive-question-kind.js';
import { quotableSentences } from './extractive-sentences.js';
import { notFoundAnswer } from './not-found.js';

/** The model name reported when no provider is configured (docs/decisions.md D8). */
export const EXTRACTIVE_MODEL = 'extractive';

export interface ExtractiveOptions {
  /** Passages whose sentences may be quoted, best first (default 3). */
  passages?: number;
  /** Quoted sentences at most (default 3). */
  maxQuotes?: number;
  /** A further sentence is quoted only if it scores at least this share of the first (default 0.5). */
  minShareOfBest?: number;
  /** Width budget of one quote, in columns (a CJK character is two). */
  maxQuoteWidth?: number;
  /** What a follow-up leans on (the previous turn's query): its words help choose the sentence. */
  conversation?: string;
  /** The widget's contact line, for the not-found answer when nothing can be quoted. */
  contact?: string | null;
}

const DEFAULTS: Required<Omit<ExtractiveOptions, 'conversation' | 'contact'>> = { passages: 3, maxQuotes: 3, minShareOfBest: 0.5, maxQuoteWidth: MAX_QUOTE_WIDTH };

/** A later passage's sentence must beat an earlier one's by this factor per rank to be quoted. */
const RANK_DISCOUNT = [1, 0.8, 0.65, 0.55, 0.5];

const LEAD: Record<AnswerLanguage, string> = {
  ja: '資料の中から、ご質問に最も関連する箇所を抜粋しました。',
  en: 'Here are the passages of the documents most relevant to your question.',
};

/**
 * A sentence that names no subject of its own is quoted with the one before it, which does:
 * Japanese drops a subject already named (「フランス通信社は…国際通信社。世界最古の報道機関。」:
 * no は or が), English refers back with a pronoun ("It was founded in 1835.").
 */
const JA_SUBJECTLESS = /^[^はが]*$/u;
/** 「…では」「…には」 set a scene, not a subject. */
const JA_NOT_SUBJECT = /[でに]は/gu;
const EN_REFERS_BACK = /^(?:it|its|he|his|she|her|they|their|this|these|those|there|such)\b/iu;
const JA_TEXT = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;

function needsPrevious(sentence: string): boolean {
  return JA_TEXT.test(sentence) ? JA_SUBJECTLESS.test(sentence.replace(JA_NOT_SUBJECT, '')) : EN_REFERS_BACK.test(sentence);
}

interface Candidate {
  text: string;
  passage: number;
  /** The sentence before it in its paragraph, if any. */
  previous: string | null;
  /** The heading the sentence is under, if any. */
  heading: string | null;
  /** The sentence after it in its paragraph, if any. */
  next: string | null;
  /** It comes right after its heading, nothing between them. */
  opensSection: boolean;
  match: SentenceMatch;
  /** The sentence in matching form without spaces: two quotes of one sentence compare equal. */
  key: string;
}

/**
 * The answer without a language model: the sentences of the best passages that answer the
 * question, each quoted whole and as written (a long one cut at a clause boundary), cited [n]
 * like a model's answer would be. The best passage's best sentence comes first; a title or
 * heading line is never quoted alone, and no sentence twice.
 */
export function extractiveAnswer(question: string, sources: ChatSource[], language: AnswerLanguage, options: ExtractiveOptions = {}): string {
  const { passages, maxQuotes, minShareOfBest, maxQuoteWidth } = { ...DEFAULTS, ...options };
  const sentences = sources.slice(0, passages).flatMap((source, passage) => inContext(source.chunk_text, passage));
  // No passage, or only titles: the same answer as when nothing passes the cut.
  if (sentences.length === 0) return notFoundAnswer(language, options.contact);
  const score = sentenceScorer(question, sentences.map((s) => s.text), options.conversation);
  const kind = questionKind(question);
  const candidates: Candidate[] = sentences.map((s) => {
    // The first sentence under a heading that names no subject takes it from the heading
    // (「風土記」 + 「奈良時代初期の官撰の地誌。」): the heading is what it is about.
    const under = s.previous === null && s.opensSection ? s.heading : null;
    const joined = !needsPrevious(s.text) ? null : s.previous !== null ? joinSentences(s.previous, s.text) : under !== null ? joinHeading(under, s.text) : null;
    const text = joined !== null && displayWidth(joined) <= maxQuoteWidth ? joined : s.text;
    const context = [s.previous, s.heading].filter((c): c is string => c !== null);
    return { ...s, text, match: score(text, context), key: matchingKey(text) };
  });

  const ranked = (c: Candidate) => c.match.score * (RANK_DISCOUNT[c.passage] ?? RANK_DISCOUNT.at(-1)!);
  // Stable sort: on equal scores the earlier sentence of the better passage wins.
  const byScore = [...candidates].sort((a, b) => ranked(b) - ranked(a));
  const firstPassage = Math.min(...candidates.map((c) => c.passage));
  const lead = byScore.find((c) => c.passage === firstPassage)!;
  const quoted: Candidate[] = [lead];
  const following = kind !== null && lead.match.answers.length === 0 ? candidates.find((c) => c.passage === lead.passage && c.text.endsWith(lead.next ?? '\u0000')) : undefined;
  // The lead restates the question without the value it asks for: the sentence after it often
  // holds it (「…を有した。」「これを摂関政治という。」), so it is quoted next when it does.
  if (following && following.match.answers.length > 0) {
    if (following.key.includes(lead.key)) quoted[0] = following;
    else quoted.push(following);
  }
  for (const c of byScore) {
    if (quoted.length >= maxQuotes) break;
    if (c.match.score <= 0 || ranked(c) < minShareOfBest * ranked(lead)) break;
    if (quoted.some((q) => sameSentence(q, c))) continue;
    quoted.push(c);
  }
  const spans = (c: Candidate) => [...c.match.terms, ...c.match.answers.map((a) => ({ ...a, weight: 2 * Math.max(1, ...c.match.terms.map((t) => t.weight)) }))];
  const bullets = quoted.map((c) => `・${clipSentence(c.text, spans(c), maxQuoteWidth)} [${c.passage + 1}]`);
  return [LEAD[language], '', ...bullets].join('\n');
}

const sameSentence = (a: Candidate, b: Candidate) => a.key.includes(b.key) || b.key.includes(a.key);
const matchingKey = (text: string) => normalizeText(text).replace(/\s+/g, '').toLowerCase();

/** The passage's quotable sentences, each with the sentences around it in its paragraph and its heading. */
function inContext(passage: string, index: number): Array<Omit<Candidate, 'match' | 'key'>> {
  const out: Array<Omit<Candidate, 'match' | 'key'>> = [];
  let heading: string | null = null;
  let previous: { text: string; paragraph: number } | null = null;
  let opensSection = false;
  for (const s of quotableSentences(passage)) {
    if (s.heading) {
      heading = s.text;
      previous = null;
      opensSection = true;
      continue;
    }
    const last = out.at(-1);
    if (last && previous?.paragraph === s.paragraph) last.next = s.text;
    out.push({ text: s.text, passage: index, previous: previous?.paragraph === s.paragraph ? previous.text : null, heading, next: null, opensSection });
    previous = s;
    opensSection = false;
  }
  // Only short unpunctuated lines, as on a slide or in a bullet list: below the first (the title),
  // they are the statements.
  if (out.length === 0) {
    const [title, ...lines] = quotableSentences(passage);
    for (const s of lines) out.push({ text: s.text, passage: index, previous: null, heading: title?.text ?? null, next: null, opensSection: false });
  }
  return out;
}

/** Two sentences of one paragraph, side by side: no space after Japanese punctuation. */
function joinSentences(first: string, second: string): string {
  return /[。！？」』）\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]$/u.test(first) ? `${first}${second}` : `${first} ${second}`;
}

/** A heading before its first sentence: 「学問」+「とは、…」 run on, else a space between them. */
function joinHeading(heading: string, sentence: string): string {
  return /^\p{Script=Hiragana}/u.test(sentence) ? `${heading}${sentence}` : `${heading} ${sentence}`;
}
