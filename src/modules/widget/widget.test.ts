import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { tenants } from '../../db/schema.js';
import { sha256 } from '../../lib/hashing.js';
import { buildTestApp, expectError, type TestApp, type TestTenant } from '../../test/harness.js';
import { parseSse } from '../../test/sse.js';
import { uploadAndProcess } from '../../test/upload.js';
import { unlimitedPlanLimits } from '../billing/plan-limits.js';
import { workRulesJa } from '../retrieval/test-support/documents.js';

const SITE = 'https://www.shiori-shoji.example';
let t: TestApp;
let key: string;
before(async () => {
  t = await buildTestApp();
  await uploadAndProcess(t, t.a.admin.accessToken, '就業規則.txt', workRulesJa);
  key = await widgetKey(t, t.a);
});
after(() => t.close());

async function widgetKey(app: TestApp, tenant: TestTenant): Promise<string> {
  const res = await app.request('GET', `/api/v1/tenants/${tenant.id}/embed-snippet`, { token: tenant.operator.accessToken });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().api_key;
}

const widgetChat = (app: TestApp, headers: Record<string, string>, body: Record<string, unknown> = { query: '年次有給休暇は何日ですか？' }) =>
  app.request('POST', '/api/v1/chats/widget/chat', { body, headers });

const setOrigins = (tenant: TestTenant, origins: string[]) => t.request('PATCH', `/api/v1/tenants/${tenant.id}`, { token: tenant.admin.accessToken, body: { allowed_origins: origins } });

describe('embed snippet and key', () => {
  test('the snippet loads widget.js from this server with the tenant’s publishable key', async () => {
    const res = await t.request('GET', `/api/v1/tenants/${t.a.id}/embed-snippet`, { token: t.a.admin.accessToken });
    const body = res.json();
    assert.deepEqual(Object.keys(body).sort(), ['api_key', 'snippet', 'tenant_id']);
    assert.equal(body.tenant_id, t.a.id);
    assert.equal(body.api_key, key, 'the same key every time');
    assert.match(body.api_key, /^wk_[\w-]{32}$/);
    assert.equal(body.snippet, `<script src="${t.publicUrl}/widget.js" data-api-key="${key}" defer></script>`);
  });

  test('another tenant’s snippet is 404', async () => {
    expectError(await t.request('GET', `/api/v1/tenants/${t.b.id}/embed-snippet`, { token: t.a.admin.accessToken }), 404, 'RESOURCE_NOT_FOUND');
  });

  test('the key answers the widget chat with the seed’s response, as channel widget', async () => {
    const res = await widgetChat(t, { 'x-api-key': key, origin: SITE });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.deepEqual(Object.keys(body).sort(), ['answer', 'conversation_id', 'message_id', 'metadata', 'sources']);
    assert.match(body.sources[0].chunk_text, /年次有給休暇/);
    assert.equal(res.headers['access-control-allow-origin'], SITE);
    const conversation = (await t.request('GET', `/api/v1/conversations/${body.conversation_id}`, { token: t.a.admin.accessToken })).json();
    assert.equal(conversation.channel, 'widget');
    assert.equal(conversation.user_id, null);
  });

  test('the widget streams too: deltas, sources, metadata, done, with the CORS headers on the stream', async () => {
    const res = await widgetChat(t, { 'x-api-key': key, origin: SITE, accept: 'text/event-stream' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/event-stream/);
    assert.equal(res.headers['access-control-allow-origin'], SITE);
    const order = parseSse(res.body).map((e) => e.event);
    assert.deepEqual(order.slice(order.indexOf('sources')), ['sources', 'metadata', 'done']);
    assert.ok(order.indexOf('sources') >= 1);
  });

  test('the key can call nothing else', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/contents'],
      ['POST', '/api/v1/chats/rag'],
      ['POST', '/api/v1/search'],
      ['GET', `/api/v1/tenants/${t.a.id}/embed-snippet`],
      ['GET', '/api/v1/conversations'],
      ['GET', '/api/v1/auth/me'],
    ] as const) {
      const res = await t.request(method, url, { headers: { 'x-api-key': key }, ...(method === 'POST' ? { body: { query: 'x' } } : {}) });
      expectError(res, 401, 'AUTHENTICATION_ERROR');
    }
  });

  test('a missing, malformed or unknown key is 401', async () => {
    expectError(await widgetChat(t, {}), 401, 'AUTHENTICATION_ERROR');
    expectError(await widgetChat(t, { 'x-api-key': 'nonsense' }), 401, 'AUTHENTICATION_ERROR');
    expectError(await widgetChat(t, { 'x-api-key': `wk_${'A'.repeat(32)}` }), 401, 'AUTHENTICATION_ERROR');
    expectError(await widgetChat(t, { authorization: `Bearer ${t.a.admin.accessToken}` }), 401, 'AUTHENTICATION_ERROR');
  });

  test('rotation: the old key stops at once, the new one works; OPERATORs cannot rotate', async () => {
    const tenant = await t.createTenant('rotate');
    const old = await widgetKey(t, tenant);
    assert.equal((await widgetChat(t, { 'x-api-key': old })).statusCode, 200);
    expectError(await t.request('POST', `/api/v1/tenants/${tenant.id}/widget-key/rotate`, { token: tenant.operator.accessToken }), 403, 'PERMISSION_DENIED');
    expectError(await t.request('POST', `/api/v1/tenants/${t.a.id}/widget-key/rotate`, { token: tenant.admin.accessToken }), 404, 'RESOURCE_NOT_FOUND');
    const rotated = await t.request('POST', `/api/v1/tenants/${tenant.id}/widget-key/rotate`, { token: tenant.admin.accessToken });
    assert.equal(rotated.statusCode, 200, rotated.body);
    const fresh = rotated.json().api_key;
    assert.notEqual(fresh, old);
    assert.ok(rotated.json().snippet.includes(fresh));
    const refused = expectError(await widgetChat(t, { 'x-api-key': old }), 401, 'AUTHENTICATION_ERROR');
    assert.match(refused.detail, /rotated/);
    assert.equal((await widgetChat(t, { 'x-api-key': fresh })).statusCode, 200);
    assert.equal(await widgetKey(t, tenant), fresh);
  });

  test('the key is stored sealed and hashed, never in clear', async () => {
    const [row] = await t.app.database.db.select().from(tenants).where(eq(tenants.id, t.a.id));
    assert.equal(row?.widgetKeyHash, sha256(key));
    assert.match(row?.widgetKeySealed ?? '', /^v1\./);
    assert.ok(!JSON.stringify(row).includes(key), 'the plaintext key is in the tenants table');
  });
});

