import { readByOcr } from '../../lib/ocr-pages.js';
import type { Database } from '../../db/client.js';
import type { FileType } from '../../db/enums.js';
import { queryTerms, type QueryTerm } from '../../lib/text/search-text.js';
import type { VectorSearch } from '../embeddings/index.js';
import type { UsageContext } from '../usage/usage-recorder.js';
import { rankByBm25, termWeights } from './bm25.js';
import { CANDIDATE_BUDGET, candidateTerms } from './candidate-terms.js';
import { withContextTerms } from './context-terms.js';
import { fuseRankedLists, type FusedHit, type Match } from './fusion.js';
import { RERANK_DEPTH, rerankByProximity } from './passage-rerank.js';
import { cutRelativeToBest } from './score-cut.js';
import { createRetrievalRepo, MAX_CANDIDATES, type ChunkRow, type FulltextHit, type SearchScope, type WeightedTerms } from './retrieval.repo.js';
import { DEFAULT_MIN_SCORE, DEFAULT_TOP_K, MAX_TOP_K } from './retrieval-limits.js';

export interface RetrievalQuery {
  query: string;
  /**
   * Earlier turns of a conversation that the question leans on (「その料金は？」): their terms
   * join the question's, weighted below them (context-terms.ts), and the vector search embeds both.
   */
  context?: string;
  /** 1–20, default 5. */
  topK?: number;
  /** Only these documents (an empty list means no restriction). */
  fileIds?: string[];
  /** Only documents carrying any of these tags (an empty list means no restriction). */
  tags?: string[];
  /**
   * Drop passages scoring below this (0–1). Without it, the question's best passage must reach
   * DEFAULT_MIN_SCORE and the others a share of the best one's score (score-cut.ts).
   */
  minScore?: number;
  /** Whom the question's embedding (a billed provider call) is accounted to. */
  usage?: UsageContext;
}

/** One retrieved passage, as the search API and the chat's citations show it. */
export interface RetrievedChunk {
  /** `faq`: an FAQ entry (chunk_id and file_id are its id, title its question); `document`: a passage of a document. */
  kind: 'document' | 'faq';
  chunk_id: string;
  file_id: string;
  file_name: string;
  /** null for an FAQ entry. */
  file_type: FileType | null;
  title: string | null;
  sheet_name: string | null;
  source_url: string | null;
  chunk_index: number;
  chunk_text: string;
  page_start: number | null;
  page_end: number | null;
  score: number;
  match: Match;
  /** Present (true) when the passage was read by OCR from a scanned page. */
  ocr?: true;
}

/** An FAQ entry offered as a passage. */
export interface FaqPassage {
  id: string;
  question: string;
  answer: string;
  score: number;
}

export type RetrievalMode = 'fulltext' | 'hybrid';

export interface RetrievalResult {
  results: RetrievedChunk[];
  /** 'hybrid' when vector search ran for this tenant, whether or not it found anything. */
  mode: RetrievalMode;
}

export interface RetrievalDeps {
  db: Database;
  /**
   * The embeddings module's search; without it, or when it answers null (no embedding provider, no
   * pgvector), retrieval runs on full-text alone. `similarity` (cosine, best first) becomes the
   * passage's score as it is, clamped to 0–1, and is compared with min_score: a model whose
   * unrelated passages reach the default cut should be rescaled there.
   */
  vectorSearch?: VectorSearch;
  log?: { warn(details: object, message: string): void };
  /**
   * The tenant's FAQ entries close to a question (src/modules/sources/faq), each with its 0–1
   * similarity as its score. They join the documents' passages by score when a search is not
   * limited to files or tags (an entry is neither).
   */
  faqPassages?: (tenantId: string, question: string, limit: number) => Promise<FaqPassage[]>;
  /** Overrides DEFAULT_MIN_SCORE for callers that give none. */
  defaultMinScore?: number;
  /** Overrides CANDIDATE_BUDGET (candidate-terms.ts); Infinity reads every chunk holding a term, as bench/search.ts and bench/retrieval-quality.ts compare. */
  candidateBudget?: number;
}

export { DEFAULT_MIN_SCORE, DEFAULT_TOP_K, MAX_TOP_K };

/** Candidates asked of each source before fusing: depth lets a passage found by both rise. */
export function candidateCount(topK: number): number {
  return Math.min(Math.max(4 * topK, 20), 80);
}

function searchTerms(question: string, context: string | undefined): QueryTerm[] {
  return context ? withContextTerms(queryTerms(question), queryTerms(context)) : queryTerms(question);
}

/** The question's terms, each with its weight and tsquery, as the BM25 statement takes them. */
export function weightedTermsOf(question: string, context?: string): WeightedTerms {
  return toWeighted(searchTerms(question, context));
}

function toWeighted(terms: QueryTerm[]): WeightedTerms {
  return { terms: terms.map((t) => t.term), tsqueries: terms.map((t) => t.tsquery), weights: terms.map((t) => t.weight), kinds: terms.map((t) => t.kind) };
}

function toRetrievedChunk(row: ChunkRow, hit: FusedHit): RetrievedChunk {
  return {
    kind: 'document',
    chunk_id: row.chunkId,
    file_id: row.fileId,
    file_name: row.fileName,
    file_type: row.fileType,
    title: row.title,
    sheet_name: row.sheetName,
    source_url: row.sourceUrl,
    chunk_index: row.chunkIndex,
    chunk_text: row.text,
    page_start: row.pageStart,
    page_end: row.pageEnd,
    score: Math.round(hit.score * 10_000) / 10_000,
    match: hit.match,
    ...(readByOcr(row.pageStart, row.pageEnd, row.ocrPages) ? { ocr: true as const } : {}),
  };
}

