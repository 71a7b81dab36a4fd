import { and, arrayOverlaps, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { chunks, contents } from '../../db/schema.js';

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

// Okapi BM25 (k1 = 1.2, b = 0.75), the best ranking measured by bench/eval-fulltext.ts, in the
// form of bench/fulltext/rankers.ts: only chunks matching the OR query are read (GIN index), and
// every chunk containing a term is among them, so document frequencies counted there are exact
// for the searched scope. Term frequency is recovered from the single-term ts_rank, which is
// 0.1 * (sum of 1/j^2 for j = 1..tf) / (pi^2/6); setweight(…, 'D') makes every position weigh
// 0.1 and detoasts each tsvector once instead of once per term.
//
// The score: `norm` is the BM25 a chunk of average length would get by containing every term of
// the question once (sum of weight × IDF, terms absent from the scope at full IDF). Dividing by
// it says how much of the question — weighted by how telling each word is — a chunk covers. It
// orders exactly like BM25 within one question and lets one threshold work across questions.
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

export function createRetrievalRepo(db: Database) {
  return {
    /** The `limit` best chunks of the tenant for a question, by BM25, with their 0–1 score. */
    async fulltextSearch(tenantId: string, tsquery: string, weighted: WeightedTerms, scope: SearchScope, limit: number): Promise<FulltextHit[]> {
      const where = scopeWhere(tenantId, scope);
      const result = (await db.execute(sql`
        WITH terms AS MATERIALIZED (
          SELECT t AS term, w AS weight, to_tsquery('simple', tq) AS q, ord
          FROM unnest(${sql.param(weighted.terms)}::text[], ${sql.param(weighted.tsqueries)}::text[], ${sql.param(weighted.weights)}::float8[]) WITH ORDINALITY AS u(t, tq, w, ord)
        ), candidates AS MATERIALIZED (
          SELECT ${chunks.id} AS id, setweight(${chunks.tsv}, 'D') AS tsv, length(${chunks.tsv}) AS len
          FROM ${chunks} JOIN ${contents} ON ${contents.id} = ${chunks.contentId}
          WHERE ${where} AND ${chunks.tsv} @@ to_tsquery('simple', ${tsquery})
        ), hits AS MATERIALIZED (
          SELECT cd.id, cd.len, terms.term,
            greatest(1, 1 / greatest(1.644934 - ts_rank(cd.tsv, terms.q) * 16.44934, 0.004) - 0.5) AS tf
          FROM candidates cd JOIN terms ON cd.tsv @@ terms.q
        ), df AS (
          SELECT term, count(*)::float8 AS df FROM hits GROUP BY term
        ), corpus AS (
          SELECT
            (SELECT count(*) FROM ${chunks} JOIN ${contents} ON ${contents.id} = ${chunks.contentId} WHERE ${where})::float8 AS n,
            (SELECT greatest(avg(len), 1) FROM candidates)::float8 AS avglen
        ), idf AS (
          SELECT terms.term, terms.ord, terms.weight * ln(1 + (corpus.n - coalesce(df.df, 0) + 0.5) / (coalesce(df.df, 0) + 0.5)) AS widf
          FROM terms CROSS JOIN corpus LEFT JOIN df ON df.term = terms.term
        ), scored AS (
          SELECT h.id, sum(idf.widf * h.tf * 2.2 / (h.tf + 1.2 * (0.25 + 0.75 * h.len / corpus.avglen))) AS bm25
          FROM hits h JOIN idf ON idf.term = h.term CROSS JOIN corpus
          GROUP BY h.id
        )
        SELECT id::text AS id, bm25::float8 AS bm25,
          least(1, bm25 / nullif((SELECT sum(widf) FROM idf), 0))::float8 AS score,
          (SELECT array_agg(widf::float8 ORDER BY ord) FROM idf) AS term_idf
        FROM scored
        ORDER BY bm25 DESC, id
        LIMIT ${limit}`)) as unknown as Rows<{ id: string; bm25: number; score: number | null; term_idf: number[] | null }>;
      return result.rows.map((r) => ({ chunkId: r.id, bm25: Number(r.bm25), score: Number(r.score ?? 0), termIdf: r.term_idf?.map(Number) }));
    },

    /** The positions of `terms` in each of the given chunks of the tenant (for passage-rerank.ts). */
    async termPositions(tenantId: string, ids: string[], terms: string[]): Promise<TermPositions[]> {
      if (ids.length === 0 || terms.length === 0) return [];
      const result = (await db.execute(sql`
        SELECT ${chunks.id}::text AS id, ${contents.title} AS title, u.lexeme, u.positions::int[] AS positions
        FROM ${chunks} JOIN ${contents} ON ${contents.id} = ${chunks.contentId}
        CROSS JOIN LATERAL unnest(${chunks.tsv}) AS u
        WHERE ${chunks.tenantId} = ${tenantId} AND ${contents.tenantId} = ${tenantId}
          AND ${chunks.id} = ANY(${sql.param(ids)}::uuid[]) AND u.lexeme = ANY(${sql.param(terms)}::text[])`)) as unknown as Rows<{
        id: string;
        title: string | null;
        lexeme: string;
        positions: number[] | null;
      }>;
      const byChunk = new Map<string, TermPositions>();
      for (const r of result.rows) {
        const entry = byChunk.get(r.id) ?? { chunkId: r.id, title: r.title, positions: new Map<string, number[]>() };
        entry.positions.set(r.lexeme, (r.positions ?? []).map(Number));
        byChunk.set(r.id, entry);
      }
      return [...byChunk.values()];
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