describe('the tenant row is cached per instance, and every change to it takes effect at once', () => {
  test('a key created after the tenant was read (and cached) works at once', async () => {
    const tenant = await t.createTenant('first_key');
    // The dashboard's chat reads the tenant before it has a widget key.
    assert.equal((await t.request('POST', '/api/v1/chats/rag', { token: tenant.admin.accessToken, body: { query: '有給休暇' } })).statusCode, 200);
    assert.equal((await widgetChat(t, { 'x-api-key': await widgetKey(t, tenant) })).statusCode, 200);
  });

  test('allowed origins, the look and the name: the next request sees the PATCH', async () => {
    const tenant = await t.createTenant('settings_cache');
    const tenantKey = await widgetKey(t, tenant);
    const config = (origin: string) => t.request('GET', '/api/v1/chats/widget/config', { headers: { 'x-api-key': tenantKey, origin } });
    assert.equal((await config(SITE)).json().title, null);
    assert.equal((await widgetChat(t, { 'x-api-key': tenantKey, origin: SITE })).statusCode, 200);
    const patched = await t.request('PATCH', `/api/v1/tenants/${tenant.id}`, {
      token: tenant.admin.accessToken,
      body: { name: '新しい名前', widget: { title: 'サポート窓口' }, allowed_origins: ['https://other.example'] },
    });
    assert.equal(patched.statusCode, 200, patched.body);
    expectError(await widgetChat(t, { 'x-api-key': tenantKey, origin: SITE }), 403, 'PERMISSION_DENIED');
    const fresh = (await config('https://other.example')).json();
    assert.equal(fresh.title, 'サポート窓口');
    assert.equal(fresh.tenant_name, '新しい名前');
  });

  test('a rotated key stays refused however often it is tried, and never resolves to another tenant', async () => {
    const tenant = await t.createTenant('rotate_cache');
    const old = await widgetKey(t, tenant);
    for (let i = 0; i < 2; i += 1) assert.equal((await widgetChat(t, { 'x-api-key': old })).statusCode, 200);
    assert.equal((await t.request('POST', `/api/v1/tenants/${tenant.id}/widget-key/rotate`, { token: tenant.admin.accessToken })).statusCode, 200);
    for (let i = 0; i < 2; i += 1) expectError(await widgetChat(t, { 'x-api-key': old }), 401, 'AUTHENTICATION_ERROR');
    const other = await widgetChat(t, { 'x-api-key': key });
    const conversation = (await t.request('GET', `/api/v1/conversations/${other.json().conversation_id}`, { token: t.a.admin.accessToken })).json();
    assert.equal(conversation.channel, 'widget', 'tenant a’s key still answers as tenant a');
  });
});

