import { and, arrayOverlaps, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { chunks, contents, searchCorpus, searchTerms } from '../../db/schema.js';

/** Which chunks a search may see besides the tenant: only these files, or files with any of these tags. */
export interface SearchScope {
  fileIds?: string[];
  tags?: string[];
}

/** A question's search terms and how much each counts (1 for words; lower for CJK bigrams when weighted). */
export interface WeightedTerms {
  terms: string[];
  /** One to_tsquery('simple', …) string per term. */
  tsqueries: string[];
  weights: number[];
  /** What each term is (QueryTerm['kind']): proximity and context look at words only. */
  kinds: Array<'word' | 'phrase' | 'bigram'>;
}

export interface FulltextHit {
  chunkId: string;
  /** Okapi BM25 of the chunk for the question: orders hits, not comparable across questions. */
  bm25: number;
  /** BM25 divided by the question's IDF-weighted term mass, capped at 1 (see README.md). */
  score: number;
  /** weight × IDF of each question term in the searched scope, in the order of WeightedTerms (the same for every hit). */
  termIdf?: number[];
}

/** Where a chunk's tsvector holds some terms (1-based positions in `${title}\n${text}` as indexed). */
export interface TermPositions {
  chunkId: string;
  title: string | null;
  positions: Map<string, number[]>;
}

export interface ChunkRow {
  chunkId: string;
  fileId: string;
  fileName: string;
  title: string | null;
  chunkIndex: number;
  text: string;
  pageStart: number | null;
  pageEnd: number | null;
}

/** The tenant's BM25 statistics for a question's terms (search_terms / search_corpus, kept by search-index.ts). */
export interface TermStats {
  /** How many chunks the tenant has indexed. */
  chunkCount: number;
  /** Average length(tsv) of those chunks. */
  avgLength: number;
  /** How many of them the scope (completed documents, filters) holds, as the documents record it. */
  scopeChunks: number;
  /** Document frequency of each lexeme asked for, in the order asked (0 when absent). */
  df: number[];
}

/** What the BM25 statement scores: every term present in the tenant, with its weight × IDF. */
export interface ScoredTerms {
  /** One to_tsquery('simple', …) string per term. */
  tsqueries: string[];
  widf: number[];
  /** The OR of the terms whose chunks are read (to_tsquery syntax): the rarest ones, see candidate-terms.ts. */
  candidates: string;
  /** Words whose positions the rerank needs. */
  words: string[];
  avgLength: number;
}

/** Every query of this module names the tenant, on both tables, and sees completed documents only. */
function scopeWhere(tenantId: string, scope: SearchScope): SQL {
  return and(
    eq(chunks.tenantId, tenantId),
    eq(contents.tenantId, tenantId),
    eq(contents.status, 'completed'),
    scope.fileIds?.length ? inArray(chunks.contentId, scope.fileIds) : undefined,
    scope.tags?.length ? arrayOverlaps(contents.tags, scope.tags) : undefined,
  )!;
}

type Rows<T> = { rows: T[] };

/** The largest candidate set one search reads, whatever its terms: bounds the worst question. */
export const MAX_CANDIDATES = 10_000;

export function createRetrievalRepo(db: Database) {
  return {
    async termStats(tenantId: string, lexemes: string[], scope: SearchScope): Promise<TermStats> {
      const scoped = scope.fileIds?.length || scope.tags?.length;
      const result = (await db.execute(sql`
        SELECT coalesce(c.chunk_count, 0)::float8 AS n, coalesce(c.total_length, 0)::float8 AS total,
          ${scoped
            ? sql`(SELECT coalesce(sum(${contents.chunkCount}), 0) FROM ${contents} WHERE ${and(
                eq(contents.tenantId, tenantId),
                eq(contents.status, 'completed'),
                scope.fileIds?.length ? inArray(contents.id, scope.fileIds) : undefined,
                scope.tags?.length ? arrayOverlaps(contents.tags, scope.tags) : undefined,
              )})::float8`
            : sql`coalesce(c.chunk_count, 0)::float8`} AS scope_n,
          array(
            SELECT coalesce(s.df, 0) FROM unnest(${sql.param(lexemes)}::text[]) WITH ORDINALITY AS u(term, ord)
            LEFT JOIN ${searchTerms} s ON s.tenant_id = ${tenantId} AND s.term = u.term
            ORDER BY u.ord
          ) AS df
        FROM (SELECT 1) AS one LEFT JOIN ${searchCorpus} c ON c.tenant_id = ${tenantId}`)) as unknown as Rows<{ n: number; total: number; scope_n: number; df: number[] }>;
      const row = result.rows[0]!;
      const chunkCount = Number(row.n);
      return { chunkCount, avgLength: chunkCount > 0 ? Math.max(Number(row.total) / chunkCount, 1) : 1, scopeChunks: Number(row.scope_n), df: row.df.map(Number) };
    },

    // Okapi BM25 (k1 = 1.2, b = 0.75), the best ranking measured by bench/eval-fulltext.ts, over the
    // chunks holding a candidate term (GIN index on tenant and word), each scored on every term.
    // Term frequency is recovered from the single-term ts_rank, which is 0.1 * (sum of 1/j^2 for
    // j = 1..tf) / (pi^2/6); setweight(…, 'D') makes every position weigh 0.1 and detoasts each
    // tsvector once instead of once per term. The same statement returns the positions of the
    // question's words in the best chunks, for the rerank (ts_filter keeps only those lexemes).
    /** The `limit` best chunks of the tenant by BM25, with the positions of `terms.words` in each. */
    async fulltextSearch(tenantId: string, terms: ScoredTerms, scope: SearchScope, limit: number): Promise<{ hits: Array<{ chunkId: string; bm25: number }>; positions: TermPositions[] }> {
      const result = (await db.execute(sql`
        WITH terms AS MATERIALIZED (
          SELECT to_tsquery('simple', tq) AS q, w AS widf FROM unnest(${sql.param(terms.tsqueries)}::text[], ${sql.param(terms.widf)}::float8[]) AS u(tq, w)
        ), candidates AS MATERIALIZED (
          SELECT ${chunks.id} AS id, ${chunks.contentId} AS content_id, setweight(${chunks.tsv}, 'D') AS tsv, length(${chunks.tsv}) AS len
          FROM ${chunks} JOIN ${contents} ON ${contents.id} = ${chunks.contentId}
          WHERE ${scopeWhere(tenantId, scope)} AND ${chunks.tsv} @@ to_tsquery('simple', ${terms.candidates})
          LIMIT ${MAX_CANDIDATES}
        ), scored AS (
          SELECT cd.id, sum(t.widf * h.tf * 2.2 / (h.tf + 1.2 * (0.25 + 0.75 * cd.len / ${terms.avgLength}::float8))) AS bm25
          FROM candidates cd JOIN terms t ON cd.tsv @@ t.q
          CROSS JOIN LATERAL (SELECT greatest(1, 1 / greatest(1.644934 - ts_rank(cd.tsv, t.q) * 16.44934, 0.004) - 0.5) AS tf) AS h
          GROUP BY cd.id
        ), best AS (
          SELECT id, bm25 FROM scored ORDER BY bm25 DESC, id LIMIT ${limit}
        )
        SELECT best.id::text AS id, best.bm25::float8 AS bm25, ${contents.title} AS title,
          (SELECT json_object_agg(p.lexeme, p.positions) FROM unnest(ts_filter(setweight(cd.tsv, 'A', ${sql.param(terms.words)}::text[]), '{a}')) AS p) AS positions
        FROM best JOIN candidates cd ON cd.id = best.id JOIN ${contents} ON ${contents.id} = cd.content_id
        ORDER BY best.bm25 DESC, best.id`)) as unknown as Rows<{ id: string; bm25: number; title: string | null; positions: Record<string, number[]> | null }>;
      return {
        hits: result.rows.map((r) => ({ chunkId: r.id, bm25: Number(r.bm25) })),
        positions: result.rows.map((r) => ({ chunkId: r.id, title: r.title, positions: new Map(Object.entries(r.positions ?? {})) })),
      };
    },

    /** The given chunks that are still in scope (tenant, completed, filters), with their document. */
    async chunksById(tenantId: string, ids: string[], scope: SearchScope): Promise<ChunkRow[]> {
      if (ids.length === 0) return [];
      return db
        .select({
          chunkId: chunks.id,
          fileId: chunks.contentId,
          fileName: contents.fileName,
          title: contents.title,
          chunkIndex: chunks.chunkIndex,
          text: chunks.text,
          pageStart: chunks.pageStart,
          pageEnd: chunks.pageEnd,
        })
        .from(chunks)
        .innerJoin(contents, eq(contents.id, chunks.contentId))
        .where(and(scopeWhere(tenantId, scope), inArray(chunks.id, ids)));
    },
  };
}

export type RetrievalRepo = ReturnType<typeof createRetrievalRepo>;
