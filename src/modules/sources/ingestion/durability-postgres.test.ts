/**
 * The PostgreSQL server crash-restarting under load (pg_ctl restart -m immediate) loses no accepted
 * upload and no usage record of an answered chat, and the Shiori server recovers without a restart.
 * It needs a private throwaway cluster (the shared one serves other tests), so it runs in the
 * PostgreSQL test run only, and fails when CI=true lacks the PostgreSQL binaries.
 */
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { and, eq, sql } from 'drizzle-orm';
import { openDatabase } from '../../../db/client.js';
import { contents, messages, usageEvents } from '../../../db/schema.js';
import { startFakeOpenAI } from '../../../test/fake-openai.js';
import { call, countByStatus, registerTenant, uploadBytes } from '../../../test/live-client.js';
import { postgresBinaries, startPrivatePostgres } from '../../../test/private-postgres.js';
import { cliProcess, freePort, serverEnv } from '../../../test/server-process.js';
import { seededRandom } from '../../../test/seeded-random.js';
import { makeDocuments } from './test-support/durability-checks.js';

const seed = Number(process.env.DURABILITY_SEED ?? randomInt(2 ** 31));
const bin = postgresBinaries();
const skip = !process.env.DATABASE_URL ? 'runs in the PostgreSQL test run (DATABASE_URL set)' : !bin && process.env.CI !== 'true' ? 'no PostgreSQL binaries' : false;

const cleanups: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

