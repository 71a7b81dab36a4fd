import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { messages } from '../../db/schema.js';
import { startFakeOpenAI } from '../../test/fake-openai.js';
import { addFakeProviderKey, buildTestApp, expectError, type TestApp } from '../../test/harness.js';
import { uploadAndProcess } from '../../test/upload.js';
import { workRulesJa } from '../retrieval/test-support/documents.js';
import type { Analytics } from './analytics.schemas.js';

let t: TestApp;
const asked: Record<string, string> = {};
before(async () => {
  t = await buildTestApp();
  const token = t.a.admin.accessToken;
  await uploadAndProcess(t, token, '就業規則.txt', workRulesJa);
  // The same question in two wordings (width, spaces, punctuation), one the documents do not hold, one from the widget.
  for (const query of ['有給休暇は何日もらえますか？', '有給休暇は 何日もらえますか?', '社長の好きな食べ物は何ですか']) {
    const res = await t.request('POST', '/api/v1/chats/rag', { token, body: { query } });
    assert.equal(res.statusCode, 200, res.body);
    asked[query] = res.json().message_id;
  }
  const key = (await t.request('GET', `/api/v1/tenants/${t.a.id}/embed-snippet`, { token })).json().api_key;
  const widget = await t.request('POST', '/api/v1/chats/widget/chat', { body: { query: '始業時刻は何時ですか' }, headers: { 'x-api-key': key } });
  assert.equal(widget.statusCode, 200, widget.body);
  // A visitor asking for a person is answered with the handoff offer: no question of the documents, counted nowhere.
  const route = await t.request('PATCH', `/api/v1/tenants/${t.a.id}`, { token, body: { widget: { contact_route: { kind: 'url', target: 'https://shiori-shoji.example/contact' } } } });
  assert.equal(route.statusCode, 200, route.body);
  const person = await t.request('POST', '/api/v1/chats/widget/chat', { body: { query: '担当者と話したい' }, headers: { 'x-api-key': key } });
  assert.equal(person.json().metadata.model, 'handoff', person.body);
  for (const [query, rating] of [['有給休暇は何日もらえますか？', 'up'], ['社長の好きな食べ物は何ですか', 'down']] as const) {
    const res = await t.request('PUT', `/api/v1/conversations/${await conversationOf(asked[query]!)}/messages/${asked[query]}/feedback`, { token, body: { rating } });
    assert.equal(res.statusCode, 200, res.body);
  }
});
after(() => t?.close());

async function conversationOf(messageId: string): Promise<string> {
  const [row] = await t.app.database.db.select({ id: messages.conversationId }).from(messages).where(eq(messages.id, messageId));
  return row!.id;
}
const analytics = async (query = '', token = t.a.operator.accessToken) => {
  const res = await t.request('GET', `/api/v1/analytics${query}`, { token });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as Analytics;
};

