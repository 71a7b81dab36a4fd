import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, expectError, type TestApp } from '../../test/harness.js';
import { uploadAndProcess } from '../../test/upload.js';
import { travelPolicyEn, workRulesJa } from '../retrieval/test-support/documents.js';
import type { ChatResponse } from '../chat/chat.schemas.js';
import type { InboxItemDetail } from './inbox.schemas.js';

let t: TestApp;
let widgetKey: string;
before(async () => {
  t = await buildTestApp();
  await uploadAndProcess(t, t.a.admin.accessToken, '就業規則.txt', workRulesJa);
  await uploadAndProcess(t, t.a.admin.accessToken, 'travel-policy.txt', travelPolicyEn);
  widgetKey = (await t.request('GET', `/api/v1/tenants/${t.a.id}/embed-snippet`, { token: t.a.admin.accessToken })).json().api_key;
});
after(() => t?.close());

async function ask(query: string, token = t.a.operator.accessToken): Promise<ChatResponse> {
  const res = await t.request('POST', '/api/v1/chats/rag', { token, body: { query } });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}
async function askWidget(query: string): Promise<ChatResponse> {
  const res = await t.request('POST', '/api/v1/chats/widget/chat', { body: { query }, headers: { 'x-api-key': widgetKey, 'x-visitor-id': 'visitor-1' } });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}
interface ListBody {
  items: Array<{ id: string; question: string; count: number; status: string; channels: string[]; reasons: string[]; faq_id: string | null }>;
  total: number;
  counts: Record<string, number>;
}
async function inbox(query = '', token = t.a.operator.accessToken): Promise<ListBody> {
  const res = await t.request('GET', `/api/v1/inbox${query}`, { token });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}
const itemOf = async (question: string, status = 'open') => (await inbox(`?status=${status}`)).items.find((i) => i.question === question);
async function detail(id: string): Promise<InboxItemDetail> {
  const res = await t.request('GET', `/api/v1/inbox/${id}`, { token: t.a.operator.accessToken });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}
const act = (id: string, action: string, token = t.a.operator.accessToken, body?: object) => t.request('POST', `/api/v1/inbox/${id}/${action}`, { token, ...(body ? { body } : {}) });

describe('confidence on every answer', () => {
  test('a question the documents answer is high or medium with its signals; one they do not hold is none; both are stored with the answer', async () => {
    const answered = await ask('年次有給休暇は何日付与されますか？');
    assert.ok(['high', 'medium'].includes(answered.metadata.confidence.level), JSON.stringify(answered.metadata.confidence));
    const signals = answered.metadata.confidence.signals;
    assert.ok(signals.best_score! >= signals.cut && signals.margin! >= 1, JSON.stringify(signals));
    assert.ok(signals.coverage! >= 0.5);
    assert.equal(signals.not_found, false);
    assert.equal(signals.agreement, null, 'full-text only: nothing to agree with');

    const unanswered = await ask('社長の好きな食べ物は何ですか');
    assert.equal(unanswered.metadata.confidence.level, 'none');
    assert.equal(unanswered.metadata.confidence.signals.not_found, true);
    assert.equal(unanswered.metadata.confidence.signals.best_score, null);

    const transcript = await t.request('GET', `/api/v1/conversations/${unanswered.conversation_id}`, { token: t.a.operator.accessToken });
    const [question, answer] = transcript.json().messages;
    assert.equal(question.confidence, null, 'a question has none');
    assert.deepEqual(answer.confidence, unanswered.metadata.confidence);
  });

  test('English too: an answerable question is not none, an unrelated one is', async () => {
    assert.notEqual((await ask('What is the daily meal allowance on business trips?')).metadata.confidence.level, 'none');
    assert.equal((await ask('What is the CEO’s favourite food?')).metadata.confidence.level, 'none');
  });
});

