// Multi-turn answer quality through the real server over HTTP (issue 12, item 6). Each shared eval
// set (ja, ja-jaquad, en) is uploaded to its own tenant, then asked three ways:
//   fresh         every eval question alone
//   topic switch  the same questions in conversations of 8 turns, a different article each turn,
//                 session_id chained: turns 2–8 should score as they do fresh
//   follow-up     bench/conversation/follow-ups-*.jsonl: a first question, then one that leans on
//                 it (「本社は？」, "What is the name of his son?"); scored against its standalone form
//                 asked fresh
// Measures: the answer contains an accepted answer, sources[0] is the question's article, and
// hit@1/5/10 (a source's text contains an accepted answer); median answer latency.
// --mode extractive (default): no provider key. --mode fake-llm: an openai-compatible key on the
// local OpenAI-protocol fake (it also embeds, so retrieval is hybrid), counting the rewrite calls
// per kind of turn; a standalone question should need none.
//
//   npm run bench:conversation
//   npx tsx bench/conversation.ts --mode fake-llm --sets ja,en --limit 50
// SHIORI_SHARED points at the shared folder (default ../shared, from the repository root).
import { parseArgs } from 'node:util';
import { startFakeOpenAI, type FakeOpenAI } from '../src/test/fake-openai.js';
import { loadEvalSet, type EvalSet } from './fulltext/eval-data.js';
import { addProviderKey, chat, createTenant, getJson, upload, waitDone, type ChatBody, type Tenant } from './lib/api.js';
import { startServer } from './lib/server.js';
import { followUpsOf, loadFollowUps } from './conversation/follow-ups.js';
import { points, ratio, score, summarise, TABLE_HEADER, tableRow, type Expected, type Score } from './conversation/measures.js';
import { rewritesSince, scriptFakeModel } from './conversation/fake-provider.js';
import { topicSwitchConversations } from './conversation/topic-switch.js';

const { values: args } = parseArgs({
  options: {
    mode: { type: 'string', default: 'extractive' },
    sets: { type: 'string', default: 'ja,ja-jaquad,en' },
    limit: { type: 'string' },
    'top-k': { type: 'string', default: '10' },
    turns: { type: 'string', default: '8' },
    seed: { type: 'string', default: '12' },
    tsx: { type: 'boolean', default: false },
  },
});
const mode = args.mode;
if (mode !== 'extractive' && mode !== 'fake-llm') throw new Error(`--mode extractive or fake-llm, not ${mode}`);
const limit = args.limit === undefined ? Infinity : Number(args.limit);
const topK = Number(args['top-k']);
const turns = Number(args.turns);
const shared = process.env.SHIORI_SHARED ?? '../shared';
/** The done-when: fresh extractive answers contain an accepted answer this often. */
const FRESH_TARGET: Record<string, number> = { ja: 0.93, 'ja-jaquad': 0.93, en: 0.85 };

// Load and check everything before starting anything: wrong test data fails here, loudly.
const sets = args.sets.split(',').map((name) => loadEvalSet(shared, name));
const pairs = loadFollowUps();
const followUps = new Map(sets.map((set) => [set.name, followUpsOf(set, pairs).slice(0, limit)]));

