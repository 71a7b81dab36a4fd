// Webhook endpoints over HTTP: register (secret shown once, stored sealed), read without the secret,
// edit, rotate, delete; who may write; validation and limits in both languages; another tenant's ids.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { webhookEndpoints } from '../../db/schema.js';
import { buildTestApp, expectError, type TestApp } from '../../test/harness.js';
import { MAX_ENDPOINTS } from './webhook-options.js';

const WEBHOOKS = '/api/v1/webhooks';
let t: TestApp;
before(async () => {
  t = await buildTestApp();
});
after(() => t.close());

const admin = () => t.a.admin.accessToken;
const create = (body: unknown, token = admin(), headers?: Record<string, string>) => t.request('POST', WEBHOOKS, { token, body, headers });
// Port 9 (discard) on loopback: a valid address for this app, and nothing is ever delivered there.
const hook = (name = 'x') => ({ url: `http://127.0.0.1:9/hooks/${name}`, events: ['document.completed'] });
const stored = async (id: string) => (await t.app.database.db.select().from(webhookEndpoints).where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.tenantId, t.a.id))))[0];

describe('webhook endpoints', () => {
  test('an ADMIN registers one: the secret is shown once, sealed at rest, and never in a read', async () => {
    const res = await create({ url: 'http://127.0.0.1:9/hooks/shop', description: ' 社内の通知 ', events: ['document.completed', 'answer.rated_down', 'document.completed'] });
    assert.equal(res.statusCode, 201, res.body);
    const created = res.json();
    assert.match(created.secret, /^whsec_[\w-]{43}$/);
    assert.equal(created.description, '社内の通知');
    assert.deepEqual(created.events, ['document.completed', 'answer.rated_down'], 'repeated events kept once');
    assert.equal(created.enabled, true);

    const row = await stored(created.id);
    assert.ok(row, 'stored for tenant A');
    assert.ok(!row.secretSealed.includes(created.secret) && row.secretSealed.startsWith('v1.'), 'sealed with the secret box');
    assert.equal(row.createdBy, t.a.admin.id);

    for (const token of [admin(), t.a.operator.accessToken]) {
      const one = await t.request('GET', `${WEBHOOKS}/${created.id}`, { token });
      assert.equal(one.statusCode, 200, one.body);
      const list = await t.request('GET', WEBHOOKS, { token });
      assert.equal(list.statusCode, 200);
      assert.ok(Number(list.headers['x-total-count']) >= 1);
      const patched = await t.request('PATCH', `${WEBHOOKS}/${created.id}`, { token: admin(), body: { description: '社内の通知' } });
      for (const body of [one.body, list.body, patched.body]) {
        assert.ok(!body.includes(created.secret), 'the secret is never echoed');
        assert.ok(!body.includes('secret"'), 'no secret field at all');
      }
      const { secret: _secret, ...withoutSecret } = created;
      assert.deepEqual({ ...(one.json() as object), updated_at: withoutSecret.updated_at }, withoutSecret);
    }
  });

  test('an ADMIN edits, disables, rotates the secret and deletes; the database follows', async () => {
    const created = (await create(hook('edit'))).json();
    const edited = await t.request('PATCH', `${WEBHOOKS}/${created.id}`, { token: admin(), body: { url: 'http://127.0.0.1:9/hooks/edited', events: ['website.synced'], enabled: false } });
    assert.equal(edited.statusCode, 200, edited.body);
    assert.equal(edited.json().url, 'http://127.0.0.1:9/hooks/edited');
    assert.deepEqual((await stored(created.id))?.events, ['website.synced']);
    assert.equal((await stored(created.id))?.enabled, false);

    const sealedBefore = (await stored(created.id))!.secretSealed;
    const rotated = await t.request('POST', `${WEBHOOKS}/${created.id}/rotate-secret`, { token: admin() });
    assert.equal(rotated.statusCode, 200, rotated.body);
    assert.match(rotated.json().secret, /^whsec_/);
    assert.notEqual(rotated.json().secret, created.secret);
    assert.notEqual((await stored(created.id))!.secretSealed, sealedBefore);

    assert.equal((await t.request('DELETE', `${WEBHOOKS}/${created.id}`, { token: admin() })).statusCode, 200);
    assert.equal(await stored(created.id), undefined);
    expectError(await t.request('GET', `${WEBHOOKS}/${created.id}`, { token: admin() }), 404, 'RESOURCE_NOT_FOUND');
  });

  test('an OPERATOR reads but cannot register, edit, rotate, test or delete', async () => {
    const { id } = (await create(hook('op'))).json();
    const op = t.a.operator.accessToken;
    expectError(await create(hook('op2'), op), 403, 'PERMISSION_DENIED');
    expectError(await t.request('PATCH', `${WEBHOOKS}/${id}`, { token: op, body: { enabled: false } }), 403, 'PERMISSION_DENIED');
    expectError(await t.request('POST', `${WEBHOOKS}/${id}/rotate-secret`, { token: op }), 403, 'PERMISSION_DENIED');
    expectError(await t.request('POST', `${WEBHOOKS}/${id}/test`, { token: op }), 403, 'PERMISSION_DENIED');
    expectError(await t.request('DELETE', `${WEBHOOKS}/${id}`, { token: op }), 403, 'PERMISSION_DENIED');
    assert.equal((await t.request('GET', `${WEBHOOKS}/${id}/deliveries`, { token: op })).statusCode, 200);
    assert.equal((await stored(id))?.enabled, true);
    expectError(await t.request('GET', WEBHOOKS), 401, 'AUTHENTICATION_ERROR');
  });

  test('invalid bodies are refused naming the field, in Japanese and English', async () => {
    const cases: Array<[unknown, string]> = [
      [{ ...hook(), url: 'ftp://127.0.0.1/x' }, 'url'],
      [{ ...hook(), url: `http://127.0.0.1:9/${'a'.repeat(2000)}` }, 'url'],
      [{ ...hook(), url: 'http://user:pass@127.0.0.1:9/x' }, 'url'],
      [{ ...hook(), url: 'http://127.0.0.1:9/x#frag' }, 'url'],
      [{ ...hook(), url: 'http://169.254.169.254/latest/' }, 'url'],
      [{ ...hook(), description: 'あ'.repeat(501) }, 'description'],
      [{ ...hook(), events: [] }, 'events'],
      [{ ...hook(), events: ['test'] }, 'events'],
      [{ ...hook(), events: ['document.deleted'] }, 'events'],
      [{ ...hook(), secret: 'whsec_mine' }, 'body'], // unknown field: secret
    ];
    for (const [body, field] of cases) {
      const en = expectError(await create(body), 422, 'VALIDATION_ERROR');
      assert.ok(en.errors?.some((e) => e.field === field || e.field.startsWith(`${field}.`)), `${JSON.stringify(body).slice(0, 80)}: ${en.detail}`);
      const ja = expectError(await create(body, admin(), { 'accept-language': 'ja' }), 422, 'VALIDATION_ERROR');
      assert.match(ja.detail, /[\u3040-\u30ff\u4e00-\u9fff]/, `Japanese detail for ${field}: ${ja.detail}`);
    }
    const metadata = expectError(await create({ ...hook(), url: 'http://169.254.169.254/latest/' }, admin(), { 'accept-language': 'ja' }), 422, 'VALIDATION_ERROR');
    assert.match(metadata.detail, /接続できないアドレス/);
  });

  test(`a tenant has at most ${MAX_ENDPOINTS} endpoints`, async () => {
    const tenant = await t.createTenant('many');
    for (let i = 0; i < MAX_ENDPOINTS; i++) assert.equal((await create(hook(`n${i}`), tenant.admin.accessToken)).statusCode, 201);
    const refused = expectError(await create(hook('one-more'), tenant.admin.accessToken, { 'accept-language': 'ja' }), 409, 'CONFLICT');
    assert.match(refused.detail, /20 件まで/);
  });

  test("another tenant's endpoint is 404 on every route, and nothing of it changes", async () => {
    const theirs = (await create(hook('b'), t.b.admin.accessToken)).json();
    const a = admin();
    for (const [method, url, body] of [
      ['GET', `${WEBHOOKS}/${theirs.id}`],
      ['PATCH', `${WEBHOOKS}/${theirs.id}`, { enabled: false }],
      ['POST', `${WEBHOOKS}/${theirs.id}/rotate-secret`],
      ['POST', `${WEBHOOKS}/${theirs.id}/test`],
      ['GET', `${WEBHOOKS}/${theirs.id}/deliveries`],
      ['DELETE', `${WEBHOOKS}/${theirs.id}`],
    ] as const) {
      expectError(await t.request(method, url, { token: a, body }), 404, 'RESOURCE_NOT_FOUND');
    }
    const list = (await t.request('GET', WEBHOOKS, { token: a })).json() as Array<{ id: string }>;
    assert.ok(!list.some((w) => w.id === theirs.id));
    const still = await t.request('GET', `${WEBHOOKS}/${theirs.id}`, { token: t.b.admin.accessToken });
    assert.equal(still.json().enabled, true);
    assert.equal((await t.request('GET', `${WEBHOOKS}/${theirs.id}/deliveries`, { token: t.b.admin.accessToken })).headers['x-total-count'], '0');
  });
});

describe('webhook addresses on a server that may not reach private networks', () => {
  let strict: TestApp;
  before(async () => {
    // hooks.example.test "resolves" to a public address; nothing is sent in this test.
    strict = await buildTestApp({ outbound: { allowPrivateNetworks: false, resolve: async (host) => (host === 'hooks.example.test' ? ['93.184.216.34'] : ['127.0.0.1']) } });
  });
  after(() => strict?.close());

  test('https:// to a public address is accepted; plain http://, loopback and private names are refused', async () => {
    const token = strict.a.admin.accessToken;
    const post = (url: string) => strict.request('POST', WEBHOOKS, { token, body: { url, events: ['document.failed'] }, headers: { 'accept-language': 'ja' } });
    assert.equal((await post('https://hooks.example.test/shiori')).statusCode, 201);
    assert.match(expectError(await post('http://hooks.example.test/shiori'), 422, 'VALIDATION_ERROR').detail, /https:\/\//);
    expectError(await post('https://127.0.0.1/hook'), 422, 'VALIDATION_ERROR');
    expectError(await post('https://intranet.example.test/hook'), 422, 'VALIDATION_ERROR');
  });
});
