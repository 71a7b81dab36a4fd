import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { users, recoveryCodes } from '../../db/schema.js';
import { buildTestApp, expectError, PASSWORD, type TestApp, type TestTenant } from '../../test/harness.js';
import { previousTotpCode, totpCode, wrongTotpCode } from '../../test/authenticator.js';

let t: TestApp;
before(async () => {
  t = await buildTestApp();
});
after(() => t.close());


async function enableTwoFactor(tenant: TestTenant) {
  const token = tenant.admin.accessToken;
  const setup = (await t.request('POST', '/api/v1/auth/2fa/setup', { token })).json();
  const enabled = await t.request('POST', '/api/v1/auth/2fa/enable', { token, body: { code: await previousTotpCode(setup.secret_key) } });
  assert.equal(enabled.statusCode, 200, enabled.body);
  return { secret: setup.secret_key as string, recoveryCodes: enabled.json().recovery_codes as string[] };
}

describe('2FA set-up (v1)', () => {
  test('setup returns a base32 secret, the otpauth URI and a PNG QR data URL', async () => {
    const tenant = await t.createTenant('setup');
    const res = await t.request('POST', '/api/v1/auth/2fa/setup', { token: tenant.admin.accessToken });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.match(body.secret_key, /^[A-Z2-7]{32}$/);
    assert.ok(body.otpauth_url.startsWith('otpauth://totp/'));
    const png = Buffer.from(body.qr_url.replace(/^data:image\/png;base64,/, ''), 'base64');
    assert.ok(body.qr_url.startsWith('data:image/png;base64,'));
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // Nothing is on until a code proves possession.
    const me = (await t.request('GET', '/api/v1/auth/me', { token: tenant.admin.accessToken })).json();
    assert.equal(me.two_factor_enabled, false);
    assert.equal((await t.login(tenant.admin.email)).statusCode, 200);
  });

  test('enable refuses a wrong code and works with the right one; secrets are encrypted at rest', async () => {
    const tenant = await t.createTenant('enable');
    const token = tenant.admin.accessToken;
    const setup = (await t.request('POST', '/api/v1/auth/2fa/setup', { token })).json();
    const wrong = await t.request('POST', '/api/v1/auth/2fa/enable', { token, body: { code: wrongTotpCode(setup.secret_key) } });
    expectError(wrong, 400, 'INVALID_TWO_FACTOR_CODE');
    const res = await t.request('POST', '/api/v1/auth/2fa/enable', { token, body: { code: totpCode(setup.secret_key, 0) } });
    assert.equal(res.statusCode, 200);
    const codes: string[] = res.json().recovery_codes;
    assert.equal(codes.length, 10);

    const [row] = await t.app.database.db.select().from(users).where(eq(users.id, tenant.admin.id));
    assert.ok(row?.totpSecret);
    assert.ok(!row.totpSecret.includes(setup.secret_key), 'TOTP secret must not be stored in plaintext');
    const stored = await t.app.database.db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, tenant.admin.id));
    assert.equal(stored.length, 10);
    for (const code of codes) assert.ok(!stored.some((s) => s.codeHash.includes(code)), 'recovery codes are stored hashed');

    const status = (await t.request('GET', '/api/v1/auth/2fa', { token })).json();
    assert.deepEqual(status, { enabled: true, recovery_codes_remaining: 10 });
    expectError(await t.request('POST', '/api/v1/auth/2fa/setup', { token }), 400, 'CONFLICT');
  });

  test('enable without setup is refused', async () => {
    const tenant = await t.createTenant('nosetup');
    expectError(await t.request('POST', '/api/v1/auth/2fa/enable', { token: tenant.admin.accessToken, body: { code: '123456' } }), 400, 'BAD_REQUEST');
  });

  test('enabling logs out the user’s other sessions', async () => {
    const tenant = await t.createTenant('others');
    const other = (await t.login(tenant.admin.email)).json();
    await enableTwoFactor(tenant);
    expectError(await t.request('GET', '/api/v1/auth/me', { token: other.access_token }), 401, 'AUTHENTICATION_ERROR');
    assert.equal((await t.request('GET', '/api/v1/auth/me', { token: tenant.admin.accessToken })).statusCode, 200);
  });
});