describe('allowed origins and CORS', () => {
  test('with allowed origins, only those pages may use the key (403 otherwise, also without an Origin)', async () => {
    const tenant = await t.createTenant('origins');
    const tenantKey = await widgetKey(t, tenant);
    const res = await setOrigins(tenant, ['https://WWW.Example.co.jp/', 'http://localhost:8080']);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().settings.allowed_origins, ['https://www.example.co.jp', 'http://localhost:8080']);
    assert.equal((await widgetChat(t, { 'x-api-key': tenantKey, origin: 'https://www.example.co.jp' })).statusCode, 200);
    assert.equal((await widgetChat(t, { 'x-api-key': tenantKey, origin: 'http://localhost:8080' })).statusCode, 200);
    for (const origin of ['https://evil.example', 'https://www.example.co.jp.evil.example', 'http://www.example.co.jp']) {
      const refused = await widgetChat(t, { 'x-api-key': tenantKey, origin });
      const body = expectError(refused, 403, 'PERMISSION_DENIED');
      assert.match(body.detail, /allowed origins/);
      assert.equal(refused.headers['access-control-allow-origin'], origin, 'the widget can read why it was refused');
    }
    expectError(await widgetChat(t, { 'x-api-key': tenantKey }), 403, 'PERMISSION_DENIED');
    // The dashboard's preview, on this server's own origin: the browser marks it same-origin.
    assert.equal((await widgetChat(t, { 'x-api-key': tenantKey, 'sec-fetch-site': 'same-origin' })).statusCode, 200);
    expectError(await widgetChat(t, { 'x-api-key': tenantKey, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }), 403, 'PERMISSION_DENIED');
    assert.equal((await setOrigins(tenant, [])).json().settings.allowed_origins.length, 0);
    assert.equal((await widgetChat(t, { 'x-api-key': tenantKey, origin: 'https://anyone.example' })).statusCode, 200, 'an empty list allows any site');
  });

  test('origins are validated', async () => {
    for (const origin of ['*', 'www.example.com', 'https://example.com/path', 'ftp://example.com', 'https://user:pw@example.com']) {
      const body = expectError(await setOrigins(t.a, [origin]), 422, 'VALIDATION_ERROR');
      assert.ok(body.errors?.some((e) => e.field.startsWith('allowed_origins')), JSON.stringify(body));
    }
    expectError(await t.request('PATCH', `/api/v1/tenants/${t.a.id}`, { token: t.a.operator.accessToken, body: { allowed_origins: [] } }), 403, 'PERMISSION_DENIED');
  });

  test('the CORS preflight allows the widget’s headers', async () => {
    const res = await t.request('OPTIONS', '/api/v1/chats/widget/chat', {
      headers: { origin: SITE, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-api-key,x-visitor-id' },
    });
    assert.equal(res.statusCode, 204);
    assert.equal(res.headers['access-control-allow-origin'], SITE);
    assert.match(String(res.headers['access-control-allow-methods']), /POST/);
    for (const header of ['content-type', 'x-api-key', 'x-visitor-id']) assert.match(String(res.headers['access-control-allow-headers']).toLowerCase(), new RegExp(header));
    assert.match(String(res.headers.vary), /Origin/);
    assert.equal(res.headers['access-control-allow-credentials'], undefined, 'no cookies cross sites');
  });

  test('the answer exposes the rate-limit headers to the page', async () => {
    const res = await widgetChat(t, { 'x-api-key': key, origin: SITE });
    assert.match(String(res.headers['access-control-expose-headers']), /Retry-After/);
    assert.ok(res.headers['x-ratelimit-limit']);
  });
});

