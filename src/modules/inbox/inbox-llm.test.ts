import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startFakeOpenAI, type FakeOpenAI } from '../../test/fake-openai.js';
import { addFakeProviderKey, buildTestApp, type TestApp } from '../../test/harness.js';
import { uploadAndProcess } from '../../test/upload.js';
import { workRulesJa } from '../retrieval/test-support/documents.js';
import type { ChatResponse } from '../chat/chat.schemas.js';

// With a language model (the OpenAI-protocol fake, which also embeds: retrieval is hybrid).
let openai: FakeOpenAI;
let t: TestApp;
before(async () => {
  openai = await startFakeOpenAI();
  t = await buildTestApp({ providerUrls: { openai: openai.baseUrl, anthropic: 'http://127.0.0.1:9' } });
  await addFakeProviderKey(t, t.a, openai.baseUrl);
  await uploadAndProcess(t, t.a.admin.accessToken, '就業規則.txt', workRulesJa);
});
after(async () => {
  await t?.close();
  await openai?.close();
});
beforeEach(() => openai.reset());

async function ask(query: string): Promise<ChatResponse> {
  const res = await t.request('POST', '/api/v1/chats/rag', { token: t.a.operator.accessToken, body: { query } });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}
const openItems = async () => (await t.request('GET', '/api/v1/inbox', { token: t.a.operator.accessToken })).json().items as Array<{ id: string; question: string; reasons: string[]; count: number }>;

describe('confidence with a model', () => {
  test('a cited answer from passages that cover the question is trusted; the agreement of both searches is a signal', async () => {
    openai.reply = () => '入社後6か月で10日の年次有給休暇が付与されます[1]。';
    const body = await ask('年次有給休暇は何日付与されますか？');
    assert.ok(['high', 'medium'].includes(body.metadata.confidence.level), JSON.stringify(body.metadata.confidence));
    // PGlite has pgvector, so the fake's embeddings make the search hybrid; a PostgreSQL without it searches full text alone.
    if (t.app.database.vectorSearch) assert.notEqual(body.metadata.confidence.signals.agreement, null, 'vector search ran: agreement is measured');
    else assert.equal(body.metadata.confidence.signals.agreement, null, 'full text alone: nothing to agree with');
    assert.equal((await openItems()).length, 0);
  });

  test('the model saying the documents do not hold it makes the answer none, and the question goes to the inbox', async () => {
    openai.reply = () => '申し訳ありませんが、資料にはその情報が記載されていません。';
    const body = await ask('有給休暇の繰り越しは何日までできますか');
    assert.ok(body.sources.length > 0, 'passages were found: only the model says it is not there');
    assert.equal(body.metadata.confidence.level, 'none', JSON.stringify(body.metadata.confidence));
    assert.equal(body.metadata.confidence.signals.not_found, true);
    const [item] = await openItems();
    assert.equal(item?.question, '有給休暇の繰り越しは何日までできますか');
    assert.deepEqual(item?.reasons, ['unanswered']);
  });

  test('English: "the documents do not contain" is recognised too', async () => {
    openai.reply = () => 'The provided documents do not contain information about carrying over vacation days.';
    const body = await ask('How many vacation days can be carried over?');
    assert.equal(body.metadata.confidence.signals.not_found, true);
    assert.ok(['none', 'low'].includes(body.metadata.confidence.level));
  });

  test('re-ask goes through the model and stores nothing', async () => {
    const item = (await openItems()).find((i) => i.question === '有給休暇の繰り越しは何日までできますか');
    openai.reply = () => '繰り越しは最大20日までです[1]。';
    const res = await t.request('POST', `/api/v1/inbox/${item!.id}/reask`, { token: t.a.operator.accessToken });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().answer, '繰り越しは最大20日までです[1]。');
    assert.equal(res.json().model, 'local-llm');
    assert.ok(res.json().sources.length > 0);
    assert.equal((await openItems()).find((i) => i.id === item!.id)?.count, item!.count);
  });
});
