// Retrieval quality through the real pipeline: the app is built as the tests build it, every
// article of shared/eval/{ja,en} is uploaded through POST /api/v1/contents/upload (ja as one
// tenant, en as the other, ja-jaquad as a third when asked for), ingested by the worker, and every
// question goes through the retrieval service. Prints hit@k / document recall@k, with and without
// the default cut (score-cut.ts: the best passage must reach min_score, the others a share of the
// best), the share of unrelated questions that retrieve nothing, and a sweep of that cut.
//
//   npx tsx bench/retrieval-quality.ts                  # PGlite
//   DATABASE_URL=postgres://… npx tsx bench/retrieval-quality.ts
//   npx tsx bench/retrieval-quality.ts --min-score 0.35 --sets ja,en,ja-jaquad
//
// SHIORI_SHARED points at the shared folder (default ../shared, from the repository root).
import { parseArgs } from 'node:util';
import { CANDIDATE_BUDGET } from '../src/modules/retrieval/candidate-terms.js';
import { createRetrievalService, DEFAULT_MIN_SCORE, type RetrievedChunk } from '../src/modules/retrieval/retrieval.service.js';
import { cutRelativeToBest } from '../src/modules/retrieval/score-cut.js';
import { buildTestApp, type TestTenant } from '../src/test/harness.js';
import { uploadFile, waitForDocument } from '../src/test/upload.js';
import { answerKey, loadEvalSet, type EvalQuestion, type EvalSet } from './fulltext/eval-data.js';
import { MORE_UNRELATED_EN, MORE_UNRELATED_JA, UNRELATED_EN, UNRELATED_JA } from './retrieval/unrelated-questions.js';

const { values: args } = parseArgs({ options: { 'min-score': { type: 'string' }, sets: { type: 'string' } } });
const minScore = args['min-score'] !== undefined ? Number(args['min-score']) : DEFAULT_MIN_SCORE;
const shared = process.env.SHIORI_SHARED ?? '../shared';
const K = [1, 5, 10] as const;
const SWEEP = [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5];

const pct = (x: number) => `${(x * 100).toFixed(1).padStart(5)}%`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

const t = await buildTestApp();
const retrieval = createRetrievalService({ db: t.app.database.db });
// The same ranking reading every chunk that holds a term of the question (candidate-terms.ts).
const exhaustive = createRetrievalService({ db: t.app.database.db, candidateBudget: Infinity });

