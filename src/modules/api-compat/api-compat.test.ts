import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as OTPAuth from 'otpauth';
import { buildTestApp, expectError, PASSWORD, unique, type TestApp } from '../../test/harness.js';
import { totpCode, wrongTotpCode } from '../../test/authenticator.js';

let t: TestApp;
before(async () => {
  t = await buildTestApp();
});
after(() => t.close());

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const post = (url: string, body: unknown, token?: string) => t.request('POST', url, { body, token });
const signup = (body: Record<string, unknown>) => post('/api/signup/', body);
const login = (username: string, password = PASSWORD) => post('/api/login/', { username, password });
const login2fa = (username: string, code: string, password = PASSWORD) => post('/api/login-2fa/', { username, password, code });
const profile = (token: string) => t.request('GET', '/api/profile/', { token });
const setCookies = (res: { headers: Record<string, unknown> }) => [res.headers['set-cookie'] ?? []].flat() as string[];

/** Signs up through /api/signup/ and logs in; returns the username and jwt. */
async function seedUser(extra: Record<string, unknown> = {}) {
  const username = unique('s');
  const res = await signup({ username, password: PASSWORD, ...extra });
  assert.equal(res.statusCode, 201, res.body);
  const jwt: string = (await login(username)).json().jwt;
  return { username, jwt };
}

/** A seed-002 user with 2FA enabled through GET + POST /api/signup-tfa/. */
async function userWithTwoFactor() {
  const user = await seedUser();
  const secret: string = (await t.request('GET', '/api/signup-tfa/', { token: user.jwt })).json().secret_key;
  const res = await post('/api/signup-tfa/', { secret_key: secret, code: totpCode(secret) }, user.jwt);
  assert.equal(res.statusCode, 200, res.body);
  return { ...user, secret, recoveryCodes: res.json().recovery_codes as string[] };
}

describe('POST /api/signup/', () => {
  test('201 with exactly {"status":"success"}; the user can log in', async () => {
    const username = unique('su');
    const res = await signup({ username, password: PASSWORD });
    assert.equal(res.statusCode, 201);
    assert.deepEqual(res.json(), { status: 'success' });
    assert.equal((await login(username)).statusCode, 200);
  });

  test('the user is the ADMIN of a personal tenant and has no email unless given one', async () => {
    const { jwt } = await seedUser();
    const me = (await t.request('GET', '/api/v1/auth/me', { token: jwt })).json();
    assert.equal(me.role, 'ADMIN');
    assert.equal(me.email, null);
    assert.notEqual(me.tenant_id, t.a.id);
  });

  test('a duplicate username (any case) or email → 400 CONFLICT', async () => {
    const email = `${unique('dup')}@example.com`;
    const { username } = await seedUser({ email });
    expectError(await signup({ username, password: PASSWORD }), 400, 'CONFLICT');
    expectError(await signup({ username: username.toUpperCase(), password: PASSWORD }), 400, 'CONFLICT');
    expectError(await signup({ username: unique('other'), password: PASSWORD, email }), 400, 'CONFLICT');
    expectError(await signup({ username: t.a.admin.username, password: PASSWORD }), 400, 'CONFLICT');
  });

  const invalid: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['missing username', { username: undefined }, 'username', /required/],
    ['missing password', { password: undefined }, 'password', /required/],
    ['username too short', { username: 'ab' }, 'username', /at least 3/],
    ['username characters', { username: 'bad name!' }, 'username', /letters, digits and underscores/],
    // The /api design's own sample password fails the password policy (docs/decisions.md D2).
    ['the seed sample password "password123"', { password: 'password123' }, 'password', /uppercase/],
    ['password too short', { password: 'Pa1' }, 'password', /at least 8/],
    ['password without digit', { password: 'Passwordabc' }, 'password', /digit/],
    ['email format', { email: 'not-an-email' }, 'email', /valid email/],
    ['unknown field', { role: 'ADMIN' }, 'body', /unknown field/],
  ];
  for (const [name, change, field, message] of invalid) {
    test(`refuses ${name} with 400 VALIDATION_ERROR naming the field`, async () => {
      const res = await signup({ username: unique('v'), password: PASSWORD, ...change });
      const error = expectError(res, 400, 'VALIDATION_ERROR').errors?.find((e) => e.field === field);
      assert.ok(error, `no error for ${field}: ${res.body}`);
      assert.match(error.message, message);
    });
  }
});

