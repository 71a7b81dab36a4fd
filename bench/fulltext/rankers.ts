// The SQL ranking variants compared by eval-fulltext.ts. Each takes the question's tsquery
// string and its term list and returns the top chunk ids, best first.
import type { PGlite } from '@electric-sql/pglite';

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

// Okapi BM25 (k1 = 1.2, b = 0.75) computed in SQL: document frequency per term through the
// GIN index, term frequency from the tsvector's position list, length = distinct lexemes.
// Postgres' own ts_rank has no IDF, so a term found in every chunk counts as much as a rare name.
export const BM25 = `
  WITH terms AS MATERIALIZED (
    SELECT t AS term, to_tsquery('simple', quote_literal(t)) AS q FROM unnest($1::text[]) AS t
  ), corpus AS MATERIALIZED (
    SELECT count(*)::float8 AS n, greatest(avg(length(tsv)), 1)::float8 AS avglen FROM chunks
  ), df AS MATERIALIZED (
    SELECT term, q, (SELECT count(*) FROM chunks c WHERE c.tsv @@ terms.q)::float8 AS df FROM terms
  ), scored AS (
    SELECT c.id,
      ln(1 + (corpus.n - df.df + 0.5) / (df.df + 0.5))
        * tf.tf * 2.2 / (tf.tf + 1.2 * (0.25 + 0.75 * length(c.tsv) / corpus.avglen)) AS score
    FROM df CROSS JOIN corpus
    JOIN chunks c ON c.tsv @@ df.q
    LEFT JOIN LATERAL (
      SELECT coalesce(max(cardinality(u.positions)), 1)::float8 AS tf FROM unnest(c.tsv) u WHERE u.lexeme = df.term
    ) tf ON true
  )
  SELECT id FROM scored GROUP BY id ORDER BY sum(score) DESC, id LIMIT $2`;

export async function rankChunks(db: PGlite, ranker: RankerName, tsquery: string, terms: string[], limit: number): Promise<number[]> {
  const result =
    ranker === 'bm25'
      ? await db.query<{ id: number }>(BM25, [terms, limit])
      : await db.query<{ id: number }>(ranker === 'cd' ? TS_RANK_CD : TS_RANK, [tsquery, limit]);
  return result.rows.map((r) => r.id);
}
