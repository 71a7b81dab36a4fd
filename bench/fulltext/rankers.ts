// The SQL ranking variants compared by eval-fulltext.ts. Each takes the question's tsquery
// string and its term list and returns the top chunk ids, best first.
import type { PGlite } from '@electric-sql/pglite';
import type { QueryTerm } from '../../src/lib/text/search-text.js';

export type RankerName = 'cd' | 'rank' | 'bm25';

export const SCHEMA = `
  CREATE TABLE chunks (id serial PRIMARY KEY, file text NOT NULL, idx int NOT NULL, text text NOT NULL, tsv tsvector NOT NULL);
  CREATE INDEX chunks_tsv ON chunks USING gin (tsv);`;


const TS_RANK_CD = `
  SELECT id FROM chunks WHERE tsv @@ to_tsquery('simple', $1)
  ORDER BY ts_rank_cd(tsv, to_tsquery('simple', $1)) DESC, id LIMIT $2`;

const TS_RANK = `
  SELECT id FROM chunks WHERE tsv @@ to_tsquery('simple', $1)
  ORDER BY ts_rank(tsv, to_tsquery('simple', $1)) DESC, id LIMIT $2`;

// Okapi BM25 (k1 = 1.2, b = 0.75) in one SQL statement. Postgres' ts_rank has no IDF: a term
// found in every chunk counts as much as a rare name. Only chunks matching the OR query are
// read (GIN index); every chunk containing a term is among them, so document frequencies
// counted there are exact. Term frequency is recovered from the single-term ts_rank, which is
// 0.1 * (sum of 1/j^2 for j = 1..tf) / (pi^2/6); the average length is the candidates'.
// setweight(tsv, 'D') changes nothing but detoasts each tsvector once instead of once per term
// (halves the query time in PGlite).
// A phrase term ('a' <-> 'b', several query nodes) counts once per chunk (tf = 1).
// $1 = the terms' tsquery strings (text[]), $2 = buildTsQuery(question), $3 = limit,
// $4 = the terms' weights (float8[]), all from queryTerms(question).
export const BM25 = `
  WITH terms AS MATERIALIZED (
    SELECT t AS term, w AS weight, to_tsquery('simple', t) AS q FROM unnest($1::text[], $4::float8[]) AS u(t, w)
  ), candidates AS MATERIALIZED (
    SELECT id, setweight(tsv, 'D') AS tsv, length(tsv) AS len FROM chunks WHERE tsv @@ to_tsquery('simple', $2)
  ), hits AS MATERIALIZED (
    SELECT c.id, c.len, terms.term, terms.weight,
      CASE WHEN numnode(terms.q) = 1
        THEN greatest(1, 1 / greatest(1.644934 - ts_rank(c.tsv, terms.q) * 16.44934, 0.004) - 0.5)
        ELSE 1 END AS tf
    FROM candidates c JOIN terms ON c.tsv @@ terms.q
  ), df AS (
    SELECT term, count(*)::float8 AS df FROM hits GROUP BY term
  ), corpus AS (
    SELECT (SELECT count(*) FROM chunks)::float8 AS n, (SELECT greatest(avg(len), 1) FROM candidates)::float8 AS avglen
  )
  SELECT h.id FROM hits h JOIN df USING (term) CROSS JOIN corpus
  GROUP BY h.id
  ORDER BY sum(
    h.weight * ln(1 + (corpus.n - df.df + 0.5) / (df.df + 0.5))
    * h.tf * 2.2 / (h.tf + 1.2 * (0.25 + 0.75 * h.len / corpus.avglen))
  ) DESC, h.id
  LIMIT $3`;

export async function rankChunks(db: PGlite, ranker: RankerName, tsquery: string, terms: QueryTerm[], limit: number): Promise<number[]> {
  const result =
    ranker === 'bm25'
      ? await db.query<{ id: number }>(BM25, [terms.map((t) => t.tsquery), tsquery, limit, terms.map((t) => t.weight)])
      : await db.query<{ id: number }>(ranker === 'cd' ? TS_RANK_CD : TS_RANK, [tsquery, limit]);
  return result.rows.map((r) => r.id);
}
