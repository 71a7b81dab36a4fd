// Retrieval quality through the real API: each eval set (shared/eval/ja, ja-jaquad, en) is its own
// tenant; every article is uploaded, and every question asked through POST /api/v1/search (top_k 10).
// Prints per set: hit@1/5/10 (a top-k chunk contains an answer, compared after NFKC with whitespace
// removed, as bench/eval-fulltext.ts does), document recall@1/5/10 (the gold file is among the
// top-k chunks' files), MRR of both, and search latency.
//
//   npm run eval:retrieval
//   npx tsx bench/eval-retrieval.ts --sets ja --tsx
// SHIORI_SHARED points at the shared folder (default ../shared); DATABASE_URL is passed to the server.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../src/paths.js';
import { answerKey, loadEvalSet } from './fulltext/eval-data.js';
import { createTenant, hasSearchRoute, search, upload, waitDone } from './lib/api.js';
import { startServer } from './lib/server.js';
import { latencySummary, pct } from './lib/stats.js';

const { values } = parseArgs({
  options: { sets: { type: 'string', default: 'ja,ja-jaquad,en' }, 'min-score': { type: 'string' }, tsx: { type: 'boolean', default: false } },
});
const minScore = values['min-score'] === undefined ? undefined : Number(values['min-score']);
const shared = resolve(process.env.SHIORI_SHARED ?? join(projectRoot, '..', 'shared'));
const K = [1, 5, 10] as const;

async function main(): Promise<number> {
  const server = await startServer(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {});
  try {
    if (!(await hasSearchRoute(server.baseUrl))) {
      console.error('POST /api/v1/search is not on this branch: nothing to evaluate.');
      return 2;
    }
    console.log(`server: ${server.command}, ${server.driver}; top_k 10, min_score ${minScore ?? 'default'}`);
    console.log(`${'set'.padEnd(10)} ${'files'.padStart(5)} ${'qs'.padStart(4)}   hit@1   hit@5  hit@10  doc@1   doc@5  doc@10  MRRdoc MRRhit  search latency`);
    for (const name of values.sets.split(',').filter(Boolean)) {
      const set = loadEvalSet(shared, name);
      const tenant = await createTenant(server.baseUrl, `eval_${name.replace(/\W/g, '')}`);
      const fileOf = new Map<string, string>();
      for (const article of set.articles) fileOf.set(await upload(tenant, article.file, Buffer.from(article.text)), article.file);
      const failed = (await Promise.all([...fileOf.keys()].map((id) => waitDone(tenant, id)))).filter((d) => d.status !== 'completed');
      if (failed.length) console.warn(`${name}: ${failed.length} files failed to ingest: ${failed.map((d) => `${d.file_name} (${d.failure_code})`).join(', ')}`);

      const hitAt = [0, 0, 0];
      const docAt = [0, 0, 0];
      let mrrDoc = 0;
      let mrrHit = 0;
      const latencies: number[] = [];
      for (const q of set.questions) {
        const started = performance.now();
        const hits = (await search(tenant, q.question, 10, minScore)).slice(0, 10);
        latencies.push(performance.now() - started);
        const answers = q.answers.map(answerKey);
        const docRank = hits.findIndex((h) => fileOf.get(h.file_id) === q.file) + 1;
        const hitRank = hits.findIndex((h) => answers.some((a) => answerKey(h.chunk_text).includes(a))) + 1;
        K.forEach((k, i) => {
          if (docRank > 0 && docRank <= k) docAt[i]! += 1;
          if (hitRank > 0 && hitRank <= k) hitAt[i]! += 1;
        });
        if (docRank > 0) mrrDoc += 1 / docRank;
        if (hitRank > 0) mrrHit += 1 / hitRank;
      }
      const n = set.questions.length;
      const cells = [...hitAt, ...docAt].map((x) => pct(x / n).padStart(6)).join('  ');
      console.log(`${name.padEnd(10)} ${String(set.articles.length).padStart(5)} ${String(n).padStart(4)}  ${cells}  ${(mrrDoc / n).toFixed(3)}  ${(mrrHit / n).toFixed(3)}  ${latencySummary(latencies)}`);
    }
    return 0;
  } finally {
    await server.stop();
  }
}

process.exitCode = await main();
