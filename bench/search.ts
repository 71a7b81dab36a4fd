// Search latency at company scale through POST /api/v1/search (app.inject: routing, auth,
// validation, retrieval, serialisation), on PGlite on disk (as `npm start` runs it) or on the
// PostgreSQL server of DATABASE_URL.
//
// The passages are the eval sets' articles chunked as ingestion does, repeated under new file names
// until the size is reached, and written through the same indexing code as ingestion
// (search-index.ts), so the BM25 statistics a search reads are the ones ingestion keeps.
//
//   npm run bench:search                                  # one tenant: 10k then 100k passages
//   npx tsx bench/search.ts --sizes 10000,100000,300000
//   DATABASE_URL=postgres://… npx tsx bench/search.ts --sizes 10000,100000
//   DATABASE_URL=postgres://… npx tsx bench/search.ts --tenants 200 --total 1000000 --largest 100000
//
// --compare N: the first N questions are also asked reading every chunk that holds a term (the
// exhaustive BM25 the candidates are pruned from): top-10 overlap and same first passage, in %.
// --explain prints EXPLAIN (ANALYZE, BUFFERS) of the BM25 statement for the first question at each size.
// --tenants: that many tenants sharing --total passages, the largest holding --largest and the others
// an equal share of the rest; it prints p95 for one of the small tenants and for the largest.
// SHIORI_SHARED points at the shared folder (default ../shared), whose eval sets supply text and questions.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { sql, type SQL } from 'drizzle-orm';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { Database } from '../src/db/client.js';
import { contents } from '../src/db/schema.js';
import { chunkDocument } from '../src/lib/text/chunk.js';
import { chunkSearchText, type PreparedChunk } from '../src/modules/sources/extract/prepare-chunks.js';
import { createRetrievalService } from '../src/modules/retrieval/retrieval.service.js';
import { createSearchIndex } from '../src/modules/retrieval/search-index.js';
import { projectRoot } from '../src/paths.js';
import { loadEvalSet } from './fulltext/eval-data.js';
import { latencySummary, mb, pct, percentile } from './lib/stats.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,100000' },
    queries: { type: 'string', default: '200' },
    tenants: { type: 'string' },
    total: { type: 'string', default: '1000000' },
    largest: { type: 'string', default: '100000' },
    explain: { type: 'boolean', default: false },
    compare: { type: 'string', default: '50' },
  },
});
const shared = resolve(process.env.SHIORI_SHARED ?? join(projectRoot, '..', 'shared'));
const sets = ['ja', 'ja-jaquad', 'en'].map((name) => loadEvalSet(shared, name));

/** Chunks of every eval article, as ingestion prepares them (default chunking, no title). */
const baseDocuments: PreparedChunk[][] = sets.flatMap((set) =>
  set.articles.map((a) =>
    chunkDocument([{ page: 1, text: a.text }]).map((c) => ({
      chunkIndex: c.index, text: c.text, pageStart: null, pageEnd: null, charStart: c.charStart, charEnd: c.charEnd, tokenCount: c.tokens, searchText: chunkSearchText(null, c.text),
    })),
  ),
);
// Questions interleaved across the three languages.
const questions = sets[0]!.questions.flatMap((q, i) => [q, sets[1]!.questions[i], sets[2]!.questions[i]]).filter((q) => q !== undefined).slice(0, Number(values.queries));

type App = Awaited<ReturnType<typeof createApp>>;

/** Adds documents to the tenant until it holds `target` passages (`stored` so far); returns the new count. */
async function fill(db: Database, tenantId: string, stored: number, target: number): Promise<number> {
  const index = createSearchIndex(db);
  for (let copy = Math.floor(stored / 1000); stored < target; copy++) {
    for (const [article, pieces] of baseDocuments.entries()) {
      if (stored >= target) break;
      const [content] = await db.insert(contents).values({
        tenantId, fileName: `copy${copy}-${article}-${randomUUID().slice(0, 8)}.txt`, fileType: 'txt', fileSize: 1, sha256: randomUUID(), storageKey: `${tenantId}/${randomUUID()}`, status: 'processing',
      }).returning();
      const rows = pieces.slice(0, target - stored);
      await index.addChunks(tenantId, content!.id, rows);
      await db.update(contents).set({ status: 'completed', chunkCount: rows.length }).where(sql`${contents.id} = ${content!.id}`);
      stored += rows.length;
    }
  }
  return stored;
}