describe('the inbox', () => {
  test('unanswered questions are grouped across wordings (key and shared terms), channels and counts; answered ones stay out', async () => {
    await ask('社長の好きな食べ物は 何ですか?');
    await askWidget('社長の好きな食べ物を教えてください');
    await ask('Which food is the CEO’s favourite?');
    const body = await inbox();
    const ja = body.items.find((i) => i.question === '社長の好きな食べ物は何ですか')!;
    assert.ok(ja, JSON.stringify(body.items));
    assert.equal(ja.count, 3);
    assert.deepEqual([...ja.channels].sort(), ['api', 'widget']);
    assert.deepEqual(ja.reasons, ['unanswered']);
    const en = body.items.find((i) => i.question === 'What is the CEO’s favourite food?')!;
    assert.equal(en.count, 2, 'the English wordings are one item');
    assert.ok(!body.items.some((i) => /有給休暇/.test(i.question)), 'an answered question is not in the inbox');
    assert.equal(body.counts.open, body.total);

    const item = await detail(ja.id);
    assert.deepEqual(new Set(item.phrasings.map((p) => p.question)), new Set(['社長の好きな食べ物は何ですか', '社長の好きな食べ物は 何ですか?', '社長の好きな食べ物を教えてください']));
    assert.equal(item.occurrences.length, 3);
    assert.ok(item.occurrences.every((o) => o.conversation_id && o.reason === 'unanswered' && o.confidence === 'none'));
    const conversation = await t.request('GET', `/api/v1/conversations/${item.occurrences[0]!.conversation_id}`, { token: t.a.operator.accessToken });
    assert.equal(conversation.statusCode, 200, 'the occurrence links to its conversation');
  });

  test('a 👎 on an answer puts it in the inbox once, with the passages found and their scores', async () => {
    const answered = await ask('通勤手当の上限はいくらですか');
    const rate = (rating: string, comment?: string) =>
      t.request('PUT', `/api/v1/conversations/${answered.conversation_id}/messages/${answered.message_id}/feedback`, { token: t.a.operator.accessToken, body: { rating, ...(comment ? { comment } : {}) } });
    assert.equal((await rate('down')).statusCode, 200);
    assert.equal((await rate('down', '金額が古い')).statusCode, 200);
    const item = (await inbox('?reason=downvoted')).items.find((i) => i.question === '通勤手当の上限はいくらですか')!;
    assert.ok(item);
    assert.equal(item.count, 1, 'changing the comment of the same 👎 adds nothing');
    const found = await detail(item.id);
    assert.match(found.passages[0]!.chunk_text, /通勤手当/);
    assert.ok(found.passages[0]!.score > 0);
  });

  test('answer it (ADMIN): an FAQ entry with the other wordings; the item is resolved; the question is then answered by the entry', async () => {
    const item = (await itemOf('社長の好きな食べ物は何ですか'))!;
    expectError(await act(item.id, 'answer', t.a.operator.accessToken, { answer: '社長の好物はカレーです。' }), 403, 'PERMISSION_DENIED');
    const res = await act(item.id, 'answer', t.a.admin.accessToken, { answer: '社長の好物はカレーです。' });
    assert.equal(res.statusCode, 200, res.body);
    const answered: InboxItemDetail = res.json();
    assert.equal(answered.status, 'resolved');
    assert.ok(answered.faq_id);
    const entry = (await t.request('GET', `/api/v1/faq/${answered.faq_id}`, { token: t.a.admin.accessToken })).json();
    assert.equal(entry.question, '社長の好きな食べ物は何ですか');
    assert.deepEqual(new Set(entry.alternatives), new Set(['社長の好きな食べ物は 何ですか?', '社長の好きな食べ物を教えてください']));

    const again = await askWidget('社長の好きな食べ物は何ですか');
    assert.equal(again.metadata.model, 'faq');
    assert.equal(again.answer, '社長の好物はカレーです。');
    assert.deepEqual(again.sources.map((s) => [s.kind, s.file_id]), [['faq', answered.faq_id]], 'cited as the entry');
    assert.equal(again.metadata.confidence.level, 'high');
    assert.equal((await itemOf('社長の好きな食べ物は何ですか', 'resolved'))!.count, 3, 'answered now: nothing recorded');
  });

  test('resolve, then the question fails again: the item is open again and its count goes on; ignored stays ignored', async () => {
    const en = (await itemOf('What is the CEO’s favourite food?'))!;
    const resolved = await act(en.id, 'resolve');
    assert.equal(resolved.statusCode, 200, resolved.body);
    assert.equal(resolved.json().status, 'resolved');
    assert.equal(await itemOf('What is the CEO’s favourite food?'), undefined, 'a resolved item leaves the open list');
    await ask('What is the CEO’s favourite food?');
    const back = (await itemOf('What is the CEO’s favourite food?'))!;
    assert.equal(back.count, 3);
    assert.equal(back.status, 'open');

    assert.equal((await act(en.id, 'ignore')).json().status, 'ignored');
    await ask('Which food is the CEO’s favourite?');
    const ignored = (await itemOf('What is the CEO’s favourite food?', 'ignored'))!;
    assert.equal(ignored.count, 4, 'counted');
    assert.equal(ignored.status, 'ignored', 'and still ignored');
    assert.equal((await act(en.id, 'reopen')).json().status, 'open');
  });

  test('re-ask shows what the bot answers now, with sources and confidence, and stores no conversation', async () => {
    const item = (await itemOf('What is the CEO’s favourite food?'))!;
    const before = (await t.request('GET', '/api/v1/conversations?limit=200', { token: t.a.operator.accessToken })).json().length;
    const res = await act(item.id, 'reask');
    assert.equal(res.statusCode, 200, res.body);
    const now = res.json();
    assert.equal(now.confidence.level, 'none');
    assert.deepEqual(now.sources, []);
    assert.match(now.answer, /do not contain/);
    assert.equal((await t.request('GET', '/api/v1/conversations?limit=200', { token: t.a.operator.accessToken })).json().length, before);
    assert.equal((await itemOf('What is the CEO’s favourite food?'))!.count, item.count, 're-asking is not asking');
  });

  test('validation and errors: unknown ids are 404, bad filters 422, empty answers 422', async () => {
    expectError(await t.request('GET', '/api/v1/inbox/00000000-0000-4000-8000-000000000000', { token: t.a.operator.accessToken }), 404, 'RESOURCE_NOT_FOUND');
    expectError(await t.request('GET', '/api/v1/inbox?status=done', { token: t.a.operator.accessToken }), 422, 'VALIDATION_ERROR');
    const item = (await inbox()).items[0]!;
    expectError(await act(item.id, 'answer', t.a.admin.accessToken, { answer: '  ' }), 422, 'VALIDATION_ERROR');
    expectError(await t.request('GET', '/api/v1/inbox'), 401, 'AUTHENTICATION_ERROR');
  });

  test('another tenant sees none of it', async () => {
    const body = await inbox('', t.b.admin.accessToken);
    assert.equal(body.total, 0);
    const item = (await inbox()).items[0]!;
    expectError(await t.request('GET', `/api/v1/inbox/${item.id}`, { token: t.b.admin.accessToken }), 404, 'RESOURCE_NOT_FOUND');
  });
});

