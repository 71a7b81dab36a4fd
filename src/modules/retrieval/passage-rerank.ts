// A light rerank of the best BM25 candidates by how closely the question's words sit together in
// the passage. BM25 sees a chunk as a bag of words: a 400-token chunk that mentions "mission" in
// one paragraph and "Apollo" in another ranks like one that says "the Apollo mission" in one
// sentence. Questions are usually answered by a sentence or two, so the share of the question's
// IDF mass found within a short span of the chunk's indexed terms (plus the title, indexed with
// every chunk) is a proximity signal. The positions come from the stored tsvector, so nothing is
// segmented again at query time. Measured with bench/retrieval-quality.ts (README.md): English
// hit@1 +2, hit@5 +1 point; Japanese unchanged.
import { segmentForIndex } from '../../lib/text/search-text.js';
import type { FulltextHit, TermPositions, WeightedTerms } from './retrieval.repo.js';

/** How many BM25 candidates are reranked. */
export const RERANK_DEPTH = 50;
/** Span of indexed terms (stopwords are not indexed: about two English sentences) the question's words must fall in. */
export const PROXIMITY_SPAN = 20;
/** Weight of that coverage (0–1) next to the BM25 score (0–1) in the reranked order. */
export const PROXIMITY_WEIGHT = 0.3;

export interface WeightedTerm {
  term: string;
  weight: number;
}

/**
 * Best share (0–1) of `terms`' weight found within `span` consecutive positions, given each
 * term's positions in the chunk; terms in `everywhere` (the title's) count wherever the span is.
 * @example proximityCoverage(new Map([['a', [1]], ['b', [5]], ['c', [90]]]), new Set(), [{ term: 'a', weight: 1 }, { term: 'b', weight: 1 }, { term: 'c', weight: 2 }]) // 0.5
 */
export function proximityCoverage(positions: ReadonlyMap<string, number[]>, everywhere: ReadonlySet<string>, terms: WeightedTerm[], span = PROXIMITY_SPAN): number {
  const total = terms.reduce((sum, t) => sum + t.weight, 0);
  if (total <= 0) return 0;
  let always = 0;
  const events: Array<{ at: number; k: number }> = [];
  terms.forEach((t, k) => {
    if (everywhere.has(t.term)) always += t.weight;
    else for (const at of positions.get(t.term) ?? []) events.push({ at, k });
  });
  events.sort((x, y) => x.at - y.at);
  // Sliding window over the positions: weight of the distinct terms inside it.
  const inside = new Array<number>(terms.length).fill(0);
  let found = 0;
  let best = 0;
  for (let hi = 0, lo = 0; hi < events.length; hi += 1) {
    const { at, k } = events[hi]!;
    if (inside[k]!++ === 0) found += terms[k]!.weight;
    for (; at - events[lo]!.at >= span; lo += 1) if (--inside[events[lo]!.k]! === 0) found -= terms[events[lo]!.k]!.weight;
    best = Math.max(best, found);
  }
  return (best + always) / total;
}

/**
 * `hits` (best BM25 first) in the order of score + PROXIMITY_WEIGHT × proximityCoverage. Only the
 * question's words count (its phrases are a proximity signal already), each by weight ×
 * IDF when the repo reports it. A hit without positions gets no coverage; the score, which
 * min_score is compared with, is left as it is.
 */
export function rerankByProximity(hits: FulltextHit[], positions: TermPositions[], weighted: WeightedTerms): FulltextHit[] {
  const idf = hits[0]?.termIdf;
  // Words only: bigrams are indexed after all the words of a chunk, so their positions say nothing of nearness.
  const singles = weighted.terms.map((term, i) => ({ term, weight: idf?.[i] ?? weighted.weights[i] ?? 0 })).filter((_, i) => weighted.kinds[i] === 'word');
  const byId = new Map(positions.map((p) => [p.chunkId, p]));
  const titleTerms = new Map<string, Set<string>>();
  const termsOfTitle = (title: string | null) => {
    const key = title ?? '';
    if (!titleTerms.has(key)) titleTerms.set(key, new Set(segmentForIndex(key).split(' ')));
    return titleTerms.get(key)!;
  };
  return hits
    .map((hit, rank) => {
      const found = byId.get(hit.chunkId);
      const coverage = found ? proximityCoverage(found.positions, termsOfTitle(found.title), singles) : 0;
      return { hit, rank, key: hit.score + PROXIMITY_WEIGHT * coverage };
    })
    .sort((x, y) => y.key - x.key || x.rank - y.rank)
    .map(({ hit }) => hit);
}