describe('v1 login with 2FA', () => {
  test('without totp_code → 401 TWO_FACTOR_REQUIRED; wrong → 401 INVALID_TWO_FACTOR_CODE; right → tokens', async () => {
    const tenant = await t.createTenant('login');
    const { secret } = await enableTwoFactor(tenant);
    expectError(await t.login(tenant.admin.email), 401, 'TWO_FACTOR_REQUIRED');
    expectError(await t.login(tenant.admin.email, PASSWORD, { totp_code: wrongTotpCode(secret) }), 401, 'INVALID_TWO_FACTOR_CODE');
    // A wrong password with a right code is still just wrong credentials.
    expectError(await t.login(tenant.admin.email, 'Wrong1234', { totp_code: totpCode(secret, 0) }), 401, 'INVALID_CREDENTIALS');
    const ok = await t.login(tenant.admin.email, PASSWORD, { totp_code: totpCode(secret, 0) });
    assert.equal(ok.statusCode, 200);
    assert.ok(ok.json().access_token);
  });

  test('a code is accepted only once (no replay)', async () => {
    const tenant = await t.createTenant('replay');
    const { secret } = await enableTwoFactor(tenant);
    const code = totpCode(secret, 1);
    assert.equal((await t.login(tenant.admin.email, PASSWORD, { totp_code: code })).statusCode, 200);
    expectError(await t.login(tenant.admin.email, PASSWORD, { totp_code: code }), 401, 'INVALID_TWO_FACTOR_CODE');
    // An older step than the last accepted one is refused too.
    expectError(await t.login(tenant.admin.email, PASSWORD, { totp_code: totpCode(secret, 0) }), 401, 'INVALID_TWO_FACTOR_CODE');
  });

  test('each recovery code works once, in any case and without the dash', async () => {
    const tenant = await t.createTenant('recovery');
    const { recoveryCodes: codes } = await enableTwoFactor(tenant);
    const typed = codes[0]!.toUpperCase().replace('-', '');
    assert.equal((await t.login(tenant.admin.email, PASSWORD, { totp_code: typed })).statusCode, 200);
    expectError(await t.login(tenant.admin.email, PASSWORD, { totp_code: codes[0]! }), 401, 'INVALID_TWO_FACTOR_CODE');
    assert.equal((await t.login(tenant.admin.email, PASSWORD, { totp_code: codes[1]! })).statusCode, 200);
    const status = (await t.request('GET', '/api/v1/auth/2fa', { token: tenant.admin.accessToken })).json();
    assert.equal(status.recovery_codes_remaining, 8);
  });

  test('wrong codes are limited: after five, even the right code waits', async () => {
    const tenant = await t.createTenant('limit');
    const { secret } = await enableTwoFactor(tenant);
    const right = totpCode(secret, 1);
    const wrong = wrongTotpCode(secret);
    for (let i = 0; i < 5; i++) expectError(await t.login(tenant.admin.email, PASSWORD, { totp_code: wrong }), 401, 'INVALID_TWO_FACTOR_CODE');
    const locked = await t.login(tenant.admin.email, PASSWORD, { totp_code: right });
    expectError(locked, 429, 'ACCOUNT_LOCKED');
    assert.ok(Number(locked.headers['retry-after']) > 0);
  });
});

describe('recovery codes and disabling', () => {
  test('regenerating replaces the codes: old ones stop working', async () => {
    const tenant = await t.createTenant('regen');
    const { secret, recoveryCodes: old } = await enableTwoFactor(tenant);
    const res = await t.request('POST', '/api/v1/auth/2fa/recovery-codes', { token: tenant.admin.accessToken, body: { code: totpCode(secret, 0) } });
    assert.equal(res.statusCode, 200);
    const fresh: string[] = res.json().recovery_codes;
    assert.equal(fresh.length, 10);
    expectError(await t.login(tenant.admin.email, PASSWORD, { totp_code: old[0]! }), 401, 'INVALID_TWO_FACTOR_CODE');
    assert.equal((await t.login(tenant.admin.email, PASSWORD, { totp_code: fresh[0]! })).statusCode, 200);
  });

  test('disabling needs the password and a code; then login needs no code', async () => {
    const tenant = await t.createTenant('disable');
    const { secret, recoveryCodes: codes } = await enableTwoFactor(tenant);
    const token = tenant.admin.accessToken;
    expectError(await t.request('POST', '/api/v1/auth/2fa/disable', { token, body: { password: 'Wrong1234', code: totpCode(secret, 0) } }), 401, 'INVALID_CREDENTIALS');
    expectError(await t.request('POST', '/api/v1/auth/2fa/disable', { token, body: { password: PASSWORD, code: wrongTotpCode(secret) } }), 401, 'INVALID_TWO_FACTOR_CODE');
    expectError(await t.request('POST', '/api/v1/auth/2fa/disable', { token, body: { password: PASSWORD } }), 422, 'VALIDATION_ERROR');
    const res = await t.request('POST', '/api/v1/auth/2fa/disable', { token, body: { password: PASSWORD, code: codes[0]! } });
    assert.equal(res.statusCode, 200);
    assert.equal((await t.login(tenant.admin.email)).statusCode, 200);
    const [row] = await t.app.database.db.select().from(users).where(eq(users.id, tenant.admin.id));
    assert.equal(row?.totpSecret, null);
    expectError(await t.request('POST', '/api/v1/auth/2fa/disable', { token, body: { password: PASSWORD, code: '123456' } }), 400, 'BAD_REQUEST');
  });

  test('every 2FA endpoint requires authentication', async () => {
    for (const [method, url] of [['GET', '/api/v1/auth/2fa'], ['POST', '/api/v1/auth/2fa/setup'], ['POST', '/api/v1/auth/2fa/enable'], ['POST', '/api/v1/auth/2fa/disable'], ['POST', '/api/v1/auth/2fa/recovery-codes']] as const) {
      expectError(await t.request(method, url, { body: {} }), 401, 'AUTHENTICATION_ERROR');
    }
  });
});