describe('CSV exports', () => {
  const csvOf = (body: Buffer) => {
    assert.deepEqual([...body.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
    return body.subarray(3).toString('utf8');
  };

  test('the inbox as CSV: BOM, CRLF, Japanese intact, headers in the caller’s language', async () => {
    const res = await t.request('GET', '/api/v1/inbox/export.csv', { token: t.a.operator.accessToken, headers: { 'accept-language': 'ja' } });
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-type']), /text\/csv/);
    const text = csvOf(res.rawPayload);
    assert.match(text, /^状態,質問,別の聞き方,回数,初回,最終,チャネル,理由,FAQ ID\r\n/);
    assert.match(text, /解決済み,社長の好きな食べ物は何ですか,/);
    assert.ok(text.endsWith('\r\n'));
    const en = csvOf((await t.request('GET', '/api/v1/inbox/export.csv?status=open', { token: t.a.operator.accessToken, headers: { 'accept-language': 'en' } })).rawPayload);
    assert.match(en, /^status,question,other phrasings,count,first seen,last seen,channels,reasons,FAQ id\r\n/);
    assert.doesNotMatch(en, /社長の好きな食べ物は何ですか/, 'the status filter applies');
  });

  test('conversations as CSV: one row per question and answer, times in the time zone, sources, confidence and rating', async () => {
    const res = await t.request('GET', '/api/v1/conversations/export.csv?time_zone=Asia/Tokyo', { token: t.a.operator.accessToken, headers: { 'accept-language': 'ja' } });
    assert.equal(res.statusCode, 200, res.body);
    const text = csvOf(res.rawPayload);
    assert.match(text, /^日時,チャネル,会話 ID,質問,回答,出典,確信度,評価,コメント\r\n/);
    const commute = text.split('\r\n').find((line) => line.includes('通勤手当の上限はいくらですか'))!;
    assert.ok(commute, text.slice(0, 500));
    assert.match(commute, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,API,/);
    assert.match(commute, /\[1\] 就業規則\.txt/);
    assert.match(commute, /役に立たなかった,金額が古い$/);
    assert.match(text, /ウィジェット,[0-9a-f-]{36},社長の好きな食べ物を教えてください,/);
    const other = await t.request('GET', '/api/v1/conversations/export.csv?start_date=2020-01-01&end_date=2020-01-31', { token: t.a.operator.accessToken, headers: { 'accept-language': 'en' } });
    assert.equal(csvOf(other.rawPayload), 'time,channel,conversation id,question,answer,sources,confidence,rating,comment\r\n', 'a range without answers: the header alone');
    expectError(await t.request('GET', '/api/v1/conversations/export.csv?time_zone=Mars/Base', { token: t.a.operator.accessToken }), 422, 'VALIDATION_ERROR');
    const b = csvOf((await t.request('GET', '/api/v1/conversations/export.csv', { token: t.b.admin.accessToken })).rawPayload);
    assert.doesNotMatch(b, /社長|通勤/, 'another tenant exports none of it');
  });
});
