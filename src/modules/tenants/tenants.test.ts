import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { tenants } from '../../db/schema.js';
import { buildTestApp, expectError, PASSWORD, unique, type TestApp } from '../../test/harness.js';
import { defaultTenantSettings } from './tenant-settings.js';
import { defaultWidgetSettings } from './widget-settings.js';

let t: TestApp;
before(async () => {
  t = await buildTestApp();
});
after(() => t.close());

const getTenant = (id: string, token?: string) => t.request('GET', `/api/v1/tenants/${id}`, { token });
const storedTenant = async (id: string) => (await t.app.database.db.select().from(tenants).where(eq(tenants.id, id)))[0];

/** Registers a tenant with a known name and domain and logs its ADMIN in. */
async function registerTenant() {
  const name = unique('ten');
  const body = { email: `${name}@example.com`, username: name, password: PASSWORD, tenant_name: `株式会社 ${name}`, tenant_domain: `${name.replaceAll('_', '-')}.example.jp` };
  const reg = await t.request('POST', '/api/v1/auth/register', { body });
  assert.equal(reg.statusCode, 201, reg.body);
  const token: string = (await t.login(body.email)).json().access_token;
  return { id: reg.json().tenant_id as string, name: body.tenant_name, domain: body.tenant_domain, token };
}