describe('the widget’s look (tenant settings) and its public config', () => {
  const config = (app: TestApp, headers: Record<string, string>) => app.request('GET', '/api/v1/chats/widget/config', { headers });

  test('defaults: built-in texts (null), the tenant’s name, sources shown, files not linked', async () => {
    const tenant = await t.createTenant('look');
    const res = await config(t, { 'x-api-key': await widgetKey(t, tenant), origin: SITE });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), {
      tenant_name: `Tenant ${tenant.domain.replace('.example.com', '').replaceAll('-', '_')}`,
      title: null,
      greeting: null,
      placeholder: null,
      accent_color: '#2563eb',
      position: 'bottom-right',
      language: 'auto',
      show_sources: true,
      link_files: false,
      contact: null,
      contact_route: null,
    });
    assert.equal(res.headers['access-control-allow-origin'], SITE);
  });

  test('an ADMIN changes some fields; only those change; null resets a text', async () => {
    const tenant = await t.createTenant('look2');
    const patch = (widget: Record<string, unknown>) => t.request('PATCH', `/api/v1/tenants/${tenant.id}`, { token: tenant.admin.accessToken, body: { widget } });
    assert.equal((await patch({ title: 'しおり商事 サポート', greeting: 'こんにちは！', accent_color: '#0F766E', position: 'bottom-left' })).statusCode, 200);
    const res = await patch({ greeting: null, language: 'ja', show_sources: false });
    assert.equal(res.statusCode, 200, res.body);
    const expected = { title: 'しおり商事 サポート', greeting: null, placeholder: null, accent_color: '#0F766E', position: 'bottom-left', language: 'ja', show_sources: false, link_files: false, contact: null, contact_route: null };
    assert.deepEqual(res.json().settings.widget, expected);
    const { tenant_name: _, ...fetched } = (await config(t, { 'x-api-key': await widgetKey(t, tenant) })).json();
    assert.deepEqual(fetched, expected);
  });

  test('contact: set (trimmed, up to 200 characters), kept when other fields change, served to sites, reset with null', async () => {
    const tenant = await t.createTenant('contact');
    const patch = (widget: Record<string, unknown>) => t.request('PATCH', `/api/v1/tenants/${tenant.id}`, { token: tenant.admin.accessToken, body: { widget } });
    const contact = 'お電話 03-1234-5678（平日9–18時）／support@example.com';
    const set = await patch({ contact: `  ${contact} ` });
    assert.equal(set.statusCode, 200, set.body);
    assert.equal(set.json().settings.widget.contact, contact);
    assert.equal((await patch({ title: 'サポート' })).json().settings.widget.contact, contact);
    assert.equal((await config(t, { 'x-api-key': await widgetKey(t, tenant) })).json().contact, contact);
    const longest = '電'.repeat(200);
    assert.equal((await patch({ contact: longest })).json().settings.widget.contact, longest);
    const reset = await patch({ contact: null });
    assert.equal(reset.statusCode, 200, reset.body);
    assert.equal(reset.json().settings.widget.contact, null);
    assert.equal(reset.json().settings.widget.title, 'サポート');
    const tooLong = expectError(await patch({ contact: 'x'.repeat(201) }), 422, 'VALIDATION_ERROR');
    assert.ok(tooLong.errors?.some((e) => e.field === 'widget.contact' && e.message === 'must be at most 200 characters'), JSON.stringify(tooLong.errors));
    expectError(await t.request('PATCH', `/api/v1/tenants/${tenant.id}`, { token: tenant.operator.accessToken, body: { widget: { contact } } }), 403, 'PERMISSION_DENIED');
    const stored = (await t.request('GET', `/api/v1/tenants/${tenant.id}`, { token: tenant.admin.accessToken })).json();
    assert.equal(stored.settings.widget.contact, null, 'unchanged by the refused requests');
  });

  test('the look is validated', async () => {
    for (const [widget, field] of [
      [{ accent_color: 'red' }, 'widget.accent_color'],
      [{ accent_color: '#12345' }, 'widget.accent_color'],
      [{ position: 'top-left' }, 'widget.position'],
      [{ language: 'fr' }, 'widget.language'],
      [{ title: 'x'.repeat(61) }, 'widget.title'],
      [{ greeting: '' }, 'widget.greeting'],
      [{ show_sources: 'yes' }, 'widget.show_sources'],
      [{ contact: 'x'.repeat(201) }, 'widget.contact'],
      [{ contact: '  ' }, 'widget.contact'],
      [{ contact: 312345678 }, 'widget.contact'],
      [{ font: 'Comic Sans' }, 'widget'],
    ] as const) {
      const body = expectError(await t.request('PATCH', `/api/v1/tenants/${t.a.id}`, { token: t.a.admin.accessToken, body: { widget } }), 422, 'VALIDATION_ERROR');
      assert.ok(body.errors?.some((e) => e.field === field), `${JSON.stringify(widget)}: ${JSON.stringify(body.errors)}`);
    }
  });

  test('the config follows the key and origin rules but not the chat limits', async () => {
    expectError(await config(t, {}), 401, 'AUTHENTICATION_ERROR');
    const tenant = await t.createTenant('look3');
    const tenantKey = await widgetKey(t, tenant);
    await setOrigins(tenant, ['https://only.example']);
    expectError(await config(t, { 'x-api-key': tenantKey, origin: 'https://other.example' }), 403, 'PERMISSION_DENIED');
    assert.equal((await config(t, { 'x-api-key': tenantKey, origin: 'https://only.example' })).statusCode, 200);
    const preflight = await t.request('OPTIONS', '/api/v1/chats/widget/config', { headers: { origin: 'https://only.example', 'access-control-request-method': 'GET' } });
    assert.equal(preflight.statusCode, 204);
    assert.match(String(preflight.headers['access-control-allow-methods']), /GET/);
  });
});

