import type { QueryTerm } from '../../lib/text/search-text.js';

/**
 * How much the conversation's terms may weigh, all together, against the question's own: a
 * passage matching only the earlier topic scores at most CONTEXT_SHARE / (1 + CONTEXT_SHARE)
 * of the question (1/3), below the default min_score, so context alone never answers.
 */
export const CONTEXT_SHARE = 0.5;
/** No single context term counts more than half a word of the question. */
const MAX_CONTEXT_TERM_WEIGHT = 0.5;
/** Bounds the SQL a follow-up causes, like queryTerms bounds a question's (the question's terms come first). */
const MAX_TERMS = 64;

/**
 * The question's terms followed by the conversation's (terms the question already has are not
 * repeated), the latter (words only) weighted so that together they stay below the question's: they can tell
 * apart passages that match the question equally, never outvote it. A question with no terms of
 * its own (「それは？」) is searched by its context at full weight: there is nothing to outvote.
 */
export function withContextTerms(question: QueryTerm[], context: QueryTerm[]): QueryTerm[] {
  const own = new Set(question.map((t) => t.term));
  // The context's words only: its phrases and bigrams would spread its small share thin.
  const added = context.filter((t) => !own.has(t.term) && t.kind === 'word');
  const questionMass = question.reduce((sum, t) => sum + t.weight, 0);
  if (questionMass === 0) return added.slice(0, MAX_TERMS);
  const contextMass = added.reduce((sum, t) => sum + t.weight, 0);
  if (contextMass === 0) return question;
  const scale = Math.min(MAX_CONTEXT_TERM_WEIGHT, (CONTEXT_SHARE * questionMass) / contextMass);
  return [...question, ...added.map((t) => ({ ...t, weight: t.weight * scale }))].slice(0, MAX_TERMS);
}
