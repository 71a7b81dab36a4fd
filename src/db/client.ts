import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { vector } from '@electric-sql/pglite-pgvector';
import { sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { projectRoot } from '../paths.js';
import { takingTurns } from './pglite-turns.js';
import * as schema from './schema.js';

/** One query interface for both drivers; a transaction is assignable to it too. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface DatabaseHandle {
  db: Database;
  driver: 'pglite' | 'postgres';
  /** True when the pgvector extension could be enabled. */
  vectorSearch: boolean;
  migrate(): Promise<void>;
  ping(): Promise<number>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres:// URL of a server; without it the embedded PGlite is used. Same name as Config['database'].url. */
  url?: string;
  poolSize?: number;
  /** Folder for PGlite's files; without it PGlite lives in memory (tests). */
  pgliteDir?: string;
}

const migrationsFolder = join(projectRoot, 'src/db/migrations');
// Any constant works; it only has to be the same for every instance of the app.
const MIGRATION_LOCK_ID = 740_411_2026;

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  return options.url ? openPostgres(options.url, options.poolSize ?? 10) : openPglite(options.pgliteDir);
}

async function openPglite(dir: string | undefined): Promise<DatabaseHandle> {
  if (dir) mkdirSync(dir, { recursive: true });
  const client = await PGlite.create(dir ?? 'memory://', { extensions: { vector, btree_gin } });
  const db = drizzlePglite({ client: takingTurns(client), schema }) as unknown as Database;
  const vectorSearch = await enableVector(db);
  return {
    db,
    driver: 'pglite',
    vectorSearch,
    migrate: () => migratePglite(db as never, { migrationsFolder }),
    ping: () => timed(() => db.execute(sql`select 1`)),
    close: () => client.close(),
  };
}

async function openPostgres(url: string, max: number): Promise<DatabaseHandle> {
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 10_000 });
  // A client that loses its server (restart, failover) must not crash the process: the pool
  // listens on idle clients only, so a checked-out one (mid-transaction) gets its own listener.
  // Its query fails with the error, and the pool discards the broken client on release.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = drizzleNodePg({ client: pool, schema }) as unknown as Database;
  await db.execute(sql`select 1`);
  const vectorSearch = await enableVector(db);
  return {
    db,
    driver: 'postgres',
    vectorSearch,
    migrate: async () => {
      // Several instances may start at once: one migrates, the others wait for it.
      const lock = await pool.connect();
      try {
        await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
        await migrateNodePg(db as never, { migrationsFolder });
      } finally {
        await lock.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => {});
        lock.release();
      }
    },
    ping: () => timed(() => db.execute(sql`select 1`)),
    close: () => pool.end(),
  };
}

/** pgvector is optional: servers without it still run everything but vector search. */
async function enableVector(db: Database): Promise<boolean> {
  try {
    await db.execute(sql`create extension if not exists vector`);
    return true;
  } catch {
    return false;
  }
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return Math.round((performance.now() - start) * 100) / 100;
}
