import { normalizeText } from '../../lib/text/normalize.js';
import { queryTerms } from '../../lib/text/search-text.js';

// What makes a question lean on the turns before it. A question that does none of this is
// searched alone, so a change of topic retrieves exactly what the question retrieves fresh.

/** Demonstratives and pronouns that point back (その料金, それ, 同社, 彼), anywhere in the question. */
const JA_REFERENCE = /(?:それ|その(?!他|ほか)|これ|この|あれ|あの|そこ|そちら|こちら|あちら|同社|同氏|同年|同書|当該|前者|後者|上記|彼女|彼ら|彼)/gu;
/**
 * Openings that continue the topic (他には？, あとは, さらに). では/じゃあ/ちなみに often open a new
 * topic (「では服務規律について」): they count only through the ellipsis rule (「じゃあ料金は？」).
 */
const JA_CONTINUATION = /^(?:なら|で、|あと|また|ほかに|他に|さらに|それと|それから|一方)/u;
const EN_CONTINUATION = /^(?:and|but|so|also|then|what about|how about|what else|anything else|or)\b|^that\b/i;
const EN_REFERENCE = /\b(?:it|its|it's|they|them|their|theirs|he|him|his|she|her|hers|this|these|those|the same)\b/gi;
/**
 * A reference can point back inside the question itself: 「…経済産業省の調査によると、その内…」,
 * "What award did Cruyff win in his first year?". It does when the words before it name
 * something: two words of their own in Japanese, a name (a capitalised word after the first) in English.
 */
const JA_ANTECEDENT_WORDS = 2;
const EN_NAME = /\s[A-Z\d][\w'’-]*/;
/**
 * Words that ask for more without naming anything (教えて, 詳しく, tell me more), as the word
 * cutter gives them: a question made of these and one word at most is elliptical (「料金は？」).
 */
const REQUEST_WORDS = new Set(
  '教え くだ さい 下さい 詳 しく 詳しく 詳細 説明 知り たい もっと 他 ほか 以外 具体 的 例 じゃあ ちなみに tell more explain detail please know els other exampl about'.split(' '),
);
/** At most this many own words makes a question elliptical. */
const ELLIPTICAL_WORDS = 1;
/**
 * A bare topic with no predicate names an attribute of something said before: 「支払い方法は？」,
 * 「設立年って？」, "Payment options?" — with at most this many own words.
 */
const BARE_TOPIC_WORDS = 2;
const JA_BARE_TOPIC = /(?:は|って|も|の方は)\s*[?？]?$/u;
const ASCII_ONLY = /^[\x00-\x7f]*$/;
const EN_QUESTION_START = /^(?:who|whom|whose|what|which|when|where|why|how|is|are|was|were|do|does|did|can|could|will|would|should|has|have|had|tell|list|explain|describe|give|show)\b/i;

/** True when a reference of the question has nothing before it, in the question, to point to. */
function pointsBack(text: string): boolean {
  const unresolved = (pattern: RegExp, resolved: (before: string) => boolean) =>
    [...text.matchAll(pattern)].some((match) => !resolved(text.slice(0, match.index)));
  return (
    unresolved(JA_REFERENCE, (before) => contentWords(before).length >= JA_ANTECEDENT_WORDS) ||
    unresolved(EN_REFERENCE, (before) => EN_NAME.test(before))
  );
}

/** The words of a question that name something (no stopwords, no request words, no phrases or bigrams). */
export function contentWords(question: string): string[] {
  return queryTerms(question)
    .filter((t) => t.kind === 'word' && !REQUEST_WORDS.has(t.term))
    .map((t) => t.term);
}

/**
 * True when a question cannot be understood without the conversation: it points back
 * (「その料金は？」, "When was it founded?"), continues ("What about part-timers?", 「他には？」),
 * names at most one thing (「料金は？」, "And the population?"), or is a bare topic of two
 * words at most (「支払い方法は？」, "Payment options?").
 * @example leansOnConversation('そのスローガンは？') // true
 * @example leansOnConversation('日本郵便の本社はどこにありますか？') // false
 */
export function leansOnConversation(question: string): boolean {
  const text = normalizeText(question);
  if (pointsBack(text) || JA_CONTINUATION.test(text) || EN_CONTINUATION.test(text)) return true;
  const words = contentWords(text).length;
  if (words <= ELLIPTICAL_WORDS) return true;
  return words <= BARE_TOPIC_WORDS && (JA_BARE_TOPIC.test(text) || (ASCII_ONLY.test(text) && !EN_QUESTION_START.test(text)));
}