describe('GET /api/v1/tenants/:tenant_id', () => {
  test('returns the seed’s fields for a new tenant: FREE, ACTIVE, default models', async () => {
    const tenant = await registerTenant();
    const res = await getTenant(tenant.id, tenant.token);
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.deepEqual(Object.keys(body).sort(), ['created_at', 'domain', 'id', 'name', 'plan', 'settings', 'status']);
    assert.equal(body.id, tenant.id);
    assert.equal(body.name, tenant.name);
    assert.equal(body.domain, tenant.domain);
    assert.equal(body.plan, 'FREE');
    assert.equal(body.status, 'ACTIVE');
    assert.deepEqual(body.settings, { embedding_model: defaultTenantSettings.embedding_model, llm_model: defaultTenantSettings.llm_model, chunk_size: 400, chunk_overlap: 60, allowed_origins: [], bot_instructions: null, widget: defaultWidgetSettings });
    assert.match(body.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    assert.equal(body.created_at, (await storedTenant(tenant.id))?.createdAt.toISOString());
    assert.ok(Math.abs(Date.parse(body.created_at) - Date.now()) < 60_000);
  });

  test('shows what is stored: plan, status and settings come from the database', async () => {
    const tenant = await registerTenant();
    const settings = { embedding_model: 'text-embedding-3-large', llm_model: 'gpt-4', chunk_size: 500, chunk_overlap: 50, allowed_origins: ['https://www.example.com'] };
    await t.app.database.db.update(tenants).set({ plan: 'PRO', status: 'PAST_DUE', settings }).where(eq(tenants.id, tenant.id));
    const body = (await getTenant(tenant.id, tenant.token)).json();
    assert.equal(body.plan, 'PRO');
    assert.equal(body.status, 'PAST_DUE');
    assert.deepEqual(body.settings, { ...settings, bot_instructions: null, widget: defaultWidgetSettings });
  });

  test('an OPERATOR can read their tenant', async () => {
    const byAdmin = await getTenant(t.a.id, t.a.admin.accessToken);
    const byOperator = await getTenant(t.a.id, t.a.operator.accessToken);
    assert.equal(byOperator.statusCode, 200);
    assert.deepEqual(byOperator.json(), byAdmin.json());
    assert.equal(byOperator.json().domain, t.a.domain);
  });

  test('another tenant’s id → 404, indistinguishable from an id that does not exist', async () => {
    const foreign = await getTenant(t.b.id, t.a.admin.accessToken);
    const random = await getTenant(randomUUID(), t.a.admin.accessToken);
    const foreignBody = expectError(foreign, 404, 'RESOURCE_NOT_FOUND');
    const randomBody = expectError(random, 404, 'RESOURCE_NOT_FOUND');
    assert.deepEqual({ ...foreignBody, timestamp: undefined }, { ...randomBody, timestamp: undefined });
    assert.ok(!foreign.body.includes(t.b.domain) && !foreign.body.includes(t.b.id), 'nothing of tenant b leaks');
    assert.equal(foreign.headers['content-length'], random.headers['content-length']);
    expectError(await getTenant(t.a.id, t.b.operator.accessToken), 404, 'RESOURCE_NOT_FOUND');
  });

  test('a personal tenant from the seed-002 signup has no domain and is named after the user', async () => {
    const username = unique('solo');
    assert.equal((await t.request('POST', '/api/signup/', { body: { username, password: PASSWORD } })).statusCode, 201);
    const jwt: string = (await t.request('POST', '/api/login/', { body: { username, password: PASSWORD } })).json().jwt;
    const tenantId: string = (await t.request('GET', '/api/v1/auth/me', { token: jwt })).json().tenant_id;
    const body = (await getTenant(tenantId, jwt)).json();
    assert.equal(body.name, username);
    assert.equal(body.domain, null);
    assert.equal(body.plan, 'FREE');
  });

  test('a non-UUID id → 422 naming tenant_id', async () => {
    for (const id of ['not-a-uuid', '1', `${t.a.id}x`]) {
      const body = expectError(await getTenant(id, t.a.admin.accessToken), 422, 'VALIDATION_ERROR');
      assert.ok(body.errors?.some((e) => e.field === 'tenant_id'), JSON.stringify(body));
    }
  });

  test('no token or a bad token → 401', async () => {
    expectError(await getTenant(t.a.id), 401, 'AUTHENTICATION_ERROR');
    expectError(await getTenant(t.a.id, 'not-a-jwt'), 401, 'AUTHENTICATION_ERROR');
    expectError(await getTenant(t.a.id, t.a.admin.refreshToken), 401, 'AUTHENTICATION_ERROR');
  });

  test('a logged-out token → 401', async () => {
    const session = (await t.login(t.a.operator.email)).json();
    assert.equal((await t.request('POST', '/api/v1/auth/logout', { token: session.access_token })).statusCode, 200);
    expectError(await getTenant(t.a.id, session.access_token), 401, 'AUTHENTICATION_ERROR');
  });
});

describe('PATCH /api/v1/tenants/:tenant_id', () => {
  const patch = (id: string, token: string, body: unknown) => t.request('PATCH', `/api/v1/tenants/${id}`, { token, body });

  test('an ADMIN changes name, models and chunking; only the fields sent change', async () => {
    const tenant = await registerTenant();
    const res = await patch(tenant.id, tenant.token, { name: '新しい名前', llm_model: 'gpt-4o', chunk_size: 600, chunk_overlap: 80, allowed_origins: [], bot_instructions: null, widget: defaultWidgetSettings });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().name, '新しい名前');
    assert.deepEqual(res.json().settings, { embedding_model: defaultTenantSettings.embedding_model, llm_model: 'gpt-4o', chunk_size: 600, chunk_overlap: 80, allowed_origins: [], bot_instructions: null, widget: defaultWidgetSettings });
    const second = await patch(tenant.id, tenant.token, { embedding_model: 'text-embedding-3-large' });
    assert.equal(second.json().name, '新しい名前');
    assert.equal(second.json().settings.embedding_model, 'text-embedding-3-large');
    assert.equal(second.json().settings.chunk_size, 600);
    const stored = await storedTenant(tenant.id);
    assert.equal(stored?.settings.chunk_overlap, 80);
  });

  test('new chunking applies to the next ingestion', async () => {
    const tenant = await registerTenant();
    assert.equal((await patch(tenant.id, tenant.token, { chunk_size: 64, chunk_overlap: 0 })).statusCode, 200);
    const { uploadAndProcess } = await import('../../test/upload.js');
    const text = Array.from({ length: 40 }, (_, i) => `第${i + 1}条 従業員は、会社の定める規則に従い、誠実に職務を遂行しなければならない。`).join('\n');
    const { detail } = await uploadAndProcess(t, tenant.token, 'rules.txt', text);
    assert.equal(detail.status, 'completed');
    assert.ok(detail.chunk_count >= 20, `64-token chunks of ~1,400 characters: got ${detail.chunk_count}`);
  });

  const invalid: Array<[string, unknown, string]> = [
    ['empty body', {}, 'body'],
    ['plan (billing only)', { plan: 'ENTERPRISE' }, 'body'],
    ['status', { status: 'ACTIVE' }, 'body'],
    ['domain', { domain: 'other.example.com' }, 'body'],
    ['chunk_size too small', { chunk_size: 10 }, 'chunk_size'],
    ['chunk_size too large', { chunk_size: 100_000 }, 'chunk_size'],
    ['chunk_size not whole', { chunk_size: 100.5 }, 'chunk_size'],
    ['negative overlap', { chunk_overlap: -1 }, 'chunk_overlap'],
    ['overlap more than half the chunk', { chunk_size: 100, chunk_overlap: 60 }, 'chunk_overlap'],
    ['blank name', { name: '  ' }, 'name'],
    ['blank model', { llm_model: '' }, 'llm_model'],
    ['bot_instructions over 1000 characters', { bot_instructions: 'あ'.repeat(1001) }, 'bot_instructions'],
    ['blank bot_instructions (null clears them)', { bot_instructions: ' \n ' }, 'bot_instructions'],
    ['bot_instructions not text', { bot_instructions: ['be polite'] }, 'bot_instructions'],
  ];
  for (const [name, body, field] of invalid) {
    test(`refuses ${name} with 422 naming ${field}`, async () => {
      const tenant = await registerTenant();
      const error = expectError(await patch(tenant.id, tenant.token, body), 422, 'VALIDATION_ERROR');
      assert.ok(error.errors?.some((e) => e.field === field), JSON.stringify(error));
      const stored = await storedTenant(tenant.id);
      assert.equal(stored?.plan, 'FREE');
      assert.equal(stored?.settings.chunk_size, undefined);
    });
  }

  test('bot_instructions: set (trimmed, any language, up to 1000 characters), kept by other changes, cleared with null', async () => {
    const tenant = await registerTenant();
    const instructions = '丁寧語で、人事・総務の質問にだけ答えてください。\nEnd every answer with "Ask HR (ext. 123) for details."';
    const res = await patch(tenant.id, tenant.token, { bot_instructions: `  ${instructions}\n\n` });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().settings.bot_instructions, instructions);
    assert.equal((await storedTenant(tenant.id))?.settings.bot_instructions, instructions);
    assert.equal((await patch(tenant.id, tenant.token, { name: '別の名前' })).json().settings.bot_instructions, instructions);
    assert.equal((await getTenant(tenant.id, tenant.token)).json().settings.bot_instructions, instructions);
    const longest = 'あ'.repeat(1000);
    assert.equal((await patch(tenant.id, tenant.token, { bot_instructions: longest })).json().settings.bot_instructions, longest);
    const cleared = await patch(tenant.id, tenant.token, { bot_instructions: null });
    assert.equal(cleared.statusCode, 200, cleared.body);
    assert.equal(cleared.json().settings.bot_instructions, null);
    assert.equal((await storedTenant(tenant.id))?.settings.bot_instructions, null);
  });

  test('OPERATOR → 403, another tenant’s id → 404 and unchanged, no token → 401', async () => {
    expectError(await patch(t.a.id, t.a.operator.accessToken, { name: 'x' }), 403, 'PERMISSION_DENIED');
    expectError(await patch(t.b.id, t.a.admin.accessToken, { name: 'hijacked' }), 404, 'RESOURCE_NOT_FOUND');
    assert.notEqual((await storedTenant(t.b.id))?.name, 'hijacked');
    expectError(await t.request('PATCH', `/api/v1/tenants/${t.a.id}`, { body: { name: 'x' } }), 401, 'AUTHENTICATION_ERROR');
  });
});
