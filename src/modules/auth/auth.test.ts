import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SignJWT } from 'jose';
import { buildTestApp, expectError, PASSWORD, TEST_JWT_SECRET, unique, type TestApp } from '../../test/harness.js';

let t: TestApp;
before(async () => {
  t = await buildTestApp();
});
after(() => t.close());

const registration = (overrides: Record<string, unknown> = {}) => {
  const name = unique('reg');
  return { email: `${name}@example.com`, username: name, password: PASSWORD, tenant_name: 'Acme 株式会社', tenant_domain: `${name.replaceAll('_', '-')}.example.jp`, ...overrides };
};

describe('POST /api/v1/auth/register', () => {
  test('creates a tenant whose first user is its ADMIN', async () => {
    const body = registration();
    const res = await t.request('POST', '/api/v1/auth/register', { body });
    assert.equal(res.statusCode, 201);
    const user = res.json();
    assert.deepEqual(Object.keys(user).sort(), ['email', 'id', 'role', 'tenant_id', 'username']);
    assert.equal(user.role, 'ADMIN');
    assert.equal(user.email, body.email);
    const login = await t.login(body.email);
    const me = await t.request('GET', '/api/v1/auth/me', { token: login.json().access_token });
    assert.equal(me.json().tenant_id, user.tenant_id);
    const tenant = await t.request('GET', `/api/v1/tenants/${user.tenant_id}`, { token: login.json().access_token });
    assert.equal(tenant.json().name, 'Acme 株式会社');
    assert.equal(tenant.json().domain, body.tenant_domain);
  });

  test('normalizes the email to lower case', async () => {
    const body = registration();
    const res = await t.request('POST', '/api/v1/auth/register', { body: { ...body, email: body.email.toUpperCase() } });
    assert.equal(res.json().email, body.email);
  });

  const invalid: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['email format', { email: 'not-an-email' }, 'email', /valid email/],
    ['username too short', { username: 'ab' }, 'username', /at least 3/],
    ['username too long', { username: 'a'.repeat(101) }, 'username', /at most 100/],
    ['username characters', { username: 'bad name!' }, 'username', /letters, digits and underscores/],
    ['password too short', { password: 'Pa1' }, 'password', /at least 8/],
    ['password without uppercase', { password: 'password123' }, 'password', /uppercase/],
    ['password without lowercase', { password: 'PASSWORD123' }, 'password', /lowercase/],
    ['password without digit', { password: 'Passwordabc' }, 'password', /digit/],
    ['missing tenant_name', { tenant_name: undefined }, 'tenant_name', /required/],
    ['bad tenant_domain', { tenant_domain: 'not a domain' }, 'tenant_domain', /domain name/],
    ['unknown field (mass assignment)', { role: 'ADMIN' }, 'body', /unknown field/],
    ['wrong type', { username: 42 }, 'username', /must be a string/],
  ];
  for (const [name, change, field, message] of invalid) {
    test(`refuses ${name} with 422 naming the field`, async () => {
      const res = await t.request('POST', '/api/v1/auth/register', { body: registration(change) });
      const body = expectError(res, 422, 'VALIDATION_ERROR');
      const error = body.errors?.find((e) => e.field === field);
      assert.ok(error, `no error for ${field}: ${res.body}`);
      assert.match(error.message, message);
    });
  }

  test('refuses an existing tenant domain with 409: nobody joins by guessing', async () => {
    const res = await t.request('POST', '/api/v1/auth/register', { body: registration({ tenant_domain: t.a.domain.toUpperCase() }) });
    assert.match(expectError(res, 409, 'CONFLICT').detail, /invitation/);
  });

  test('refuses a registered email or username with 409', async () => {
    expectError(await t.request('POST', '/api/v1/auth/register', { body: registration({ email: t.a.admin.email }) }), 409, 'CONFLICT');
    expectError(await t.request('POST', '/api/v1/auth/register', { body: registration({ username: t.a.admin.username.toUpperCase() }) }), 409, 'CONFLICT');
  });
});

