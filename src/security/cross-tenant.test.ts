/**
 * Tenant isolation (docs/decisions.md D12), swept over every route of /openapi.json: tenant A's ADMIN —
 * by bearer token, by browser cookie session, and by A's widget key — aims at tenant B's real ids
 * and gets 404 in the error shape, never B's data; A's listings, searches and answers never contain
 * B's ids or B's marker; and afterwards every object of B reads exactly as before.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startFakeOpenAI, type FakeOpenAI } from '../test/fake-openai.js';
import { buildTestApp, type TestApp } from '../test/harness.js';
import { bearer, cookieSession, credentialFor, describeResponse, errorShapeProblem, send, widgetKey, widgetKeyOf, type Credential } from './test-support/callers.js';
import { assertCovered, fillPath, readApiRoutes, type ApiRoute } from './test-support/openapi-routes.js';
import { leakedSecrets, seedTenantB, type SeededTenant } from './test-support/seed-tenant-b.js';

type Params = Record<string, string>;
/** A's own ids, for the mixed cases (A's conversation with B's message and the reverse). */
interface OwnIds {
  conversationId: string;
  messageId: string;
}

interface SweepEntry {
  /** B's ids for the path parameters: one call per entry (seeded in test-support/seed-tenant-b.ts). */
  targets(b: SeededTenant, a: OwnIds): Params[];
  /** A body that would succeed on A's own object, so only the ownership check can refuse it. */
  body?: unknown;
}

/**
 * Every route with a path parameter, and where B's id for it comes from. A route that /openapi.json
 * gains is missing here, and the first test fails until it is added.
 */