async function uploadSet(tenant: Tenant, set: EvalSet): Promise<void> {
  const started = performance.now();
  const ids: string[] = [];
  for (const article of set.articles) ids.push(await upload(tenant, article.file, new TextEncoder().encode(article.text)));
  for (const [i, id] of ids.entries()) {
    const detail = await waitDone(tenant, id);
    if (detail.status !== 'completed') throw new Error(`${set.articles[i]!.file} failed: ${JSON.stringify(detail)}`);
  }
  console.log(`${set.name}: ${set.articles.length} files uploaded and ingested in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

interface Asked {
  score: Score;
  conversationId: string;
}

function asker(tenant: Tenant, provider: FakeOpenAI | undefined) {
  return async (expected: Expected, query: string, sessionId?: string): Promise<Asked> => {
    const before = provider?.chatRequests.length ?? 0;
    const body: ChatBody = { query, top_k: topK, ...(sessionId ? { session_id: sessionId } : {}) };
    const { response, ms } = await chat(tenant, body);
    if (mode === 'fake-llm' && response.metadata.model === 'extractive') throw new Error('fake-llm mode answered extractively: the provider key is not used');
    return { score: score(expected, response, ms, provider ? rewritesSince(provider, before) : 0), conversationId: response.conversation_id };
  };
}

async function runSet(baseUrl: string, set: EvalSet, provider: FakeOpenAI | undefined): Promise<string[]> {
  const tenant = await createTenant(baseUrl, `conv_${set.name.replace(/\W/g, '')}`);
  // The key first: its embeddings are then made during ingestion, once.
  if (provider) await addProviderKey(tenant, { provider: 'openai-compatible', model: 'bench-fake-llm', api_key: 'sk-bench-0123456789abcdef', base_url: provider.baseUrl });
  await uploadSet(tenant, set);
  const ask = asker(tenant, provider);
  const questions = set.questions.slice(0, limit);

  const fresh = new Map<string, Score>();
  for (const q of questions) fresh.set(q.id, (await ask(q, q.question)).score);

  const conversations = topicSwitchConversations(questions, turns, Number(args.seed));
  const firstTurns: Score[] = [];
  const laterTurns: Score[] = [];
  const laterFresh: Score[] = [];
  for (const conversation of conversations) {
    let sessionId: string | undefined;
    for (const [turn, q] of conversation.entries()) {
      const asked = await ask(q, q.question, sessionId);
      sessionId = asked.conversationId;
      if (turn === 0) firstTurns.push(asked.score);
      else {
        laterTurns.push(asked.score);
        laterFresh.push(fresh.get(q.id)!);
      }
    }
  }

  const pairsOfSet = followUps.get(set.name)!;
  const firsts: Score[] = [];
  const seconds: Score[] = [];
  const standalones: Score[] = [];
  const failing: string[] = [];
  for (const pair of pairsOfSet) {
    const expected = { file: pair.file, answers: pair.answers };
    // The first question is scored on its article only: the accepted answers are the follow-up's.
    const first = await ask(expected, pair.first);
    const second = await ask(expected, pair.followUp, first.conversationId);
    const alone = await ask(expected, pair.standalone);
    firsts.push(first.score);
    seconds.push(second.score);
    standalones.push(alone.score);
    if (alone.score.answered && !second.score.answered) failing.push(`  ${pair.file} «${pair.first}» → «${pair.followUp}» (${pair.form}; sources[0] ${second.score.firstSourceRight ? 'right' : 'wrong'} article)`);
  }

  const freshAll = summarise([...fresh.values()]);
  const switchAll = summarise([...firstTurns, ...laterTurns]);
  const later = summarise(laterTurns);
  const laterAlone = summarise(laterFresh);
  const follow = summarise(seconds);
  const alone = summarise(standalones);
  const ok = (pass: boolean) => (pass ? 'yes' : 'NO');
  const within = (a: number, b: number) => Math.abs(a - b) <= 0.01 + 1e-9;
  const target = FRESH_TARGET[set.name];
  const lines = [
    `\n${set.name} — ${mode}, top_k ${topK}: ${questions.length} questions, ${conversations.length} topic-switch conversations (${turns} turns at most), ${pairsOfSet.length} follow-up pairs`,
    TABLE_HEADER,
    tableRow('fresh (each question alone)', freshAll),
    tableRow('topic switch, every turn', switchAll),
    tableRow('topic switch, turn 1', summarise(firstTurns)),
    tableRow(`topic switch, turns 2–${turns}`, later),
    tableRow(`  the same questions fresh`, laterAlone),
    tableRow('follow-up pairs: first question', summarise(firsts), true),
    tableRow('follow-up pairs: follow-up', follow),
    tableRow('  its standalone form, fresh', alone),
    `topic switch (turns 2–${turns}) − fresh: answer ${points(later.answered, laterAlone.answered)}, 1st source ${points(later.firstSource, laterAlone.firstSource)}, hit@5 ${points(later.hitAt[1], laterAlone.hitAt[1])}` +
      `  → within 1 pt on both: ${ok(within(later.answered, laterAlone.answered) && within(later.firstSource, laterAlone.firstSource))}`,
    `follow-up / standalone: answer ${ratio(follow.answered, alone.answered).toFixed(2)}, 1st source ${ratio(follow.firstSource, alone.firstSource).toFixed(2)}, hit@5 ${ratio(follow.hitAt[1], alone.hitAt[1]).toFixed(2)}` +
      `  → ≥ 0.90 on both: ${ok(ratio(follow.answered, alone.answered) >= 0.9 && ratio(follow.firstSource, alone.firstSource) >= 0.9)}`,
  ];
  if (mode === 'extractive' && target !== undefined) lines.push(`fresh answers contain an accepted answer: ${(freshAll.answered * 100).toFixed(1)}% (target ≥ ${target * 100}%) → ${ok(freshAll.answered >= target)}`);
  if (provider) {
    const usage = await getJson(tenant, '/api/v1/stats/usage');
    const rewriteTokens = (usage.by_kind as Array<{ kind: string; tokens: number }>).find((k) => k.kind === 'rewrite')?.tokens ?? 0;
    lines.push(`rewrite calls: fresh ${freshAll.rewrites}, topic-switch turn 1 ${summarise(firstTurns).rewrites}, turns 2–${turns} ${later.rewrites} of ${later.n}, follow-ups ${follow.rewrites} of ${follow.n}, standalone ${alone.rewrites}; usage by_kind.rewrite ${rewriteTokens} tokens`);
  }
  if (failing.length) lines.push(`follow-ups answered in their standalone form but not after the first question (${failing.length}):`, ...failing);
  return lines;
}

async function main(): Promise<void> {
  const provider = mode === 'fake-llm' ? await startFakeOpenAI() : undefined;
  if (provider) scriptFakeModel(provider);
  const server = await startServer({
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    RATE_LIMIT_CHAT_PER_MINUTE: '100000000',
    // The fake provider listens on 127.0.0.1, as a self-hosted model server would.
    ...(provider ? { OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true' } : {}),
  });
  const started = performance.now();
  const report: string[] = [];
  try {
    console.log(`npx tsx bench/conversation.ts ${process.argv.slice(2).join(' ')}`.trim());
    console.log(`server: ${server.command}, ${server.driver}; node ${process.version}; mode ${mode}${provider ? ' (local OpenAI-protocol fake: rewrites = last question + previous question, answers quote [1])' : ''}`);
    for (const set of sets) report.push(...(await runSet(server.baseUrl, set, provider)));
  } finally {
    await server.stop();
    await provider?.close();
  }
  console.log(report.join('\n'));
  console.log(`\ndone in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

await main();
