// Search latency on PGlite (on disk, as `npm start` runs it) at 10k and 100k chunks in one tenant,
// through POST /api/v1/search (app.inject: routing, auth, validation, retrieval, serialisation).
// The chunks are the eval sets' articles chunked as ingestion does, repeated under new file names
// until the size is reached, written straight to the database (uploading 100k chunks would take hours).
//
//   npm run bench:search                  # 10k and 100k
//   npx tsx bench/search.ts --sizes 10000 --queries 100
// SHIORI_SHARED points at the shared folder (default ../shared), whose eval sets supply text and questions.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { chunks, contents } from '../src/db/schema.js';
import { chunkDocument } from '../src/lib/text/chunk.js';
import { segmentForIndex } from '../src/lib/text/search-text.js';
import { projectRoot } from '../src/paths.js';
import { loadEvalSet } from './fulltext/eval-data.js';
import { latencySummary } from './lib/stats.js';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '10000,100000' }, queries: { type: 'string', default: '200' } } });
const shared = resolve(process.env.SHIORI_SHARED ?? join(projectRoot, '..', 'shared'));
const sets = ['ja', 'ja-jaquad', 'en'].map((name) => loadEvalSet(shared, name));

/** Chunks of every eval article, as ingestion makes them (default chunking, title-less search text). */
const baseChunks = sets.flatMap((set) =>
  set.articles.map((a) => chunkDocument([{ page: 1, text: a.text }]).map((c) => ({ ...c, searchText: segmentForIndex(['', c.text].join('\n')) }))),
);
// Questions interleaved across the three languages.
const questions = sets[0]!.questions.flatMap((q, i) => [q, sets[1]!.questions[i], sets[2]!.questions[i]]).filter((q) => q !== undefined).slice(0, Number(values.queries));

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'shiori-bench-search-'));
  const config = loadConfig({
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    INGESTION_WORKER: 'off',
    JWT_SECRET: randomBytes(32).toString('hex'),
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    RATE_LIMIT_AUTH_PER_MINUTE: '1000',
    RATE_LIMIT_SEARCH_PER_MINUTE: '1000000',
  });
  const app = await createApp(config);
  const { db } = app.database;
  try {
    const name = `search_${randomBytes(4).toString('hex')}`;
    const user = { email: `${name}@bench.example.com`, username: name, password: 'Password123' };
    const reg = await app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { ...user, tenant_name: name, tenant_domain: `${name.replace('_', '-')}.example.com` } });
    const tenantId: string = reg.json().tenant_id;
    const token: string = (await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: user.email, password: user.password } })).json().access_token;
    if (!tenantId || !token) throw new Error(`could not register and log in: ${reg.body}`);
    if (!app.hasRoute({ method: 'POST', url: '/api/v1/search' })) throw new Error('POST /api/v1/search is not on this branch');
    console.log(`PGlite on disk, ${baseChunks.flat().length} distinct eval chunks (ja, ja-jaquad, en), ${questions.length} eval questions, top_k 10, default min_score`);

    let stored = 0;
    for (const target of values.sizes.split(',').map(Number)) {
      const started = performance.now();
      for (let copy = 0; stored < target; copy++) {
        for (const [article, pieces] of baseChunks.entries()) {
          if (stored >= target) break;
          const [content] = await db.insert(contents).values({
            tenantId, fileName: `copy${copy}-${article}.txt`, fileType: 'txt', fileSize: 1, sha256: randomUUID(), storageKey: `${tenantId}/${randomUUID()}`, status: 'completed',
          }).returning();
          const rows = pieces.slice(0, target - stored);
          for (let i = 0; i < rows.length; i += 500) {
            await db.insert(chunks).values(rows.slice(i, i + 500).map((c) => ({
              tenantId, contentId: content!.id, chunkIndex: c.index, text: c.text, charStart: c.charStart, charEnd: c.charEnd, tokenCount: c.tokens, tsv: sql`to_tsvector('simple', ${c.searchText})`,
            })));
          }
          stored += rows.length;
        }
      }
      await db.execute(sql`analyze ${chunks}`);
      console.log(`\n${stored} chunks (loaded in ${((performance.now() - started) / 1000).toFixed(0)} s)`);

      const ask = (question: string) =>
        app.inject({ method: 'POST', url: '/api/v1/search', headers: { authorization: `Bearer ${token}` }, payload: { query: question, top_k: 10 } });
      for (const q of questions.slice(0, 10)) await ask(q.question); // warm-up
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
      console.log(`  POST /api/v1/search   ${latencySummary(latencies)}; no result for ${empty}`);
      console.log(`  took_ms (server side) ${latencySummary(serverMs)}`);
    }
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
