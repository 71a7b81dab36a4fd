// FAQ entries in the answers: a matching question gets the entry's answer verbatim, cited as FAQ,
// in the dashboard/API chat and the widget, with a model configured (and not called: the fake
// OpenAI server counts) or without one, as JSON and streamed (SSE); other questions are answered from the documents; a
// follow-up that leans on the conversation never matches; search finds entries marked as FAQ.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { messages } from '../../../db/schema.js';
import { widgetKeyOf } from '../../../security/test-support/callers.js';
import { startFakeOpenAI, type FakeOpenAI } from '../../../test/fake-openai.js';
import { addFakeProviderKey, buildTestApp, type TestApp, type TestTenant } from '../../../test/harness.js';
import { parseSse } from '../../../test/sse.js';
import { uploadAndProcess } from '../../../test/upload.js';

let t: TestApp;
let openai: FakeOpenAI;
let withModel: TestTenant;
const ANSWER = '勤怠システムの「休暇申請」メニューから、取得日の3営業日前までに申請してください。上長の承認後に確定します。';
const FAQ = { question: '有給休暇の申請方法を教えてください', answer: ANSWER, alternatives: ['有休はどうやって取りますか'] };
const DOCUMENT = '就業規則\n\n第20条 年次有給休暇は、入社6か月後に10日付与する。\n\n第21条 有給休暇の有効期限は付与日から2年間とする。\n';

before(async () => {
  openai = await startFakeOpenAI();
  t = await buildTestApp();
  withModel = await t.createTenant('faqllm');
  for (const tenant of [t.a, withModel]) {
    const res = await t.request('POST', '/api/v1/faq', { token: tenant.admin.accessToken, body: FAQ });
    assert.equal(res.statusCode, 201, res.body);
    await uploadAndProcess(t, tenant.admin.accessToken, '就業規則.txt', DOCUMENT);
  }
  await addFakeProviderKey(t, withModel, openai.baseUrl);
});
after(async () => {
  await t.close();
  await openai.close();
});
beforeEach(() => openai.reset());

async function ask(tenant: TestTenant, body: Record<string, unknown>) {
  const res = await t.request('POST', '/api/v1/chats/rag', { token: tenant.operator.accessToken, body });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}
const storedAnswer = async (id: string) => (await t.app.database.db.select().from(messages).where(eq(messages.id, id)))[0]!;

describe('a question that matches an FAQ entry', () => {
  test('with a model: the answer is the entry’s, verbatim, cited as FAQ, and no model is called', async () => {
    openai.reply = () => 'モデルの回答';
    const res = await ask(withModel, { query: '有給休暇はどうやって申請しますか？' });
    assert.equal(res.answer, ANSWER);
    assert.equal(res.metadata.model, 'faq');
    assert.deepEqual([res.metadata.tokens_in, res.metadata.tokens_out], [0, 0]);
    assert.equal(res.sources.length, 1);
    assert.equal(res.sources[0].kind, 'faq');
    assert.equal(res.sources[0].title, FAQ.question);
    assert.equal(openai.chatRequests.length, 0, 'no model call');
    // (The documents' vectors may still be on their way after the key was added: only the question's embedding would be ours.)
    assert.ok(!openai.requests.some((r) => r.input.some((text) => text.includes('有給休暇はどうやって'))), 'the question was not even embedded');

    const stored = await storedAnswer(res.message_id);
    assert.equal(stored.content, ANSWER);
    assert.equal(stored.model, 'faq', 'the transcript shows the answer came from the FAQ');
    assert.equal(stored.sources?.[0]?.kind, 'faq');
    const transcript = await t.request('GET', `/api/v1/conversations/${res.conversation_id}`, { token: withModel.operator.accessToken });
    const last = transcript.json().messages.at(-1);
    assert.equal(last.model, 'faq');
    assert.equal(last.sources[0].kind, 'faq');
  });

  test('without a model (extractive): the same verbatim answer; an alternative phrasing matches too', async () => {
    for (const query of ['有給休暇の申請方法を教えて', '有休はどうやって取りますか']) {
      const res = await ask(t.a, { query });
      assert.equal(res.answer, ANSWER, query);
      assert.equal(res.metadata.model, 'faq');
      assert.equal(res.sources[0].kind, 'faq');
    }
  });

  test('in the widget, the visitor gets it too', async () => {
    const key = await widgetKeyOf(t, t.a);
    const res = await t.request('POST', '/api/v1/chats/widget/chat', { body: { query: '有給休暇の申請方法は？' }, headers: { 'x-api-key': key, 'x-visitor-id': 'visitor-faq-1' } });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().answer, ANSWER);
    assert.equal(res.json().sources[0].kind, 'faq');
  });
});

