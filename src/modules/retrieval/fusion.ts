// Reciprocal rank fusion (Cormack, Clarke & Büttcher, SIGIR 2009): a passage earns 1 / (k + rank)
// from every ranked list it appears in. It needs no common scale between BM25 and cosine
// similarity, which have none. k = 60 is the paper's value; it damps the difference between the
// first few ranks so that a passage ranked well by both sources beats one ranked first by one.

export type MatchSource = 'fulltext' | 'vector';
export type Match = MatchSource | 'both';

export const RRF_K = 60;

export interface RankedHit {
  chunkId: string;
  /** The hit's own relevance in 0–1 (full-text coverage or vector similarity). */
  score: number;
}

export interface FusedHit {
  chunkId: string;
  /** Sum of 1 / (k + rank) over the lists holding the hit: the order of the fused list. */
  rrf: number;
  /** The best of the hit's own scores: what min_score is compared with. */
  score: number;
  match: Match;
}

/**
 * Fuses best-first lists into one best-first list. A single list keeps its order.
 * @example fuseRankedLists({ fulltext: [a, b], vector: [b, c] }) // b first: it is in both
 */
export function fuseRankedLists(lists: Partial<Record<MatchSource, RankedHit[]>>, k: number = RRF_K): FusedHit[] {
  const fused = new Map<string, FusedHit & { firstSeen: number }>();
  let seen = 0;
  for (const source of ['fulltext', 'vector'] as const) {
    (lists[source] ?? []).forEach((hit, index) => {
      const score = clampScore(hit.score);
      const gain = 1 / (k + index + 1);
      const entry = fused.get(hit.chunkId);
      if (!entry) {
        fused.set(hit.chunkId, { chunkId: hit.chunkId, rrf: gain, score, match: source, firstSeen: seen++ });
      } else if (entry.match !== source) {
        // A list should not name a passage twice; if one does, its first (best) rank counts.
        entry.rrf += gain;
        entry.score = Math.max(entry.score, score);
        entry.match = 'both';
      }
    });
  }
  return [...fused.values()]
    .sort((x, y) => y.rrf - x.rrf || y.score - x.score || x.firstSeen - y.firstSeen)
    .map(({ firstSeen: _firstSeen, ...hit }) => hit);
}

/** Cosine similarity may be negative and rounding may pass 1: the API promises 0–1. */
export function clampScore(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}