describe('POST /api/v1/auth/login', () => {
  test('returns the seed’s token response and sets HttpOnly SameSite=Strict cookies', async () => {
    const res = await t.login(t.a.admin.email);
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'refresh_token', 'token_type']);
    assert.equal(body.token_type, 'bearer');
    assert.equal(body.expires_in, 1800);
    const cookies = [res.headers['set-cookie']].flat().join('\n');
    assert.match(cookies, /shiori_access=.*HttpOnly/);
    assert.match(cookies, /shiori_access=.*SameSite=Strict/);
    assert.match(cookies, /shiori_refresh=.*Path=\/api\/v1\/auth/);
  });

  test('access token carries exp 30 min after iat, a jti, and HS256', async () => {
    const token: string = (await t.login(t.a.admin.email)).json().access_token;
    const [header, payload] = token.split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()));
    assert.equal(header.alg, 'HS256');
    assert.equal(payload.exp - payload.iat, 1800);
    assert.ok(payload.jti);
  });

  test('wrong password and unknown email give the same 401', async () => {
    const wrong = expectError(await t.login(t.a.admin.email, 'Wrong1234'), 401, 'INVALID_CREDENTIALS');
    const unknown = expectError(await t.login(`${unique()}@example.com`), 401, 'INVALID_CREDENTIALS');
    assert.equal(wrong.detail, unknown.detail);
  });
});

describe('access tokens', () => {
  const me = (token: string) => t.request('GET', '/api/v1/auth/me', { token });

  test('GET /me returns the seed’s fields', async () => {
    const res = await me(t.a.operator.accessToken);
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.id, t.a.operator.id);
    assert.equal(body.role, 'OPERATOR');
    assert.equal(body.tenant_id, t.a.id);
    assert.equal(body.is_active, true);
    assert.equal(body.is_verified, true, 'invited users proved their email');
    assert.equal(body.two_factor_enabled, false);
  });

  test('missing token → 401', async () => {
    expectError(await t.request('GET', '/api/v1/auth/me'), 401, 'AUTHENTICATION_ERROR');
  });

  test('malformed Authorization header → 401', async () => {
    expectError(await t.request('GET', '/api/v1/auth/me', { headers: { authorization: 'Token abc' } }), 401, 'AUTHENTICATION_ERROR');
  });

  test('tampered payload → 401', async () => {
    const [h, p, s] = t.a.operator.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, role: 'ADMIN', tid: t.b.id })).toString('base64url');
    expectError(await me(`${h}.${forged}.${s}`), 401, 'AUTHENTICATION_ERROR');
  });

  test('alg: none → 401', async () => {
    const claims = JSON.parse(Buffer.from(t.a.admin.accessToken.split('.')[1]!, 'base64url').toString());
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
    expectError(await me(none), 401, 'AUTHENTICATION_ERROR');
  });

  test('expired token → 401 saying so', async () => {
    const claims = JSON.parse(Buffer.from(t.a.admin.accessToken.split('.')[1]!, 'base64url').toString());
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({ ...claims, iat: now - 3600, nbf: now - 3600, exp: now - 1800 })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    assert.match(expectError(await me(expired), 401, 'AUTHENTICATION_ERROR').detail, /expired/);
  });

  test('token signed with another secret → 401', async () => {
    const claims = JSON.parse(Buffer.from(t.a.admin.accessToken.split('.')[1]!, 'base64url').toString());
    const other = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('another-secret-another-secret-another'));
    expectError(await me(other), 401, 'AUTHENTICATION_ERROR');
  });

  test('a refresh token is not an access token', async () => {
    expectError(await me(t.a.operator.refreshToken), 401, 'AUTHENTICATION_ERROR');
  });

  test('the role comes from the database, not the token', async () => {
    const res = await t.request('GET', '/api/v1/users', { token: t.a.operator.accessToken });
    expectError(res, 403, 'PERMISSION_DENIED');
  });
});

describe('POST /api/v1/auth/refresh', () => {
  test('rotates: new tokens work, the old refresh token is spent', async () => {
    const login = (await t.login(t.a.operator.email)).json();
    const res = await t.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: login.refresh_token } });
    assert.equal(res.statusCode, 200);
    const rotated = res.json();
    assert.notEqual(rotated.refresh_token, login.refresh_token);
    assert.equal((await t.request('GET', '/api/v1/auth/me', { token: rotated.access_token })).statusCode, 200);
  });

  test('reusing a spent refresh token revokes the whole session family', async () => {
    const login = (await t.login(t.a.operator.email)).json();
    const first = (await t.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: login.refresh_token } })).json();
    const reuse = await t.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: login.refresh_token } });
    assert.match(expectError(reuse, 401, 'AUTHENTICATION_ERROR').detail, /already used/);
    // Both the thief's and the owner's newest tokens are now dead.
    expectError(await t.request('GET', '/api/v1/auth/me', { token: first.access_token }), 401, 'AUTHENTICATION_ERROR');
    expectError(await t.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: first.refresh_token } }), 401, 'AUTHENTICATION_ERROR');
    expectError(await t.request('GET', '/api/v1/auth/me', { token: login.access_token }), 401, 'AUTHENTICATION_ERROR');
  });

  test('accepts the refresh cookie', async () => {
    const login = await t.login(t.a.operator.email);
    const res = await t.request('POST', '/api/v1/auth/refresh', { cookies: { shiori_refresh: login.json().refresh_token } });
    assert.equal(res.statusCode, 200);
  });

  test('an access token is not a refresh token; garbage and nothing are 401', async () => {
    expectError(await t.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: t.a.operator.accessToken } }), 401, 'AUTHENTICATION_ERROR');
    expectError(await t.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: 'garbage' } }), 401, 'AUTHENTICATION_ERROR');
    expectError(await t.request('POST', '/api/v1/auth/refresh', { body: {} }), 401, 'AUTHENTICATION_ERROR');
  });
});

