// How the answers' confidence levels (src/modules/chat/confidence.ts) separate questions the
// documents answer from questions they do not. Each shared eval set is uploaded to its own tenant
// through the API; its questions (answerable: an accepted answer is in an article) and the
// unrelated workplace questions of bench/retrieval (unanswerable) are asked through
// POST /api/v1/chats/rag (extractive), and each answer's level is counted, with whether the
// answer contains an accepted answer. A sweep of the margin and coverage a level needs is
// computed from the stored signals, so one run gives every threshold. Prints, never asserts.
//
//   SHIORI_SHARED=/work/shared npx tsx bench/confidence.ts                 # ja and en, 150 questions each
//   SHIORI_SHARED=/work/shared npx tsx bench/confidence.ts --sets ja,en,ja-jaquad --limit 300
import { parseArgs } from 'node:util';
import type { ChatResponse } from '../src/modules/chat/chat.schemas.js';
import { cites, levelOf, THRESHOLDS, type ConfidenceSignals } from '../src/modules/chat/confidence.js';
import { buildTestApp, type TestTenant } from '../src/test/harness.js';
import { uploadFile, waitForDocument } from '../src/test/upload.js';
import { answerKey, loadEvalSet } from './fulltext/eval-data.js';
import { MORE_UNRELATED_EN, MORE_UNRELATED_JA, UNRELATED_EN, UNRELATED_JA } from './retrieval/unrelated-questions.js';

const { values: args } = parseArgs({ options: { sets: { type: 'string', default: 'ja,en' }, limit: { type: 'string', default: '150' }, show: { type: 'boolean', default: false } } });
const shared = process.env.SHIORI_SHARED ?? '../shared';
const limit = Number(args.limit);
const LEVELS = ['high', 'medium', 'low', 'none'] as const;
type Level = (typeof LEVELS)[number];

interface Asked {
  question: string;
  kind: 'answerable' | 'unanswerable';
  correct: boolean;
  level: Level;
  signals: ConfidenceSignals;
  cited: boolean;
}

const t = await buildTestApp();
const pct = (part: number, whole: number) => (whole === 0 ? '    —' : `${((part / whole) * 100).toFixed(1).padStart(5)}%`);

async function upload(tenant: TestTenant, articles: Array<{ file: string; text: string }>) {
  const ids: string[] = [];
  for (const article of articles) {
    const res = await uploadFile(t, tenant.admin.accessToken, article.file, article.text);
    if (res.statusCode !== 201) throw new Error(`${article.file}: ${res.statusCode} ${res.body}`);
    ids.push(res.json().id);
  }
  for (const id of ids) {
    const detail = await waitForDocument(t, tenant.admin.accessToken, id, undefined, 900_000);
    if (detail.status !== 'completed') throw new Error(`${id} failed`);
  }
}

async function ask(tenant: TestTenant, query: string): Promise<ChatResponse> {
  const res = await t.request('POST', '/api/v1/chats/rag', { token: tenant.operator.accessToken, body: { query, model: 'extractive' } });
  if (res.statusCode !== 200) throw new Error(`${query}: ${res.statusCode} ${res.body}`);
  return res.json();
}