interface BenchTenant {
  tenantId: string;
  /** A fresh access token: loading 100k passages outlasts one (30 minutes). */
  login(): Promise<string>;
}

async function register(app: App, name: string): Promise<BenchTenant> {
  const user = { email: `${name}@bench.example.com`, username: name, password: 'Password123' };
  const reg = await app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { ...user, tenant_name: name, tenant_domain: `${name.replaceAll('_', '-')}.example.com` } });
  const tenantId: string = reg.json().tenant_id;
  const login = async (): Promise<string> => (await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: user.email, password: user.password } })).json().access_token;
  if (!tenantId || !(await login())) throw new Error(`could not register and log in: ${reg.body}`);
  return { tenantId, login };
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the statements a search of `question` runs, through the retrieval
 * service itself over a database whose execute() explains before it runs.
 */
async function explain(db: Database, tenantId: string, question: string): Promise<void> {
  const explaining = new Proxy(db, {
    get(target, key, receiver) {
      if (key !== 'execute') return Reflect.get(target, key, receiver);
      return async (query: SQL) => {
        const plan = (await target.execute(sql`EXPLAIN (ANALYZE, BUFFERS) ${query}`)) as unknown as { rows: Array<Record<string, string>> };
        console.log(plan.rows.map((r) => `    ${Object.values(r)[0]}`).join('\n'));
        return target.execute(query);
      };
    },
  });
  console.log(`  EXPLAIN of 「${question}」:`);
  await createRetrievalService({ db: explaining }).retrieve(tenantId, { query: question, topK: 10 });
}

/** The fast path against reading every chunk holding a term, on the same statistics. */
async function compareExhaustive(db: Database, tenantId: string): Promise<void> {
  const fast = createRetrievalService({ db });
  const exhaustive = createRetrievalService({ db, candidateBudget: Infinity });
  const asked = questions.slice(0, Number(values.compare));
  let overlap = 0;
  let sameFirst = 0;
  const ms: number[] = [];
  for (const q of asked) {
    const a = await fast.retrieve(tenantId, { query: q.question, topK: 10, minScore: 0 });
    const t0 = performance.now();
    const b = await exhaustive.retrieve(tenantId, { query: q.question, topK: 10, minScore: 0 });
    ms.push(performance.now() - t0);
    overlap += b.length === 0 ? 1 : a.filter((r) => b.some((e) => e.chunk_text === r.chunk_text)).length / b.length;
    if (a[0]?.chunk_text === b[0]?.chunk_text) sameFirst += 1;
  }
  console.log(`  against every chunk (${asked.length} questions): top-10 overlap ${pct(overlap / asked.length)}, same first passage ${pct(sameFirst / asked.length)}; exhaustive search ${latencySummary(ms)}`);
}

