/**
 * Durability under faults: the real server (and, on PostgreSQL, a separate ingestion worker) is
 * killed with SIGKILL at random points while 100 files are uploaded and ingested, and restarted.
 * Afterwards every accepted upload must be there, ingested exactly once, with the chunks of a clean
 * ingest and no file left behind. On PostgreSQL a private cluster is also crash-restarted under
 * uploads and chats (durability-postgres.test.ts). DURABILITY_SEED=<n> replays a run.
 */
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase, type DatabaseHandle } from '../../../db/client.js';
import { createTestDatabase } from '../../../test/test-database.js';
import { cliProcess, freePort, serverEnv, type CliProcess } from '../../../test/server-process.js';
import { call, countByStatus, registerTenant, uploadBytes } from '../../../test/live-client.js';
import { seededRandom } from '../../../test/seeded-random.js';
import { assertCleanIngest, expectedChunkCounts, makeDocuments } from './test-support/durability-checks.js';

const seed = Number(process.env.DURABILITY_SEED ?? randomInt(2 ** 31));
const postgres = Boolean(process.env.DATABASE_URL);
const FILES = 100;
const progress = (message: string) => process.env.DURABILITY_VERBOSE && console.log(`[durability] ${message}`);

const cleanups: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

test(`kill -9 during uploads and ingestion loses and duplicates nothing (${postgres ? 'PostgreSQL: server and worker' : 'PGlite: server'}; seed ${seed})`, { timeout: 240_000 }, async () => {
  console.log(`durability seed ${seed} (DURABILITY_SEED=${seed} replays this run)`);
  const started = Date.now();
  const random = seededRandom(seed);
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const documents = makeDocuments(random, FILES);
  const expected = await expectedChunkCounts(documents);

  const dataDir = mkdtempSync(join(tmpdir(), 'shiori-durability-'));
  const database = await createTestDatabase();
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }), () => database.drop());
  // A migrated copy saves the first start its migrations: the server opens DATA_DIR/pgdata.
  if (database.pgliteDir) renameSync(database.pgliteDir, join(dataDir, 'pgdata'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = {
    ...serverEnv(port, dataDir),
    // A killed worker's documents wait one lease before another worker takes them over.
    INGESTION_CONCURRENCY: '3',
    INGESTION_LEASE_SECONDS: '4',
    ORPHAN_FILE_SECONDS: '8',
    ...(database.url ? { DATABASE_URL: database.url, INGESTION_WORKER: 'off' } : {}),
  };
  const server = cliProcess('serve', env, baseUrl);
  const worker = postgres ? cliProcess('worker', env) : undefined;
  cleanups.push(() => server.kill9(), async () => worker?.kill9());
  await server.start();
  await worker?.start();
  const tenant = await registerTenant(baseUrl, 'durable');

  // PGlite is one process: the server ingests, and killing it interrupts both. On PostgreSQL the
  // server only accepts uploads and the worker only ingests: each is killed on its own.
  // Three kills of the process that ingests (PGlite: 2 + 1 server; PostgreSQL: 1 + 2 worker): a
  // document interrupted every time still has its 4th attempt.
  const uploadKills = [between(8, 40), between(45, 85)];
  const ingestKills = postgres ? 2 : 1;
  const kills: string[] = [];
  const restart = async (child: CliProcess, name: string, at: string) => {
    await child.kill9();
    kills.push(`${name} at ${at} (+${((Date.now() - started) / 1000).toFixed(1)} s)`);
    progress(`killed ${kills.at(-1)}`);
    await child.start();
    progress(`${name} restarted`);
  };

  // Upload every file; a refused connection or 5xx is retried, a 409 means an earlier attempt was
  // accepted but its answer lost in the kill. accepted: file index → document id.
  const accepted = new Map<number, string>();
  const answered201 = new Set<string>();
  let retries = 0;
  const queue = documents.map((_, i) => i);
  async function existingDocumentId(name: string): Promise<string | undefined> {
    const found = await call(baseUrl, 'GET', `/api/v1/contents?search=${encodeURIComponent(name)}&limit=100`, { token: tenant.token });
    return (found.body as Array<{ id: string; file_name: string }>).find((d) => d.file_name === name)?.id;
  }
  async function uploader() {
    for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
      for (;;) {
        const res = await uploadBytes(baseUrl, tenant.token, documents[i]!.name, documents[i]!.bytes);
        if (res.status === 201) {
          accepted.set(i, res.body.id);
          answered201.add(res.body.id);
        } else if (res.status === 409) {
          // The 201 was lost: the 409 names the earlier copy by its file name (the text carries no id).
          const id = await existingDocumentId(documents[i]!.name);
          assert.ok(id, `409, but no document named ${documents[i]!.name}: ${JSON.stringify(res.body)}`);
          accepted.set(i, id);
        } else if (res.status === 0 || res.status >= 500) {
          retries++;
          await sleep(150);
          continue;
        } else assert.fail(`upload of ${documents[i]!.name}: ${res.status} ${JSON.stringify(res.body)}`);
        break;
      }
    }
  }
  async function killDuringUploads() {
    for (const [n, at] of uploadKills.entries()) {
      while (accepted.size < at) await sleep(20);
      // On PostgreSQL the first upload kill also takes the worker down, mid-ingestion.
      if (worker && n === 0) await restart(worker, 'worker', `${accepted.size} uploads`);
      await restart(server, 'server', `${accepted.size} uploads`);
    }
  }
  await Promise.all([uploader(), uploader(), uploader(), uploader(), killDuringUploads()]);
  assert.equal(accepted.size, FILES);
  progress(`uploaded, ${retries} retries`);

  const ingesting = worker ?? server;
  for (let n = 0; n < ingestKills; n++) {
    await sleep(between(300, 2500));
    const done = await countByStatus(baseUrl, tenant.token, 'completed');
    if (done === FILES) break; // nothing left to interrupt
    await restart(ingesting, worker ? 'worker' : 'server', `${done ?? '?'} / ${FILES} ingested`);
  }

  // Every accepted upload completes, none fails.
  const deadline = Date.now() + 90_000;
  for (;;) {
    const failed = await countByStatus(baseUrl, tenant.token, 'failed');
    assert.equal(failed, 0, 'no document may fail');
    const completed = await countByStatus(baseUrl, tenant.token, 'completed');
    progress(`${completed} completed`);
    if (completed === FILES) break;
    assert.ok(Date.now() < deadline, `documents still not completed after 90 s\n${ingesting.output()}`);
    await sleep(200);
  }
  const ingestedAt = Date.now();
  progress('all completed');

  // Read the stored state: PGlite only once its one process has stopped.
  let db: DatabaseHandle;
  if (postgres) db = await openDatabase({ url: database.url });
  else {
    await server.stop();
    db = await openDatabase({ pgliteDir: join(dataDir, 'pgdata') });
  }
  try {
    const report = await assertCleanIngest({ db: db.db, tenantId: tenant.tenantId, filesDir: join(dataDir, 'files'), documents, expected, accepted, answered201, waitForSweepMs: postgres ? 20_000 : 0 });
    console.log(
      `durability (${postgres ? 'PostgreSQL' : 'PGlite'}, seed ${seed}): ${FILES} files, ${kills.length} kills [${kills.join('; ')}], ` +
        `${retries} upload retries, ${report.interrupted} jobs taken over after a kill, ${report.chunks} chunks; ` +
        `ingested in ${((ingestedAt - started) / 1000).toFixed(1)} s, checked in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  } finally {
    await db.close();
  }
});