const idRoutes: Record<string, SweepEntry> = {
  'PATCH /api/v1/users/{id}': { targets: (b) => [b.operatorId, b.adminId, b.memberId].map((id) => ({ id })), body: { role: 'ADMIN', is_active: false } },
  'POST /api/v1/users/{id}/2fa/reset': { targets: (b) => [b.operatorId, b.adminId, b.memberId].map((id) => ({ id })) },
  'DELETE /api/v1/invitations/{id}': { targets: (b) => [{ id: b.invitationId }] },
  'GET /api/v1/faq/{faq_id}': { targets: (b) => [{ faq_id: b.faqId }] },
  'PATCH /api/v1/faq/{faq_id}': { targets: (b) => [{ faq_id: b.faqId }], body: { answer: 'Taken over' } },
  'DELETE /api/v1/faq/{faq_id}': { targets: (b) => [{ faq_id: b.faqId }] },
  'GET /api/v1/contents/{file_id}': { targets: (b) => [{ file_id: b.documentId }] },
  'GET /api/v1/contents/{file_id}/file': { targets: (b) => [{ file_id: b.documentId }] },
  'DELETE /api/v1/contents/{file_id}': { targets: (b) => [{ file_id: b.documentId }] },
  'PATCH /api/v1/contents/{file_id}': { targets: (b) => [{ file_id: b.documentId }], body: { title: 'Taken over', tags: ['taken'] } },
  'GET /api/v1/contents/{file_id}/pages': { targets: (b) => [{ file_id: b.documentId }] },
  'GET /api/v1/contents/{file_id}/chunks': { targets: (b) => [{ file_id: b.documentId }] },
  'POST /api/v1/contents/{file_id}/reprocess': { targets: (b) => [{ file_id: b.documentId }] },
  'GET /api/v1/sources/websites/{website_id}': { targets: (b) => [{ website_id: b.websiteId }] },
  'PATCH /api/v1/sources/websites/{website_id}': { targets: (b) => [{ website_id: b.websiteId }], body: { sync_interval_hours: 1 } },
  'DELETE /api/v1/sources/websites/{website_id}': { targets: (b) => [{ website_id: b.websiteId }] },
  'POST /api/v1/sources/websites/{website_id}/sync': { targets: (b) => [{ website_id: b.websiteId }] },
  'GET /api/v1/sources/websites/{website_id}/pages': { targets: (b) => [{ website_id: b.websiteId }] },
  'GET /api/v1/tenants/{tenant_id}': { targets: (b) => [{ tenant_id: b.tenantId }] },
  'PATCH /api/v1/tenants/{tenant_id}': { targets: (b) => [{ tenant_id: b.tenantId }], body: { name: 'Taken over', allowed_origins: ['https://evil.example'], widget: { title: 'Taken' } } },
  'GET /api/v1/tenants/{tenant_id}/embed-snippet': { targets: (b) => [{ tenant_id: b.tenantId }] },
  'POST /api/v1/tenants/{tenant_id}/widget-key/rotate': { targets: (b) => [{ tenant_id: b.tenantId }] },
  'GET /api/v1/conversations/{conversation_id}': { targets: (b) => [{ conversation_id: b.conversationId }, { conversation_id: b.widgetConversationId }] },
  'PUT /api/v1/conversations/{conversation_id}/messages/{message_id}/feedback': {
    targets: (b, a) => [
      { conversation_id: b.conversationId, message_id: b.messageIds[1] },
      { conversation_id: a.conversationId, message_id: b.messageIds[1] },
      { conversation_id: b.conversationId, message_id: a.messageId },
    ],
    body: { rating: 'up', comment: 'rated by tenant A' },
  },
  'PATCH /api/v1/conversations/{conversation_id}/handoff': {
    targets: (b) => [{ conversation_id: b.widgetConversationId }, { conversation_id: b.conversationId }],
    body: { note: 'noted by tenant A', status: 'closed' },
  },
  'GET /api/v1/inbox/{item_id}': { targets: (b) => [{ item_id: b.inboxItemId }] },
  'POST /api/v1/inbox/{item_id}/answer': { targets: (b) => [{ item_id: b.inboxItemId }], body: { answer: 'Taken over' } },
  'POST /api/v1/inbox/{item_id}/resolve': { targets: (b) => [{ item_id: b.inboxItemId }] },
  'POST /api/v1/inbox/{item_id}/ignore': { targets: (b) => [{ item_id: b.inboxItemId }] },
  'POST /api/v1/inbox/{item_id}/reopen': { targets: (b) => [{ item_id: b.inboxItemId }] },
  'POST /api/v1/inbox/{item_id}/reask': { targets: (b) => [{ item_id: b.inboxItemId }] },
  'DELETE /api/v1/api-keys/{api_key_id}': { targets: (b) => [{ api_key_id: b.apiKeyId }] },
  'GET /api/v1/webhooks/{webhook_id}': { targets: (b) => [{ webhook_id: b.webhookId }] },
  'PATCH /api/v1/webhooks/{webhook_id}': { targets: (b) => [{ webhook_id: b.webhookId }], body: { url: 'https://evil.example/hook', events: ['answer.rated_down'], enabled: false } },
  'DELETE /api/v1/webhooks/{webhook_id}': { targets: (b) => [{ webhook_id: b.webhookId }] },
  'POST /api/v1/webhooks/{webhook_id}/rotate-secret': { targets: (b) => [{ webhook_id: b.webhookId }] },
  'POST /api/v1/webhooks/{webhook_id}/test': { targets: (b) => [{ webhook_id: b.webhookId }] },
  'GET /api/v1/webhooks/{webhook_id}/deliveries': { targets: (b) => [{ webhook_id: b.webhookId }] },
  // A visitor's link to one of B's files that B did not sign (only B's answers carry signed links).
  'GET /api/v1/chats/widget/files/{link}': { targets: (b) => [{ link: `${shortId(b.tenantId)}.${shortId(b.documentId)}.zzzzzz.${'A'.repeat(22)}` }] },
};

/** A UUID as a widget file link writes it (src/modules/widget/file-links.ts). */
const shortId = (uuid: string) => Buffer.from(uuid.replaceAll('-', ''), 'hex').toString('base64url');

/** Listing routes whose query can be aimed at B's data too (every listing is also called without a query). */
const listingQueries: Record<string, (b: SeededTenant) => Params> = {
  'GET /api/v1/contents': (b) => ({ search: b.marker }),
  'GET /api/v1/faq': (b) => ({ search: b.marker }),
  'GET /api/v1/conversations': () => ({ channel: 'widget', handoff: 'any' }),
  'GET /api/v1/stats/usage': () => ({ granularity: 'month' }),
};

/** B's own listings that must show B's data: proof that the marker is there to be leaked. */
const listingControls = ['GET /api/v1/contents', 'GET /api/v1/faq', 'GET /api/v1/faq/export', 'GET /api/v1/sources/websites', 'GET /api/v1/conversations', 'GET /api/v1/users', 'GET /api/v1/invitations', 'GET /api/v1/api-keys', 'GET /api/v1/webhooks', 'GET /api/v1/stats/usage', 'GET /api/v1/chats/widget/config'];

/** GETs whose answer changes on every call by design: left out of B's before/after snapshot. */
const volatileReads = new Set(['GET /api/signup-tfa/']);