async function uploadSet(set: EvalSet, tenant: TestTenant): Promise<Map<string, string>> {
  const started = performance.now();
  const fileByName = new Map<string, string>();
  for (const article of set.articles) {
    const res = await uploadFile(t, tenant.admin.accessToken, article.file, article.text);
    if (res.statusCode !== 201) throw new Error(`${article.file}: ${res.statusCode} ${res.body}`);
    fileByName.set(res.json().id, article.file);
  }
  for (const id of fileByName.keys()) {
    const detail = await waitForDocument(t, tenant.admin.accessToken, id, undefined, 600_000);
    if (detail.status !== 'completed') throw new Error(`${fileByName.get(id)} failed: ${JSON.stringify(detail)}`);
  }
  console.log(`${set.name}: ${set.articles.length} files uploaded and ingested in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return fileByName;
}

interface Asked {
  results: RetrievedChunk[];
  ms: number;
}

async function ask(tenant: TestTenant, question: string, service = retrieval): Promise<Asked> {
  const started = performance.now();
  // min_score 0: the default cut is applied below (cutRelativeToBest, as the service does when the
  // caller gives no min_score), so one run gives every threshold.
  const results = await service.retrieve(tenant.id, { query: question, topK: 10, minScore: 0 });
  return { results, ms: performance.now() - started };
}

function rankOf(results: RetrievedChunk[], test: (r: RetrievedChunk) => boolean): number {
  return results.findIndex(test) + 1;
}

function qualityRow(label: string, questions: EvalQuestion[], asked: Asked[], files: Map<string, string>, cut: number): string {
  const hitAt = [0, 0, 0];
  const docAt = [0, 0, 0];
  let empty = 0;
  questions.forEach((q, i) => {
    const results = cutRelativeToBest(asked[i]!.results, cut);
    if (results.length === 0) empty += 1;
    const answers = q.answers.map(answerKey);
    const hit = rankOf(results, (r) => answers.some((a) => answerKey(r.chunk_text).includes(a)));
    const doc = rankOf(results, (r) => files.get(r.file_id) === q.file);
    K.forEach((k, j) => {
      if (hit > 0 && hit <= k) hitAt[j]! += 1;
      if (doc > 0 && doc <= k) docAt[j]! += 1;
    });
  });
  const n = questions.length;
  return [
    label.padEnd(26),
    `hit@1/5/10 ${hitAt.map((x) => pct(x / n)).join(' ')}`,
    `doc@1/5/10 ${docAt.map((x) => pct(x / n)).join(' ')}`,
    `nothing ${pct(empty / n)}`,
  ].join(' | ');
}

const nothingShare = (topScores: number[], cut: number) => topScores.filter((s) => s < cut).length / topScores.length;
// -1 when nothing matched at all: such a question retrieves nothing at every cut, 0 included.
// The best score, not the first: the rerank (passage-rerank.ts) may put a lower score first.
const topScore = (a: Asked) => (a.results.length === 0 ? -1 : Math.max(...a.results.map((r) => r.score)));

const setNames = args.sets?.split(',') ?? ['ja', 'en'];
const sets = new Map(setNames.map((name) => [name, loadEvalSet(shared, name)]));
const tenants: Record<string, TestTenant> = { ja: t.a, en: t.b };
if (sets.has('ja-jaquad')) tenants['ja-jaquad'] = await t.createTenant('jaquad');
const real = new Map<string, { set: EvalSet; asked: Asked[]; files: Map<string, string> }>();
try {
  for (const [name, set] of sets) {
    const tenant = tenants[name];
    if (!tenant) throw new Error(`unknown set ${name}: use ja, en and/or ja-jaquad`);
    const files = await uploadSet(set, tenant);
    const asked: Asked[] = [];
    for (const q of set.questions) asked.push(await ask(tenant, q.question));
    real.set(name, { set, asked, files });
  }

  console.log(`\nReal questions (top 10 asked; "nothing" = no passage passes the cut)`);
  for (const [name, { set, asked, files }] of real) {
    console.log(qualityRow(`${name} min_score 0`, set.questions, asked, files, 0));
    console.log(qualityRow(`${name} min_score ${minScore}`, set.questions, asked, files, minScore));
    console.log(`${name} median query ${median(asked.map((a) => a.ms)).toFixed(1)} ms, p95 ${[...asked.map((a) => a.ms)].sort((a, b) => a - b)[Math.floor(asked.length * 0.95)]!.toFixed(1)} ms`);
  }

  console.log(`\nCandidates from the rarest terms (${CANDIDATE_BUDGET} postings) against reading every chunk holding a term`);
  for (const [name, { set, asked, files }] of real) {
    const all: Asked[] = [];
    for (const q of set.questions) all.push(await ask(tenants[name]!, q.question, exhaustive));
    console.log(qualityRow(`${name} every chunk, cut 0`, set.questions, all, files, 0));
    console.log(qualityRow(`${name} every chunk, cut ${minScore}`, set.questions, all, files, minScore));
    const overlap = asked.map((a, i) => a.results.filter((r) => all[i]!.results.some((e) => e.chunk_id === r.chunk_id)).length / Math.max(1, all[i]!.results.length));
    console.log(`${name} top-10 overlap ${pct(overlap.reduce((x, y) => x + y, 0) / overlap.length)}; median query ${median(all.map((a) => a.ms)).toFixed(1)} ms reading every chunk`);
  }

  // Unrelated: the other language's questions, another Japanese set's questions (other articles),
  // and made-up workplace questions, each asked of a corpus that cannot answer them.
  const probes: Array<{ label: string; tenant: TestTenant; questions: string[] }> = [];
  if (real.has('ja')) {
    probes.push({ label: 'made-up ja → ja corpus', tenant: t.a, questions: UNRELATED_JA });
    probes.push({ label: 'more made-up ja → ja corpus', tenant: t.a, questions: MORE_UNRELATED_JA });
    probes.push({ label: 'ja-jaquad → ja corpus', tenant: t.a, questions: loadEvalSet(shared, 'ja-jaquad').questions.map((q) => q.question) });
    if (sets.has('en')) probes.push({ label: 'en questions → ja corpus', tenant: t.a, questions: sets.get('en')!.questions.map((q) => q.question) });
  }
  if (real.has('en')) {
    probes.push({ label: 'made-up en → en corpus', tenant: t.b, questions: UNRELATED_EN });
    probes.push({ label: 'more made-up en → en corpus', tenant: t.b, questions: MORE_UNRELATED_EN });
    if (sets.has('ja')) probes.push({ label: 'ja questions → en corpus', tenant: t.b, questions: sets.get('ja')!.questions.map((q) => q.question) });
  }
  const unrelated: Array<{ label: string; tops: number[] }> = [];
  for (const probe of probes) {
    const tops: number[] = [];
    for (const question of probe.questions) tops.push(topScore(await ask(probe.tenant, question)));
    unrelated.push({ label: probe.label, tops });
  }
  console.log(`\nUnrelated questions that retrieve nothing at min_score ${minScore}`);
  for (const u of unrelated) console.log(`${u.label.padEnd(28)} ${pct(nothingShare(u.tops, minScore))} of ${u.tops.length}  (median top score ${Math.max(0, median(u.tops)).toFixed(3)})`);

  console.log(`\nmin_score sweep: real questions answered at hit@5 | real with nothing | unrelated with nothing`);
  for (const cut of SWEEP) {
    const cells = [...real].map(([name, { set, asked }]) => {
      const hit5 = set.questions.filter((q, i) => {
        const answers = q.answers.map(answerKey);
        return cutRelativeToBest(asked[i]!.results, cut).slice(0, 5).some((r) => answers.some((a) => answerKey(r.chunk_text).includes(a)));
      }).length;
      return `${name} hit@5 ${pct(hit5 / set.questions.length)} nothing ${pct(nothingShare(asked.map(topScore), cut))}`;
    });
    const unrelatedCells = unrelated.map((u) => `${u.label.replace(' corpus', '').replace(' questions', '').replace(/ → /, '→')} ${pct(nothingShare(u.tops, cut))}`);
    console.log(`${cut.toFixed(2).padEnd(5)} | ${cells.join(' | ')} | ${unrelatedCells.join(' ')}`);
  }
} finally {
  await t.close();
}
