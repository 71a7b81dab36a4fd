import { and, arrayOverlaps, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import type { FileType } from '../../db/enums.js';
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
  /** weight × IDF of each question term in the tenant, in the order of WeightedTerms (the same for every hit). */
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
  fileType: FileType;
  title: string | null;
  /** The sheet an XLSX passage starts on; null for other kinds. */
  sheetName: string | null;
  /** A crawled web page's address (what its citations link to); null for uploads. */
  sourceUrl: string | null;
  chunkIndex: number;
  text: string;
  pageStart: number | null;
  pageEnd: number | null;
  /** The document's pages read by OCR, to mark the passage. */
  ocrPages: number[];
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

/** A chunk that may answer, with what BM25 and the rerank need of it. */
export interface Candidate extends TermPositions {
  /** Distinct lexemes of its tsvector (BM25's document length). */
  length: number;
}

/** Every query of this module names the tenant, on both tables, and sees completed documents only. */
function scopeWhere(tenantId: string, scope: SearchScope): SQL {
  return and(eq(chunks.tenantId, tenantId), documentsWhere(tenantId, scope))!;
}

/** The documents a search may see: the tenant's completed ones, within the filters. */
function documentsWhere(tenantId: string, scope: SearchScope): SQL {
  return and(
    eq(contents.tenantId, tenantId),
    eq(contents.status, 'completed'),
    scope.fileIds?.length ? inArray(contents.id, scope.fileIds) : undefined,
    scope.tags?.length ? arrayOverlaps(contents.tags, scope.tags) : undefined,
  )!;
}

type Rows<T> = { rows: T[] };

/** A tsvector's text form (`'東京':1A,7A 'apollo':3A`, quotes inside a lexeme doubled) as lexeme → positions. */
export function parseTsvector(text: string): Map<string, number[]> {
  const positions = new Map<string, number[]>();
  for (const [, lexeme, list] of text.matchAll(/'((?:[^']|'')*)':([\dA-D,]+)/g)) {
    positions.set(lexeme!.replaceAll("''", "'"), list!.split(',').map((p) => Number.parseInt(p, 10)));
  }
  return positions;
}

/** The largest candidate set one search reads, whatever its terms: bounds the worst question (any such chunks, unranked). */
export const MAX_CANDIDATES = 2_000;

export function createRetrievalRepo(db: Database) {
  return {
    async termStats(tenantId: string, lexemes: string[], scope: SearchScope): Promise<TermStats> {
      const scoped = scope.fileIds?.length || scope.tags?.length;
      const result = (await db.execute(sql`
        SELECT coalesce(c.chunk_count, 0)::float8 AS n, coalesce(c.total_length, 0)::float8 AS total,
          ${scoped
            ? sql`(SELECT coalesce(sum(${contents.chunkCount}), 0) FROM ${contents} WHERE ${documentsWhere(tenantId, scope)})::float8`
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

    /**
     * The chunks of the scope holding any of the `candidates` terms (to_tsquery syntax; GIN index on
     * tenant and word), at most MAX_CANDIDATES, each with the positions of `lexemes` in it:
     * setweight marks those lexemes and ts_filter keeps them, so nothing else of the tsvector is
     * read, and its text form is parsed here (measured: a json aggregate per row costs twice as much).
     */
    async candidates(tenantId: string, candidates: string, lexemes: string[], scope: SearchScope): Promise<Candidate[]> {
      const result = (await db.execute(sql`
        SELECT ${chunks.id}::text AS id, length(${chunks.tsv}) AS length, ${contents.title} AS title,
          ts_filter(setweight(${chunks.tsv}, 'A', ${sql.param(lexemes)}::text[]), '{a}')::text AS positions
        FROM ${chunks} JOIN ${contents} ON ${contents.id} = ${chunks.contentId}
        WHERE ${scopeWhere(tenantId, scope)} AND ${chunks.tsv} @@ to_tsquery('simple', ${candidates})
        LIMIT ${MAX_CANDIDATES}`)) as unknown as Rows<{ id: string; length: number; title: string | null; positions: string }>;
      return result.rows.map((r) => ({ chunkId: r.id, length: Number(r.length), title: r.title, positions: parseTsvector(r.positions) }));
    },

    /** The given chunks that are still in scope (tenant, completed, filters), with their document. */
    async chunksById(tenantId: string, ids: string[], scope: SearchScope): Promise<ChunkRow[]> {
      if (ids.length === 0) return [];
      return db
        .select({
          chunkId: chunks.id,
          fileId: chunks.contentId,
          fileName: contents.fileName,
          fileType: contents.fileType,
          title: contents.title,
          sheetName: sql<string | null>`${contents.pageLabels}[${chunks.pageStart}]`,
          sourceUrl: contents.sourceUrl,
          chunkIndex: chunks.chunkIndex,
          text: chunks.text,
          pageStart: chunks.pageStart,
          pageEnd: chunks.pageEnd,
          ocrPages: contents.ocrPages,
        })
        .from(chunks)
        .innerJoin(contents, eq(contents.id, chunks.contentId))
        .where(and(scopeWhere(tenantId, scope), inArray(chunks.id, ids)));
    },
  };
}

export type RetrievalRepo = ReturnType<typeof createRetrievalRepo>;