let openai: FakeOpenAI;
let t: TestApp;
let routes: ApiRoute[];
let b: SeededTenant;
let own: OwnIds;
let aCredentials: Credential[];
let aWidget: Credential;
let bSnapshotBefore: Map<string, string>;
let bOwnSearch: string;
const counts = { idCalls: 0, widgetKeyOnUserRoutes: 0, listings: 0, listingControls: 0, retrievals: 0, sessionProbes: 0, snapshotReads: 0 };

before(async () => {
  openai = await startFakeOpenAI();
  t = await buildTestApp();
  routes = await readApiRoutes(t);
  b = await seedTenantB(t, openai.baseUrl);
  const mine = await t.request('POST', '/api/v1/chats/rag', { token: t.a.admin.accessToken, body: { query: 'What is on the menu today?' } });
  assert.equal(mine.statusCode, 200, mine.body);
  own = { conversationId: mine.json().conversation_id, messageId: mine.json().message_id };
  aCredentials = [bearer(t.a.admin), await cookieSession(t, t.a.admin)];
  aWidget = widgetKey(await widgetKeyOf(t, t.a), 'widget key of A');
  // B's own search, the control for A's: made before the snapshot, since B's searches are B's usage.
  bOwnSearch = (await send(t, 'POST', '/api/v1/search', bearer(t.b.admin), { body: { query: b.topic, min_score: 0 } })).body;
  bSnapshotBefore = await snapshotOfB();
});
after(async () => {
  await t.close();
  await openai.close();
});

/** Every GET B can make about itself (its ids' routes and its listings), as B's ADMIN sees them. */
async function snapshotOfB(): Promise<Map<string, string>> {
  const snapshot = new Map<string, string>();
  const bAdmin = bearer(t.b.admin);
  // A route missing from the sweep table is left out here; the coverage test names it.
  for (const route of routes.filter((r) => r.method === 'GET' && r.auth === 'user' && !volatileReads.has(r.key) && (!r.pathParams.length || idRoutes[r.key]))) {
    const targets = route.pathParams.length ? idRoutes[route.key]!.targets(b, own) : [{}];
    for (const params of targets) {
      const url = fillPath(route.path, params);
      const res = await send(t, 'GET', url, bAdmin);
      assert.equal(res.statusCode, 200, `B reading its own ${url}: ${describeResponse(res)}`);
      snapshot.set(url, res.body);
      counts.snapshotReads++;
    }
  }
  const config = await send(t, 'GET', '/api/v1/chats/widget/config', widgetKey(b.widgetKey));
  assert.equal(config.statusCode, 200, config.body);
  snapshot.set('widget config with B’s key', config.body);
  return snapshot;
}

const idRouteList = () => routes.filter((r) => r.pathParams.length > 0);

