// Quality of the extractive answer (no language model) on shared/eval: each set's articles are
// uploaded and ingested as the tests do it, every question goes through the retrieval service
// (default min_score, top 5) and extractiveAnswer, and the answers are checked:
//   answered   the answer contains an accepted answer (NFKC, whitespace removed, lowercase)
//   hit@1      the first passage contains one (the ceiling a one-sentence answer can reach)
//   bullets    quoted bullets per answer; title-only = a bullet that is only the article's title
//   duplicate  a bullet whose sentence another bullet of the same answer already quotes
//   mid-word   a cut bullet whose last kept character and the next one in the passage are letters
//   mid-sent.  a bullet that neither ends a sentence nor says it was cut (…)
//   verbatim   the bullet (ellipses removed) occurs as written in the uploaded file
//
//   npx tsx bench/extractive-quality.ts                                 # ja, ja-jaquad, en
//   npx tsx bench/extractive-quality.ts --sets en --save /tmp/src.json  # keep the retrieved passages
//   npx tsx bench/extractive-quality.ts --load /tmp/src.json            # re-answer them, no ingestion
//   npx tsx bench/extractive-quality.ts --show misses                   # print the missed questions
//
// SHIORI_SHARED points at the shared folder (default ../shared, from the repository root).
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ChatSource } from '../src/modules/chat/chat.schemas.js';
import { extractiveAnswer } from '../src/modules/chat/extractive.js';
import { toSource } from '../src/modules/chat/chat.service.js';
import { questionLanguage } from '../src/modules/chat/language.js';
import { createRetrievalService } from '../src/modules/retrieval/retrieval.service.js';
import { buildTestApp, type TestApp, type TestTenant } from '../src/test/harness.js';
import { uploadFile, waitForDocument } from '../src/test/upload.js';
import { answerKey, loadEvalSet, type EvalSet } from './fulltext/eval-data.js';

const { values: args } = parseArgs({
  options: { sets: { type: 'string' }, save: { type: 'string' }, load: { type: 'string' }, show: { type: 'string' } },
});
const shared = process.env.SHIORI_SHARED ?? '../shared';
const setNames = args.sets?.split(',') ?? ['ja', 'ja-jaquad', 'en'];
const TOP_K = 5;

type Retrieved = Record<string, ChatSource[][]>;

async function uploadSet(t: TestApp, set: EvalSet, tenant: TestTenant): Promise<void> {
  const ids: string[] = [];
  for (const article of set.articles) {
    const res = await uploadFile(t, tenant.admin.accessToken, article.file, article.text);
    if (res.statusCode !== 201) throw new Error(`${article.file}: ${res.statusCode} ${res.body}`);
    ids.push(res.json().id);
  }
  for (const id of ids) {
    const detail = await waitForDocument(t, tenant.admin.accessToken, id, undefined, 600_000);
    if (detail.status !== 'completed') throw new Error(`${id} failed: ${JSON.stringify(detail)}`);
  }
}

async function retrieveAll(sets: EvalSet[]): Promise<Retrieved> {
  const t = await buildTestApp();
  try {
    const retrieval = createRetrievalService({ db: t.app.database.db });
    const retrieved: Retrieved = {};
    for (const set of sets) {
      const tenant = await t.createTenant(set.name.replaceAll('-', '_'));
      await uploadSet(t, set, tenant);
      retrieved[set.name] = [];
      for (const q of set.questions) {
        const chunks = await retrieval.retrieve(tenant.id, { query: q.question, topK: TOP_K });
        retrieved[set.name]!.push(
          chunks.map(toSource),
        );
      }
      console.error(`${set.name}: ingested and asked`);
    }
    return retrieved;
  } finally {
    await t.close();
  }
}

const BULLET = /^・(.*) \[(\d+)\]$/u;
const SENTENCE_END = /[。．.!?！？」』)）"”'’]$/u;
const LETTER = /[\p{L}\p{N}]/u;
const stripEllipses = (quote: string) => quote.replace(/^…/u, '').replace(/…$/u, '');