/** Searches one at a time, a question every 50 ms, until `work` settles: what a visitor waits while documents are indexed. */
async function whileRunning(work: Promise<unknown>, app: App, tenant: BenchTenant): Promise<number[]> {
  let token = await tenant.login();
  let done = false;
  void work.finally(() => (done = true)).catch(() => {});
  const latencies: number[] = [];
  for (let i = 0; !done; i += 1) {
    const t0 = performance.now();
    const res = await app.inject({ method: 'POST', url: '/api/v1/search', headers: { authorization: `Bearer ${token}` }, payload: { query: questions[i % questions.length]!.question, top_k: 10 } });
    if (res.statusCode === 401) token = await tenant.login();
    else latencies.push(performance.now() - t0);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return latencies;
}

/** Every question once (after ten to warm up), one at a time; prints and returns the latencies. */
async function measure(app: App, token: string, label: string): Promise<number[]> {
  const ask = (question: string) => app.inject({ method: 'POST', url: '/api/v1/search', headers: { authorization: `Bearer ${token}` }, payload: { query: question, top_k: 10 } });
  for (const q of questions.slice(0, 10)) await ask(q.question);
  const latencies: number[] = [];
  const serverMs: number[] = [];
  let empty = 0;
  for (const q of questions) {
    const t0 = performance.now();
    const res = await ask(q.question);
    latencies.push(performance.now() - t0);
    if (res.statusCode !== 200) throw new Error(`search answered ${res.statusCode}: ${res.body}`);
    const body = res.json();
    serverMs.push(body.took_ms);
    if (body.results.length === 0) empty += 1;
  }
  console.log(`  ${label}POST /api/v1/search   ${latencySummary(latencies)}; no result for ${empty}`);
  console.log(`  ${label}took_ms (server side) ${latencySummary(serverMs)}`);
  return latencies;
}

async function sizes(app: App, db: Database, driver: string): Promise<void> {
  const tenant = await register(app, `search_${randomBytes(4).toString('hex')}`);
  const { tenantId } = tenant;
  console.log(`${driver}, ${baseDocuments.flat().length} distinct eval chunks (ja, ja-jaquad, en), ${questions.length} eval questions, top_k 10, default min_score`);
  let stored = 0;
  const p95: number[] = [];
  for (const target of values.sizes!.split(',').map(Number)) {
    const started = performance.now();
    const indexing = fill(db, tenantId, stored, target);
    const during = await whileRunning(indexing, app, tenant);
    stored = await indexing;
    await db.execute(sql`analyze`);
    console.log(`\n${stored} chunks (loaded in ${((performance.now() - started) / 1000).toFixed(0)} s)`);
    console.log(`  searches while indexing ${latencySummary(during)}`);
    if (values.explain) await explain(db, tenantId, questions[0]!.question);
    p95.push(percentile(await measure(app, await tenant.login(), ''), 95));
    if (Number(values.compare) > 0) await compareExhaustive(db, tenantId);
    console.log(`  RSS of this process ${mb(process.memoryUsage().rss)}`);
  }
  for (let i = 1; i < p95.length; i += 1) console.log(`growth p95(${values.sizes!.split(',')[i]})/p95(${values.sizes!.split(',')[0]}) = ${(p95[i]! / p95[0]!).toFixed(2)}`);
}

async function manyTenants(app: App, db: Database, driver: string): Promise<void> {
  const count = Number(values.tenants);
  const largest = Number(values.largest);
  const each = Math.floor((Number(values.total) - largest) / (count - 1));
  console.log(`${driver}, ${count} tenants: one of ${largest} passages, ${count - 1} of ${each}`);
  const started = performance.now();
  const tenants: BenchTenant[] = [];
  for (let i = 0; i < count; i += 1) {
    const tenant = await register(app, `many_${i}_${randomBytes(3).toString('hex')}`);
    await fill(db, tenant.tenantId, 0, i === 0 ? largest : each);
    tenants.push(tenant);
    if (i % 20 === 19) console.log(`  ${i + 1} tenants loaded (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  await db.execute(sql`analyze`);
  console.log(`${Number(values.total)} passages loaded in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (values.explain) await explain(db, tenants[1]!.tenantId, questions[0]!.question);
  await measure(app, await tenants[1]!.login(), `tenant of ${each}: `);
  await measure(app, await tenants[count - 1]!.login(), `tenant of ${each} (loaded last): `);
  await measure(app, await tenants[0]!.login(), `tenant of ${largest}: `);
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'shiori-bench-search-'));
  const config = loadConfig({
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    LOG_LEVEL: 'warn',
    INGESTION_WORKER: 'off',
    JWT_SECRET: randomBytes(32).toString('hex'),
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    RATE_LIMIT_AUTH_PER_MINUTE: '100000',
    RATE_LIMIT_SEARCH_PER_MINUTE: '1000000',
  });
  const app = await createApp(config);
  const { db, driver } = app.database;
  try {
    const label = driver === 'pglite' ? 'PGlite on disk' : 'PostgreSQL';
    await (values.tenants ? manyTenants(app, db, label) : sizes(app, db, label));
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
