import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, expectError, type TestApp } from '../../test/harness.js';
import { uploadAndProcess } from '../../test/upload.js';
import type { ChatResponse } from '../chat/chat.schemas.js';
import { workRulesJa } from '../retrieval/test-support/documents.js';
import { startWebhookReceiver, type WebhookReceiver } from '../webhooks/test-support/webhook-receiver.js';

// Website visitors rating answers in the widget, over HTTP: only their own widget conversation, the
// dashboard's validation, and a 👎 reaching the inbox and the webhook like a dashboard 👎 does.

const SITE = 'https://www.shiori-shoji.example';
let t: TestApp;
let receiver: WebhookReceiver;
let keyA: string;
let keyB: string;

const widgetKey = async (tenant: TestApp['a']) => (await t.request('GET', `/api/v1/tenants/${tenant.id}/embed-snippet`, { token: tenant.admin.accessToken })).json().api_key as string;
const headers = (key: string, visitor: string, language = 'ja') => ({ 'x-api-key': key, 'x-visitor-id': visitor, origin: SITE, 'accept-language': language });

async function ask(key: string, visitor: string, query: string): Promise<ChatResponse> {
  const res = await t.request('POST', '/api/v1/chats/widget/chat', { headers: headers(key, visitor), body: { query } });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}
const rate = (key: string, visitor: string, body: Record<string, unknown>, language = 'ja') =>
  t.request('PUT', '/api/v1/chats/widget/feedback', { headers: headers(key, visitor, language), body });
const detailOf = async (conversationId: string) => (await t.request('GET', `/api/v1/conversations/${conversationId}`, { token: t.a.operator.accessToken })).json();
const answerIn = async (answer: ChatResponse) => (await detailOf(answer.conversation_id)).messages.find((m: { id: string }) => m.id === answer.message_id);

before(async () => {
  receiver = await startWebhookReceiver();
  t = await buildTestApp({ webhooks: { timeoutMs: 3000, retryDelaysSeconds: [1] } });
  await uploadAndProcess(t, t.a.admin.accessToken, '就業規則.txt', workRulesJa);
  keyA = await widgetKey(t.a);
  keyB = await widgetKey(t.b);
});
after(async () => {
  await t?.close();
  await receiver?.close();
});

