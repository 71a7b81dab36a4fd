import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, expectError, type TestApp } from '../../test/harness.js';
import { parseSse } from '../../test/sse.js';
import { uploadAndProcess } from '../../test/upload.js';
import { travelPolicyEn, workRulesJa } from '../retrieval/test-support/documents.js';
import type { ChatResponse } from './chat.schemas.js';

// Without a provider key the chat answers extractively (docs/decisions.md D8): these tests need no model.
let t: TestApp;
let rulesId: string;
before(async () => {
  t = await buildTestApp();
  rulesId = (await uploadAndProcess(t, t.a.admin.accessToken, '就業規則.txt', workRulesJa)).id;
  await uploadAndProcess(t, t.a.admin.accessToken, 'travel-policy.txt', travelPolicyEn);
});
after(() => t.close());

const ask = (token: string, body: Record<string, unknown>, headers: Record<string, string> = {}) => t.request('POST', '/api/v1/chats/rag', { token, body, headers });
async function askOk(token: string, body: Record<string, unknown>): Promise<ChatResponse> {
  const res = await ask(token, body);
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}

describe('POST /api/v1/chats/rag without a provider (extractive)', () => {
  test('answers a Japanese question with the seed’s fields, quoting and citing the passage that answers it', async () => {
    const body = await askOk(t.a.operator.accessToken, { query: '年次有給休暇は何日付与されますか？' });
    assert.deepEqual(Object.keys(body).sort(), ['answer', 'conversation_id', 'message_id', 'metadata', 'sources']);
    assert.deepEqual(Object.keys(body.metadata).sort(), ['confidence', 'latency_ms', 'model', 'tokens_in', 'tokens_out']);
    assert.equal(body.metadata.model, 'extractive');
    assert.ok(['high', 'medium'].includes(body.metadata.confidence.level), JSON.stringify(body.metadata.confidence));
    assert.equal(body.metadata.tokens_in, 0);
    assert.ok(body.sources.length >= 1 && body.sources.length <= 5);
    const first = body.sources[0]!;
    assert.equal(first.file_id, rulesId);
    assert.equal(first.file_name, '就業規則.txt');
    assert.match(first.chunk_text, /年次有給休暇/);
    assert.equal(first.page, null, 'a TXT file has no pages');
    assert.match(body.answer, /資料の中から/, 'a Japanese question gets a Japanese answer');
    assert.match(body.answer, /10日の年次有給休暇を付与する[^\n]*\[1\]/, 'the quote that answers it, cited [1]');
  });

  test('every citation [n] in the answer is an entry of sources', async () => {
    const body = await askOk(t.a.operator.accessToken, { query: 'How much is the daily meal allowance on business trips?', top_k: 3 });
    const cited = [...body.answer.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
    assert.ok(cited.length >= 1, body.answer);
    for (const n of cited) assert.ok(n >= 1 && n <= body.sources.length, `[${n}] with ${body.sources.length} sources`);
    assert.match(body.answer, /^Here are the passages/, 'an English question gets an English answer');
    assert.match(body.sources[0]!.chunk_text, /60 dollars per day/);
  });

  test('says plainly when the documents hold nothing about the question, with no sources', async () => {
    const body = await askOk(t.a.operator.accessToken, { query: '火星探査機の打ち上げ予定日はいつですか？' });
    assert.deepEqual(body.sources, []);
    assert.match(body.answer, /見つかりませんでした/);
  });

  test('another tenant’s documents are never cited', async () => {
    const body = await askOk(t.b.admin.accessToken, { query: '年次有給休暇は何日付与されますか？' });
    assert.deepEqual(body.sources, []);
  });

  test('model "extractive" is always available; an unknown model is 422 listing what the tenant can use', async () => {
    assert.equal((await askOk(t.a.operator.accessToken, { query: '通勤手当の上限は？', model: 'extractive' })).metadata.model, 'extractive');
    const error = expectError(await ask(t.a.operator.accessToken, { query: '通勤手当の上限は？', model: 'gpt-4' }), 422, 'VALIDATION_ERROR');
    assert.match(error.detail, /gpt-4.*not available.*extractive/);
    assert.equal(error.errors?.[0]?.field, 'model');
  });
});

describe('conversations', () => {
  test('session_id continues a conversation; a new topic is searched on its own', async () => {
    const token = t.a.operator.accessToken;
    const first = await askOk(token, { query: '通勤手当の支給額の上限はいくらですか？' });
    const second = await askOk(token, { query: 'では機密情報の持ち出しについて教えてください', session_id: first.conversation_id });
    assert.equal(second.conversation_id, first.conversation_id);
    const detail = (await t.request('GET', `/api/v1/conversations/${first.conversation_id}`, { token })).json();
    assert.equal(detail.message_count, 4);
    assert.deepEqual(detail.messages.map((m: { role: string }) => m.role), ['user', 'assistant', 'user', 'assistant']);
    assert.equal(detail.messages[2].content, 'では機密情報の持ち出しについて教えてください');
    assert.equal(detail.messages[3].id, second.message_id);
    assert.equal(detail.messages[3].retrieval_query, 'では機密情報の持ち出しについて教えてください', 'a question that names its topic is searched alone');
    assert.match(second.sources[0]!.chunk_text, /機密情報を許可なく/);
    assert.equal(detail.channel, 'api');
    assert.equal(detail.user_id, t.a.operator.id);
  });

  test('an unknown session, another user’s and another tenant’s are all 404', async () => {
    const mine = await askOk(t.a.admin.accessToken, { query: '始業時刻は何時ですか？' });
    for (const [token, id] of [
      [t.a.admin.accessToken, randomUUID()],
      [t.a.operator.accessToken, mine.conversation_id],
      [t.b.admin.accessToken, mine.conversation_id],
    ] as const) {
      expectError(await ask(token, { query: '終業時刻は？', session_id: id }), 404, 'RESOURCE_NOT_FOUND');
    }
    expectError(await t.request('GET', `/api/v1/conversations/${mine.conversation_id}`, { token: t.b.admin.accessToken }), 404, 'RESOURCE_NOT_FOUND');
  });

  test('feedback on an answer: set, filter by it, clear; questions and foreign ids cannot be rated', async () => {
    const tenant = await t.createTenant('feedback');
    const token = tenant.admin.accessToken;
    const liked = await askOk(token, { query: 'first question' });
    const unrated = await askOk(token, { query: 'second question' });
    const url = (c: string, m: string) => `/api/v1/conversations/${c}/messages/${m}/feedback`;
    const res = await t.request('PUT', url(liked.conversation_id, liked.message_id), { token: tenant.operator.accessToken, body: { rating: 'up', comment: ' 助かりました ' } });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().feedback, 'up');
    assert.equal(res.json().feedback_comment, '助かりました');

    const list = async (query: Record<string, string>) => ((await t.request('GET', '/api/v1/conversations', { token, query })).json() as Array<{ id: string }>).map((c) => c.id);
    assert.deepEqual(await list({ feedback: 'up' }), [liked.conversation_id]);
    assert.deepEqual(await list({ feedback: 'down' }), []);
    assert.deepEqual(await list({ feedback: 'none' }), [unrated.conversation_id]);
    assert.deepEqual((await list({})).sort(), [liked.conversation_id, unrated.conversation_id].sort());
    assert.deepEqual((await list({ channel: 'widget' })), []);
    const today = new Date().toISOString().slice(0, 10);
    assert.equal((await list({ start_date: today, end_date: today })).length, 2);
    assert.deepEqual(await list({ end_date: '2020-01-01' }), []);

    // Each list item and the detail count the rated answers, so the log shows which have feedback.
    const second = await askOk(token, { query: 'third question', session_id: liked.conversation_id });
    assert.equal((await t.request('PUT', url(liked.conversation_id, second.message_id), { token, body: { rating: 'down' } })).statusCode, 200);
    const counts = async () =>
      ((await t.request('GET', '/api/v1/conversations', { token })).json() as Array<{ id: string; feedback_up: number; feedback_down: number }>).map(({ id, feedback_up, feedback_down }) => ({ id, feedback_up, feedback_down }));
    assert.deepEqual(
      (await counts()).sort((a, b) => a.id.localeCompare(b.id)),
      [
        { id: liked.conversation_id, feedback_up: 1, feedback_down: 1 },
        { id: unrated.conversation_id, feedback_up: 0, feedback_down: 0 },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );
    const detail = (await t.request('GET', `/api/v1/conversations/${liked.conversation_id}`, { token })).json();
    assert.deepEqual([detail.feedback_up, detail.feedback_down], [1, 1]);
    assert.equal((await t.request('PUT', url(liked.conversation_id, second.message_id), { token, body: { rating: null } })).statusCode, 200);
    assert.deepEqual((await counts()).find((c) => c.id === liked.conversation_id), { id: liked.conversation_id, feedback_up: 1, feedback_down: 0 });

    const question = detail.messages[0];
    expectError(await t.request('PUT', url(liked.conversation_id, question.id), { token, body: { rating: 'down' } }), 404, 'RESOURCE_NOT_FOUND');
    expectError(await t.request('PUT', url(liked.conversation_id, liked.message_id), { token: t.b.admin.accessToken, body: { rating: 'down' } }), 404, 'RESOURCE_NOT_FOUND');
    const cleared = await t.request('PUT', url(liked.conversation_id, liked.message_id), { token, body: { rating: null } });
    assert.equal(cleared.json().feedback, null);
    assert.equal(cleared.json().feedback_comment, null);
    assert.deepEqual(await list({ feedback: 'any' }), []);
    expectError(await t.request('PUT', url(liked.conversation_id, liked.message_id), { token, body: { rating: 'meh' } }), 422, 'VALIDATION_ERROR');
  });

  test('the OpenAPI document describes the feedback counts of a conversation', async () => {
    const conversation = (await t.request('GET', '/openapi.json')).json().components.schemas.Conversation;
    for (const field of ['feedback_up', 'feedback_down']) {
      assert.equal(conversation.properties[field]?.type, 'integer', field);
      assert.ok(conversation.required.includes(field), `${field} is required`);
    }
  });

  test('the list filters are validated', async () => {
    for (const query of [{ channel: 'email' }, { feedback: 'great' }, { start_date: '2025-13-01' }, { start_date: '2025-02-01', end_date: '2025-01-01' }, { limit: '0' }] as Array<Record<string, string>>) {
      expectError(await t.request('GET', '/api/v1/conversations', { token: t.a.admin.accessToken, query }), 422, 'VALIDATION_ERROR');
    }
  });
});

describe('request validation (docs/decisions.md C9)', () => {
  const valid = { query: '有給休暇' };
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['a missing query', { query: undefined }, 'query'],
    ['an empty query', { query: '   ' }, 'query'],
    ['a query over 1000 characters', { query: 'あ'.repeat(1001) }, 'query'],
    ['top_k 0', { top_k: 0 }, 'top_k'],
    ['top_k 21', { top_k: 21 }, 'top_k'],
    ['top_k 2.5', { top_k: 2.5 }, 'top_k'],
    ['temperature -0.1', { temperature: -0.1 }, 'temperature'],
    ['temperature 2.1', { temperature: 2.1 }, 'temperature'],
    ['max_tokens 0', { max_tokens: 0 }, 'max_tokens'],
    ['max_tokens 100000', { max_tokens: 100_000 }, 'max_tokens'],
    ['a session_id that is not a UUID', { session_id: 'abc' }, 'session_id'],
    ['an unknown field', { stream: true }, 'body'],
  ];
  for (const [name, change, field] of cases) {
    test(`refuses ${name} (422 naming ${field})`, async () => {
      const body = expectError(await ask(t.a.operator.accessToken, { ...valid, ...change }), 422, 'VALIDATION_ERROR');
      assert.ok(body.errors?.some((e) => e.field === field), JSON.stringify(body));
    });
  }

  test('a 1000-character query is accepted', async () => {
    assert.equal((await ask(t.a.operator.accessToken, { query: 'あ'.repeat(1000) })).statusCode, 200);
  });

  test('without a token: 401', async () => {
    expectError(await ask('', valid), 401, 'AUTHENTICATION_ERROR');
  });
});