describe('visitors', () => {
  test('the visitor who started a conversation continues it; another visitor or none cannot', async () => {
    const first = (await widgetChat(t, { 'x-api-key': key, 'x-visitor-id': 'visitor-aaaa-1111' })).json();
    const follow = await widgetChat(t, { 'x-api-key': key, 'x-visitor-id': 'visitor-aaaa-1111' }, { query: '取得の届け出は何日前まで？', session_id: first.conversation_id });
    assert.equal(follow.statusCode, 200, follow.body);
    assert.equal(follow.json().conversation_id, first.conversation_id);
    expectError(await widgetChat(t, { 'x-api-key': key, 'x-visitor-id': 'visitor-bbbb-2222' }, { query: 'x', session_id: first.conversation_id }), 404, 'RESOURCE_NOT_FOUND');
    expectError(await widgetChat(t, { 'x-api-key': key }, { query: 'x', session_id: first.conversation_id }), 404, 'RESOURCE_NOT_FOUND');
    const conversation = (await t.request('GET', `/api/v1/conversations/${first.conversation_id}`, { token: t.a.admin.accessToken })).json();
    assert.equal(conversation.visitor_id, 'visitor-aaaa-1111');
    assert.equal(conversation.message_count, 4);
  });

  test('a dashboard conversation cannot be continued through the widget', async () => {
    const mine = (await t.request('POST', '/api/v1/chats/rag', { token: t.a.admin.accessToken, body: { query: '始業時刻は？' } })).json();
    expectError(await widgetChat(t, { 'x-api-key': key }, { query: 'x', session_id: mine.conversation_id }), 404, 'RESOURCE_NOT_FOUND');
  });

  test('a malformed visitor id is 422', async () => {
    expectError(await widgetChat(t, { 'x-api-key': key, 'x-visitor-id': 'short' }), 422, 'VALIDATION_ERROR');
    expectError(await widgetChat(t, { 'x-api-key': key, 'x-visitor-id': 'has spaces in it' }), 422, 'VALIDATION_ERROR');
  });
});

