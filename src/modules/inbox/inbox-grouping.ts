// When two failed questions ask the same thing. First the grouping key analytics uses (NFKC, case,
// spaces and punctuation aside: src/db/question-key.ts, compared in SQL); then shared terms — the
// FAQ matcher's matching form (search terms of src/lib/text minus question framing, plus CJK
// bigrams) and its similarity — so 「有給休暇は何日もらえますか」 and 「有給休暇は何日取れますか」 are one item.
// Embeddings are not used: the question's vector is made inside the embeddings module's search and
// not handed back to the chat, and embedding it again would be a second billed call per failure.
import { asksFor, matchForm, similarity, type MatchForm } from '../sources/faq/faq-match.js';

/**
 * At or above this similarity a question joins an item. Measured with bench/inbox-grouping.ts over
 * the FAQ bench's hand pairs: 88 % of Japanese and 100 % of English rewordings grouped, and 18 % / 20 %
 * of related-but-different questions (at 0.5 it was 95 % / 100 % against 43 % / 50 %).
 */
export const GROUP_THRESHOLD = 0.6;
/** Items a new question is compared with: the tenant's most recently seen. */
export const GROUP_CANDIDATES = 500;

export interface StoredTerms {
  words: string[];
  grams: string[];
}

export const storedTermsOf = (question: string): StoredTerms => {
  const form = matchForm(question);
  return { words: [...form.words], grams: [...form.grams] };
};

/** The closest item at or above GROUP_THRESHOLD, if any. */
export function closestItem<T extends { matchTerms: StoredTerms; question: string }>(question: string, items: T[]): T | undefined {
  const form = matchForm(question);
  let best: { item: T; score: number } | undefined;
  for (const item of items) {
    const other: MatchForm = { words: new Set(item.matchTerms.words), grams: new Set(item.matchTerms.grams), asks: asksFor(item.question) };
    const score = similarity(form, other);
    if (score >= GROUP_THRESHOLD && (!best || score > best.score)) best = { item, score };
  }
  return best?.item;
}
