// Issue 17 end to end, as a tenant lives it: a website visitor asks what the documents do not hold
// and asks for a person; the question waits in the inbox; an ADMIN answers it; the same question is
// then answered with that answer, cited. The tenant's own server (a receiver on loopback) got every
// event on the way, each signed, and checks the signatures itself.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../test/harness.js';
import { uploadAndProcess } from '../../test/upload.js';
import type { ChatResponse } from '../chat/chat.schemas.js';
import { workRulesJa } from '../retrieval/test-support/documents.js';
import { startWebhookReceiver, type ReceivedRequest, type WebhookReceiver } from '../webhooks/test-support/webhook-receiver.js';
import { verifyWebhookSignature } from '../webhooks/webhook-signature.js';

let t: TestApp;
let receiver: WebhookReceiver;
let secret: string;
let widgetKey: string;
before(async () => {
  receiver = await startWebhookReceiver();
  t = await buildTestApp({ webhooks: { timeoutMs: 3000, retryDelaysSeconds: [1, 1] } });
});
after(async () => {
  await t?.close();
  await receiver?.close();
});

const VISITOR = { 'x-visitor-id': 'visitor-loop-1' };
const QUESTION = '社長の好きな食べ物は何ですか？';
const ANSWER = '社長の好物はカレーライスです。社内報 2026 年 4 月号で紹介しました。';

async function askWidget(query: string, sessionId?: string): Promise<ChatResponse> {
  const res = await t.request('POST', '/api/v1/chats/widget/chat', { headers: { 'x-api-key': widgetKey, ...VISITOR }, body: { query, ...(sessionId ? { session_id: sessionId } : {}) } });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}

/** What the tenant's server does with each request: check the signature over the raw bytes, then read it. */
async function eventOf(type: string): Promise<{ id: string; type: string; data: Record<string, any> }> {
  const [request] = await receiver.waitFor(1, (r: ReceivedRequest) => r.headers['shiori-event'] === type, 20_000);
  assert.equal(verifyWebhookSignature(secret, String(request!.headers['shiori-signature']), request!.rawBody), true, `${type}: the signature checks out`);
  assert.equal(verifyWebhookSignature(secret, String(request!.headers['shiori-signature']), request!.rawBody.replace('}', ' }')), false, `${type}: a changed body does not`);
  const body = JSON.parse(request!.rawBody);
  assert.equal(body.type, type);
  assert.equal(body.tenant_id, t.a.id);
  return body;
}

test('a visitor’s unanswered question → the inbox → an ADMIN answers it → the same question is answered with it, cited; every step reached the tenant’s server signed', async () => {
  const admin = t.a.admin.accessToken;
  const created = await t.request('POST', '/api/v1/webhooks', {
    token: admin,
    body: { url: receiver.url('loop'), description: 'サポートチームへの通知', events: ['document.completed', 'inbox.item_created', 'handoff.requested', 'answer.rated_down'] },
  });
  assert.equal(created.statusCode, 201, created.body);
  secret = created.json().secret;

  // The company's documents, and a way to reach a person.
  const { id: documentId } = await uploadAndProcess(t, admin, '就業規則.txt', workRulesJa);
  assert.equal((await eventOf('document.completed')).data.document.id, documentId);
  const route = await t.request('PATCH', `/api/v1/tenants/${t.a.id}`, { token: admin, body: { widget: { contact_route: { kind: 'email', target: 'support@shiori-shoji.example' } } } });
  assert.equal(route.statusCode, 200, route.body);
  widgetKey = (await t.request('GET', `/api/v1/tenants/${t.a.id}/embed-snippet`, { token: admin })).json().api_key;

  // The visitor: one question the rules answer, then one they do not hold.
  const known = await askWidget('年次有給休暇は何日もらえますか？');
  assert.match(known.answer, /10日/);
  assert.notEqual(known.metadata.confidence.level, 'none');
  const unknown = await askWidget(QUESTION, known.conversation_id);
  assert.equal(unknown.metadata.confidence.level, 'none');
  assert.deepEqual(unknown.sources, []);
  assert.equal(unknown.metadata.handoff?.reason, 'not_found', 'the widget offers a person');

  const itemCreated = await eventOf('inbox.item_created');
  assert.equal(itemCreated.data.question, QUESTION);
  assert.deepEqual(itemCreated.data.channels, ['widget']);

  // The visitor takes the offer.
  const handed = await t.request('POST', '/api/v1/chats/widget/handoff', { headers: { 'x-api-key': widgetKey, ...VISITOR }, body: { conversation_id: unknown.conversation_id, contact: 'visitor@example.jp' } });
  assert.equal(handed.statusCode, 200, handed.body);
  assert.match(handed.json().route.href, /^mailto:support@shiori-shoji\.example/);
  const handoff = await eventOf('handoff.requested');
  assert.equal(handoff.data.conversation_id, unknown.conversation_id);
  assert.equal(handoff.data.question, QUESTION);

  // The support team's morning: one item, from the widget, unanswered and handed off.
  const list = await t.request('GET', '/api/v1/inbox', { token: t.a.operator.accessToken });
  assert.equal(list.statusCode, 200, list.body);
  const items = list.json().items as Array<{ id: string; question: string; count: number; channels: string[]; reasons: string[] }>;
  const item = items.find((i) => i.question === QUESTION);
  assert.ok(item, JSON.stringify(items));
  assert.equal(items.filter((i) => i.question !== QUESTION).length, 0, 'the answered question is not in the inbox');
  assert.deepEqual(item.channels, ['widget']);
  assert.deepEqual(new Set(item.reasons), new Set(['unanswered', 'handoff']));

  const answered = await t.request('POST', `/api/v1/inbox/${item.id}/answer`, { token: admin, body: { answer: ANSWER } });
  assert.equal(answered.statusCode, 200, answered.body);
  assert.equal(answered.json().status, 'resolved');
  const faqId: string = answered.json().faq_id;

  // The same visitor asks again, in a new conversation: the ADMIN's answer, word for word, cited as the FAQ entry.
  const again = await askWidget(QUESTION);
  assert.equal(again.answer, ANSWER);
  assert.deepEqual(
    again.sources.map((s) => [s.kind, s.file_id]),
    [['faq', faqId]],
  );
  assert.equal(again.metadata.handoff, undefined, 'answered: no offer of a person');
  const resolved = (await t.request('GET', '/api/v1/inbox?status=resolved', { token: admin })).json().items;
  assert.equal(resolved.find((i: { id: string }) => i.id === item.id)?.count, item.count, 'answered now: the item does not come back');

  // Reviewing the transcript later, the operator finds the first answer unhelpful: the team hears of that too.
  const rated = await t.request('PUT', `/api/v1/conversations/${known.conversation_id}/messages/${known.message_id}/feedback`, {
    token: t.a.operator.accessToken,
    body: { rating: 'down', comment: '勤続年数による日数の違いも知りたい' },
  });
  assert.equal(rated.statusCode, 200, rated.body);
  const ratedDown = await eventOf('answer.rated_down');
  assert.equal(ratedDown.data.message_id, known.message_id);
  assert.equal(ratedDown.data.comment, '勤続年数による日数の違いも知りたい');

  const ids = receiver.received.filter((r) => r.path === '/hooks/loop').map((r) => JSON.parse(r.rawBody).id);
  assert.equal(new Set(ids).size, ids.length, 'each event once, with its own id');
});