describe('cross-tenant sweep over /openapi.json', () => {
  test('every route with a path parameter is in the sweep table', () => {
    assert.ok(idRouteList().length >= 10, `only ${idRouteList().length} routes with ids: is /openapi.json read right?`);
    assertCovered(idRouteList(), idRoutes, 'routes with path parameters', "Add each to `idRoutes` in src/security/cross-tenant.test.ts, saying where tenant B's id for it comes from (seed it in test-support/seed-tenant-b.ts if B has no such object yet).");
  });

  test("A's ADMIN (bearer and cookie session) on each of B's ids → 404 in the error shape, nothing of B", async (ctx) => {
    for (const route of idRouteList()) {
      const entry = idRoutes[route.key]!;
      for (const params of entry.targets(b, own)) {
        const url = fillPath(route.path, params);
        for (const credential of aCredentials) {
          const res = await send(t, route.method, url, credential, entry.body === undefined ? {} : { body: entry.body });
          const where = `${route.method} ${url} as ${credential.name}`;
          assert.equal(res.statusCode, 404, `${where}: ${describeResponse(res)}`);
          assert.equal(errorShapeProblem(res), null, where);
          assert.equal(res.json().error_code, 'RESOURCE_NOT_FOUND', where);
          assert.doesNotMatch(res.json().detail, /^No route/, `${where}: the URL does not match the route; the sweep table is wrong`);
          assert.deepEqual(leakedSecrets(res.body, b.secrets), [], `${where} leaked B's data`);
          counts.idCalls++;
        }
      }
    }
    ctx.diagnostic(`cases tried: ${counts.idCalls} calls on B's ids (${idRouteList().length} routes × targets × ${aCredentials.length} credentials)`);
  });

  test("A's widget key on the same routes → 401: it opens nothing but the widget chat", async (ctx) => {
    // A public route takes no key: a signed file link is its own credential, refused above for B's file.
    for (const route of idRouteList().filter((r) => r.auth !== 'public')) {
      const params = idRoutes[route.key]!.targets(b, own)[0]!;
      const res = await send(t, route.method, fillPath(route.path, params), aWidget, idRoutes[route.key]!.body === undefined ? {} : { body: idRoutes[route.key]!.body });
      assert.equal(res.statusCode, 401, `${route.key}: ${describeResponse(res)}`);
      assert.equal(errorShapeProblem(res), null, route.key);
      assert.deepEqual(leakedSecrets(res.body, b.secrets), [], route.key);
      counts.widgetKeyOnUserRoutes++;
    }
    ctx.diagnostic(`cases tried: ${counts.widgetKeyOnUserRoutes}`);
  });

  test("every listing (a GET without ids), as A, holds none of B's ids or its marker", async (ctx) => {
    const listings = routes.filter((r) => r.method === 'GET' && r.pathParams.length === 0);
    assert.ok(listings.length >= 10, `only ${listings.length} listings`);
    for (const route of listings) {
      const credentials = route.auth === 'public' ? [undefined] : route.auth === 'widget' ? [aWidget] : aCredentials;
      const queries = [{}, ...(listingQueries[route.key] ? [listingQueries[route.key]!(b)] : [])];
      for (const credential of credentials) {
        for (const query of queries) {
          const res = await send(t, 'GET', route.path, credential, { query });
          const where = `${route.key}?${new URLSearchParams(query)} as ${credential?.name ?? 'anonymous'}`;
          assert.equal(res.statusCode, 200, `${where}: ${describeResponse(res)}`);
          assert.deepEqual(leakedSecrets(res.body, b.secrets), [], `${where} leaked B's data: ${res.body.slice(0, 500)}`);
          counts.listings++;
        }
      }
    }
    ctx.diagnostic(`cases tried: ${counts.listings} listing calls over ${listings.length} routes`);
  });

  test("the same listings as B's own ADMIN do show B's marker (the check above can fail)", async () => {
    for (const key of listingControls) {
      const route = routes.find((r) => r.key === key);
      assert.ok(route, `${key} is no longer in /openapi.json: update listingControls`);
      const credential = credentialFor(route.auth, { user: bearer(t.b.admin), widget: widgetKey(b.widgetKey) });
      const res = await send(t, 'GET', route.path, credential, { query: listingQueries[key]?.(b) ?? {} });
      assert.equal(res.statusCode, 200, `${key}: ${describeResponse(res)}`);
      assert.ok(leakedSecrets(res.body, b.secrets).length > 0, `${key} as B shows nothing of B: the seed or the control is wrong: ${res.body.slice(0, 300)}`);
      counts.listingControls++;
    }
  });

  test("A's searches and answers never draw on B's documents", async (ctx) => {
    const probes: Array<[string, string, Credential[], unknown]> = [
      ['POST', '/api/v1/search', aCredentials, { query: b.topic, min_score: 0 }],
      ['POST', '/api/v1/search', aCredentials, { query: b.marker, min_score: 0 }],
      ['POST', '/api/v1/search', aCredentials, { query: b.topic, file_ids: [b.documentId], min_score: 0 }],
      ['POST', '/api/v1/chats/rag', aCredentials, { query: b.topic, model: 'extractive' }],
      // B's FAQ question word for word: A has no such entry, so nothing may answer it verbatim.
      ['POST', '/api/v1/chats/rag', aCredentials, { query: `When does the ${b.marker} lighthouse keeper rest?`, model: 'extractive' }],
      ['POST', '/api/v1/chats/widget/chat', [aWidget], { query: `When does the ${b.marker} lighthouse keeper rest?`, model: 'extractive' }],
      ['POST', '/api/v1/chats/widget/chat', [aWidget], { query: b.topic, model: 'extractive' }],
    ];
    for (const [method, url, credentials, body] of probes) {
      for (const credential of credentials) {
        const res = await send(t, method, url, credential, { body });
        const where = `${method} ${url} ${JSON.stringify(body)} as ${credential.name}`;
        assert.ok(res.statusCode === 200 || res.statusCode === 404, `${where}: ${describeResponse(res)}`);
        // The search echoes the question it was asked: that is A's own text, not B's.
        const { query: _echo, ...answer } = res.json();
        assert.deepEqual(leakedSecrets(JSON.stringify(answer), b.secrets), [], `${where} leaked B's data: ${res.body.slice(0, 500)}`);
        counts.retrievals++;
      }
    }
    assert.ok(leakedSecrets(bOwnSearch, b.secrets).length > 0, `B's own search finds B's document: ${bOwnSearch.slice(0, 300)}`);
    ctx.diagnostic(`cases tried: ${counts.retrievals}`);
  });

  test("A cannot continue B's conversations: widget key with B's visitor and session, or A's user with B's session → 404", async (ctx) => {
    const question = { query: b.topic, model: 'extractive' };
    const probes: Array<[string, Credential, Record<string, string>, string]> = [
      ['/api/v1/chats/widget/chat', aWidget, { 'x-visitor-id': b.widgetVisitorId }, b.widgetConversationId],
      ['/api/v1/chats/widget/chat', aWidget, { 'x-visitor-id': b.widgetVisitorId }, b.conversationId],
      ['/api/v1/chats/widget/chat', aWidget, {}, b.widgetConversationId],
      ...aCredentials.flatMap((c): Array<[string, Credential, Record<string, string>, string]> => [
        ['/api/v1/chats/rag', c, {}, b.conversationId],
        ['/api/v1/chats/rag', c, {}, b.widgetConversationId],
      ]),
    ];
    for (const [url, credential, headers, sessionId] of probes) {
      const res = await send(t, 'POST', url, credential, { body: { ...question, session_id: sessionId }, headers });
      assert.equal(res.statusCode, 404, `${url} as ${credential.name} with B's session: ${describeResponse(res)}`);
      assert.equal(errorShapeProblem(res), null);
      assert.deepEqual(leakedSecrets(res.body, b.secrets), [], url);
      counts.sessionProbes++;
    }
    // Handing B's conversation to a person with A's key (B's visitor id or none) finds nothing either.
    for (const [headers, conversationId] of [[{ 'x-visitor-id': b.widgetVisitorId }, b.widgetConversationId], [{}, b.widgetConversationId], [{ 'x-visitor-id': b.widgetVisitorId }, b.conversationId]] as const) {
      const res = await send(t, 'POST', '/api/v1/chats/widget/handoff', aWidget, { body: { conversation_id: conversationId }, headers });
      assert.equal(res.statusCode, 404, `widget handoff of B's ${conversationId}: ${describeResponse(res)}`);
      assert.deepEqual(leakedSecrets(res.body, b.secrets), [], 'widget handoff');
      counts.sessionProbes++;
    }
    // Rating B's answers with A's key: B's visitor id or none, B's widget or dashboard conversation, or A's own widget conversation with B's answer.
    const aVisitor = { 'x-visitor-id': 'visitor_of_a_1' };
    const aAsked = await send(t, 'POST', '/api/v1/chats/widget/chat', aWidget, { body: { query: 'What is on the menu today?', model: 'extractive' }, headers: aVisitor });
    assert.equal(aAsked.statusCode, 200, aAsked.body);
    const rateProbes: Array<[Record<string, string>, string, string]> = [
      [{ 'x-visitor-id': b.widgetVisitorId }, b.widgetConversationId, b.widgetMessageId],
      [{}, b.widgetConversationId, b.widgetMessageId],
      [{ 'x-visitor-id': b.widgetVisitorId }, b.conversationId, b.messageIds[1]],
      [aVisitor, aAsked.json().conversation_id, b.widgetMessageId],
    ];
    for (const [headers, conversationId, messageId] of rateProbes) {
      const res = await send(t, 'PUT', '/api/v1/chats/widget/feedback', aWidget, { body: { conversation_id: conversationId, message_id: messageId, rating: 'up', comment: 'rated by tenant A' }, headers });
      assert.equal(res.statusCode, 404, `widget feedback on B's ${conversationId}/${messageId}: ${describeResponse(res)}`);
      assert.deepEqual(leakedSecrets(res.body, b.secrets), [], 'widget feedback');
      counts.sessionProbes++;
    }
    ctx.diagnostic(`cases tried: ${counts.sessionProbes}`);
  });

  test("afterwards every object of B reads exactly as before, and B's widget key still works", async (ctx) => {
    const now = await snapshotOfB();
    assert.deepEqual([...now.keys()], [...bSnapshotBefore.keys()]);
    for (const [url, body] of bSnapshotBefore) assert.equal(now.get(url), body, `B's ${url} changed during the sweep`);
    ctx.diagnostic(`B objects compared: ${now.size}`);
  });
});

after(() => {
  console.log(`cross-tenant sweep: count of cases tried ${JSON.stringify(counts)}`);
});