describe('GET /api/v1/analytics', () => {
  test('counts questions, answers and ratings; the rates follow; the last 28 days by default, today last', async () => {
    const body = await analytics();
    // Four questions: the visitor's 「担当者と話したい」 is not one.
    assert.deepEqual(body.totals, { questions: 4, answered: 3, answer_rate: 0.75, feedback_up: 1, feedback_down: 1, helpful_rate: 0.5 });
    assert.equal(body.days.length, 28);
    assert.equal(body.time_zone, 'Asia/Tokyo');
    const today = body.days.at(-1)!;
    assert.equal(today.date, body.end_date);
    assert.deepEqual(today.by_channel, { dashboard: 0, api: 3, widget: 1 });
    assert.equal(body.days.slice(0, -1).reduce((n, d) => n + d.questions, 0), 0, 'the other days are there, with nothing');
  });

  test('the week’s top questions group one question’s wordings; the unanswered one tops the unanswered', async () => {
    const week = (await analytics()).weeks.at(-1)!;
    assert.deepEqual(week.top_questions[0], { question: '有給休暇は 何日もらえますか?', count: 2, unanswered: 0 });
    assert.deepEqual(week.top_unanswered, [{ question: '社長の好きな食べ物は何ですか', count: 1, unanswered: 1 }]);
  });

  test('a channel alone; another tenant sees nothing of these', async () => {
    assert.equal((await analytics('?channel=widget')).totals.questions, 1);
    const other = await analytics('', t.b.admin.accessToken);
    assert.deepEqual(other.totals, { questions: 0, answered: 0, answer_rate: null, feedback_up: 0, feedback_down: 0, helpful_rate: null });
    assert.ok(other.weeks.every((w) => w.top_questions.length === 0));
  });

  test('days are the reader’s: an answer at 23:30 UTC is the next day in Tokyo', async () => {
    await t.app.database.db.execute(sql`UPDATE messages SET created_at = '2026-03-01T23:30:00Z' WHERE id = ${asked['社長の好きな食べ物は何ですか']!}`);
    const tokyo = await analytics('?start_date=2026-03-01&end_date=2026-03-02');
    assert.deepEqual(tokyo.days.map((d) => [d.date, d.questions]), [['2026-03-01', 0], ['2026-03-02', 1]]);
    assert.deepEqual(tokyo.weeks.map((w) => w.week_start), ['2026-02-23', '2026-03-02']);
    const utc = await analytics('?start_date=2026-03-01&end_date=2026-03-02&time_zone=UTC');
    assert.deepEqual(utc.days.map((d) => [d.date, d.questions]), [['2026-03-01', 1], ['2026-03-02', 0]]);
  });

  test('bad ranges and zones are 422 with the field named; no token is 401', async () => {
    for (const [query, field] of [
      ['?time_zone=Mars/Olympus', 'time_zone'],
      ['?start_date=2026-03-05&end_date=2026-03-01', 'end_date'],
      ['?start_date=2024-01-01&end_date=2026-01-01', 'start_date'],
      ['?start_date=yesterday', 'start_date'],
      ['?channel=fax', 'channel'],
    ]) {
      const error = expectError(await t.request('GET', `/api/v1/analytics${query}`, { token: t.a.admin.accessToken }), 422, 'VALIDATION_ERROR');
      assert.ok(JSON.stringify(error).includes(field!), `${query}: ${JSON.stringify(error)}`);
    }
    expectError(await t.request('GET', '/api/v1/analytics'), 401, 'AUTHENTICATION_ERROR');
  });
});

describe('answered, with a model', () => {
  test('a model saying the documents do not hold it is unanswered, even when it cites a passage', async () => {
    const openai = await startFakeOpenAI();
    const withModel = await buildTestApp({ providerUrls: { openai: openai.baseUrl, anthropic: 'http://127.0.0.1:9' } });
    try {
      await addFakeProviderKey(withModel, withModel.a, openai.baseUrl);
      await uploadAndProcess(withModel, withModel.a.admin.accessToken, '就業規則.txt', workRulesJa);
      const ask = async (query: string) => {
        const res = await withModel.request('POST', '/api/v1/chats/rag', { token: withModel.a.operator.accessToken, body: { query } });
        assert.equal(res.statusCode, 200, res.body);
        return res.json();
      };
      openai.reply = () => '入社後6か月で10日の年次有給休暇が付与されます[1]。';
      assert.notEqual((await ask('年次有給休暇は何日付与されますか？')).metadata.confidence.level, 'none');
      openai.reply = () => '申し訳ありませんが、資料には有給休暇の繰り越しについて記載されていません[1]。';
      const refused = await ask('有給休暇は翌年に繰り越せますか？');
      assert.ok(refused.sources.length > 0, 'it was given passages');
      assert.equal(refused.metadata.confidence.signals.not_found, true);
      const res = await withModel.request('GET', '/api/v1/analytics', { token: withModel.a.operator.accessToken });
      const body = res.json() as Analytics;
      assert.deepEqual([body.totals.questions, body.totals.answered], [2, 1]);
      assert.deepEqual(body.weeks.at(-1)!.top_unanswered.map((q) => q.question), ['有給休暇は翌年に繰り越せますか？']);
    } finally {
      await withModel.close();
      await openai.close();
    }
  });
});
