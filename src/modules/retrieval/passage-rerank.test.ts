import { test } from 'node:test';
import assert from 'node:assert/strict';
import { segmentForIndex } from '../../lib/text/search-text.js';
import { weightedTermsOf } from './retrieval.service.js';
import { proximityCoverage, rerankByProximity } from './passage-rerank.js';
import type { FulltextHit, TermPositions } from './retrieval.repo.js';

/** Term positions as to_tsvector('simple', segmentForIndex(text)) stores them (1-based). */
function positionsOf(chunkId: string, text: string, title: string | null = null): TermPositions {
  const positions = new Map<string, number[]>();
  segmentForIndex(`${title ?? ''}\n${text}`).split(' ').forEach((term, i) => positions.set(term, [...(positions.get(term) ?? []), i + 1]));
  return { chunkId, title, positions };
}
const singles = (question: string) => {
  const w = weightedTermsOf(question);
  return w.terms.map((term, i) => ({ term, weight: w.weights[i]! })).filter((t) => !t.term.includes(' '));
};

test('proximityCoverage: the share of the question found within a span of positions', () => {
  const p = new Map([['a', [1]], ['b', [5]], ['c', [90, 200]]]);
  const terms = [{ term: 'a', weight: 1 }, { term: 'b', weight: 1 }, { term: 'c', weight: 2 }];
  assert.equal(proximityCoverage(p, new Set(), terms), 0.5);
  assert.equal(proximityCoverage(p, new Set(), terms, 100), 1);
  // Title terms count wherever the span is.
  assert.equal(proximityCoverage(p, new Set(['a']), terms.slice(0, 1).concat(terms[2]!)), 1);
  assert.equal(proximityCoverage(new Map(), new Set(), terms), 0);
  assert.equal(proximityCoverage(p, new Set(), []), 0);
});

test('rerankByProximity lifts the passage that keeps the question together; scores stay as they were', () => {
  const filler = 'Temples stood on hills near rivers and markets for centuries of worship and trade. '.repeat(3);
  const hits: FulltextHit[] = [
    { chunkId: 'scattered', bm25: 9, score: 0.8 },
    { chunkId: 'together', bm25: 8, score: 0.75 },
    { chunkId: 'unknown', bm25: 7, score: 0.7 },
  ];
  const positions = [
    positionsOf('scattered', `Apollo was a god. ${filler} A mission arrived by ship. ${filler} Ships land in harbours.`),
    positionsOf('together', 'The Apollo mission would land on the Moon in July 1969.'),
  ];
  const reranked = rerankByProximity(hits, positions, weightedTermsOf('When did the Apollo mission land?'));
  assert.deepEqual(reranked.map((h) => h.chunkId), ['together', 'scattered', 'unknown']);
  assert.deepEqual(reranked[0], hits[1]);
  assert.ok(proximityCoverage(positions[1]!.positions, new Set(), singles('Apollo mission land')) === 1);
});

test('rerankByProximity keeps BM25 order between equals', () => {
  const hits: FulltextHit[] = [
    { chunkId: 'a', bm25: 2, score: 0.5 },
    { chunkId: 'b', bm25: 1, score: 0.5 },
  ];
  assert.deepEqual(rerankByProximity(hits, [positionsOf('a', 'x'), positionsOf('b', 'y')], weightedTermsOf('zeta')).map((h) => h.chunkId), ['a', 'b']);
});