interface Counts {
  questions: number;
  answered: number;
  hit1: number;
  bullets: number;
  titleOnly: number;
  duplicate: number;
  midWord: number;
  midSentence: number;
  notVerbatim: number;
  chars: number;
}

function measure(set: EvalSet, retrieved: ChatSource[][]): Counts {
  const titles = new Set(set.articles.map((a) => a.text.split('\n')[0]!.trim()));
  const rawText = new Map(set.articles.map((a) => [a.file, a.text]));
  const c: Counts = { questions: 0, answered: 0, hit1: 0, bullets: 0, titleOnly: 0, duplicate: 0, midWord: 0, midSentence: 0, notVerbatim: 0, chars: 0 };
  set.questions.forEach((q, i) => {
    const sources = retrieved[i]!;
    const answer = extractiveAnswer(q.question, sources, questionLanguage(q.question));
    const keys = q.answers.map(answerKey);
    const answered = keys.some((k) => answerKey(answer).includes(k));
    c.questions += 1;
    c.chars += answer.length;
    if (answered) c.answered += 1;
    if (sources[0] && keys.some((k) => answerKey(sources[0]!.chunk_text).includes(k))) c.hit1 += 1;
    if (args.show === 'misses' && !answered) console.log(`\n✗ ${q.question}  ⇒ ${q.answers.join(' | ')}\n${answer}`);
    const quotes: string[] = [];
    for (const line of answer.split('\n')) {
      const m = BULLET.exec(line);
      if (!m) continue;
      const quote = m[1]!;
      const source = sources[Number(m[2]) - 1];
      const plain = stripEllipses(quote);
      c.bullets += 1;
      if (titles.has(plain.trim())) c.titleOnly += 1;
      if (quotes.some((other) => other.includes(plain) || plain.includes(other))) c.duplicate += 1;
      quotes.push(plain);
      if (quote.endsWith('…') && source) {
        const at = source.chunk_text.indexOf(plain);
        const next = at >= 0 ? source.chunk_text[at + plain.length] ?? '' : '';
        if (LETTER.test(plain.at(-1) ?? '') && LETTER.test(next) && /\p{Script=Latin}/u.test(plain.at(-1)! + next)) c.midWord += 1;
      }
      if (!quote.endsWith('…') && !SENTENCE_END.test(quote) && !titles.has(plain.trim())) c.midSentence += 1;
      const raw = source ? rawText.get(source.file_name) : undefined;
      if (raw !== undefined && !raw.replace(/\s+/g, '').includes(plain.replace(/\s+/g, ''))) c.notVerbatim += 1;
    }
  });
  return c;
}

const pct = (x: number, n: number) => `${((100 * x) / Math.max(1, n)).toFixed(1)}%`;

const sets = setNames.map((name) => loadEvalSet(shared, name));
const retrieved: Retrieved = args.load ? (JSON.parse(readFileSync(args.load, 'utf8')) as Retrieved) : await retrieveAll(sets);
if (args.save) writeFileSync(args.save, JSON.stringify(retrieved));

console.log('set        answered  hit@1   bullets  title-only duplicate mid-word mid-sent. not-verbatim  chars/answer');
for (const set of sets) {
  const c = measure(set, retrieved[set.name] ?? []);
  console.log(
    [
      set.name.padEnd(10),
      pct(c.answered, c.questions).padStart(8),
      pct(c.hit1, c.questions).padStart(7),
      String(c.bullets).padStart(8),
      String(c.titleOnly).padStart(10),
      String(c.duplicate).padStart(9),
      String(c.midWord).padStart(8),
      String(c.midSentence).padStart(9),
      String(c.notVerbatim).padStart(12),
      (c.chars / c.questions).toFixed(0).padStart(13),
    ].join(' '),
  );
}
