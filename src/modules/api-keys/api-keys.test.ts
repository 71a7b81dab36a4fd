import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { providerKeys } from '../../db/schema.js';
import { createSecretBox } from '../../lib/secret-box.js';
import { startFakeOpenAI, type FakeOpenAI } from '../../test/fake-openai.js';
import { buildTestApp, expectError, type TestApp } from '../../test/harness.js';
import { keyHint } from './api-keys.service.js';

let t: TestApp;
let fake: FakeOpenAI;
before(async () => {
  // Short provider calls: `verify` against an unreachable or silent server answers quickly.
  t = await buildTestApp({ llm: { timeoutMs: 500, maxRetries: 0 } });
  fake = await startFakeOpenAI();
});
after(async () => {
  await t.close();
  await fake.close();
});

const KEY_FIELDS = ['base_url', 'created_at', 'id', 'is_active', 'key_hint', 'model', 'provider'];
const freshKey = (prefix = 'sk-proj-') => `${prefix}${randomBytes(24).toString('base64url')}`;

/** Every response of this file, to prove afterwards that no plaintext key ever left the server. */
const seen: LightMyRequestResponse[] = [];
const call = async (...args: Parameters<TestApp['request']>) => {
  const res = await t.request(...args);
  seen.push(res);
  return res;
};
const create = (token: string, body: Record<string, unknown>) => call('POST', '/api/v1/api-keys', { token, body });
const list = async (token: string) => {
  const res = await call('GET', '/api/v1/api-keys', { token });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as Array<Record<string, unknown>>;
};
const remove = (token: string, id: string) => call('DELETE', `/api/v1/api-keys/${id}`, { token });
const storedRow = async (id: string) => (await t.app.database.db.select().from(providerKeys).where(eq(providerKeys.id, id)))[0];

const createdKeys: string[] = [];
async function createOk(token: string, body: Record<string, unknown>) {
  const res = await create(token, body);
  assert.equal(res.statusCode, 201, res.body);
  createdKeys.push(String(body.api_key));
  return res.json() as Record<string, unknown>;
}

