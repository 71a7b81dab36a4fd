import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { conversations } from '../../db/schema.js';
import { buildTestApp, type TestApp } from '../../test/harness.js';
import { widgetSettingsOf } from '../tenants/widget-settings.js';
import { createHandoffService, type HandoffRequested } from './handoff.service.js';

// The hook the integrator connects to the inbox and the `handoff.requested` webhook: called once
// each time a conversation becomes requested, with the question, channel and time — on the real database.

let t: TestApp;
before(async () => {
  t = await buildTestApp();
});
after(() => t?.close());

test('onHandoffRequested: once per request (not for a repeated click), again after a close', async () => {
  const calls: Array<[string, HandoffRequested]> = [];
  let now = new Date('2026-12-07T01:00:00Z');
  const service = createHandoffService({ db: t.app.database.db, now: () => now, onHandoffRequested: (tenantId, event) => void calls.push([tenantId, event]) });

  const key = (await t.request('GET', `/api/v1/tenants/${t.a.id}/embed-snippet`, { token: t.a.admin.accessToken })).json().api_key;
  const asked = (await t.request('POST', '/api/v1/chats/widget/chat', { headers: { 'x-api-key': key, 'x-visitor-id': 'visitor_hook_1' }, body: { query: '駐車場はありますか？' } })).json();
  const widget = { ...widgetSettingsOf({ embedding_model: 'x', llm_model: 'y' }), contact_route: { kind: 'url' as const, target: 'https://a.example/contact', label: null, hours: null, time_zone: 'Asia/Tokyo' } };
  const visitor = { tenantId: t.a.id, visitorId: 'visitor_hook_1', widget };

  await service.request(visitor, { conversation_id: asked.conversation_id }, 'ja');
  await service.request(visitor, { conversation_id: asked.conversation_id, message: 'again' }, 'ja');
  assert.deepEqual(calls, [[t.a.id, { conversationId: asked.conversation_id, question: '駐車場はありますか？', channel: 'widget', requestedAt: now }]]);

  const operator = { userId: t.a.operator.id, tenantId: t.a.id, role: 'OPERATOR' as const, sessionId: 'test', via: 'bearer' as const };
  await service.update(operator, asked.conversation_id, { status: 'closed' });
  now = new Date('2026-12-08T01:00:00Z');
  await service.request(visitor, { conversation_id: asked.conversation_id }, 'ja');
  assert.equal(calls.length, 2);
  assert.deepEqual(calls[1]![1].requestedAt, now);

  await assert.rejects(service.request({ ...visitor, tenantId: t.b.id }, { conversation_id: asked.conversation_id }, 'ja'), /not found/);
  assert.equal(calls.length, 2, 'another tenant’s attempt calls nothing');
});

test('the hook runs in the marking transaction: what it writes with `tx` is seen there, and if it fails nothing is marked', async () => {
  const key = (await t.request('GET', `/api/v1/tenants/${t.a.id}/embed-snippet`, { token: t.a.admin.accessToken })).json().api_key;
  const asked = (await t.request('POST', '/api/v1/chats/widget/chat', { headers: { 'x-api-key': key, 'x-visitor-id': 'visitor_hook_2' }, body: { query: '駐車場はありますか？' } })).json();
  const widget = { ...widgetSettingsOf({ embedding_model: 'x', llm_model: 'y' }), contact_route: { kind: 'url' as const, target: 'https://a.example/contact', label: null, hours: null, time_zone: 'Asia/Tokyo' } };
  const visitor = { tenantId: t.a.id, visitorId: 'visitor_hook_2', widget };
  const failing = createHandoffService({
    db: t.app.database.db,
    now: () => new Date(),
    onHandoffRequested: async (_tenantId, event, tx) => {
      const seen = await tx.select({ status: conversations.handoffStatus }).from(conversations).where(eq(conversations.id, event.conversationId));
      assert.equal(seen[0]?.status, 'requested', 'the mark is visible inside the transaction');
      throw new Error('the webhook could not be queued');
    },
  });
  await assert.rejects(failing.request(visitor, { conversation_id: asked.conversation_id }, 'en'), /could not be queued/);
  const detail = (await t.request('GET', `/api/v1/conversations/${asked.conversation_id}`, { token: t.a.admin.accessToken })).json();
  assert.equal(detail.handoff, null, 'rolled back with the failed hook');
});
