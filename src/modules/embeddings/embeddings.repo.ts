import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { chunks } from '../../db/schema.js';
import { vectorIndexFor } from './vector-schema.js';

export interface VectorRow {
  chunkId: string;
  embedding: number[];
}

export interface NearestQuery {
  model: string;
  vector: number[];
  topK: number;
  /** Restrict to these documents (ids that are not UUIDs match nothing). */
  fileIds?: string[];
  /** Restrict to documents carrying any of these tags. */
  tags?: string[];
  /** Skip the HNSW index and compare against every row of the tenant (exact, for small tenants). */
  exact?: boolean;
}

export interface Neighbour {
  chunkId: string;
  distance: number;
}

/**
 * Numbers per INSERT (16 rows of 1536): PGlite runs one statement at a time, so statements stay
 * short. Measured there: a 600-chunk document embedded and written in 0.85 s while /health
 * answered in at most 20 ms.
 */
const WRITE_BATCH_NUMBERS = 24_576;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;
const literal = (vector: number[]) => `[${vector.join(',')}]`;

/**
 * SQL over chunk_embeddings, which exists only when pgvector does (see vector-schema.ts): callers
 * check the capability first. Every query names the tenant.
 */
export function createEmbeddingsRepo(db: Database) {
  return {
    chunkTexts: (tenantId: string, contentId: string) =>
      db
        .select({ id: chunks.id, text: chunks.text })
        .from(chunks)
        .where(and(eq(chunks.tenantId, tenantId), eq(chunks.contentId, contentId)))
        .orderBy(asc(chunks.chunkIndex)),

    /**
     * Writes (or overwrites) the vectors of a document's chunks, batch by batch: a chunk has one
     * vector, so running again replaces rather than adds. Chunks replaced meanwhile (the document
     * was reprocessed) are skipped by the join instead of failing the foreign key.
     */
    async upsertVectors(tenantId: string, contentId: string, model: string, rows: VectorRow[]): Promise<number> {
      let written = 0;
      const perStatement = Math.max(1, Math.floor(WRITE_BATCH_NUMBERS / (rows[0]?.embedding.length || 1)));
      for (let i = 0; i < rows.length; i += perStatement) {
        const batch = rows.slice(i, i + perStatement).map((r) => ({ chunk_id: r.chunkId, embedding: literal(r.embedding), dims: r.embedding.length }));
        const result = await db.execute(sql`
          insert into chunk_embeddings (chunk_id, tenant_id, content_id, model, dims, embedding)
          select ch.id, ch.tenant_id, ch.content_id, ${model}, v.dims, v.embedding::vector
          from json_to_recordset(${JSON.stringify(batch)}::json) as v(chunk_id uuid, embedding text, dims int)
          join chunks ch on ch.id = v.chunk_id and ch.tenant_id = ${tenantId} and ch.content_id = ${contentId}
          on conflict (chunk_id) do update
            set model = excluded.model, dims = excluded.dims, embedding = excluded.embedding, created_at = now()
          returning chunk_id`);
        written += rowsOf(result).length;
      }
      return written;
    },

    /** Vectors stored for a document, by model (for tests and diagnostics). */
    async countsFor(tenantId: string, contentId: string): Promise<Array<{ model: string; dims: number; n: number }>> {
      const result = await db.execute(sql`
        select model, dims, count(*)::int as n from chunk_embeddings
        where tenant_id = ${tenantId} and content_id = ${contentId}
        group by model, dims order by model`);
      return rowsOf(result);
    },

    /** Completed documents of the tenant; with `onlyMissing`, those with a chunk lacking a vector of `model`. */
    async completedContentIds(tenantId: string, options: { model: string; onlyMissing: boolean }): Promise<string[]> {
      const missing = sql`and exists (
        select 1 from chunks ch where ch.content_id = c.id and ch.tenant_id = ${tenantId}
        and not exists (select 1 from chunk_embeddings ce where ce.chunk_id = ch.id and ce.model = ${options.model}))`;
      const result = await db.execute(sql`
        select c.id from contents c
        where c.tenant_id = ${tenantId} and c.status = 'completed' ${options.onlyMissing ? missing : sql``}
        order by c.created_at`);
      return rowsOf<{ id: string }>(result).map((r) => r.id);
    },

    /** How many of the tenant's chunks have a vector of `model`, counted up to `limit` only (a bounded read). */
    async vectorCountUpTo(tenantId: string, model: string, limit: number): Promise<number> {
      const result = await db.execute(sql`
        select count(*)::int as n from (select 1 from chunk_embeddings where tenant_id = ${tenantId} and model = ${model} limit ${limit}) as held`);
      return rowsOf<{ n: number }>(result)[0]?.n ?? 0;
    },

    /**
     * The topK chunks nearest to `vector` (cosine distance) among the tenant's completed documents.
     * With the HNSW index, `hnsw.iterative_scan = relaxed_order` keeps scanning the shared graph
     * until enough of *this tenant's* rows pass the filter; without it, a tenant holding 1 % of
     * the rows would get ~1 % of k. Relaxed order can swap near-ties, so the outer query re-sorts.
     */
    async nearest(tenantId: string, query: NearestQuery): Promise<Neighbour[]> {
      if (query.fileIds?.length && !query.fileIds.some((id) => UUID.test(id))) return [];
      const statement = nearestSql(tenantId, query);
      const index = query.exact ? undefined : vectorIndexFor(query.vector.length);
      if (!index) return rowsOf<Neighbour>(await db.execute(statement)).map(numeric);
      return db.transaction(async (tx) => {
        // Local to this transaction: other queries of the pooled connection keep the defaults.
        const efSearch = String(Math.min(1000, Math.max(40, query.topK * 2)));
        await tx.execute(sql`select set_config('hnsw.iterative_scan', 'relaxed_order', true), set_config('hnsw.ef_search', ${efSearch}, true)`);
        return rowsOf<Neighbour>(await tx.execute(statement)).map(numeric);
      });
    },
  };
}