describe('POST /api/v1/api-keys', () => {
  test('stores an OpenAI key and answers with the seed’s fields, a masked hint and no key', async () => {
    const apiKey = freshKey();
    const body = await createOk(t.a.admin.accessToken, { provider: 'openai', model: 'gpt-4o', api_key: apiKey });
    assert.deepEqual(Object.keys(body).sort(), KEY_FIELDS);
    assert.equal(body.provider, 'openai');
    assert.equal(body.model, 'gpt-4o');
    assert.equal(body.is_active, true);
    assert.equal(body.base_url, null);
    assert.equal(body.key_hint, `sk-…${apiKey.slice(-4)}`);
    assert.ok(!Number.isNaN(Date.parse(String(body.created_at))));
  });

  test('the key is sealed at rest with the server’s encryption key', async () => {
    const apiKey = freshKey();
    const { id } = await createOk(t.a.admin.accessToken, { provider: 'anthropic', model: 'claude-sonnet-4', api_key: apiKey });
    const row = await storedRow(String(id));
    assert.ok(row);
    assert.equal(row.tenantId, t.a.id);
    assert.ok(!JSON.stringify(row).includes(apiKey), 'plaintext key found in the stored row');
    assert.ok(!JSON.stringify(row).includes(apiKey.slice(8, 24)), 'part of the key found in the stored row');
    assert.match(row.keySealed, /^v1\./);
    assert.equal(createSecretBox(t.config.encryptionKey!).open(row.keySealed), apiKey);
  });

  test('openai-compatible takes a base_url (trailing slash dropped)', async () => {
    const body = await createOk(t.a.admin.accessToken, {
      provider: 'openai-compatible',
      model: 'llama3.1',
      api_key: 'ollama-local',
      base_url: 'http://localhost:11434/v1/',
    });
    assert.equal(body.base_url, 'http://localhost:11434/v1');
    assert.equal(body.key_hint, '…al', 'a short key shows only its last two characters');
  });

  test('trims the model and the key', async () => {
    const apiKey = freshKey();
    const body = await createOk(t.a.admin.accessToken, { provider: 'openai', model: '  gpt-4o-mini ', api_key: ` ${apiKey}\n` });
    assert.equal(body.model, 'gpt-4o-mini');
    assert.equal(createSecretBox(t.config.encryptionKey!).open((await storedRow(String(body.id)))!.keySealed), apiKey);
  });

  const valid = { provider: 'openai', model: 'gpt-4o', api_key: 'sk-valid-key-123456' };
  const invalid: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['an unknown provider', { provider: 'cohere' }, 'provider', /one of: openai, anthropic, openai-compatible/],
    ['a missing provider', { provider: undefined }, 'provider', /required/],
    ['a missing model', { model: undefined }, 'model', /required/],
    ['an empty model', { model: '' }, 'model', /must not be empty/],
    ['a blank model', { model: '   ' }, 'model', /must not be empty/],
    ['a model over 200 characters', { model: 'm'.repeat(201) }, 'model', /at most 200/],
    ['a missing key', { api_key: undefined }, 'api_key', /required/],
    ['a key under 8 characters', { api_key: 'sk-1234' }, 'api_key', /at least 8/],
    ['a key over 500 characters', { api_key: `sk-${'k'.repeat(498)}` }, 'api_key', /at most 500/],
    ['a key with a space inside', { api_key: 'sk-abc def-123' }, 'api_key', /printable ASCII/],
    ['a key that is not a string', { api_key: 12345678 }, 'api_key', /must be a string/],
    ['openai-compatible without base_url', { provider: 'openai-compatible' }, 'base_url', /required for provider openai-compatible/],
    ['a base_url for openai', { base_url: 'https://api.openai.com/v1' }, 'base_url', /only accepted for provider openai-compatible/],
    ['a base_url for anthropic', { provider: 'anthropic', base_url: 'https://api.anthropic.com' }, 'base_url', /only accepted/],
    ['a base_url that is not a URL', { provider: 'openai-compatible', base_url: 'localhost:11434' }, 'base_url', /http/],
    ['a non-http base_url', { provider: 'openai-compatible', base_url: 'ftp://models.example.com/v1' }, 'base_url', /http:\/\/ or https:\/\//],
    ['a base_url with credentials', { provider: 'openai-compatible', base_url: 'https://user:pw@llm.example.com/v1' }, 'base_url', /user name or password/],
    ['a base_url with a query', { provider: 'openai-compatible', base_url: 'https://llm.example.com/v1?x=1' }, 'base_url', /query string/],
    ['an unknown field', { is_active: false }, 'body', /unknown field: is_active/],
    ['a verify that is not a boolean', { verify: 'yes' }, 'verify', /true or false/],
  ];
  for (const [name, change, field, message] of invalid) {
    test(`refuses ${name} with 422 naming ${field}`, async () => {
      const res = await create(t.a.admin.accessToken, { ...valid, ...change });
      const body = expectError(res, 422, 'VALIDATION_ERROR');
      const error = body.errors?.find((e) => e.field === field);
      assert.ok(error, `no error for ${field}: ${res.body}`);
      assert.match(error.message, message);
    });
  }

  test('nothing is stored for a refused request', async () => {
    const before = (await list(t.b.admin.accessToken)).length;
    expectError(await create(t.b.admin.accessToken, { ...valid, provider: 'openai-compatible' }), 422, 'VALIDATION_ERROR');
    assert.equal((await list(t.b.admin.accessToken)).length, before);
  });
});

