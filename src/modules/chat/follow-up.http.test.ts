import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../test/harness.js';
import type { ChatResponse } from './chat.schemas.js';
import { uploadPlanDocuments } from './test-support/plan-documents.js';

// Conversations without a model (extractive answers): what a visitor's second question retrieves.
let t: TestApp;
before(async () => {
  t = await buildTestApp();
  await uploadPlanDocuments(t, t.a);
});
after(() => t.close());

async function ask(query: string, sessionId?: string): Promise<ChatResponse> {
  const res = await t.request('POST', '/api/v1/chats/rag', { token: t.a.operator.accessToken, body: { query, ...(sessionId ? { session_id: sessionId } : {}) } });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}
/** The question, then the follow-up in the same conversation; returns the follow-up's answer. */
async function askAfter(first: string, second: string): Promise<ChatResponse> {
  return ask(second, (await ask(first)).conversation_id);
}
async function retrievalQueryOf(answer: ChatResponse): Promise<string> {
  const detail = (await t.request('GET', `/api/v1/conversations/${answer.conversation_id}`, { token: t.a.operator.accessToken })).json();
  return detail.messages.find((m: { id: string }) => m.id === answer.message_id).retrieval_query;
}
const passagesOf = (answer: ChatResponse) => answer.sources.map((s) => [s.file_name, s.chunk_index, s.score]);

for (const lang of [
  {
    name: 'Japanese',
    plan: 'エンタープライズプランの料金はいくらですか？',
    switchTo: 'しおり商事の本社はどこにありますか？',
    switchFile: '会社概要.txt',
    switchAnswer: /千代田区丸の内/,
    topic: 'エンタープライズプランはどんなプランですか？',
    pronoun: 'その料金はいくらですか？',
    pronounAnswer: /98,000円/,
    otherTopic: 'スタンダードプランについて教えてください',
    elliptical: '支払い方法は？',
    ellipticalAnswer: /クレジットカードのみ/,
    unanswerable: ['火星探査機の打ち上げ予定日はいつですか？', '株価は？'],
    notFound: /見つかりませんでした[\s\S]*言い換え/,
  },
  {
    name: 'English',
    plan: 'How much does the Enterprise plan cost per month?',
    switchTo: 'Where are the headquarters of Shiori Trading?',
    switchFile: 'company.txt',
    switchAnswer: /Marunouchi, Tokyo/,
    topic: 'What is the Enterprise plan?',
    pronoun: 'How much does it cost?',
    pronounAnswer: /900 dollars/,
    otherTopic: 'Tell me about the Standard plan for small teams',
    elliptical: 'And the payment?',
    ellipticalAnswer: /credit card only/,
    unanswerable: ['When will the Mars rover launch?', 'And the salary of the CEO?'],
    notFound: /do not contain the answer[\s\S]*other words/,
  },
]) {
  describe(`follow-up questions in ${lang.name}, without a model`, () => {
    test('a change of topic retrieves exactly what the same question retrieves fresh, and is searched as asked', async () => {
      const fresh = await ask(lang.switchTo);
      const switched = await askAfter(lang.plan, lang.switchTo);
      assert.deepEqual(passagesOf(switched), passagesOf(fresh));
      assert.equal(switched.sources[0]?.file_name, lang.switchFile);
      assert.match(switched.answer, lang.switchAnswer);
      assert.equal(await retrievalQueryOf(switched), lang.switchTo);
    });

    test('a pronoun follow-up is about the plan asked before', async () => {
      const answer = await askAfter(lang.topic, lang.pronoun);
      assert.match(answer.sources[0]!.chunk_text, lang.pronounAnswer, JSON.stringify(answer.sources.map((s) => s.chunk_text)));
      assert.match(answer.answer.split('\n').find((line) => line.includes('[1]')) ?? '', lang.pronounAnswer, answer.answer);
      const query = await retrievalQueryOf(answer);
      assert.ok(query.startsWith(lang.pronoun) && query.includes(lang.topic), `the stored query shows both: ${query}`);
    });

    test('an elliptical follow-up is about the plan asked before', async () => {
      const answer = await askAfter(lang.otherTopic, lang.elliptical);
      assert.match(answer.sources[0]!.chunk_text, lang.ellipticalAnswer, JSON.stringify(answer.sources.map((s) => s.chunk_text)));
    });

    test('a follow-up the documents cannot answer says so, with no sources and no quote of the earlier topic', async () => {
      for (const question of lang.unanswerable) {
        const answer = await askAfter(lang.plan, question);
        assert.deepEqual(answer.sources, [], question);
        assert.match(answer.answer, lang.notFound);
        assert.doesNotMatch(answer.answer, /\[1\]/);
      }
    });
  });
}

test('a chain of follow-ups keeps the topic of the conversation', async () => {
  const first = await ask('エンタープライズプランはどんなプランですか？');
  const second = await ask('その料金はいくらですか？', first.conversation_id);
  const third = await ask('支払い方法は？', second.conversation_id);
  assert.match(third.sources[0]!.chunk_text, /銀行振込/);
});

describe('not found, in every channel', () => {
  test('the widget offers the tenant’s contact line, in the visitor’s language; the API answer has none', async () => {
    const contact = 'お電話 03-1234-5678（平日9–18時）';
    const patched = await t.request('PATCH', `/api/v1/tenants/${t.a.id}`, { token: t.a.admin.accessToken, body: { widget: { contact } } });
    assert.equal(patched.statusCode, 200, patched.body);
    const key = (await t.request('GET', `/api/v1/tenants/${t.a.id}/embed-snippet`, { token: t.a.admin.accessToken })).json().api_key;
    const widgetAsk = async (query: string, sessionId?: string): Promise<ChatResponse> => {
      const res = await t.request('POST', '/api/v1/chats/widget/chat', {
        headers: { 'x-api-key': key, 'x-visitor-id': 'visitor-not-found-1' },
        body: { query, ...(sessionId ? { session_id: sessionId } : {}) },
      });
      assert.equal(res.statusCode, 200, res.body);
      return res.json();
    };
    const first = await widgetAsk('エンタープライズプランの料金はいくらですか？');
    const ja = await widgetAsk('火星探査機の打ち上げ予定日はいつですか？', first.conversation_id);
    assert.deepEqual(ja.sources, []);
    assert.match(ja.answer, /見つかりませんでした[\s\S]*言い換え[\s\S]*お問い合わせ.*03-1234-5678（平日9–18時）/);
    const en = await widgetAsk('When will the Mars rover launch?');
    assert.match(en.answer, /do not contain the answer[\s\S]*To reach a person: お電話 03-1234-5678/);

    const api = await ask('火星探査機の打ち上げ予定日はいつですか？');
    assert.doesNotMatch(api.answer, /03-1234-5678/, 'the contact line is the widget’s');
  });
});