test(`PostgreSQL crash-restarts under uploads and chats lose nothing accepted (seed ${seed})`, { skip, timeout: 200_000 }, async () => {
  assert.ok(bin, 'PostgreSQL binaries (/usr/lib/postgresql/*/bin/initdb, pg_ctl) are needed for this test in CI');
  console.log(`postgres-restart seed ${seed} (DURABILITY_SEED=${seed} replays this run)`);
  const random = seededRandom(seed);
  const cluster = await startPrivatePostgres(bin);
  const provider = await startFakeOpenAI();
  const dataDir = mkdtempSync(join(tmpdir(), 'shiori-pg-restart-'));
  cleanups.push(() => cluster.destroy(), () => provider.close(), async () => rmSync(dataDir, { recursive: true, force: true }));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const server = cliProcess(
    'serve',
    {
      ...serverEnv(port, dataDir),
      // The outages log an error per failed request: only the crash itself is worth reading.
      LOG_LEVEL: 'error',
      DATABASE_URL: cluster.url,
      LLM_OPENAI_BASE_URL: provider.baseUrl,
      RATE_LIMIT_CHAT_PER_MINUTE: '100000',
      INGESTION_LEASE_SECONDS: '4',
    },
    baseUrl,
  );
  cleanups.push(() => server.kill9());
  await server.start();
  const pid = server.pid;
  const tenant = await registerTenant(baseUrl, 'pgrestart');
  const key = await call(baseUrl, 'POST', '/api/v1/api-keys', { token: tenant.token, json: { provider: 'openai', model: 'gpt-4o-mini', api_key: 'sk-durable-0123456789' } });
  assert.equal(key.status, 201, JSON.stringify(key.body));

  const documents = makeDocuments(random, 40);
  const answered201 = new Set<string>();
  const answeredChats = new Set<string>();
  const unexpected: string[] = [];
  let outageErrors = 0;
  let restarts = 0;
  const okAfterLastRestart = { uploads: 0, chats: 0 };
  let stop = false;
  // Every loop below ends by this time, so a server that stops answering fails the test with its log.
  const giveUpAt = Date.now() + 90_000;
  const overdue = () => Date.now() > giveUpAt;

  const queue = documents.map((_, i) => i);
  async function uploads() {
    for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
      for (;;) {
        const res = await uploadBytes(baseUrl, tenant.token, documents[i]!.name, documents[i]!.bytes);
        if (res.status === 201) {
          answered201.add(res.body.id);
          if (restarts === 2) okAfterLastRestart.uploads++;
        } else if (res.status >= 500 && !overdue()) {
          outageErrors++;
          await sleep(100);
          continue;
        } else if (res.status !== 409) unexpected.push(`upload ${res.status} ${JSON.stringify(res.body)}`);
        break;
      }
      await sleep(50);
    }
  }
  async function chats() {
    for (let n = 0; (!stop || okAfterLastRestart.chats < 3) && !overdue(); n++) {
      const res = await call(baseUrl, 'POST', '/api/v1/chats/rag', { token: tenant.token, json: { query: `What is the lease policy? (${n})`, top_k: 3 } });
      if (res.status === 200) {
        answeredChats.add(res.body.message_id);
        if (restarts === 2) okAfterLastRestart.chats++;
      } else if (res.status >= 500) outageErrors++;
      else unexpected.push(`chat ${res.status} ${JSON.stringify(res.body)}`);
      await sleep(20);
    }
  }
  async function crashes() {
    for (const at of [4 + Math.floor(random() * 10), 18 + Math.floor(random() * 12)]) {
      while (answered201.size < at && !overdue()) await sleep(20);
      if (overdue()) break;
      await cluster.crashRestart();
      restarts++;
    }
    stop = true;
  }
  const ticker = setInterval(() => {
    if (process.env.DURABILITY_VERBOSE) console.log(`[pg-restart] restarts ${restarts}, 201s ${answered201.size}, answers ${answeredChats.size}, 5xx ${outageErrors}, after restart ${JSON.stringify(okAfterLastRestart)}, unexpected ${unexpected.slice(-2).join(' | ')}`);
  }, 3000);
  await Promise.all([uploads(), chats(), chats(), crashes()]).finally(() => clearInterval(ticker));
  const state = `restarts ${restarts}, 201s ${answered201.size}, answers ${answeredChats.size}, 5xx ${outageErrors}, after the last restart ${JSON.stringify(okAfterLastRestart)}`;
  assert.ok(!overdue(), `uploads and chats did not finish within 90 s (${state})\n${unexpected.slice(-5).join('\n')}\n${server.output()}`);
  assert.deepEqual(unexpected, [], `only 5xx are acceptable during the outage (${state})\n${server.output()}`);
  assert.equal(server.pid, pid);
  assert.ok(okAfterLastRestart.uploads + okAfterLastRestart.chats > 0, 'the server serves again after the last restart, without a restart of its own');

  // A job the outage interrupted runs again 2 s later without spending an attempt, or when its lease runs out.
  const deadline = Date.now() + 60_000;
  while ((await countByStatus(baseUrl, tenant.token, 'completed')) !== documents.length) {
    assert.equal(await countByStatus(baseUrl, tenant.token, 'failed'), 0, 'no document may fail');
    assert.ok(Date.now() < deadline, `documents not completed after 60 s\n${server.output()}`);
    await sleep(250);
  }

  const database = await openDatabase({ url: cluster.url });
  try {
    const { db } = database;
    const stored = new Set((await db.select({ id: contents.id }).from(contents).where(eq(contents.tenantId, tenant.tenantId))).map((r) => r.id));
    for (const id of answered201) assert.ok(stored.has(id), `upload ${id} was answered 201 and then lost`);
    const completed = await db
      .select({ id: messages.id })
      .from(messages)
      .where(and(eq(messages.tenantId, tenant.tenantId), eq(messages.role, 'assistant'), eq(messages.status, 'completed')));
    const completedIds = new Set(completed.map((r) => r.id));
    for (const id of answeredChats) assert.ok(completedIds.has(id), `answer ${id} was sent and then lost`);
    const [usage] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(usageEvents)
      .where(and(eq(usageEvents.tenantId, tenant.tenantId), eq(usageEvents.kind, 'chat')));
    // Answer and usage commit together: one record per stored answer, including answers whose response the outage cut off.
    assert.equal(usage!.n, completedIds.size, `usage records of answers: ${usage!.n}, answers stored: ${completedIds.size}, answers sent: ${answeredChats.size}`);
    console.log(
      `postgres restarts: 2 crash-restarts, ${answered201.size}/${documents.length} uploads answered 201 and completed, ${answeredChats.size} answers sent, ${completedIds.size} stored, ${usage!.n} usage records, ${outageErrors} 5xx during the outages`,
    );
  } finally {
    await database.close();
  }
});