describe('POST /api/v1/api-keys with verify', () => {
  let tenant: Awaited<ReturnType<TestApp['createTenant']>>;
  before(async () => {
    tenant = await t.createTenant('verify');
  });
  beforeEach(() => fake.reset());
  const compatible = (body: Record<string, unknown> = {}) => ({ provider: 'openai-compatible', model: 'llama3.1', api_key: freshKey(), base_url: fake.baseUrl, verify: true, ...body });
  const storedModels = async () => (await list(tenant.admin.accessToken)).map((k) => k.model);

  test('a key the provider accepts is checked, then stored', async () => {
    const body = compatible();
    const created = await createOk(tenant.admin.accessToken, body);
    assert.equal(created.model, 'llama3.1');
    assert.equal(fake.chatRequests.length, 1, 'one check with the provider');
    assert.equal(fake.chatRequests[0]!.authorization, `Bearer ${body.api_key}`);
    assert.equal(fake.chatRequests[0]!.model, 'llama3.1');
    assert.equal(fake.chatRequests[0]!.maxTokens, 1);
    assert.ok(await storedRow(String(created.id)));
  });

  test('without verify the provider is not called', async () => {
    await createOk(tenant.admin.accessToken, compatible({ verify: undefined }));
    await createOk(tenant.admin.accessToken, compatible({ verify: false }));
    assert.equal(fake.chatRequests.length, 0);
  });

  test('a rejected key is a 422 on api_key quoting the provider, without the key, and nothing is stored', async () => {
    const body = compatible({ model: 'rejected-key-model' });
    fake.rejectKey(String(body.api_key));
    // The fake echoes the whole key in its 401: the last test of this file checks it never reached a response.
    createdKeys.push(String(body.api_key));
    const res = await create(tenant.admin.accessToken, body);
    const error = expectError(res, 422, 'VALIDATION_ERROR');
    assert.deepEqual(error.errors?.map((e) => e.field), ['api_key']);
    assert.match(error.detail, /^api_key: could not be verified: The LLM provider \(127\.0\.0\.1:\d+\/v1\) rejected the API key \(401\): Incorrect API key provided: \[key\]/);
    assert.ok(!res.body.includes(String(body.api_key).slice(-8)), res.body);
    assert.ok(!(await storedModels()).includes('rejected-key-model'), 'the refused key was stored');
  });

  test('an unknown model is a 422 on model', async () => {
    fake.rejectModel('no-such-model');
    const error = expectError(await create(tenant.admin.accessToken, compatible({ model: 'no-such-model' })), 422, 'VALIDATION_ERROR');
    assert.deepEqual(error.errors?.map((e) => e.field), ['model']);
    assert.match(error.detail, /does not know this model, or base_url is wrong \(404\): The model `no-such-model` does not exist/);
    assert.ok(!(await storedModels()).includes('no-such-model'));
  });

  test('an unreachable or silent openai-compatible server is a 422 on base_url', async () => {
    const closed = await startFakeOpenAI();
    await closed.close();
    const unreachable = expectError(await create(tenant.admin.accessToken, compatible({ model: 'unreachable', base_url: closed.baseUrl })), 422, 'VALIDATION_ERROR');
    assert.deepEqual(unreachable.errors?.map((e) => e.field), ['base_url']);
    assert.match(unreachable.detail, /could not be reached/);

    fake.delayMs = 30_000;
    const started = Date.now();
    const silent = expectError(await create(tenant.admin.accessToken, compatible({ model: 'silent' })), 422, 'VALIDATION_ERROR');
    assert.deepEqual(silent.errors?.map((e) => e.field), ['base_url']);
    assert.match(silent.detail, /did not answer within 500 ms/);
    assert.ok(Date.now() - started < 15_000, 'waited for the slow provider');
    const models = await storedModels();
    assert.ok(!models.includes('unreachable') && !models.includes('silent'));
  });

  test('a provider error (500) is a 422 on api_key saying what the provider answered', async () => {
    fake.failNext(1, 500);
    const error = expectError(await create(tenant.admin.accessToken, compatible({ model: 'failing' })), 422, 'VALIDATION_ERROR');
    assert.deepEqual(error.errors?.map((e) => e.field), ['api_key']);
    assert.match(error.detail, /answered 500: The server had an error/);
  });
});

describe('GET /api/v1/api-keys', () => {
  test('lists the tenant’s own keys, newest first, masked', async () => {
    const tenant = await t.createTenant('keys');
    const first = await createOk(tenant.admin.accessToken, { provider: 'openai', model: 'gpt-4o', api_key: freshKey() });
    const second = await createOk(tenant.admin.accessToken, { provider: 'anthropic', model: 'claude-haiku', api_key: freshKey('sk-ant-') });
    const keys = await list(tenant.admin.accessToken);
    assert.deepEqual(keys.map((k) => k.id), [second.id, first.id]);
    for (const key of keys) assert.deepEqual(Object.keys(key).sort(), KEY_FIELDS);
    const others = await list(t.b.admin.accessToken);
    assert.ok(!others.some((k) => k.id === first.id || k.id === second.id), 'another tenant sees these keys');
  });

  test('a tenant without keys gets an empty list', async () => {
    const tenant = await t.createTenant('nokeys');
    assert.deepEqual(await list(tenant.admin.accessToken), []);
  });
});

describe('DELETE /api/v1/api-keys/{api_key_id}', () => {
  test('deletes the key (the seed’s message) and its stored row', async () => {
    const { id } = await createOk(t.a.admin.accessToken, { provider: 'openai', model: 'gpt-4o', api_key: freshKey() });
    const res = await remove(t.a.admin.accessToken, String(id));
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { message: 'APIキーが削除されました' });
    assert.equal(await storedRow(String(id)), undefined);
    assert.ok(!(await list(t.a.admin.accessToken)).some((k) => k.id === id));
    expectError(await remove(t.a.admin.accessToken, String(id)), 404, 'RESOURCE_NOT_FOUND');
  });

  test('another tenant’s key is 404, and stays', async () => {
    const { id } = await createOk(t.b.admin.accessToken, { provider: 'openai', model: 'gpt-4o', api_key: freshKey() });
    const foreign = expectError(await remove(t.a.admin.accessToken, String(id)), 404, 'RESOURCE_NOT_FOUND');
    const unknown = expectError(await remove(t.a.admin.accessToken, randomUUID()), 404, 'RESOURCE_NOT_FOUND');
    assert.equal(foreign.detail, unknown.detail, 'a foreign id must look exactly like an unknown one');
    assert.ok(await storedRow(String(id)));
  });

  test('a malformed id is 422 naming api_key_id', async () => {
    const body = expectError(await remove(t.a.admin.accessToken, 'not-a-uuid'), 422, 'VALIDATION_ERROR');
    assert.ok(body.errors?.some((e) => e.field === 'api_key_id'), JSON.stringify(body));
  });
});