/**
 * The nearest-chunks query. With an index for this length, both sides of `<=>` use the index's
 * exact expression, with a literal `dims = N`, or the planner could not use the partial index.
 */
export function nearestSql(tenantId: string, query: NearestQuery): SQL {
  const dims = Math.trunc(query.vector.length);
  const index = query.exact ? undefined : vectorIndexFor(dims);
  const vector = literal(query.vector);
  const distance = index
    ? sql`(ce.embedding::${sql.raw(index.cast)}) <=> (${vector}::${sql.raw(index.cast)})`
    : sql`ce.embedding <=> ${vector}::vector`;
  const fileIds = query.fileIds?.filter((id) => UUID.test(id)) ?? [];
  const files = fileIds.length ? sql`and ce.content_id in (${sql.join(fileIds.map((id) => sql`${id}::uuid`), sql`, `)})` : sql``;
  const tags = query.tags?.length ? sql`and c.tags && array[${sql.join(query.tags.map((t) => sql`${t}`), sql`, `)}]::text[]` : sql``;
  return sql`
    with nearest as materialized (
      select ce.chunk_id, ${distance} as distance
      from chunk_embeddings ce
      where ce.tenant_id = ${tenantId} and ce.model = ${query.model} and ce.dims = ${sql.raw(String(dims))} ${files}
        and exists (select 1 from contents c where c.id = ce.content_id and c.tenant_id = ${tenantId} and c.status = 'completed' ${tags})
      order by distance
      limit ${query.topK}
    )
    select chunk_id as "chunkId", distance from nearest order by distance, chunk_id`;
}

// node-postgres returns float8 as a number, PGlite too; a string here would be a driver change.
const numeric = (row: Neighbour): Neighbour => ({ chunkId: row.chunkId, distance: Number(row.distance) });

export type EmbeddingsRepo = ReturnType<typeof createEmbeddingsRepo>;
