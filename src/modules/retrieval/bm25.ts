// Okapi BM25 (k1 = 1.2, b = 0.75), the best ranking measured by bench/eval-fulltext.ts, computed
// from the positions of the question's lexemes that the search statement returns for each
// candidate chunk: a term's frequency is how many positions it has, a phrase's ("東京 大学") how
// many times its second word directly follows its first.
import type { TermPositions } from './retrieval.repo.js';

const K1 = 1.2;
const B = 0.75;

/** A term of the question, with its weight × IDF in the tenant. */
export interface ScoredTerm {
  term: string;
  kind: 'word' | 'phrase' | 'bigram';
  widf: number;
}

export function termFrequency(positions: ReadonlyMap<string, number[]>, term: string, kind: ScoredTerm['kind']): number {
  if (kind !== 'phrase') return positions.get(term)?.length ?? 0;
  const [first, second] = term.split(' ') as [string, string];
  const next = new Set(positions.get(second) ?? []);
  return (positions.get(first) ?? []).filter((at) => next.has(at + 1)).length;
}

/** BM25 of one chunk (`length`: its distinct lexemes, as length(tsv) counts them). */
export function bm25(chunk: TermPositions & { length: number }, terms: readonly ScoredTerm[], avgLength: number): number {
  const norm = K1 * (1 - B + (B * chunk.length) / avgLength);
  let score = 0;
  for (const t of terms) {
    const tf = termFrequency(chunk.positions, t.term, t.kind);
    if (tf > 0) score += (t.widf * tf * (K1 + 1)) / (tf + norm);
  }
  return score;
}

/** IDF of a term held by `df` of `n` chunks (the +1 keeps it positive for terms in most chunks). */
export const idf = (n: number, df: number) => Math.log(1 + (n - df + 0.5) / (df + 0.5));
