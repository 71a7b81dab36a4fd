import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, type TestApp } from '../test/harness.js';

// Links handed out (embed snippet, invitation, OpenAPI server) follow the address the request came to unless PUBLIC_URL is set.
const snippetSrc = async (t: TestApp, headers: Record<string, string>) => {
  const res = await t.request('GET', `/api/v1/tenants/${t.a.id}/embed-snippet`, { token: t.a.admin.accessToken, headers });
  assert.equal(res.statusCode, 200, res.body);
  return /src="([^"]+)"/.exec(res.json().snippet)?.[1];
};
const openApiServer = async (t: TestApp, headers: Record<string, string>) => (await t.request('GET', '/openapi.json', { headers })).json().servers[0].url;
const inviteUrl = async (t: TestApp, headers: Record<string, string>) => {
  const res = await t.request('POST', '/api/v1/invitations', { token: t.a.admin.accessToken, headers, body: { email: `x${Date.now()}@example.com` } });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().invite_url as string;
};

describe('without PUBLIC_URL', () => {
  let t: TestApp;
  let proxied: TestApp;
  before(async () => {
    [t, proxied] = await Promise.all([buildTestApp(), buildTestApp({ trustProxy: true })]);
  });
  after(() => Promise.all([t.close(), proxied.close()]));

  test('the snippet, the OpenAPI server and invitation links use the origin the request came to', async () => {
    const host = { host: '127.0.0.1:3900' };
    assert.equal(await snippetSrc(t, host), 'http://127.0.0.1:3900/widget.js');
    assert.equal(await openApiServer(t, host), 'http://127.0.0.1:3900');
    assert.match(await inviteUrl(t, host), /^http:\/\/127\.0\.0\.1:3900\/invite#token=/);
    assert.equal(await snippetSrc(t, { host: '192.168.10.5:3000' }), 'http://192.168.10.5:3000/widget.js', 'a colleague on the office LAN');
  });

  test('X-Forwarded-Proto/-Host are believed only with TRUST_PROXY', async () => {
    const forwarded = { host: '10.0.0.7:3000', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'bot.example.co.jp' };
    assert.equal(await snippetSrc(t, forwarded), 'http://10.0.0.7:3000/widget.js', 'anyone can send these headers');
    assert.equal(await snippetSrc(proxied, forwarded), 'https://bot.example.co.jp/widget.js');
    assert.equal(await openApiServer(proxied, forwarded), 'https://bot.example.co.jp');
  });
});

describe('with PUBLIC_URL', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ publicUrl: 'https://chat.example.co.jp' });
  });
  after(() => t.close());

  test('every link uses it, whatever address the request came to', async () => {
    const host = { host: '127.0.0.1:3900' };
    assert.equal(await snippetSrc(t, host), 'https://chat.example.co.jp/widget.js');
    assert.equal(await openApiServer(t, host), 'https://chat.example.co.jp');
    assert.match(await inviteUrl(t, host), /^https:\/\/chat\.example\.co\.jp\/invite#token=/);
  });
});