describe('POST /api/login/', () => {
  test('200 {"status":"success","jwt"} and an HttpOnly SameSite=Strict cookie holding the jwt', async () => {
    const { username } = await seedUser();
    const res = await login(username);
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.deepEqual(Object.keys(body).sort(), ['jwt', 'status']);
    assert.equal(body.status, 'success');
    const cookie = setCookies(res).find((c) => c.startsWith('shiori_access='));
    assert.ok(cookie, `no shiori_access cookie: ${setCookies(res)}`);
    assert.equal(cookie.split(';')[0], `shiori_access=${body.jwt}`);
    assert.match(cookie, /; HttpOnly/);
    assert.match(cookie, /; SameSite=Strict/);
    assert.match(cookie, /; Path=\/(;|$)/);
    // Secure unless running on plain-http localhost (docs/decisions.md D3), which the tests do.
    assert.equal(/; Secure/.test(cookie), t.config.cookieSecure);
    assert.equal((await profile(body.jwt)).statusCode, 200);
    const byCookie = await t.request('GET', '/api/profile/', { cookies: { shiori_access: body.jwt } });
    assert.equal(byCookie.json().username, username);
  });

  test('the username is matched case-insensitively', async () => {
    const { username } = await seedUser();
    assert.equal((await login(username.toUpperCase())).statusCode, 200);
  });

  test('a wrong password and an unknown user → the same 400 INVALID_CREDENTIALS, no cookie', async () => {
    const { username } = await seedUser();
    const wrong = await login(username, 'Wrong12345');
    const unknown = await login(unique('nobody'));
    assert.equal(expectError(wrong, 400, 'INVALID_CREDENTIALS').detail, expectError(unknown, 400, 'INVALID_CREDENTIALS').detail);
    assert.equal(setCookies(wrong).length, 0);
  });

  const invalid: Array<[string, unknown, string]> = [
    ['missing username', { password: PASSWORD }, 'username'],
    ['missing password', { username: 'someone' }, 'password'],
    ['empty password', { username: 'someone', password: '' }, 'password'],
    ['username of the wrong type', { username: 42, password: PASSWORD }, 'username'],
    ['unknown field', { username: 'someone', password: PASSWORD, totp_code: '123456' }, 'body'],
  ];
  for (const [name, body, field] of invalid) {
    test(`refuses ${name} with 400 VALIDATION_ERROR naming the field`, async () => {
      const res = await post('/api/login/', body);
      assert.ok(expectError(res, 400, 'VALIDATION_ERROR').errors?.some((e) => e.field === field), res.body);
    });
  }

  test('the trailing slash is optional', async () => {
    const { username, jwt } = await seedUser();
    assert.equal((await post('/api/login', { username, password: PASSWORD })).statusCode, 200);
    assert.equal((await t.request('GET', '/api/profile', { token: jwt })).statusCode, 200);
    assert.equal((await post('/api/signup', { username: unique('ns'), password: PASSWORD })).statusCode, 201);
  });
});

describe('GET /api/profile/', () => {
  test('exactly {username, email, opt_enabled}', async () => {
    const email = `${unique('pr')}@example.com`;
    const { username, jwt } = await seedUser({ email: email.toUpperCase() });
    const res = await profile(jwt);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { username, email, opt_enabled: false });
    const { jwt: noEmail, username: other } = await seedUser();
    assert.deepEqual((await profile(noEmail)).json(), { username: other, email: null, opt_enabled: false });
  });

  test('no token or an invalid token → 401', async () => {
    expectError(await t.request('GET', '/api/profile/'), 401, 'AUTHENTICATION_ERROR');
    expectError(await profile('not-a-jwt'), 401, 'AUTHENTICATION_ERROR');
  });
});