describe('streaming (Accept: text/event-stream)', () => {
  test('deltas, then sources, then metadata, then done — and the deltas join into the stored answer', async () => {
    const res = await ask(t.a.operator.accessToken, { query: '通勤手当の上限はいくらですか？' }, { accept: 'text/event-stream' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/event-stream/);
    assert.equal(res.headers['cache-control'], 'no-store, no-transform');
    assert.ok(res.headers['x-request-id']);
    const events = parseSse(res.body);
    const order = events.map((e) => e.event);
    const firstOther = order.findIndex((e) => e !== 'delta');
    assert.ok(firstOther >= 1, 'at least one delta first');
    assert.deepEqual(order.slice(firstOther), ['sources', 'metadata', 'done']);
    const answer = events.filter((e) => e.event === 'delta').map((e) => e.data.text).join('');
    const { sources } = events[firstOther]!.data;
    const { conversation_id, message_id, metadata } = events[firstOther + 1]!.data;
    assert.match(sources[0].chunk_text, /通勤手当/);
    assert.equal(metadata.model, 'extractive');
    const stored = (await t.request('GET', `/api/v1/conversations/${conversation_id}`, { token: t.a.operator.accessToken })).json();
    assert.equal(stored.messages[1].id, message_id);
    assert.equal(stored.messages[1].content, answer);
  });

  test('a refused request is a plain HTTP error even when a stream was asked for', async () => {
    const res = await ask(t.a.operator.accessToken, { query: '' }, { accept: 'text/event-stream' });
    expectError(res, 422, 'VALIDATION_ERROR');
    expectError(await ask(t.a.operator.accessToken, { query: 'x', session_id: randomUUID() }, { accept: 'text/event-stream' }), 404, 'RESOURCE_NOT_FOUND');
  });
});

test('docs/decisions.md C10: 60 chat requests a minute per user — the 61st is 429 with Retry-After, and other users are not affected', async () => {
  const limited = await buildTestApp({ rateLimits: { chatPerMinute: 60 } });
  try {
    const send = (token: string) => limited.request('POST', '/api/v1/chats/rag', { token, body: { query: 'x' } });
    for (let i = 0; i < 60; i += 1) assert.equal((await send(limited.a.operator.accessToken)).statusCode, 200);
    const refused = await send(limited.a.operator.accessToken);
    expectError(refused, 429, 'RATE_LIMIT_EXCEEDED');
    assert.ok(Number(refused.headers['retry-after']) >= 1);
    assert.equal((await send(limited.a.admin.accessToken)).statusCode, 200, 'the limit is per user, not per address');
  } finally {
    await limited.close();
  }
});
