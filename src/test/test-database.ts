import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase } from '../db/client.js';
import { projectRoot } from '../paths.js';

export interface TestDatabase {
  /** postgres:// URL of a fresh database, when testing against a server. */
  url?: string;
  /** Folder of a fresh, migrated PGlite, when testing on the embedded default. */
  pgliteDir?: string;
  drop(): Promise<void>;
}

/**
 * With DATABASE_URL set, each test app gets its own fresh database on that server (created here,
 * dropped on close), so test files can run in parallel. Without it, each gets a copy of a
 * migrated PGlite template: PGlite's initdb costs seconds, copying its folder milliseconds.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'shiori-pglite-'));
    cpSync(await pgliteTemplate(), dir, { recursive: true });
    return { pgliteDir: dir, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `shiori_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient(serverUrl, (client) => client.query(`create database ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdminClient(serverUrl, (client) => client.query(`drop database if exists ${name} with (force)`)).then(() => {}),
  };
}

/** A migrated PGlite folder, built once per set of migrations and shared by test processes. */
async function pgliteTemplate(): Promise<string> {
  const migrations = join(projectRoot, 'src/db/migrations');
  const hash = createHash('sha256');
  for (const file of readdirSync(migrations, { recursive: true }).map(String).sort()) {
    if (file.endsWith('.sql') || file.endsWith('.json')) hash.update(file).update(readFileSync(join(migrations, file)));
  }
  const version = JSON.parse(readFileSync(join(projectRoot, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')).version;
  const template = join(tmpdir(), `shiori-pglite-template-${version}-${hash.digest('hex').slice(0, 16)}`);
  if (existsSync(template)) return template;
  // Built aside and renamed into place, so a parallel test process never sees half a template.
  const building = `${template}.${process.pid}.${randomBytes(4).toString('hex')}`;
  const database = await openDatabase({ pgliteDir: building });
  await database.migrate();
  await database.close();
  try {
    renameSync(building, template);
  } catch {
    rmSync(building, { recursive: true, force: true }); // another process won the race
  }
  return template;
}

async function withAdminClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}