const faqChunk = (entry: FaqPassage): RetrievedChunk => ({
  kind: 'faq',
  chunk_id: entry.id,
  file_id: entry.id,
  file_name: 'FAQ',
  file_type: null,
  title: entry.question,
  sheet_name: null,
  source_url: null,
  chunk_index: 0,
  chunk_text: `${entry.question}\n${entry.answer}`,
  page_start: null,
  page_end: null,
  score: Math.round(entry.score * 10_000) / 10_000,
  match: 'fulltext',
});

export function createRetrievalService(deps: RetrievalDeps) {
  const repo = createRetrievalRepo(deps.db);
  const defaultMinScore = deps.defaultMinScore ?? DEFAULT_MIN_SCORE;
  const candidateBudget = deps.candidateBudget ?? CANDIDATE_BUDGET;

  async function fulltext(tenantId: string, question: string, context: string | undefined, scope: SearchScope, limit: number): Promise<FulltextHit[]> {
    const terms = searchTerms(question, context);
    const lexemes = terms.filter((t) => t.kind !== 'phrase').map((t) => t.term);
    if (lexemes.length === 0) return [];
    const stats = await repo.termStats(tenantId, lexemes, scope);
    if (stats.scopeChunks === 0) return [];
    const dfOf = new Map(lexemes.map((lexeme, i) => [lexeme, stats.df[i] ?? 0]));
    const chosen = candidateTerms(
      terms.flatMap((t) => (t.kind === 'phrase' ? [] : [{ tsquery: t.tsquery, df: dfOf.get(t.term) ?? 0 }])),
      Math.min(1, stats.scopeChunks / Math.max(stats.chunkCount, 1)),
      candidateBudget,
    );
    if (chosen === null) return [];
    const candidates = await repo.candidates(tenantId, chosen.query, lexemes, scope);
    const readWhole = new Set(candidates.length < MAX_CANDIDATES ? terms.filter((t) => chosen.whole.has(t.tsquery)).map((t) => t.term) : []);
    const widf = termWeights(terms, dfOf, stats.chunkCount, candidates, readWhole);
    const hits = rankByBm25(candidates, terms.map((t, i) => ({ term: t.term, kind: t.kind, widf: widf[i]! })), stats.avgLength, Math.max(limit, RERANK_DEPTH));
    return rerankByProximity(hits, candidates, toWeighted(terms)).slice(0, limit);
  }

  /** A failing embedding provider must not take search (and the chat) down with it. */
  async function vector(tenantId: string, question: string, scope: SearchScope, limit: number, usage: UsageContext | undefined) {
    if (!deps.vectorSearch) return null;
    try {
      return await deps.vectorSearch(tenantId, question, { topK: limit, ...scope, usage });
    } catch (error) {
      deps.log?.warn({ err: error, tenantId }, 'vector search failed: answering from full-text search alone');
      return null;
    }
  }

  /** The tenant's best passages for a question, with the mode that found them. */
  async function search(tenantId: string, input: RetrievalQuery): Promise<RetrievalResult> {
    const topK = Math.min(Math.max(Math.trunc(input.topK ?? DEFAULT_TOP_K), 1), MAX_TOP_K);
    const scope: SearchScope = {
      fileIds: input.fileIds?.length ? [...new Set(input.fileIds)] : undefined,
      tags: input.tags?.length ? [...new Set(input.tags)] : undefined,
    };
    const limit = candidateCount(topK);
    const scoped = scope.fileIds !== undefined || scope.tags !== undefined;
    const [textHits, vectorHits, faqHits] = await Promise.all([
      fulltext(tenantId, input.query, input.context, scope, limit),
      vector(tenantId, input.context ? `${input.context}\n${input.query}` : input.query, scope, limit, input.usage),
      deps.faqPassages && !scoped ? deps.faqPassages(tenantId, input.query, topK) : [],
    ]);
    const mode: RetrievalMode = vectorHits === null ? 'fulltext' : 'hybrid';

    const fused = fuseRankedLists({
      fulltext: textHits,
      vector: vectorHits?.map((h) => ({ chunkId: h.chunkId, score: h.similarity })),
    });
    // Vector ids come from another module: they are loaded again under this tenant's scope, so a
    // stray id (another tenant, a deleted or unfinished document) can never surface.
    const { minScore } = input;
    const kept = minScore === undefined ? cutRelativeToBest(fused, defaultMinScore) : fused.filter((hit) => hit.score >= minScore);
    const results: RetrievedChunk[] = [];
    for (let start = 0; start < kept.length && results.length < topK; start += topK * 2) {
      const batch = kept.slice(start, start + topK * 2);
      const rows = new Map((await repo.chunksById(tenantId, batch.map((h) => h.chunkId), scope)).map((r) => [r.chunkId, r]));
      for (const hit of batch) {
        const row = rows.get(hit.chunkId);
        if (row && results.length < topK) results.push(toRetrievedChunk(row, hit));
      }
    }
    // FAQ entries join by score (their similarity to the question, faq-match.ts), under the same cut
    // as the documents' best passage, the best first either way.
    const entries = faqHits.filter((entry) => entry.score >= (minScore ?? defaultMinScore)).map(faqChunk);
    return { results: entries.length ? [...results, ...entries].sort((x, y) => y.score - x.score).slice(0, topK) : results, mode };
  }

  return {
    search,
    /** The cut a question's best passage must reach under the default (what the chat's confidence is measured against). */
    defaultMinScore,
    /** The passages only: what the chat module cites. */
    retrieve: async (tenantId: string, input: RetrievalQuery): Promise<RetrievedChunk[]> => (await search(tenantId, input)).results,
  };
}

export type RetrievalService = ReturnType<typeof createRetrievalService>;
