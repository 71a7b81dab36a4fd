import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, expectError, PASSWORD, type TestApp } from '../test/harness.js';

let t: TestApp;
before(async () => {
  t = await buildTestApp();
});
after(() => t.close());

describe('auth limits ("10 a minute" per account; per address only failures: docs/decisions.md C10, D10)', () => {
  let limited: TestApp;
  before(async () => {
    limited = await buildTestApp({ rateLimits: { ...t.config.rateLimits, authPerMinute: 10, authAddressPerMinute: 300 } });
  });
  after(() => limited.close());
  const login = (ip: string, email: string, password = PASSWORD) =>
    limited.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: ip, payload: { email, password } });

  test('the 11th sign-in on one account in a minute is refused with 429 and Retry-After, from any address', async () => {
    const tenant = await limited.createTenant('acct');
    // The harness' set-up login counts as the first.
    for (let i = 2; i <= 10; i++) assert.equal((await login(`10.0.${i}.1`, tenant.admin.email)).statusCode, 200, `attempt ${i}`);
    const refused = await login('10.0.99.1', tenant.admin.email);
    const body = expectError(refused, 429, 'RATE_LIMIT_EXCEEDED');
    const retryAfter = Number(refused.headers['retry-after']);
    assert.ok(retryAfter > 0 && retryAfter <= 60, `Retry-After ${refused.headers['retry-after']}`);
    assert.match(body.detail, /Try again in \d+ seconds/);
    assert.equal((await login('10.0.99.1', limited.a.admin.email)).statusCode, 200, 'another account is not affected');
  });

  test('30 colleagues behind one office address all sign in within the same minute', async () => {
    const tenant = await limited.createTenant('office');
    const office = '203.0.113.10';
    const colleagues: string[] = [];
    for (let i = 0; i < 30; i++) {
      const email = `colleague${i}@${tenant.domain}`;
      const invited = await limited.request('POST', '/api/v1/invitations', { token: tenant.admin.accessToken, body: { email } });
      assert.equal(invited.statusCode, 201, invited.body);
      const accepted = await limited.app.inject({
        method: 'POST',
        url: '/api/v1/invitations/accept',
        remoteAddress: office,
        payload: { token: invited.json().token, username: `colleague${i}`, password: PASSWORD },
      });
      assert.equal(accepted.statusCode, 201, accepted.body);
      colleagues.push(email);
    }
    const answers = await Promise.all(colleagues.map((email) => login(office, email)));
    assert.deepEqual(answers.map((r) => r.statusCode), colleagues.map(() => 200));
    // Their dashboards refresh their tokens from the same address: never refused, never a lockout.
    const refreshed = await Promise.all(
      answers.map((r) => limited.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', remoteAddress: office, payload: { refresh_token: r.json().refresh_token } })),
    );
    assert.deepEqual(refreshed.map((r) => r.statusCode), colleagues.map(() => 200));
  });

  test('a password spray from one address is stopped within 40 wrong logins; the owners elsewhere are not locked out', async () => {
    const sprayer = '198.51.100.66';
    const victim = await limited.createTenant('spray');
    let refusedAt = 0;
    // One guess per account, as a spray does, so no account's own lock answers first.
    for (let i = 1; i <= 40 && refusedAt === 0; i++) {
      const res = await login(sprayer, `employee${i}@${victim.domain}`, `Guess${i}xyz`);
      if (res.statusCode === 429) refusedAt = i;
      else expectError(res, 401, 'INVALID_CREDENTIALS');
    }
    assert.equal(refusedAt, 31, 'the 30 failures an address may have, then refused');
    expectError(await login(sprayer, victim.admin.email), 429, 'ACCOUNT_LOCKED');
    assert.equal((await login('198.51.100.7', victim.admin.email)).statusCode, 200, 'the owner, from their own address');
  });

  test('wrong refresh tokens never lock anyone out', async () => {
    const office = '203.0.113.20';
    for (let i = 0; i < 60; i++) {
      const res = await limited.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', remoteAddress: office, payload: { refresh_token: `stale-${i}` } });
      assert.equal(res.statusCode, 401, res.body);
    }
    assert.equal((await login(office, limited.b.admin.email)).statusCode, 200);
  });

  test('registrations stay at 10 a minute per address, /api/signup/ included; every auth route has a per-address flood ceiling', async () => {
    for (let i = 0; i < 10; i++) await limited.app.inject({ method: 'POST', url: '/api/v1/auth/register', remoteAddress: '10.9.0.1', payload: {} });
    expectError(await limited.app.inject({ method: 'POST', url: '/api/signup/', remoteAddress: '10.9.0.1', payload: {} }), 429, 'RATE_LIMIT_EXCEEDED');
    const refresh = () => limited.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', remoteAddress: '10.9.0.2', payload: { refresh_token: 'x' } });
    for (let i = 0; i < 300; i++) assert.equal((await refresh()).statusCode, 401);
    expectError(await refresh(), 429, 'RATE_LIMIT_EXCEEDED');
    expectError(await limited.app.inject({ method: 'POST', url: '/api/login/', remoteAddress: '10.9.0.2', payload: {} }), 429, 'RATE_LIMIT_EXCEEDED');
  });
});

describe('failed logins on one account', () => {
  test('five failures from one address lock that address out for a while, even with the right password', async () => {
    const tenant = await t.createTenant('lock');
    const attempt = (password: string, ip: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: ip, payload: { email: tenant.admin.email, password } });
    for (let i = 0; i < 5; i++) expectError(await attempt('Wrong1234', '10.1.0.1'), 401, 'INVALID_CREDENTIALS');
    const locked = await attempt(PASSWORD, '10.1.0.1');
    const body = expectError(locked, 429, 'ACCOUNT_LOCKED');
    assert.match(body.detail, /minute/);
    assert.ok(Number(locked.headers['retry-after']) > 0 && Number(locked.headers['retry-after']) <= 15 * 60);
    // The owner, from another address, still gets in: a stranger cannot lock them out.
    assert.equal((await attempt(PASSWORD, '10.1.0.2')).statusCode, 200);
  });

  test('a correct login clears that address’s failures', async () => {
    const tenant = await t.createTenant('reset');
    const attempt = (password: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '10.2.0.1', payload: { email: tenant.admin.email, password } });
    for (let i = 0; i < 4; i++) await attempt('Wrong1234');
    assert.equal((await attempt(PASSWORD)).statusCode, 200);
    for (let i = 0; i < 4; i++) expectError(await attempt('Wrong1234'), 401, 'INVALID_CREDENTIALS');
    assert.equal((await attempt(PASSWORD)).statusCode, 200);
  });

  test('many failures from many addresses lock the account briefly for everyone', async () => {
    const tenant = await t.createTenant('spray');
    for (let i = 0; i < 20; i++) {
      await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: `10.3.${i}.1`, payload: { email: tenant.admin.email, password: 'Wrong1234' } });
    }
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '10.3.99.1', payload: { email: tenant.admin.email, password: PASSWORD } });
    expectError(res, 429, 'ACCOUNT_LOCKED');
  });

  test('unknown accounts are limited the same way (no way to tell which exist)', async () => {
    const attempt = () => t.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '10.4.0.1', payload: { email: 'ghost@example.com', password: 'Wrong1234' } });
    for (let i = 0; i < 5; i++) expectError(await attempt(), 401, 'INVALID_CREDENTIALS');
    expectError(await attempt(), 429, 'ACCOUNT_LOCKED');
  });
});
