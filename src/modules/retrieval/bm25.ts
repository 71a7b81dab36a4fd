// Okapi BM25 (k1 = 1.2, b = 0.75), the best ranking measured by bench/eval-fulltext.ts, computed
// from the positions of the question's lexemes that the search statement returns for each
// candidate chunk: a term's frequency is how many positions it has, a phrase's ("東京 大学") how
// many times its second word directly follows its first.
import type { QueryTerm } from '../../lib/text/search-text.js';
import type { Candidate, FulltextHit, TermPositions } from './retrieval.repo.js';

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

/**
 * weight × IDF of each of a question's terms in a tenant of `chunkCount` chunks (`dfOf`: how many
 * hold each word or bigram). A phrase is not counted at ingest: when one of its words was read
 * whole (`readWhole`), every chunk holding the phrase is among `candidates` and it is counted
 * there, so a phrase found nowhere keeps its full IDF, which is what tells made-up questions
 * apart; otherwise its rarer word's count bounds it.
 */
export function termWeights(terms: readonly QueryTerm[], dfOf: ReadonlyMap<string, number>, chunkCount: number, candidates: readonly TermPositions[], readWhole: ReadonlySet<string>): number[] {
  return terms.map((t) => {
    const words = t.term.split(' ');
    const df =
      t.kind !== 'phrase'
        ? dfOf.get(t.term) ?? 0
        : words.some((word) => readWhole.has(word))
          ? candidates.filter((c) => termFrequency(c.positions, t.term, 'phrase') > 0).length
          : Math.min(...words.map((word) => dfOf.get(word) ?? 0));
    return t.weight * idf(chunkCount, df);
  });
}

/**
 * The `depth` best candidates by BM25, each with its 0–1 score: BM25 divided by the BM25 a chunk
 * of average length would get by holding every term once (terms found nowhere count at full IDF),
 * i.e. how much of the question, weighted by how telling each word is, the chunk covers (README.md).
 */
export function rankByBm25(candidates: readonly Candidate[], terms: readonly ScoredTerm[], avgLength: number, depth: number): FulltextHit[] {
  const norm = terms.reduce((sum, t) => sum + t.widf, 0);
  const termIdf = terms.map((t) => t.widf);
  return candidates
    .map((c) => ({ chunkId: c.chunkId, bm25: bm25(c, terms, avgLength) }))
    .sort((a, b) => b.bm25 - a.bm25 || (a.chunkId < b.chunkId ? -1 : 1))
    .slice(0, depth)
    .map((h) => ({ ...h, score: norm > 0 ? Math.min(1, h.bm25 / norm) : 0, termIdf }));
}
