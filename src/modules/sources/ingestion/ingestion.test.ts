/**
 * The durable ingestion queue: several workers share it (each document processed once), a dead
 * worker's job is taken over after its lease, transient failures retry with backoff, permanent
 * ones fail at once, and a document deleted mid-processing stays deleted.
 *
 * On PGlite (one connection, one process) the workers run in this process and a crash is
 * simulated by a claim that is never finished. With DATABASE_URL, `shiori worker` processes are
 * spawned too, and one is killed with SIGKILL in the middle of a file.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { eq, inArray, sql } from 'drizzle-orm';
import { chunks, contents, ingestionJobs } from '../../../db/schema.js';
import { projectRoot } from '../../../paths.js';
import { buildTestApp, unique, type TestApp } from '../../../test/harness.js';
import { uploadFile, waitForStatus } from '../../../test/upload.js';
import { createLocalFileStorage } from '../contents/storage/local-file-storage.js';
import type { ExtractionLimits } from '../extract/index.js';
import { makeTextPdf } from '../extract/test-support/make-pdf.js';
import { backoffSeconds, createIngestionWorker, type IngestionWorker, type WorkerOptions } from './ingestion.worker.js';
import { createJobsRepo } from './jobs.repo.js';

const onPostgres = Boolean(process.env.DATABASE_URL);
const DONE = ['completed', 'failed'];

let t: TestApp;
const workers: IngestionWorker[] = [];
const processes: ChildProcess[] = [];
before(async () => {
  // No inline worker: each test decides which workers run.
  t = await buildTestApp({ ingestion: { inline: false, concurrency: 2, pollMs: 50, leaseSeconds: 60 } });
});
after(async () => {
  await Promise.all(workers.map((w) => w.stop(1000)));
  await Promise.all(processes.map(stopProcess));
  await t.close();
});

const db = () => t.app.database.db;
const token = () => t.a.admin.accessToken;

function startWorker(options: Partial<WorkerOptions> = {}, limits?: Partial<ExtractionLimits>): IngestionWorker {
  const worker = createIngestionWorker(
    { db: db(), storage: createLocalFileStorage(t.config.filesDir), log: t.app.log, limits },
    { concurrency: 2, pollMs: 50, leaseSeconds: 60, ...options },
  );
  workers.push(worker);
  worker.start();
  return worker;
}

/** `shiori worker` as a separate process on this test's database; resolves once it is polling. */
async function spawnWorkerProcess(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'worker'], {
    cwd: projectRoot,
    env: { ...process.env, DATABASE_URL: t.config.database.url, DATA_DIR: t.config.dataDir, LOG_LEVEL: 'info', INGESTION_CONCURRENCY: '2' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  processes.push(child);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker process did not start: ${output}`)), 60_000);
    child.stdout!.on('data', (data: Buffer) => {
      output += data.toString();
      if (output.includes('ingestion worker started')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr!.on('data', (data: Buffer) => void (output += data.toString()));
    child.once('exit', (code) => reject(new Error(`worker process exited (${code}): ${output}`)));
  });
  return child;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(15_000).then(() => child.kill('SIGKILL'))]);
}

async function upload(name: string, bytes: Buffer): Promise<string> {
  const res = await uploadFile(t, token(), name, bytes);
  assert.equal(res.statusCode, 201, res.body);
  return res.json().id;
}

/** Several paragraphs, so a duplicated chunk would be visible. */
const longText = () =>
  Buffer.from(
    Array.from({ length: 30 }, (_, i) => `第${i + 1}条 ${unique('p')} 従業員は規則を守り、誠実に職務を行う。Article ${i + 1} applies to everyone in the company.`).join('\n\n'),
  );

/** A PDF that takes a few seconds to read: long enough to kill or delete it mid-file. */
const slowPdf = () => makeTextPdf(Array.from({ length: 200 }, (_, p) => Array.from({ length: 40 }, (_, l) => `Page ${p + 1} line ${l + 1}: ${unique('w')} the quick brown fox.`).join('\n')));

const jobsOf = (contentIds: string[]) => db().select().from(ingestionJobs).where(inArray(ingestionJobs.contentId, contentIds));

async function duplicateChunks(): Promise<unknown[]> {
  const result = await db().execute(sql`select content_id, chunk_index, count(*) from ${chunks} group by content_id, chunk_index having count(*) > 1`);
  return (result as unknown as { rows: unknown[] }).rows;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function stopAll(): Promise<void> {
  await Promise.all(workers.splice(0).map((w) => w.stop(1000)));
  await Promise.all(processes.splice(0).map(stopProcess));
}

describe('ingestion queue', () => {
  test(`several workers${onPostgres ? ' (two of them separate processes)' : ''} process a batch exactly once each`, async () => {
    const cli = onPostgres ? await Promise.all([spawnWorkerProcess(), spawnWorkerProcess()]) : [];
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push(await upload(`batch-${i}.txt`, longText()));
    startWorker();
    if (!onPostgres) startWorker(), startWorker();

    const details = await Promise.all(ids.map((id) => waitForStatus(t, token(), id, DONE)));
    await stopAll();
    for (const detail of details) {
      assert.equal(detail.status, 'completed', detail.failure_reason ?? '');
      const stored = await db().select().from(chunks).where(eq(chunks.contentId, detail.id));
      assert.equal(stored.length, detail.chunk_count);
    }
    const jobs = await jobsOf(ids);
    assert.equal(jobs.length, ids.length, 'one job per document');
    for (const job of jobs) {
      assert.equal(job.status, 'done');
      assert.equal(job.attempts, 1, 'claimed once');
    }
    const workerIds = new Set(jobs.map((j) => j.workerId));
    assert.ok(workerIds.size >= 2, `the batch was shared: ${[...workerIds].join(', ')}`);
    if (onPostgres) assert.ok(jobs.some((j) => cli.some((c) => j.workerId!.includes(`:${c.pid}:`))), 'a separate process took part');
    assert.deepEqual(await duplicateChunks(), []);
  });

  test(`a job whose worker died (${onPostgres ? 'SIGKILL mid-file' : 'claimed, never finished'}) is taken over after its lease and completes once`, async () => {
    const id = await upload('crash.pdf', await slowPdf());
    let deadWorker: string;
    if (onPostgres) {
      const child = await spawnWorkerProcess();
      const job = await waitFor('the worker process to start the file', async () => {
        const [row] = await jobsOf([id]);
        const [content] = await db().select().from(contents).where(eq(contents.id, id));
        return row?.status === 'running' && content?.status === 'processing' ? row : undefined;
      });
      assert.ok(job.workerId!.includes(`:${child.pid}:`));
      deadWorker = job.workerId!;
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      // The process used the default 60 s lease; move its expiry to now rather than waiting a minute.
      await db().update(ingestionJobs).set({ leaseExpiresAt: sql`now() - interval '1 second'` }).where(eq(ingestionJobs.contentId, id));
    } else {
      deadWorker = 'dead-host:0:000000';
      const claimed = await createJobsRepo(db()).claim(deadWorker, 60);
      assert.equal(claimed?.contentId, id);
    }

    startWorker({ leaseSeconds: 3 });
    if (!onPostgres) {
      await sleep(1000);
      const [held] = await jobsOf([id]);
      assert.equal(held!.workerId, deadWorker, 'a live lease is respected');
      // Then the dead worker's lease runs out (moved to now rather than waited for).
      await db().update(ingestionJobs).set({ leaseExpiresAt: sql`now() - interval '1 second'` }).where(eq(ingestionJobs.contentId, id));
    }
    const detail = await waitForStatus(t, token(), id, DONE);
    await stopAll();
    assert.equal(detail.status, 'completed', detail.failure_reason ?? '');
    assert.equal(detail.page_count, 200);
    const jobs = await jobsOf([id]);
    assert.equal(jobs.length, 1);
    assert.equal(jobs[0]!.status, 'done');
    assert.equal(jobs[0]!.attempts, 2, 'claimed by the dead worker, then once more');
    assert.notEqual(jobs[0]!.workerId, deadWorker);
    assert.equal((await db().select().from(chunks).where(eq(chunks.contentId, id))).length, detail.chunk_count);
    assert.deepEqual(await duplicateChunks(), []);
  });

  test('a worker whose job was taken over cannot end it: its late finish or retry changes nothing', async () => {
    const id = await upload('taken-over.txt', longText());
    const repo = createJobsRepo(db());
    const late = (await repo.claim('late-host:1:aaaaaa', 60))!;
    assert.equal(late.contentId, id);
    await db().update(ingestionJobs).set({ leaseExpiresAt: sql`now() - interval '1 second'` }).where(eq(ingestionJobs.id, late.id));
    const current = (await repo.claim('current-host:2:bbbbbb', 60))!;
    assert.equal(current.id, late.id, 'the expired lease is taken over');

    assert.equal(await repo.finish(late, 'failed', 'too late'), false);
    await repo.retryUncounted(late, 0, 'database unavailable: too late');
    await repo.retryLater(late, 0, 'too late');
    const [held] = await jobsOf([id]);
    assert.deepEqual([held!.status, held!.workerId, held!.attempts, held!.lastError], ['running', current.workerId, 2, null]);
    assert.equal(await repo.finish(current, 'failed', 'ended by the test'), true);
  });

  test('database interruptions give the attempt back ten times, then count: a document that keeps breaking the connection ends', async () => {
    const id = await upload('db-retries.txt', longText());
    const repo = createJobsRepo(db());
    const attempts: number[] = [];
    for (let i = 0; i < 12; i++) {
      const job = (await repo.claim(`retry-host:${i}:cccccc`, 60))!;
      assert.equal(job.contentId, id);
      attempts.push(job.attempts);
      await repo.retryUncounted(job, 0, 'database unavailable: terminated');
    }
    assert.deepEqual(attempts, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2]);
    const [job] = await jobsOf([id]);
    assert.equal(job!.databaseRetries, 12);
    await repo.cancelFor(job!.tenantId, id);
  });

  test('backoff grows 5 s, 20 s, 80 s… up to 10 minutes', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 10].map(backoffSeconds), [5, 20, 80, 320, 600, 600]);
  });

  test('a transient failure (timeout) is retried later with backoff, then succeeds; when retries run out it fails with the reason', async () => {
    const [retried, exhausted] = [await upload('retry.txt', longText()), await upload('exhausted.txt', longText())];
    const impatient = startWorker({}, { timeoutMs: 50 });
    const jobs = await waitFor('both jobs to be put back in the queue', async () => {
      const rows = await jobsOf([retried, exhausted]);
      return rows.length === 2 && rows.every((r) => r.status === 'queued' && r.attempts === 1) ? rows : undefined;
    });
    await impatient.stop();
    workers.splice(workers.indexOf(impatient), 1);
    for (const job of jobs) {
      const delay = (job.runAfter.getTime() - job.updatedAt.getTime()) / 1000;
      assert.ok(Math.abs(delay - backoffSeconds(1)) < 1.5, `retry in ${delay} s`);
      assert.match(job.lastError ?? '', /longer than the limit/);
    }
    const pending = await waitForStatus(t, token(), retried, ['pending']);
    assert.equal(pending.failure_code, null, 'a retry is not a failure yet');

    // The last attempt of `exhausted` is due (and as impatient): it fails for good. `retried` waits.
    await db().update(ingestionJobs).set({ runAfter: sql`now() + interval '1 hour'` }).where(eq(ingestionJobs.contentId, retried));
    await db().update(ingestionJobs).set({ runAfter: sql`now()`, attempts: sql`max_attempts - 1` }).where(eq(ingestionJobs.contentId, exhausted));
    startWorker({}, { timeoutMs: 50 });
    const failed = await waitForStatus(t, token(), exhausted, ['failed']);
    await stopAll();
    // Time passes: the retry of `retried` is due, and a normal worker completes it.
    await db().update(ingestionJobs).set({ runAfter: sql`now()` }).where(eq(ingestionJobs.contentId, retried));
    startWorker();
    const done = await waitForStatus(t, token(), retried, DONE);
    await stopAll();

    assert.equal(done.status, 'completed', done.failure_reason ?? '');
    assert.equal((await jobsOf([retried]))[0]!.attempts, 2);
    assert.equal(failed.failure_code, 'TIMEOUT');
    assert.match(failed.failure_reason ?? '', /^Reading this file took longer than the limit of .* seconds and was stopped\.$/);
    const [exhaustedJob] = await jobsOf([exhausted]);
    assert.equal(exhaustedJob!.status, 'failed');
    assert.equal(exhaustedJob!.attempts, exhaustedJob!.maxAttempts);
    assert.match(exhaustedJob!.lastError ?? '', /^TIMEOUT: /);
  });

  test('a permanent failure fails at once, with the reason, without retrying', async () => {
    const id = await upload('blank.pdf', await makeTextPdf(['', '']));
    startWorker();
    const detail = await waitForStatus(t, token(), id, DONE);
    await stopAll();
    assert.equal(detail.status, 'failed');
    assert.equal(detail.failure_code, 'NO_TEXT');
    assert.match(detail.failure_reason ?? '', /contains no text/);
    const [job] = await jobsOf([id]);
    assert.equal(job!.status, 'failed');
    assert.equal(job!.attempts, 1);
    assert.match(job!.lastError ?? '', /^NO_TEXT: /);
  });

  test('a job that keeps killing its workers is given up after max_attempts, with a reason', async () => {
    const id = await upload('poison.txt', longText());
    await db()
      .update(ingestionJobs)
      .set({ status: 'running', workerId: 'dead-host:0:000000', attempts: sql`max_attempts`, leaseExpiresAt: sql`now() - interval '1 second'` })
      .where(eq(ingestionJobs.contentId, id));
    startWorker();
    const detail = await waitForStatus(t, token(), id, DONE);
    await stopAll();
    assert.equal(detail.status, 'failed');
    assert.equal(detail.failure_code, 'PROCESSING_FAILED');
    assert.match(detail.failure_reason ?? '', /stopped unexpectedly 4 times/);
  });

  test('a document deleted in the middle of processing does not come back', async () => {
    const id = await upload('deleted.pdf', await slowPdf());
    const [row] = await db().select().from(contents).where(eq(contents.id, id));
    const worker = startWorker({ leaseSeconds: 3 });
    await waitForStatus(t, token(), id, ['processing']);
    const res = await t.request('DELETE', `/api/v1/contents/${id}`, { token: token() });
    assert.equal(res.statusCode, 200, res.body);
    // Let the worker notice (its lease renewal fails) or finish the file, whichever comes first.
    await worker.stop(60_000);
    workers.splice(workers.indexOf(worker), 1);
    await sleep(200);

    assert.equal((await t.request('GET', `/api/v1/contents/${id}`, { token: token() })).statusCode, 404);
    assert.equal((await db().select().from(contents).where(eq(contents.id, id))).length, 0);
    assert.equal((await db().select().from(chunks).where(eq(chunks.contentId, id))).length, 0);
    assert.equal((await jobsOf([id])).length, 0);
    assert.equal(existsSync(join(t.config.filesDir, row!.storageKey)), false);
    const list = await t.request('GET', '/api/v1/contents', { token: token(), query: { limit: '1000' } });
    assert.ok(!list.json().some((c: { id: string }) => c.id === id));
  });
});