describe('access', () => {
  test('an OPERATOR can neither list, create nor delete keys (403)', async () => {
    const { id } = await createOk(t.a.admin.accessToken, { provider: 'openai', model: 'gpt-4o', api_key: freshKey() });
    const token = t.a.operator.accessToken;
    expectError(await call('GET', '/api/v1/api-keys', { token }), 403, 'PERMISSION_DENIED');
    expectError(await create(token, { provider: 'openai', model: 'gpt-4o', api_key: freshKey() }), 403, 'PERMISSION_DENIED');
    expectError(await remove(token, String(id)), 403, 'PERMISSION_DENIED');
    assert.ok(await storedRow(String(id)), 'the OPERATOR deleted the key');
  });

  test('without a token every route is 401', async () => {
    expectError(await call('GET', '/api/v1/api-keys'), 401, 'AUTHENTICATION_ERROR');
    expectError(await call('POST', '/api/v1/api-keys', { body: { provider: 'openai', model: 'gpt-4o', api_key: freshKey() } }), 401, 'AUTHENTICATION_ERROR');
    expectError(await call('DELETE', `/api/v1/api-keys/${randomUUID()}`), 401, 'AUTHENTICATION_ERROR');
  });

  test('the OpenAPI document has no response field that could carry a key', async () => {
    const doc = (await t.request('GET', '/openapi.json')).json();
    const schema = doc.components.schemas.ApiKey;
    assert.deepEqual(Object.keys(schema.properties).sort(), KEY_FIELDS);
    const post = doc.paths['/api/v1/api-keys/']?.post ?? doc.paths['/api/v1/api-keys']?.post;
    assert.ok(post?.responses?.['201'], 'POST /api/v1/api-keys is documented with its 201');
  });
});

describe('a stored key the server cannot open (ENCRYPTION_KEY changed since it was added)', () => {
  test('the chat answers 502 naming the model and what to do; nothing is sent to the provider', async () => {
    const tenant = await t.createTenant('unreadable');
    const { id } = await createOk(tenant.admin.accessToken, { provider: 'openai-compatible', model: 'sealed-elsewhere', api_key: freshKey(), base_url: fake.baseUrl });
    // As if sealed by a server with another ENCRYPTION_KEY.
    const sealedElsewhere = createSecretBox(randomBytes(32)).seal(freshKey());
    await t.app.database.db.update(providerKeys).set({ keySealed: sealedElsewhere }).where(eq(providerKeys.id, String(id)));
    fake.reset();
    const res = await call('POST', '/api/v1/chats/rag', { token: tenant.admin.accessToken, body: { query: '年次有給休暇は何日ですか', model: 'sealed-elsewhere' } });
    const error = expectError(res, 502, 'LLM_PROVIDER_ERROR');
    assert.match(error.detail, /stored API key for sealed-elsewhere cannot be decrypted \(was ENCRYPTION_KEY changed\?\): add the key again/);
    const japanese = await call('POST', '/api/v1/chats/rag', { token: tenant.admin.accessToken, headers: { 'accept-language': 'ja' }, body: { query: '年次有給休暇は何日ですか', model: 'sealed-elsewhere' } });
    assert.match(expectError(japanese, 502, 'LLM_PROVIDER_ERROR').detail, /sealed-elsewhere の API キーを復号できません/);
    assert.equal(fake.chatRequests.length + fake.requests.length, 0);
  });
});

test('keyHint never shows more than a quarter of a short key', () => {
  assert.equal(keyHint('sk-proj-abcdefghijklmnopAbCd'), 'sk-…AbCd');
  assert.equal(keyHint('12345678'), '…78');
  assert.equal(keyHint('123456789012345'), '…45');
});

// Registered last: node:test runs a file's tests in order, so this sees every response above.
test('no response of this file contained a plaintext key', () => {
  assert.ok(createdKeys.length >= 8);
  for (const res of seen) {
    for (const key of createdKeys) assert.ok(!res.body.includes(key), `key leaked in ${res.body}`);
  }
});