describe('layered limits', () => {
  let limited: TestApp;
  before(async () => {
    limited = await buildTestApp({ rateLimits: { chatPerMinute: 4, widgetVisitorPerMinute: 2, widgetIpPerMinute: 6 } });
  });
  after(() => limited.close());

  const expectLimited = (res: Awaited<ReturnType<TestApp['request']>>, code: string, message: RegExp) => {
    const body = expectError(res, 429, code);
    assert.match(body.detail, message);
    assert.ok(Number(res.headers['retry-after']) >= 1, 'Retry-After');
    assert.ok(res.headers['access-control-allow-origin'], 'the widget can read the refusal');
  };

  test('per visitor, then per key, then per address — each 429 with Retry-After and a message in the visitor’s language', async () => {
    const tenantKey = await widgetKey(limited, limited.a);
    const send = (visitor: string, language = 'ja') => widgetChat(limited, { 'x-api-key': tenantKey, 'x-visitor-id': visitor, origin: SITE, 'accept-language': language });
    assert.equal((await send('visitor-one-0001')).statusCode, 200);
    assert.equal((await send('visitor-one-0001')).statusCode, 200);
    expectLimited(await send('visitor-one-0001'), 'RATE_LIMIT_EXCEEDED', /秒後にもう一度お試しください/);
    expectLimited(await send('visitor-one-0001', 'en-US,en;q=0.9'), 'RATE_LIMIT_EXCEEDED', /too quickly/);
    // The key's 4 points: 2 spent by visitor one's answered requests and 2 by its refused ones (the key is counted before the visitor).
    expectLimited(await send('visitor-two-0002', 'en'), 'RATE_LIMIT_EXCEEDED', /very busy/);
    // The address has now made 5 requests; the 6th is its last, the 7th is refused before the key is even looked at.
    await send('visitor-three-03');
    expectLimited(await widgetChat(limited, { 'x-api-key': 'wk_guessing', origin: SITE, 'accept-language': 'ja' }), 'RATE_LIMIT_EXCEEDED', /短時間に/);
  });

  test('the plan’s messages a month, counted with the dashboard’s: 429 QUOTA_EXCEEDED until the 1st of next month (UTC)', async () => {
    const budgeted = await buildTestApp({ planLimits: { ...unlimitedPlanLimits, FREE: { ...unlimitedPlanLimits.FREE, messagesPerMonth: 3 } } });
    try {
      const tenantKey = await widgetKey(budgeted, budgeted.a);
      const send = () => widgetChat(budgeted, { 'x-api-key': tenantKey, origin: SITE, 'accept-language': 'ja-JP' });
      const ask = () => budgeted.request('POST', '/api/v1/chats/rag', { token: budgeted.a.admin.accessToken, body: { query: '有給休暇' } });
      assert.equal((await send()).statusCode, 200);
      assert.equal((await ask()).statusCode, 200, 'the dashboard answers too…');
      assert.equal((await send()).statusCode, 200);
      const res = await send();
      expectLimited(res, 'QUOTA_EXCEEDED', /今月のチャットの利用上限/);
      assert.doesNotMatch(expectError(res, 429, 'QUOTA_EXCEEDED').detail, /FREE|plan/, 'the visitor is not told about the plan');
      const now = new Date();
      const nextMonth = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
      assert.ok(Math.abs(Number(res.headers['retry-after']) - (nextMonth - now.getTime()) / 1000) < 60);
      const rag = await ask();
      assert.match(expectError(rag, 429, 'QUOTA_EXCEEDED').detail, /FREE plan allows 3 answers a month.*had 3/, '…and both count against one budget');
      const other = await widgetKey(budgeted, budgeted.b);
      assert.equal((await widgetChat(budgeted, { 'x-api-key': other })).statusCode, 200, 'budgets are per tenant');
    } finally {
      await budgeted.close();
    }
  });
});