describe('POST /api/logout/', () => {
  test('with the bearer jwt: 200 {"status":"success"}, the cookie is cleared and the jwt is refused', async () => {
    const { jwt } = await seedUser();
    const res = await post('/api/logout/', undefined, jwt);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'success' });
    assert.ok(setCookies(res).some((c) => /^shiori_access=;/.test(c)), 'the cookie is cleared');
    expectError(await profile(jwt), 401, 'AUTHENTICATION_ERROR');
    expectError(await post('/api/logout/', undefined, jwt), 400, 'BAD_REQUEST');
  });

  test('with the cookie: needs a same-origin Origin header (CSRF)', async () => {
    const { jwt } = await seedUser();
    const cookies = { shiori_access: jwt };
    expectError(await t.request('POST', '/api/logout/', { cookies }), 403, 'CSRF_FAILED');
    expectError(await t.request('POST', '/api/logout/', { cookies, headers: { origin: 'https://evil.example' } }), 403, 'CSRF_FAILED');
    assert.equal((await profile(jwt)).statusCode, 200, 'the refused logouts changed nothing');
    const res = await t.request('POST', '/api/logout/', { cookies, headers: { origin: t.publicUrl } });
    assert.equal(res.statusCode, 200);
    expectError(await profile(jwt), 401, 'AUTHENTICATION_ERROR');
  });

  test('without a token or with an invalid one → 400', async () => {
    expectError(await post('/api/logout/', undefined), 400, 'BAD_REQUEST');
    expectError(await post('/api/logout/', undefined, 'not-a-jwt'), 400, 'BAD_REQUEST');
    expectError(await t.request('POST', '/api/logout/', { cookies: { shiori_access: 'not-a-jwt' }, headers: { origin: t.publicUrl } }), 400, 'BAD_REQUEST');
  });

  test('ends only that session', async () => {
    const { username, jwt } = await seedUser();
    const other: string = (await login(username)).json().jwt;
    assert.equal((await post('/api/logout', undefined, jwt)).statusCode, 200);
    assert.equal((await profile(other)).statusCode, 200);
  });
});

