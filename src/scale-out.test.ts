/**
 * A deployment past one machine, as real processes: two API instances (`serve`, INGESTION_WORKER=off)
 * and one `worker`, each with its own DATA_DIR, sharing one PostgreSQL database, one Redis and one
 * S3 bucket (src/test/fake-s3.ts). A document uploaded to A is ingested by the worker, then found,
 * downloaded and deleted through B; a rate limit spent on A holds on B.
 * Several processes cannot share the embedded database, so this runs in the PostgreSQL test run.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { makeStructuredDocx } from './modules/sources/extract/test-support/make-docx.js';
import { startFakeS3 } from './test/fake-s3.js';
import { call, registerTenant } from './test/live-client.js';
import { cliProcess, freePort, serverEnv } from './test/server-process.js';
import { createTestDatabase } from './test/test-database.js';

const skip = process.env.DATABASE_URL && process.env.REDIS_URL ? false : 'needs DATABASE_URL and REDIS_URL (the PostgreSQL test run): several processes cannot share the embedded database';
const SEARCH_LIMIT = 4;

const cleanups: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

test('two API instances and a worker on one PostgreSQL + Redis + S3: upload to A, ingested by the worker, searched, downloaded and deleted through B, rate limits shared', { skip, timeout: 180_000 }, async () => {
  const s3 = await startFakeS3();
  const database = await createTestDatabase();
  cleanups.push(() => s3.close(), () => database.drop());
  // One set of secrets for all: a token signed by A is honoured by B, keys sealed by one are read by the worker.
  const shared = {
    JWT_SECRET: randomBytes(32).toString('hex'),
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    ...s3.env,
    DATABASE_URL: database.url!,
    REDIS_URL: process.env.REDIS_URL!,
    REDIS_KEY_PREFIX: `scaleout:${randomBytes(6).toString('hex')}`,
    RATE_LIMIT_SEARCH_PER_MINUTE: String(SEARCH_LIMIT),
  };
  async function start(command: 'serve' | 'worker', extra: Record<string, string> = {}) {
    const dataDir = mkdtempSync(join(tmpdir(), `shiori-scaleout-${command}-`));
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const child = cliProcess(command, { ...serverEnv(port, dataDir), ...shared, ...extra }, command === 'serve' ? baseUrl : undefined);
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }), () => child.stop());
    await child.start();
    return { baseUrl, dataDir, child };
  }
  // One after the other: each runs the migrations at start.
  const a = await start('serve', { INGESTION_WORKER: 'off' });
  const b = await start('serve', { INGESTION_WORKER: 'off' });
  const worker = await start('worker');

  const tenant = await registerTenant(a.baseUrl, 'scaleout');
  const docx = await makeStructuredDocx();
  const form = new FormData();
  form.append('file', new Blob([docx]), 'handbook.docx');
  const uploaded = await call(a.baseUrl, 'POST', '/api/v1/contents/upload', { token: tenant.token, form });
  assert.equal(uploaded.status, 201, JSON.stringify(uploaded.body));
  const id: string = uploaded.body.id;
  assert.equal(s3.objects.size, 1, 'the file is in the bucket');
  const key = [...s3.objects.keys()][0]!;
  assert.ok(key.startsWith(`${tenant.tenantId}/`));
  assert.deepEqual(s3.objects.get(key)!.body, docx);
  for (const instance of [a, b, worker]) assert.ok(!existsSync(join(instance.dataDir, 'files')) || readdirSync(join(instance.dataDir, 'files')).length === 0, 'no instance keeps it on its disk');

  // Neither API instance ingests (INGESTION_WORKER=off): only the worker can finish it.
  let detail: any;
  const deadline = Date.now() + 60_000;
  for (;;) {
    detail = (await call(b.baseUrl, 'GET', `/api/v1/contents/${id}`, { token: tenant.token })).body;
    if (detail?.status === 'completed' || detail?.status === 'failed') break;
    assert.ok(Date.now() < deadline, `not ingested in 60 s: ${JSON.stringify(detail)}\nworker: ${worker.child.output()}`);
    await sleep(200);
  }
  assert.equal(detail.status, 'completed', JSON.stringify(detail));
  assert.ok(detail.chunk_count > 0);

  const search = await call(b.baseUrl, 'POST', '/api/v1/search', { token: tenant.token, json: { query: 'paid leave days' } });
  assert.equal(search.status, 200, JSON.stringify(search.body));
  assert.ok(search.body.results.some((r: { file_id: string }) => r.file_id === id), JSON.stringify(search.body));

  const file = await fetch(`${b.baseUrl}/api/v1/contents/${id}/file`, { headers: { authorization: `Bearer ${tenant.token}` } });
  assert.equal(file.status, 200);
  assert.equal(sha256(new Uint8Array(await file.arrayBuffer())), sha256(docx), 'B serves the bytes A received');

  // B spent one search of the limit: A has the rest, then both refuse.
  const onA: number[] = [];
  for (let i = 0; i < SEARCH_LIMIT; i++) onA.push((await call(a.baseUrl, 'POST', '/api/v1/search', { token: tenant.token, json: { query: 'badge' } })).status);
  assert.deepEqual(onA, [...Array<number>(SEARCH_LIMIT - 1).fill(200), 429], 'A counts the search made on B');
  const onB = await call(b.baseUrl, 'POST', '/api/v1/search', { token: tenant.token, json: { query: 'badge' } });
  assert.equal(onB.status, 429, JSON.stringify(onB.body));
  assert.equal(onB.body.error_code, 'RATE_LIMIT_EXCEEDED');

  const removed = await call(b.baseUrl, 'DELETE', `/api/v1/contents/${id}`, { token: tenant.token });
  assert.equal(removed.status, 200, JSON.stringify(removed.body));
  assert.equal(s3.objects.has(key), false, 'deleted through B, gone from the bucket');
  const gone = await call(a.baseUrl, 'GET', `/api/v1/contents/${id}/file`, { token: tenant.token });
  assert.equal(gone.status, 404);
});