describe('a matching question, streamed (Accept: text/event-stream)', () => {
  test('the API chat and the widget stream the verbatim answer, then the FAQ source, metadata (model faq) and done; no model call', async () => {
    const key = await widgetKeyOf(t, t.a);
    const accept = 'text/event-stream';
    const streams = {
      '/api/v1/chats/rag': await t.request('POST', '/api/v1/chats/rag', { token: withModel.operator.accessToken, body: { query: '有給休暇はどうやって申請しますか？' }, headers: { accept } }),
      '/api/v1/chats/widget/chat': await t.request('POST', '/api/v1/chats/widget/chat', { body: { query: '有給休暇の申請方法は？' }, headers: { 'x-api-key': key, 'x-visitor-id': 'visitor-faq-sse', accept } }),
    };
    for (const [route, res] of Object.entries(streams)) {
      assert.equal(res.statusCode, 200, `${route}: ${res.body}`);
      assert.match(String(res.headers['content-type']), /^text\/event-stream/, route);
      const events = parseSse(res.body);
      const order = events.map((e) => e.event);
      const firstOther = order.findIndex((e) => e !== 'delta');
      assert.ok(firstOther >= 1, `${route}: the answer comes as deltas first (${order.join(', ')})`);
      assert.deepEqual(order.slice(firstOther), ['sources', 'metadata', 'done'], route);
      assert.equal(events.filter((e) => e.event === 'delta').map((e) => e.data.text).join(''), ANSWER, route);
      const { sources } = events[firstOther]!.data;
      assert.deepEqual(sources.map((s: { kind: string; title: string }) => [s.kind, s.title]), [['faq', FAQ.question]], route);
      const { message_id, metadata } = events[firstOther + 1]!.data;
      assert.equal(metadata.model, 'faq', route);
      const stored = await storedAnswer(message_id);
      assert.equal(stored.content, ANSWER, route);
      assert.equal(stored.sources?.[0]?.kind, 'faq', route);
    }
    assert.equal(openai.chatRequests.length, 0, 'no model call');
  });
});

describe('a question that does not match', () => {
  test('a related but different question is answered from the documents, by the model', async () => {
    openai.reply = () => '入社6か月後に10日付与されます[1]。';
    const res = await ask(withModel, { query: '有給休暇は何日もらえますか' });
    assert.equal(res.answer, '入社6か月後に10日付与されます[1]。');
    assert.equal(res.metadata.model, 'local-llm');
    assert.equal(openai.chatRequests.length, 1);
    assert.ok(res.sources.some((s: { kind: string; file_name: string }) => s.kind === 'document' && s.file_name === '就業規則.txt'), JSON.stringify(res.sources));
  });

  test('without a model, from the documents too (extractive)', async () => {
    const res = await ask(t.a, { query: '有給休暇は何日もらえますか' });
    assert.equal(res.metadata.model, 'extractive');
    assert.match(res.answer, /第2\d条/, 'quotes the rules');
    assert.equal(res.sources[0].kind, 'document', JSON.stringify(res.sources));
    assert.notEqual(res.answer, ANSWER);
    // The related entry is offered as a passage below the document (its similarity, ≥ 0.35 and < 0.9).
    const entry = res.sources.find((s: { kind: string }) => s.kind === 'faq');
    assert.ok(!entry || (entry.score < 0.9 && entry.title === FAQ.question));
  });

  test('a follow-up leaning on the conversation (「それはいつまで？」) never matches an entry by accident', async () => {
    const first = await ask(t.a, { query: '有給休暇は何日もらえますか' });
    const follow = await ask(t.a, { query: 'それはいつまで？', session_id: first.conversation_id });
    assert.notEqual(follow.metadata.model, 'faq');
    assert.notEqual(follow.answer, ANSWER);
    // Even when it names the entry's words, a follow-up that leans on the conversation is searched, not matched.
    const bare = await ask(t.a, { query: '申請方法は？', session_id: first.conversation_id });
    assert.notEqual(bare.metadata.model, 'faq');
  });
});

describe('search', () => {
  test('finds the entry as a passage marked FAQ, beside the documents', async () => {
    const res = await t.request('POST', '/api/v1/search', { token: t.a.operator.accessToken, body: { query: '有給休暇の申請' } });
    assert.equal(res.statusCode, 200, res.body);
    const faq = res.json().results.find((r: { kind: string }) => r.kind === 'faq');
    assert.ok(faq, res.body);
    assert.equal(faq.title, FAQ.question);
    assert.ok(faq.chunk_text.includes(ANSWER));
    assert.ok(res.json().results.some((r: { kind: string }) => r.kind === 'document'), 'documents are still found');
  });

  test('a search limited to files leaves entries out; another tenant never sees them', async () => {
    const scoped = await t.request('POST', '/api/v1/search', { token: t.a.operator.accessToken, body: { query: '有給休暇の申請', tags: ['なし'] } });
    assert.ok(!scoped.body.includes(ANSWER));
    const other = await t.request('POST', '/api/v1/search', { token: t.b.operator.accessToken, body: { query: '有給休暇の申請方法を教えてください', min_score: 0 } });
    assert.equal(other.statusCode, 200);
    assert.ok(!other.body.includes(ANSWER));
    const chat = await ask(t.b, { query: '有給休暇の申請方法を教えてください' });
    assert.notEqual(chat.answer, ANSWER);
  });
});