describe('two-factor: /api/signup-tfa/ and /api/login-2fa/', () => {
  test('full flow: set-up, enable with a code, log in with a fresh code, no replay, recovery codes once', async () => {
    const { username, jwt } = await seedUser();
    const setup = await t.request('GET', '/api/signup-tfa/', { token: jwt });
    assert.equal(setup.statusCode, 200);
    assert.deepEqual(Object.keys(setup.json()).sort(), ['qr_url', 'secret_key']);
    const { qr_url, secret_key } = setup.json();
    assert.match(qr_url, /^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
    const png = Buffer.from(qr_url.slice('data:image/png;base64,'.length), 'base64');
    assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE);
    assert.match(secret_key, /^[A-Z2-7]{32}$/, '160-bit base32 secret');
    assert.equal((await profile(jwt)).json().opt_enabled, false, 'nothing changes before a code proves the app has the secret');

    const enabled = await post('/api/signup-tfa/', { secret_key, code: totpCode(secret_key) }, jwt);
    assert.equal(enabled.statusCode, 200, enabled.body);
    assert.deepEqual(Object.keys(enabled.json()).sort(), ['recovery_codes', 'status']);
    assert.equal(enabled.json().status, 'success');
    const recoveryCodes: string[] = enabled.json().recovery_codes;
    assert.equal(recoveryCodes.length, 10);
    assert.equal(new Set(recoveryCodes).size, 10);
    assert.equal((await profile(jwt)).json().opt_enabled, true, 'the enabling session lives on');

    expectError(await login(username), 401, 'TWO_FACTOR_REQUIRED');

    // The enabling code's step is spent; the next step's code is fresh (within the ±1 window).
    const fresh = totpCode(secret_key, 1);
    const res = await login2fa(username, fresh);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(Object.keys(res.json()), ['jwt']);
    assert.equal((await profile(res.json().jwt)).json().username, username);
    assert.ok(setCookies(res).some((c) => c.startsWith(`shiori_access=${res.json().jwt}`)));
    expectError(await login2fa(username, fresh), 401, 'INVALID_TWO_FACTOR_CODE');

    const recovery = recoveryCodes[0]!;
    const byRecovery = await login2fa(username, recovery.toUpperCase());
    assert.equal(byRecovery.statusCode, 200, byRecovery.body);
    assert.equal((await profile(byRecovery.json().jwt)).statusCode, 200);
    expectError(await login2fa(username, recovery), 401, 'INVALID_TWO_FACTOR_CODE');
    assert.equal((await login2fa(username, recoveryCodes[1]!.replace('-', ''))).statusCode, 200, 'the dash is optional');
  });

  test('a wrong code → 401 INVALID_TWO_FACTOR_CODE; a wrong password → 400 INVALID_CREDENTIALS', async () => {
    const user = await userWithTwoFactor();
    const wrongCode = wrongTotpCode(user.secret);
    expectError(await login2fa(user.username, wrongCode), 401, 'INVALID_TWO_FACTOR_CODE');
    expectError(await login2fa(user.username, 'zzzz-zzzz'), 401, 'INVALID_TWO_FACTOR_CODE');
    expectError(await login2fa(user.username, totpCode(user.secret, 1), 'Wrong12345'), 400, 'INVALID_CREDENTIALS');
    expectError(await login2fa(unique('nobody'), '123456'), 400, 'INVALID_CREDENTIALS');
  });

  test('the same users on both surfaces: v1 login asks for the code too', async () => {
    const user = await userWithTwoFactor();
    const me = (await t.request('GET', '/api/v1/auth/me', { token: user.jwt })).json();
    assert.equal(me.two_factor_enabled, true);
    const email = `${unique('tf')}@example.com`;
    const withEmail = await seedUser({ email });
    const secret: string = (await t.request('GET', '/api/signup-tfa/', { token: withEmail.jwt })).json().secret_key;
    assert.equal((await post('/api/signup-tfa/', { secret_key: secret, code: totpCode(secret) }, withEmail.jwt)).statusCode, 200);
    expectError(await t.login(email), 401, 'TWO_FACTOR_REQUIRED');
    assert.equal((await t.login(email, PASSWORD, { totp_code: totpCode(secret, 1) })).statusCode, 200);
  });

  test('GET /api/signup-tfa/ when 2FA is already on → 400', async () => {
    const user = await userWithTwoFactor();
    assert.match(expectError(await t.request('GET', '/api/signup-tfa/', { token: user.jwt }), 400, 'CONFLICT').detail, /already enabled/);
    expectError(await post('/api/signup-tfa/', { secret_key: user.secret, code: totpCode(user.secret, 1) }, user.jwt), 400, 'CONFLICT');
  });

  test('POST /api/signup-tfa/ with a wrong secret_key → 400, and 2FA stays off', async () => {
    const { jwt } = await seedUser();
    const secret: string = (await t.request('GET', '/api/signup-tfa/', { token: jwt })).json().secret_key;
    const other = new OTPAuth.Secret({ size: 20 }).base32;
    assert.match(expectError(await post('/api/signup-tfa/', { secret_key: other, code: totpCode(other) }, jwt), 400, 'BAD_REQUEST').detail, /secret_key/);
    assert.equal((await profile(jwt)).json().opt_enabled, false);
    // The secret must be the latest one handed out.
    const newer: string = (await t.request('GET', '/api/signup-tfa/', { token: jwt })).json().secret_key;
    assert.notEqual(newer, secret);
    expectError(await post('/api/signup-tfa/', { secret_key: secret, code: totpCode(secret) }, jwt), 400, 'BAD_REQUEST');
    assert.equal((await post('/api/signup-tfa/', { secret_key: newer.toLowerCase(), code: totpCode(newer) }, jwt)).statusCode, 200);
  });

  test('POST /api/signup-tfa/ with a wrong code → 400, and 2FA stays off', async () => {
    const { jwt, username } = await seedUser();
    const secret: string = (await t.request('GET', '/api/signup-tfa/', { token: jwt })).json().secret_key;
    const wrong = wrongTotpCode(secret);
    assert.match(expectError(await post('/api/signup-tfa/', { secret_key: secret, code: wrong }, jwt), 400, 'INVALID_TWO_FACTOR_CODE').detail, /code/);
    assert.equal((await profile(jwt)).json().opt_enabled, false);
    assert.equal((await login(username)).statusCode, 200, 'login still needs no code');
  });

  test('POST /api/signup-tfa/ before any GET → 400', async () => {
    const { jwt } = await seedUser();
    const secret = new OTPAuth.Secret({ size: 20 }).base32;
    expectError(await post('/api/signup-tfa/', { secret_key: secret, code: totpCode(secret) }, jwt), 400, 'BAD_REQUEST');
  });

  test('invalid input → 400 VALIDATION_ERROR; no token → 401', async () => {
    const { jwt } = await seedUser();
    const secret: string = (await t.request('GET', '/api/signup-tfa/', { token: jwt })).json().secret_key;
    const cases: Array<[unknown, string]> = [
      [{ secret_key: secret }, 'code'],
      [{ code: totpCode(secret) }, 'secret_key'],
      [{ secret_key: 'short', code: totpCode(secret) }, 'secret_key'],
      [{ secret_key: secret, code: '1' }, 'code'],
    ];
    for (const [body, field] of cases) {
      const res = await post('/api/signup-tfa/', body, jwt);
      assert.ok(expectError(res, 400, 'VALIDATION_ERROR').errors?.some((e) => e.field === field), res.body);
    }
    expectError(await t.request('GET', '/api/signup-tfa/'), 401, 'AUTHENTICATION_ERROR');
    expectError(await post('/api/signup-tfa/', { secret_key: secret, code: totpCode(secret) }), 401, 'AUTHENTICATION_ERROR');
    const missing = await post('/api/login-2fa/', { username: 'someone', password: PASSWORD });
    assert.ok(expectError(missing, 400, 'VALIDATION_ERROR').errors?.some((e) => e.field === 'code'), missing.body);
  });
});

