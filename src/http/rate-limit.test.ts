import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, expectError, PASSWORD, type TestApp } from '../test/harness.js';

let t: TestApp;
before(async () => {
  t = await buildTestApp();
});
after(() => t.close());

describe('auth endpoint rate limit (seed 000 §6: 10 requests/min per client)', () => {
  test('the 11th request in a minute from one address is refused with 429 and Retry-After', async () => {
    const limited = await buildTestApp({ rateLimits: { ...t.config.rateLimits, authPerMinute: 10 } });
    try {
      // A different account each time, so the per-account lockout does not answer first.
      let n = 0;
      const from = (ip: string) =>
        limited.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: ip, payload: { email: `nobody${++n}@example.com`, password: 'x' } });
      // The harness' own set-up logins came from 127.0.0.1, so use fresh addresses.
      const first = await from('10.0.0.1');
      assert.equal(first.headers['x-ratelimit-limit'], '10');
      assert.equal(first.headers['x-ratelimit-remaining'], '9');
      for (let i = 2; i <= 10; i++) assert.notEqual((await from('10.0.0.1')).statusCode, 429, `request ${i}`);
      const refused = await from('10.0.0.1');
      const body = expectError(refused, 429, 'RATE_LIMIT_EXCEEDED');
      const retryAfter = Number(refused.headers['retry-after']);
      assert.ok(retryAfter > 0 && retryAfter <= 60, `Retry-After ${refused.headers['retry-after']}`);
      assert.match(body.detail, /Try again in \d+ seconds/);
      // Another client is not affected.
      assert.notEqual((await from('10.0.0.2')).statusCode, 429);
      // The limit covers every auth endpoint, seed 002 included.
      for (let i = 0; i < 10; i++) await limited.app.inject({ method: 'POST', url: '/api/login/', remoteAddress: '10.0.0.3', payload: {} });
      expectError(await limited.app.inject({ method: 'POST', url: '/api/v1/auth/register', remoteAddress: '10.0.0.3', payload: {} }), 429, 'RATE_LIMIT_EXCEEDED');
    } finally {
      await limited.close();
    }
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
