import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startFakeOpenAI, type FakeOpenAI } from '../../test/fake-openai.js';
import { buildTestApp, expectError, type TestApp } from '../../test/harness.js';
import { uploadAndProcess } from '../../test/upload.js';

// The SSRF policy as a tenant meets it: on a shared service (private networks not allowed) a
// base_url that reaches the server's own network is refused when saved, and again at every
// connection, so a name that changes its address later gets nothing either; the key is never sent.

const API_KEY = 'sk-tenant-secret-key-0123456789abcdef';
let provider: FakeOpenAI;
let shared: TestApp;
let selfHosted: TestApp;
let port: string;
/** rebind.example answers with a public address once (the save-time check), then with loopback. */
let rebindLookups = 0;
const received = () => provider.chatRequests.length + provider.modelLookups.length + provider.requests.length;

before(async () => {
  provider = await startFakeOpenAI();
  port = new URL(provider.baseUrl).port;
  shared = await buildTestApp({
    llm: { timeoutMs: 2000, maxRetries: 0 },
    outbound: {
      allowPrivateNetworks: false,
      resolve: async (host) => {
        if (host === 'rebind.example') return ++rebindLookups === 1 ? ['93.184.215.14'] : ['127.0.0.1'];
        if (host === 'localhost') return ['127.0.0.1', '::1'];
        throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
      },
    },
  });
  selfHosted = await buildTestApp({ outbound: { allowPrivateNetworks: true } });
});
after(async () => {
  await shared.close();
  await selfHosted.close();
  await provider.close();
});

const addKey = (t: TestApp, baseUrl: string, verify = true) =>
  t.request('POST', '/api/v1/api-keys', {
    token: t.a.admin.accessToken,
    body: { provider: 'openai-compatible', model: 'local-model', api_key: API_KEY, base_url: baseUrl, verify },
  });

const refusedOnShared: Array<[string, RegExp]> = [
  [`http://127.0.0.1:${'PORT'}/v1`, /127\.0\.0\.1 is a loopback address/],
  [`http://2130706433:${'PORT'}/v1`, /127\.0\.0\.1 is a loopback address/],
  [`http://0x7f.0.0.1:${'PORT'}/v1`, /127\.0\.0\.1 is a loopback address/],
  [`http://[::ffff:127.0.0.1]:${'PORT'}/v1`, /127\.0\.0\.1 is a loopback address/],
  [`http://localhost:${'PORT'}/v1`, /localhost resolves to 127\.0\.0\.1/],
  ['http://10.0.0.8:11434/v1', /10\.0\.0\.8 is a private network address/],
  ['http://169.254.169.254/latest/meta-data', /link-local/],
  ['http://[::ffff:a9fe:a9fe]/latest/meta-data', /169\.254\.169\.254/],
  ['http://[fd00:ec2::254]/latest', /cloud metadata/],
];

describe(`POST /api/v1/api-keys on a shared service: ${refusedOnShared.length} internal base_urls`, () => {
  for (const [template, reason] of refusedOnShared) {
    test(`${template} → 422 on base_url (${reason.source}), nothing stored, nothing sent`, async () => {
      provider.reset();
      // verify: false, so the refusal is the save-time check's and not the verify call's.
      const res = await addKey(shared, template.replace('PORT', port), false);
      const error = expectError(res, 422, 'VALIDATION_ERROR');
      assert.equal(error.errors?.[0]?.field, 'base_url');
      assert.match(error.errors![0]!.message, /^is not allowed: /);
      assert.match(error.errors![0]!.message, reason);
      assert.ok(!res.body.includes(API_KEY));
      assert.equal(received(), 0);
    });
  }

  test('none of them was stored', async () => {
    const list = await shared.request('GET', '/api/v1/api-keys', { token: shared.a.admin.accessToken });
    assert.deepEqual(list.json(), []);
  });
});

describe('self-hosted (OUTBOUND_ALLOW_PRIVATE_NETWORKS=true)', () => {
  test('a local server is verified and used', async () => {
    provider.reset();
    assert.equal((await addKey(selfHosted, provider.baseUrl)).statusCode, 201);
    assert.equal(provider.chatRequests.length, 1, 'verify: true made one call');
  });

  for (const url of ['http://169.254.169.254/v1', 'http://[::ffff:169.254.169.254]/v1', 'http://100.100.100.200/v1']) {
    test(`metadata stays refused: ${url}`, async () => {
      const error = expectError(await addKey(selfHosted, url, false), 422, 'VALIDATION_ERROR');
      assert.equal(error.errors?.[0]?.field, 'base_url');
    });
  }
});

describe('DNS rebinding: public when saved, loopback when used', () => {
  before(async () => {
    const res = await addKey(shared, `http://rebind.example:${port}/v1`, false);
    assert.equal(res.statusCode, 201, res.body);
  });

  test('a chat answer is refused at connection time: 502 naming the address, the key never sent', async () => {
    provider.reset();
    const res = await shared.request('POST', '/api/v1/chats/rag', { token: shared.a.admin.accessToken, body: { query: '年次有給休暇は何日ですか', model: 'local-model' } });
    const error = expectError(res, 502, 'LLM_PROVIDER_ERROR');
    assert.match(error.detail, /is not allowed: rebind\.example resolves to 127\.0\.0\.1 is a loopback address/);
    assert.ok(!res.body.includes(API_KEY));
    assert.equal(received(), 0);
  });

  test('a document is still indexed by full text; its warning says why it has no vectors', async (ctx) => {
    if (!shared.app.database.vectorSearch) return ctx.skip('no pgvector on this database: documents are not embedded at all');
    provider.reset();
    const { detail: doc } = await uploadAndProcess(shared, shared.a.admin.accessToken, 'rules.txt', '年次有給休暇は入社6か月後に10日付与されます。');
    assert.equal(doc.status, 'completed');
    assert.ok(doc.warnings.some((w) => /No vectors: .*is not allowed: rebind\.example resolves to 127\.0\.0\.1/.test(w)), JSON.stringify(doc.warnings));
    assert.equal(received(), 0);
  });
});
