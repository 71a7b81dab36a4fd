import { sql, type SQL } from 'drizzle-orm';
import type { Database, DatabaseHandle } from '../../db/client.js';

/**
 * The vector table lives outside the drizzle migrations: PostgreSQL without pgvector must still
 * migrate and run, so this SQL is applied at start-up only when the extension is there.
 *
 * Embeddings of any length share one untyped `vector` column (models differ per tenant). HNSW
 * needs a fixed dimension, so — as pgvector's README suggests for mixed dimensions — each common
 * length gets a partial expression index, and queries repeat the same cast and `dims = N`
 * predicate so the planner can use it. pgvector's HNSW takes `vector` up to 2,000 dimensions and
 * `halfvec` up to 4,000, so longer models (3072: text-embedding-3-large) are indexed as halfvec
 * (half precision, which costs nothing measurable in recall). Other lengths still work, searched
 * exactly (a scan of the tenant's rows).
 *
 * The HNSW indexes are optional (VECTOR_INDEX; by default only on a PostgreSQL server). Measured on
 * PGlite 0.5 (pgvector 0.8 in WebAssembly): inserting one 1536-dimension vector into HNSW costs
 * ~60 ms (halfvec: ~340 ms), and PGlite runs one statement at a time, so ingestion would stall
 * every request; an exact search there over 10,000 such vectors takes ~0.15 s.
 */
export interface VectorIndex {
  dims: number;
  name: string;
  /** Cast that both the index and the query apply: `vector(1536)` or `halfvec(3072)`. */
  cast: string;
  ops: 'vector_cosine_ops' | 'halfvec_cosine_ops';
}

const VECTOR_DIMS = [384, 512, 768, 1024, 1536];
const HALFVEC_DIMS = [3072];

export const vectorIndexes: VectorIndex[] = [
  ...VECTOR_DIMS.map((dims) => ({ dims, name: `chunk_embeddings_hnsw_${dims}`, cast: `vector(${dims})`, ops: 'vector_cosine_ops' as const })),
  ...HALFVEC_DIMS.map((dims) => ({ dims, name: `chunk_embeddings_hnsw_${dims}`, cast: `halfvec(${dims})`, ops: 'halfvec_cosine_ops' as const })),
];

export const vectorIndexFor = (dims: number) => vectorIndexes.find((i) => i.dims === dims);

/** pgvector's hard limit for a stored `vector`. */
export const MAX_DIMS = 16_000;

/** `hnsw.iterative_scan` (tenant-filtered queries that still return k rows) arrived in 0.8.0. */
const MIN_PGVECTOR = [0, 8, 0];

// Any constant (not the migrations' one): instances starting together create the indexes one at a time.
const SCHEMA_LOCK_ID = 740_411_2027;

const tableStatements: SQL[] = [
  sql`create table if not exists chunk_embeddings (
    chunk_id uuid primary key references chunks(id) on delete cascade,
    tenant_id uuid not null references tenants(id) on delete cascade,
    content_id uuid not null references contents(id) on delete cascade,
    model text not null,
    dims integer not null check (dims between 1 and ${sql.raw(String(MAX_DIMS))}),
    embedding vector not null,
    created_at timestamptz not null default now()
  )`,
  sql`create index if not exists chunk_embeddings_content_idx on chunk_embeddings (content_id)`,
  // Exact search for small tenants and unindexed lengths, and "which documents lack vectors".
  sql`create index if not exists chunk_embeddings_tenant_model_idx on chunk_embeddings (tenant_id, model, dims)`,
];

const hnswStatements: SQL[] = [
  ...vectorIndexes.map(
    (i) =>
      sql`create index if not exists ${sql.identifier(i.name)} on chunk_embeddings
          using hnsw ((embedding::${sql.raw(i.cast)}) ${sql.raw(i.ops)}) where dims = ${sql.raw(String(i.dims))}`,
  ),
];

export interface VectorSchemaResult {
  ok: boolean;
  /** Why vectors stay off, for the start-up log. */
  reason?: string;
  pgvectorVersion?: string;
}

/**
 * Creates the vector table and indexes if missing (with `hnsw`, the HNSW indexes too; building
 * them over existing rows takes a while). Idempotent; safe for instances starting together.
 */
export async function ensureVectorSchema(db: Database, options: { hnsw: boolean }): Promise<VectorSchemaResult> {
  const version = await pgvectorVersion(db);
  if (!version) return { ok: false, reason: 'the pgvector extension is not installed' };
  if (compareVersions(version, MIN_PGVECTOR) < 0) {
    return { ok: false, reason: `pgvector ${version} is too old (0.8.0 or later is needed)`, pgvectorVersion: version };
  }
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SCHEMA_LOCK_ID})`);
    for (const statement of [...tableStatements, ...(options.hnsw ? hnswStatements : [])]) await tx.execute(statement);
  });
  return { ok: true, pgvectorVersion: version };
}

async function pgvectorVersion(db: Database): Promise<string | undefined> {
  const result = await db.execute(sql`select extversion from pg_extension where extname = 'vector'`);
  return (result as unknown as { rows: Array<{ extversion: string }> }).rows[0]?.extversion;
}

export function compareVersions(version: string, minimum: number[]): number {
  const parts = version.split('.').map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < minimum.length; i++) {
    const diff = (parts[i] ?? 0) - minimum[i]!;
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}

/**
 * Start-up step after the migrations (server, `worker` and `migrate` commands): creates the vector
 * schema, or turns vector search off (with the reason in the log) when it cannot be used.
 */
export async function prepareVectorStorage(
  database: DatabaseHandle,
  log: { warn(message: string): void },
  vectorIndex: 'auto' | 'hnsw' | 'exact',
): Promise<void> {
  const hnsw = vectorIndex === 'hnsw' || (vectorIndex === 'auto' && database.driver === 'postgres');
  const result = database.vectorSearch ? await ensureVectorSchema(database.db, { hnsw }) : { ok: false, reason: 'the pgvector extension is not available' };
  if (result.ok) return;
  database.vectorSearch = false;
  log.warn(`Vector search is OFF (${result.reason}): retrieval uses full-text search only.`);
}
