import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startFakeOpenAI, type FakeOpenAI } from '../../test/fake-openai.js';
import { addFakeProviderKey, buildTestApp, type TestApp } from '../../test/harness.js';
import type { ChatResponse } from './chat.schemas.js';
import { uploadPlanDocuments } from './test-support/plan-documents.js';

// Follow-ups with a model (the real OpenAI SDK against the local fake): the rewrite is asked for
// only when the question leans on the conversation, and a rewrite that drifts is not used.
let openai: FakeOpenAI;
let t: TestApp;
let rewriteTo: string;

before(async () => {
  openai = await startFakeOpenAI();
  t = await buildTestApp();
  await uploadPlanDocuments(t, t.a);
  await addFakeProviderKey(t, t.a, openai.baseUrl);
});
after(async () => {
  await t.close();
  await openai.close();
});
beforeEach(() => {
  openai.reset();
  openai.reply = (request) => (isRewrite(request) ? rewriteTo : '回答です[1]。');
});

const isRewrite = (request: { messages: Array<{ role: string; content: unknown }> }) =>
  String(request.messages.find((m) => m.role === 'system')?.content).includes('standalone search query');
const rewrites = () => openai.chatRequests.filter(isRewrite).length;

async function ask(query: string, sessionId?: string): Promise<ChatResponse> {
  const res = await t.request('POST', '/api/v1/chats/rag', { token: t.a.operator.accessToken, body: { query, ...(sessionId ? { session_id: sessionId } : {}) } });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}
async function retrievalQueryOf(answer: ChatResponse): Promise<string> {
  const detail = (await t.request('GET', `/api/v1/conversations/${answer.conversation_id}`, { token: t.a.operator.accessToken })).json();
  return detail.messages.find((m: { id: string }) => m.id === answer.message_id).retrieval_query;
}

describe('follow-ups with a model', () => {
  test('a standalone question in a conversation is searched as asked: no rewrite call, no cost', async () => {
    const first = await ask('エンタープライズプランの料金はいくらですか？');
    const second = await ask('しおり商事の本社はどこにありますか？', first.conversation_id);
    assert.equal(rewrites(), 0);
    assert.equal(openai.chatRequests.length, 2, 'two answers, nothing else');
    assert.equal(await retrievalQueryOf(second), 'しおり商事の本社はどこにありますか？');
    assert.equal(second.sources[0]?.file_name, '会社概要.txt');
  });

  test('a question that points back is rewritten, and the rewrite is searched', async () => {
    const first = await ask('What is the Enterprise plan?');
    rewriteTo = 'How much does the Enterprise plan cost';
    const second = await ask('How much does it cost?', first.conversation_id);
    assert.equal(rewrites(), 1);
    assert.equal(await retrievalQueryOf(second), 'How much does the Enterprise plan cost');
    assert.match(second.sources[0]!.chunk_text, /900 dollars/);
  });

  test('a rewrite that drops the question’s own words is not used: the conversation’s terms are', async () => {
    const first = await ask('エンタープライズプランはどんなプランですか？');
    rewriteTo = 'スタンダードプランの特徴';
    const second = await ask('その支払い方法は？', first.conversation_id);
    assert.equal(rewrites(), 1);
    const query = await retrievalQueryOf(second);
    assert.ok(query.startsWith('その支払い方法は？') && query.includes('エンタープライズプラン'), query);
    assert.match(second.sources[0]!.chunk_text, /銀行振込/);
  });
});