describe('POST /api/v1/auth/logout', () => {
  test('access and refresh tokens of that session stop working at once; others live on', async () => {
    const session1 = (await t.login(t.a.operator.email)).json();
    const session2 = (await t.login(t.a.operator.email)).json();
    const res = await t.request('POST', '/api/v1/auth/logout', { token: session1.access_token });
    assert.equal(res.statusCode, 200);
    assert.match([res.headers['set-cookie']].flat().join(), /shiori_access=;/);
    expectError(await t.request('GET', '/api/v1/auth/me', { token: session1.access_token }), 401, 'AUTHENTICATION_ERROR');
    expectError(await t.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: session1.refresh_token } }), 401, 'AUTHENTICATION_ERROR');
    assert.equal((await t.request('GET', '/api/v1/auth/me', { token: session2.access_token })).statusCode, 200);
  });
});

describe('cookie authentication and CSRF', () => {
  test('a GET with only the cookie is authenticated', async () => {
    const res = await t.request('GET', '/api/v1/auth/me', { cookies: { shiori_access: t.a.admin.accessToken } });
    assert.equal(res.statusCode, 200);
  });

  test('a cookie-authenticated write from another origin is refused; from our origin it works', async () => {
    const token = (await t.login(t.a.operator.email)).json().access_token;
    const cross = await t.request('POST', '/api/v1/auth/logout', { cookies: { shiori_access: token }, headers: { origin: 'https://evil.example' } });
    expectError(cross, 403, 'CSRF_FAILED');
    const noOrigin = await t.request('POST', '/api/v1/auth/logout', { cookies: { shiori_access: token } });
    expectError(noOrigin, 403, 'CSRF_FAILED');
    const crossSite = await t.request('POST', '/api/v1/auth/logout', { cookies: { shiori_access: token }, headers: { origin: t.publicUrl, 'sec-fetch-site': 'cross-site' } });
    expectError(crossSite, 403, 'CSRF_FAILED');
    const same = await t.request('POST', '/api/v1/auth/logout', { cookies: { shiori_access: token }, headers: { origin: t.publicUrl } });
    assert.equal(same.statusCode, 200);
  });

  test('a bearer-authenticated write needs no Origin', async () => {
    const token = (await t.login(t.a.operator.email)).json().access_token;
    assert.equal((await t.request('POST', '/api/v1/auth/logout', { token, headers: { origin: 'https://evil.example' } })).statusCode, 200);
  });
});

describe('POST /api/v1/auth/password', () => {
  test('changes the password and logs out every other session', async () => {
    const tenant = await t.createTenant('pw');
    const other = (await t.login(tenant.admin.email)).json();
    const res = await t.request('POST', '/api/v1/auth/password', { token: tenant.admin.accessToken, body: { current_password: PASSWORD, new_password: 'NewPassword456' } });
    assert.equal(res.statusCode, 200);
    expectError(await t.request('GET', '/api/v1/auth/me', { token: other.access_token }), 401, 'AUTHENTICATION_ERROR');
    assert.equal((await t.request('GET', '/api/v1/auth/me', { token: tenant.admin.accessToken })).statusCode, 200);
    expectError(await t.login(tenant.admin.email), 401, 'INVALID_CREDENTIALS');
    assert.equal((await t.login(tenant.admin.email, 'NewPassword456')).statusCode, 200);
  });

  test('refuses a wrong current password and a weak new one', async () => {
    expectError(await t.request('POST', '/api/v1/auth/password', { token: t.b.operator.accessToken, body: { current_password: 'Wrong1234', new_password: 'NewPassword456' } }), 401, 'INVALID_CREDENTIALS');
    expectError(await t.request('POST', '/api/v1/auth/password', { token: t.b.operator.accessToken, body: { current_password: PASSWORD, new_password: 'weak' } }), 422, 'VALIDATION_ERROR');
  });
});