function report(name: string, asked: Asked[]) {
  const answerable = asked.filter((a) => a.kind === 'answerable');
  const unanswerable = asked.filter((a) => a.kind === 'unanswerable');
  const correct = answerable.filter((a) => a.correct);
  const wrong = answerable.filter((a) => !a.correct);
  console.log(`\n${name}: ${answerable.length} answerable (${correct.length} answered right), ${unanswerable.length} unanswerable`);
  console.log('level    | answerable, right | answerable, wrong | unanswerable');
  for (const level of LEVELS) {
    const n = (xs: Asked[]) => xs.filter((a) => a.level === level).length;
    console.log(`${level.padEnd(8)} | ${pct(n(correct), correct.length)} (${String(n(correct)).padStart(3)})     | ${pct(n(wrong), wrong.length)} (${String(n(wrong)).padStart(3)})     | ${pct(n(unanswerable), unanswerable.length)} (${String(n(unanswerable)).padStart(3)})`);
  }
  const inInbox = (a: Asked) => a.level === 'none' || a.level === 'low';
  console.log(`to the inbox (none or low): unanswerable ${pct(unanswerable.filter(inInbox).length, unanswerable.length)}, answerable but wrong ${pct(wrong.filter(inInbox).length, wrong.length)}, answered right ${pct(correct.filter(inInbox).length, correct.length)}`);
  // --show: the unanswerable questions that got through as medium or high, and the right answers sent to the inbox.
  if (args.show) {
    for (const a of [...unanswerable.filter((x) => x.level === 'high' || x.level === 'medium'), ...correct.filter(inInbox)]) console.log(`  ${a.kind} ${a.level}: ${a.question} ${JSON.stringify(a.signals)}`);
  }
  console.log(`high: right ${pct(correct.filter((a) => a.level === 'high').length, correct.length)}, wrong ${pct(wrong.filter((a) => a.level === 'high').length, wrong.length)}, unanswerable ${pct(unanswerable.filter((a) => a.level === 'high').length, unanswerable.length)}`);
}

function sweep(all: Asked[]) {
  console.log('\nsweep over every set (current:', JSON.stringify(THRESHOLDS), ')');
  console.log('medium margin/sentence | to inbox: unanswerable | wrong | right  || high margin/coverage | high: right | wrong | unanswerable');
  const answerable = all.filter((a) => a.kind === 'answerable');
  const right = answerable.filter((a) => a.correct);
  const wrong = answerable.filter((a) => !a.correct);
  const unanswerable = all.filter((a) => a.kind === 'unanswerable');
  for (const margin of [1, 1.15, 1.3, 1.5]) {
    for (const coverage of [0.25, 0.4, 0.5, 0.6]) {
      const medium = { margin, sentenceCoverage: coverage };
      const flagged = (xs: Asked[]) => xs.filter((a) => ['none', 'low'].includes(levelOf(a.signals, a.cited, { ...THRESHOLDS, medium }))).length;
      console.log(`${margin.toFixed(2)} / ${coverage.toFixed(2)}            | ${pct(flagged(unanswerable), unanswerable.length)}                 | ${pct(flagged(wrong), wrong.length)} | ${pct(flagged(right), right.length)}`);
    }
  }
  for (const margin of [1.3, 1.5, 1.8, 2.2]) {
    for (const coverage of [0.6, 0.75, 0.9]) {
      const high = { margin, coverage };
      const isHigh = (xs: Asked[]) => xs.filter((a) => levelOf(a.signals, a.cited, { ...THRESHOLDS, high }) === 'high').length;
      console.log(`                                                         || ${margin.toFixed(2)} / ${coverage.toFixed(2)}          | ${pct(isHigh(right), right.length)} | ${pct(isHigh(wrong), wrong.length)} | ${pct(isHigh(unanswerable), unanswerable.length)}`);
    }
  }
}

const all: Asked[] = [];
for (const name of args.sets!.split(',')) {
  const set = loadEvalSet(shared, name);
  const tenant = await t.createTenant(`conf_${name.replace(/-/g, "_")}`);
  const started = performance.now();
  await upload(tenant, set.articles);
  console.log(`${name}: ${set.articles.length} files ingested in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  const unrelated = name === 'en' ? [...UNRELATED_EN, ...MORE_UNRELATED_EN] : [...UNRELATED_JA, ...MORE_UNRELATED_JA];
  const asked: Asked[] = [];
  for (const q of set.questions.slice(0, limit)) {
    const res = await ask(tenant, q.question);
    const answer = answerKey(res.answer);
    asked.push({ question: q.question, kind: 'answerable', correct: q.answers.some((a) => answer.includes(answerKey(a))), level: res.metadata.confidence.level, signals: res.metadata.confidence.signals, cited: cites(res.answer) });
  }
  for (const question of unrelated) {
    const res = await ask(tenant, question);
    asked.push({ question, kind: 'unanswerable', correct: false, level: res.metadata.confidence.level, signals: res.metadata.confidence.signals, cited: cites(res.answer) });
  }
  report(name, asked);
  all.push(...asked);
}
sweep(all);
await t.close();