describe('PUT /api/v1/chats/widget/feedback', () => {
  test('👍 then clearing it: stored on the answer, visible in the conversation detail, not an answer of the plan', async () => {
    const answer = await ask(keyA, 'visitor_up_1', '年次有給休暇は何日付与されますか？');
    const messagesThisMonth = async () => (await t.request('GET', '/api/v1/billing', { token: t.a.admin.accessToken })).json().usage.messages_this_month as number;
    const usedBefore = await messagesThisMonth();
    const res = await rate(keyA, 'visitor_up_1', { conversation_id: answer.conversation_id, message_id: answer.message_id, rating: 'up' });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { message_id: answer.message_id, feedback: 'up', feedback_comment: null });
    assert.equal(res.headers['access-control-allow-origin'], SITE);
    assert.equal((await answerIn(answer)).feedback, 'up');
    assert.equal((await detailOf(answer.conversation_id)).feedback_up, 1);
    assert.ok(usedBefore >= 1);
    assert.equal(await messagesThisMonth(), usedBefore, 'a rating is not a message of the month');

    const cleared = await rate(keyA, 'visitor_up_1', { conversation_id: answer.conversation_id, message_id: answer.message_id, rating: null });
    assert.equal(cleared.json().feedback, null);
    assert.equal((await answerIn(answer)).feedback, null);
  });

  test('👎 with a comment: in the inbox with channel widget, and the answer.rated_down webhook with rated_by null; a comment edit adds nothing', async () => {
    const hook = await t.request('POST', '/api/v1/webhooks', { token: t.a.admin.accessToken, body: { url: receiver.url('rated'), events: ['answer.rated_down'] } });
    assert.equal(hook.statusCode, 201, hook.body);
    const answer = await ask(keyA, 'visitor_down_1', '通勤手当の上限はいくらですか');
    const down = (comment: string) => rate(keyA, 'visitor_down_1', { conversation_id: answer.conversation_id, message_id: answer.message_id, rating: 'down', comment });
    const res = await down('  金額が載っていません  ');
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().feedback_comment, '金額が載っていません', 'trimmed like the dashboard’s');
    assert.equal((await down('古い金額です')).statusCode, 200);

    const stored = await answerIn(answer);
    assert.equal(stored.feedback, 'down');
    assert.equal(stored.feedback_comment, '古い金額です');

    const inbox = (await t.request('GET', '/api/v1/inbox?reason=downvoted', { token: t.a.operator.accessToken })).json();
    const item = inbox.items.find((i: { question: string }) => i.question === '通勤手当の上限はいくらですか');
    assert.ok(item, JSON.stringify(inbox.items));
    assert.deepEqual(item.channels, ['widget']);
    assert.equal(item.count, 1, 'the second 👎 (a comment edit) adds nothing');

    const [request] = await receiver.waitFor(1, (r) => r.path === '/hooks/rated');
    const event = JSON.parse(request!.rawBody);
    assert.equal(event.type, 'answer.rated_down');
    assert.equal(event.data.channel, 'widget');
    assert.equal(event.data.message_id, answer.message_id);
    assert.equal(event.data.comment, '金額が載っていません');
    assert.equal(event.data.rated_by, null, 'a visitor, not a user');
  });

  test('only the visitor’s own widget conversation: another visitor, another tenant’s key, a dashboard conversation, an unknown answer are 404', async () => {
    const answer = await ask(keyA, 'visitor_own_1', '年次有給休暇は何日付与されますか？');
    const body = { conversation_id: answer.conversation_id, message_id: answer.message_id, rating: 'down' };
    for (const language of ['ja', 'en']) {
      const error = expectError(await rate(keyA, 'visitor_other', body, language), 404, 'RESOURCE_NOT_FOUND');
      assert.match(error.detail, language === 'ja' ? /会話/ : /Conversation/);
    }
    expectError(await rate(keyB, 'visitor_own_1', body), 404, 'RESOURCE_NOT_FOUND');
    expectError(await t.request('PUT', '/api/v1/chats/widget/feedback', { headers: { 'x-api-key': keyA, origin: SITE }, body }), 404, 'RESOURCE_NOT_FOUND');
    const dashboard = (await t.request('POST', '/api/v1/chats/rag', { token: t.a.operator.accessToken, body: { query: '年次有給休暇は何日？' } })).json();
    expectError(await rate(keyA, 'visitor_own_1', { conversation_id: dashboard.conversation_id, message_id: dashboard.message_id, rating: 'up' }), 404, 'RESOURCE_NOT_FOUND');
    const question = (await detailOf(answer.conversation_id)).messages.find((m: { role: string }) => m.role === 'user');
    expectError(await rate(keyA, 'visitor_own_1', { ...body, message_id: question.id }), 404, 'RESOURCE_NOT_FOUND');
    expectError(await rate(keyA, 'visitor_own_1', { ...body, message_id: dashboard.message_id }), 404, 'RESOURCE_NOT_FOUND');
    assert.equal((await answerIn(answer)).feedback, null, 'nothing was rated');
    assert.equal((await answerIn(dashboard)).feedback, null);
  });

  test('the widget guard: no key 401, a wrong origin 403, the preflight allows PUT', async () => {
    const body = { conversation_id: '00000000-0000-4000-8000-000000000000', message_id: '00000000-0000-4000-8000-000000000000', rating: 'up' };
    expectError(await t.request('PUT', '/api/v1/chats/widget/feedback', { headers: { origin: SITE }, body }), 401, 'AUTHENTICATION_ERROR');
    const tenant = await t.createTenant('origins');
    assert.equal((await t.request('PATCH', `/api/v1/tenants/${tenant.id}`, { token: tenant.admin.accessToken, body: { allowed_origins: [SITE] } })).statusCode, 200);
    const key = await widgetKey(tenant);
    const refused = await t.request('PUT', '/api/v1/chats/widget/feedback', { headers: { ...headers(key, 'visitor_x_1'), origin: 'https://evil.example' }, body });
    assert.equal(refused.statusCode, 403, refused.body);
    const preflight = await t.request('OPTIONS', '/api/v1/chats/widget/feedback', { headers: { origin: SITE, 'access-control-request-method': 'PUT' } });
    assert.equal(preflight.statusCode, 204);
    assert.match(String(preflight.headers['access-control-allow-methods']), /\bPUT\b/);
  });

  const invalid: Array<[string, Record<string, unknown>, string, RegExp, RegExp]> = [
    ['an unknown rating', { rating: 'meh' }, 'rating', /must be up or down/, /up か down（取り消すときは null）/],
    ['no rating at all', { rating: undefined }, 'rating', /must be up or down/, /up か down（取り消すときは null）/],
    ['a comment of 2001 characters', { rating: 'down', comment: 'あ'.repeat(2001) }, 'comment', /at most 2000/, /2000 文字以内/],
    ['a conversation id that is not a UUID', { conversation_id: 'abc', rating: 'up' }, 'conversation_id', /must be a UUID/, /UUID の形式/],
    ['a message id that is not a UUID', { message_id: 42, rating: 'up' }, 'message_id', /must be a UUID/, /UUID の形式/],
    ['an unknown field', { rating: 'up', rated_by: 'someone' }, 'body', /unknown field.*rated_by/, /不明な項目です: rated_by/],
  ];
  for (const [name, change, field, english, japanese] of invalid) {
    test(`refuses ${name}: 422 on ${field}, in Japanese and in English`, async () => {
      const answer = await ask(keyA, 'visitor_val_1', '年次有給休暇は何日付与されますか？');
      const body = { conversation_id: answer.conversation_id, message_id: answer.message_id, ...change };
      for (const [language, wording] of [['ja', japanese], ['en', english]] as const) {
        const error = expectError(await rate(keyA, 'visitor_val_1', body, language), 422, 'VALIDATION_ERROR');
        const problem = error.errors?.find((e) => e.field === field);
        assert.ok(problem, `${language}: ${JSON.stringify(error)}`);
        assert.match(problem.message, wording, `${language}: ${JSON.stringify(error)}`);
      }
      assert.equal((await answerIn(answer)).feedback, null);
    });
  }
});
