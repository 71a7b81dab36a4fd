// The write side of full-text search: a tenant's chunks with their tsvectors, and the BM25
// statistics kept beside them (search_terms: how many chunks hold each lexeme; search_corpus:
// how many chunks and their total length). Every write of chunks goes through here and changes
// the statistics in the same statement, so they always equal a count over the chunks — which a
// search then never has to make. They count every chunk of the tenant, including those of a
// document being reprocessed (until its chunks are replaced), a difference that lasts seconds.
//
// Writes come in short statements (BATCH chunks), with a yield between them: on PGlite a long
// statement holds every request of every tenant. New words go to the GIN index's pending list
// (fast to write), which every search scans whole until it is merged into the index; PGlite has no
// autovacuum to merge it, so the index keeps it small (gin_pending_list_limit, migration 0009) and
// the insert that fills it merges it.
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { requestsIdle } from '../../db/foreground.js';
import { chunks, searchCorpus, searchTerms } from '../../db/schema.js';
import type { PreparedChunk } from '../sources/extract/prepare-chunks.js';

/**
 * Chunks per statement (~10–20 ms on PGlite). A request waits for the statement running when each
 * of its own statements arrives, so this bounds what indexing adds to a request.
 */
const BATCH = 50;
/** Chunks per removal or title re-indexing statement (as before the statistics were kept). */
const LARGE_BATCH = BATCH * 5;


/**
 * `changes` (a set of `tsv`, `sign` rows, +1 for a chunk indexed and −1 for one removed, after
 * the `prelude` CTE that writes the chunks), then the statistics moved by them, answering how
 * many rows `changes` had. The terms are written in lexeme order, so two writers of one
 * tenant lock rows in the same order and cannot deadlock.
 */
function withStats(tenantId: string, prelude: SQL, changes: SQL): SQL {
  return sql`
    WITH ${prelude}, changes AS (${changes}),
    terms AS (
      INSERT INTO ${searchTerms} (tenant_id, term, df)
      SELECT ${tenantId}::uuid, u.lexeme, sum(c.sign)::int
      FROM changes c CROSS JOIN LATERAL unnest(c.tsv) AS u
      GROUP BY u.lexeme HAVING sum(c.sign) <> 0
      ORDER BY u.lexeme
      ON CONFLICT (tenant_id, term) DO UPDATE SET df = ${searchTerms.df} + excluded.df
    ), corpus AS (
      INSERT INTO ${searchCorpus} (tenant_id, chunk_count, total_length)
      SELECT ${tenantId}::uuid, coalesce(sum(sign), 0), coalesce(sum(sign * length(tsv)), 0) FROM changes
      ON CONFLICT (tenant_id) DO UPDATE SET
        chunk_count = ${searchCorpus.chunkCount} + excluded.chunk_count,
        total_length = ${searchCorpus.totalLength} + excluded.total_length
    )
    SELECT count(*)::int AS changed FROM changes`;
}

const ofDocument = (tenantId: string, contentId: string) => and(eq(chunks.tenantId, tenantId), eq(chunks.contentId, contentId));

export function createSearchIndex(db: Database) {
  return {
    /** Indexes a document's new chunks (with their words, `searchText`); background work, it lets requests go first. */
    async addChunks(tenantId: string, contentId: string, rows: readonly PreparedChunk[]): Promise<void> {
      for (let i = 0; i < rows.length; i += BATCH) {
        await requestsIdle();
        const batch = rows.slice(i, i + BATCH);
        const column = <K extends keyof PreparedChunk>(key: K) => sql.param(batch.map((r) => r[key]));
        await db.execute(
          withStats(
            tenantId,
            sql`added AS (
              INSERT INTO ${chunks} (tenant_id, content_id, chunk_index, text, page_start, page_end, char_start, char_end, token_count, tsv)
              SELECT ${tenantId}::uuid, ${contentId}::uuid, u.chunk_index, u.text, u.page_start, u.page_end, u.char_start, u.char_end, u.token_count, to_tsvector('simple', u.search_text)
              FROM unnest(${column('chunkIndex')}::int[], ${column('text')}::text[], ${column('pageStart')}::int[], ${column('pageEnd')}::int[],
                ${column('charStart')}::int[], ${column('charEnd')}::int[], ${column('tokenCount')}::int[], ${column('searchText')}::text[])
                AS u(chunk_index, text, page_start, page_end, char_start, char_end, token_count, search_text)
              RETURNING tsv)`,
            sql`SELECT tsv, 1 AS sign FROM added`,
          ),
        );
      }
    },

    /**
     * Removes every chunk of a document. Each statement counts out exactly the chunks it deleted,
     * so two removals at once (a delete during a re-run) never count a chunk out twice.
     */
    async removeDocument(tenantId: string, contentId: string): Promise<void> {
      for (;;) {
        // Not requestsIdle(): a DELETE request removes its document's chunks itself.
        await new Promise((resolve) => setImmediate(resolve));
        const result = await db.execute(
          withStats(
            tenantId,
            sql`gone AS (
              DELETE FROM ${chunks} WHERE ${chunks.id} IN (SELECT ${chunks.id} FROM ${chunks} WHERE ${ofDocument(tenantId, contentId)} LIMIT ${LARGE_BATCH})
              RETURNING tsv)`,
            sql`SELECT tsv, -1 AS sign FROM gone`,
          ),
        );
        if (((result as unknown as { rows: Array<{ changed: number }> }).rows[0]?.changed ?? 0) === 0) return;
      }
    },

    /** Sets the indexed words of some of a document's chunks (to_tsvector of each `searchText`). */
    async setSearchTexts(tenantId: string, contentId: string, rows: ReadonlyArray<{ id: string; searchText: string }>): Promise<void> {
      for (let i = 0; i < rows.length; i += LARGE_BATCH) {
        const batch = rows.slice(i, i + LARGE_BATCH);
        await db.execute(
          withStats(
            tenantId,
            sql`updated AS (
              UPDATE ${chunks} SET tsv = to_tsvector('simple', u.search_text)
              FROM unnest(${sql.param(batch.map((r) => r.id))}::uuid[], ${sql.param(batch.map((r) => r.searchText))}::text[]) AS u(id, search_text),
                LATERAL (SELECT old.tsv AS old_tsv FROM ${chunks} old WHERE old.id = u.id) AS o
              WHERE ${chunks.id} = u.id AND ${ofDocument(tenantId, contentId)}
              RETURNING o.old_tsv, ${chunks.tsv} AS new_tsv)`,
            sql`SELECT new_tsv AS tsv, 1 AS sign FROM updated UNION ALL SELECT old_tsv, -1 FROM updated`,
          ),
        );
      }
    },
  };
}

export type SearchIndex = ReturnType<typeof createSearchIndex>;