describe('one set of users for both surfaces', () => {
  test('a user registered through /api/v1/auth/register logs in at /api/login/ by username; the jwt works on v1', async () => {
    const name = unique('v1');
    const email = `${name}@example.com`;
    const reg = await post('/api/v1/auth/register', { email, username: name, password: PASSWORD, tenant_name: 'V1 Co', tenant_domain: `${name.replaceAll('_', '-')}.example.com` });
    assert.equal(reg.statusCode, 201);
    const res = await login(name);
    assert.equal(res.statusCode, 200);
    const me = await t.request('GET', '/api/v1/auth/me', { token: res.json().jwt });
    assert.equal(me.statusCode, 200);
    assert.equal(me.json().id, reg.json().id);
    assert.deepEqual((await profile(res.json().jwt)).json(), { username: name, email, opt_enabled: false });
  });

  test('a seed-002 signup with an email logs in through v1; v1 tokens work on /api/profile/', async () => {
    const email = `${unique('s2')}@example.com`;
    const { username } = await seedUser({ email });
    const res = await t.login(email);
    assert.equal(res.statusCode, 200);
    assert.equal((await profile(res.json().access_token)).json().username, username);
  });

  test('a v1 logout ends the seed-002 session too', async () => {
    const { jwt } = await seedUser();
    assert.equal((await t.request('POST', '/api/v1/auth/logout', { token: jwt })).statusCode, 200);
    expectError(await profile(jwt), 401, 'AUTHENTICATION_ERROR');
  });
});
