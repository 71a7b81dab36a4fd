import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { invitations, recoveryCodes, users } from '../../db/schema.js';
import { previousTotpCode, totpCode } from '../../test/authenticator.js';
import { buildTestApp, expectError, PASSWORD, unique, type TestApp, type TestTenant, type TestUser } from '../../test/harness.js';

let t: TestApp;
before(async () => {
  t = await buildTestApp();
});
after(() => t.close());

const INVITATION_KEYS = ['created_at', 'email', 'expires_at', 'id', 'role', 'status'];
const MEMBER_KEYS = ['created_at', 'email', 'id', 'is_active', 'is_verified', 'last_login_at', 'role', 'two_factor_enabled', 'username'];

const freshEmail = () => `${unique('inv')}@example.com`;
const invite = (token: string, body: Record<string, unknown>) => t.request('POST', '/api/v1/invitations', { token, body });
const preview = (token: string) => t.request('POST', '/api/v1/invitations/preview', { body: { token } });
const accept = (body: Record<string, unknown>) => t.request('POST', '/api/v1/invitations/accept', { body });
const listInvitations = async (token: string) => {
  const res = await t.request('GET', '/api/v1/invitations', { token });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as Array<Record<string, unknown>>;
};
const listUsers = async (token: string) => {
  const res = await t.request('GET', '/api/v1/users', { token });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as Array<Record<string, unknown>>;
};
const patchUser = (token: string, id: string, body: unknown) => t.request('PATCH', `/api/v1/users/${id}`, { token, body });
const me = (token: string) => t.request('GET', '/api/v1/auth/me', { token });
const storedInvitation = async (id: string) => (await t.app.database.db.select().from(invitations).where(eq(invitations.id, id)))[0];
const storedUser = async (id: string) => (await t.app.database.db.select().from(users).where(eq(users.id, id)))[0];
const expireInvitation = (id: string) =>
  t.app.database.db.update(invitations).set({ expiresAt: new Date(Date.now() - 60_000) }).where(eq(invitations.id, id));

/** Invites a fresh email into tenant `tenant` and returns the created invitation. */
async function invited(tenant: TestTenant = t.a, role?: 'ADMIN' | 'OPERATOR') {
  const email = freshEmail();
  const res = await invite(tenant.admin.accessToken, { email, ...(role ? { role } : {}) });
  assert.equal(res.statusCode, 201, res.body);
  return { email, ...(res.json() as { id: string; token: string; invite_url: string; role: string; status: string; expires_at: string }) };
}

describe('POST /api/v1/invitations', () => {
  test('creates a pending OPERATOR invitation; token and link are shown once and stored only as a hash', async () => {
    const email = freshEmail();
    const res = await invite(t.a.admin.accessToken, { email: email.toUpperCase() });
    assert.equal(res.statusCode, 201);
    const body = res.json();
    assert.deepEqual(Object.keys(body).sort(), [...INVITATION_KEYS, 'invite_url', 'token'].sort());
    assert.equal(body.email, email, 'email is normalized to lower case');
    assert.equal(body.role, 'OPERATOR');
    assert.equal(body.status, 'pending');
    assert.ok(body.token.length >= 32);
    assert.equal(body.invite_url, `${t.publicUrl}/invite#token=${body.token}`);
    const ttlMs = t.config.invitationTtlHours * 3600_000;
    assert.ok(Math.abs(Date.parse(body.expires_at) - (Date.now() + ttlMs)) < 60_000, `expires_at ${body.expires_at}`);

    const listed = (await listInvitations(t.a.admin.accessToken)).find((i) => i.id === body.id);
    assert.ok(listed, 'the invitation is listed');
    assert.deepEqual(Object.keys(listed).sort(), INVITATION_KEYS);
    const listBody = (await t.request('GET', '/api/v1/invitations', { token: t.a.admin.accessToken })).body;
    assert.ok(!listBody.includes(body.token), 'the list never shows a token');

    const stored = await storedInvitation(body.id);
    assert.equal(stored?.tenantId, t.a.id);
    assert.equal(stored?.invitedBy, t.a.admin.id);
    assert.notEqual(stored?.tokenHash, body.token);
    assert.ok(!stored?.tokenHash.includes(body.token));
  });

  test('role ADMIN is allowed, and the accepted user is an ADMIN', async () => {
    const invitation = await invited(t.a, 'ADMIN');
    assert.equal(invitation.role, 'ADMIN');
    const username = unique('adm');
    const res = await accept({ token: invitation.token, username, password: PASSWORD });
    assert.equal(res.json().role, 'ADMIN');
    const login = await t.login(invitation.email);
    assert.equal((await t.request('GET', '/api/v1/users', { token: login.json().access_token })).statusCode, 200, 'ADMIN-only route works');
  });

  test('inviting the same email again replaces the earlier invitation: the old link is dead', async () => {
    const email = freshEmail();
    const first = (await invite(t.a.admin.accessToken, { email })).json();
    const second = (await invite(t.a.admin.accessToken, { email, role: 'ADMIN' })).json();
    assert.notEqual(first.token, second.token);
    expectError(await preview(first.token), 404, 'RESOURCE_NOT_FOUND');
    expectError(await accept({ token: first.token, username: unique('old'), password: PASSWORD }), 404, 'RESOURCE_NOT_FOUND');
    const list = await listInvitations(t.a.admin.accessToken);
    assert.equal(list.find((i) => i.id === first.id)?.status, 'revoked');
    assert.equal(list.find((i) => i.id === second.id)?.status, 'pending');
    assert.equal((await preview(second.token)).json().role, 'ADMIN');
  });

  test('an email that is already registered (in any tenant, any case) → 409', async () => {
    for (const email of [t.a.operator.email, t.b.admin.email, t.a.admin.email.toUpperCase()]) {
      assert.match(expectError(await invite(t.a.admin.accessToken, { email }), 409, 'CONFLICT').detail, /already exists/);
    }
    const invitedEmails = (await listInvitations(t.a.admin.accessToken)).map((i) => i.email);
    assert.ok(!invitedEmails.includes(t.b.admin.email), 'no invitation was stored');
  });

  test('OPERATOR → 403; no token → 401', async () => {
    expectError(await invite(t.a.operator.accessToken, { email: freshEmail() }), 403, 'PERMISSION_DENIED');
    expectError(await t.request('POST', '/api/v1/invitations', { body: { email: freshEmail() } }), 401, 'AUTHENTICATION_ERROR');
    expectError(await t.request('GET', '/api/v1/invitations', { token: t.a.operator.accessToken }), 403, 'PERMISSION_DENIED');
    expectError(await t.request('GET', '/api/v1/invitations'), 401, 'AUTHENTICATION_ERROR');
  });

  const invalid: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['missing email', { email: undefined }, 'email', /required/],
    ['email format', { email: 'not-an-email' }, 'email', /valid email/],
    ['email type', { email: 42 }, 'email', /must be a string/],
    ['role outside the enum', { role: 'OWNER' }, 'role', /./],
    ['role in lower case', { role: 'admin' }, 'role', /./],
    ['unknown field (tenant_id: mass assignment)', { tenant_id: randomUUID() }, 'body', /unknown field.*tenant_id/],
  ];
  for (const [name, change, field, message] of invalid) {
    test(`refuses ${name} with 422 naming the field`, async () => {
      const res = await invite(t.a.admin.accessToken, { email: freshEmail(), ...change });
      const body = expectError(res, 422, 'VALIDATION_ERROR');
      const error = body.errors?.find((e) => e.field === field);
      assert.ok(error, `no error for ${field}: ${res.body}`);
      assert.match(error.message, message);
    });
  }
});

describe('POST /api/v1/invitations/preview', () => {
  test('a good token shows what the invitation is for; no login needed', async () => {
    const invitation = await invited(t.a, 'ADMIN');
    const res = await preview(invitation.token);
    assert.equal(res.statusCode, 200);
    const tenant = (await t.request('GET', `/api/v1/tenants/${t.a.id}`, { token: t.a.admin.accessToken })).json();
    assert.deepEqual(res.json(), { email: invitation.email, role: 'ADMIN', tenant_name: tenant.name, expires_at: invitation.expires_at });
  });

  test('unknown, expired, revoked and used tokens → the same 404', async () => {
    const unknown = expectError(await preview(randomBytes(32).toString('base64url')), 404, 'RESOURCE_NOT_FOUND');

    const expired = await invited();
    await expireInvitation(expired.id);
    const revoked = await invited();
    assert.equal((await t.request('DELETE', `/api/v1/invitations/${revoked.id}`, { token: t.a.admin.accessToken })).statusCode, 200);
    const used = await invited();
    assert.equal((await accept({ token: used.token, username: unique('used'), password: PASSWORD })).statusCode, 201);

    for (const invitation of [expired, revoked, used]) {
      const body = expectError(await preview(invitation.token), 404, 'RESOURCE_NOT_FOUND');
      assert.equal(body.detail, unknown.detail, 'nothing tells an invalid token from a spent one');
    }
  });

  const invalid: Array<[string, unknown, string]> = [
    ['missing token', {}, 'token'],
    ['token too short', { token: 'short' }, 'token'],
    ['token too long', { token: 'x'.repeat(201) }, 'token'],
    ['token type', { token: 12345678901234567890 }, 'token'],
    ['unknown field', { token: 'x'.repeat(40), email: 'a@example.com' }, 'body'],
  ];
  for (const [name, body, field] of invalid) {
    test(`refuses ${name} with 422`, async () => {
      const res = await t.request('POST', '/api/v1/invitations/preview', { body });
      assert.ok(expectError(res, 422, 'VALIDATION_ERROR').errors?.some((e) => e.field === field), res.body);
    });
  }
});

describe('POST /api/v1/invitations/accept', () => {
  test('creates a verified user in the inviter’s tenant, with the invited role, who can log in', async () => {
    const invitation = await invited();
    const username = unique('new');
    const res = await accept({ token: invitation.token, username, password: PASSWORD });
    assert.equal(res.statusCode, 201);
    const user = res.json();
    assert.deepEqual(Object.keys(user).sort(), ['email', 'id', 'role', 'tenant_id', 'username']);
    assert.deepEqual({ ...user, id: undefined }, { id: undefined, email: invitation.email, username, tenant_id: t.a.id, role: 'OPERATOR' });

    const login = await t.login(invitation.email);
    assert.equal(login.statusCode, 200, login.body);
    const current = (await me(login.json().access_token)).json();
    assert.equal(current.id, user.id);
    assert.equal(current.tenant_id, t.a.id);
    assert.equal(current.role, 'OPERATOR');
    assert.equal(current.is_verified, true, 'the invitation link proved the email');
    assert.equal(current.is_active, true);

    const member = (await listUsers(t.a.admin.accessToken)).find((u) => u.id === user.id);
    assert.equal(member?.username, username);
    assert.ok(!(await listUsers(t.b.admin.accessToken)).some((u) => u.id === user.id), 'not in tenant b');
    assert.equal((await listInvitations(t.a.admin.accessToken)).find((i) => i.id === invitation.id)?.status, 'accepted');
    assert.ok((await storedInvitation(invitation.id))?.acceptedAt);
  });

  test('accepting twice → 404, and no second user is created', async () => {
    const invitation = await invited();
    assert.equal((await accept({ token: invitation.token, username: unique('first'), password: PASSWORD })).statusCode, 201);
    const second = unique('second');
    expectError(await accept({ token: invitation.token, username: second, password: PASSWORD }), 404, 'RESOURCE_NOT_FOUND');
    const stored = await t.app.database.db.select().from(users).where(eq(users.username, second));
    assert.equal(stored.length, 0);
  });

  test('a taken username → 409, and the invitation stays usable', async () => {
    const invitation = await invited();
    for (const username of [t.a.admin.username, t.b.operator.username.toUpperCase()]) {
      expectError(await accept({ token: invitation.token, username, password: PASSWORD }), 409, 'CONFLICT');
    }
    assert.equal((await preview(invitation.token)).statusCode, 200);
    assert.equal((await accept({ token: invitation.token, username: unique('ok'), password: PASSWORD })).statusCode, 201);
  });

  test('the same email invited by two tenants: the first acceptance wins, the second → 409', async () => {
    const email = freshEmail();
    const fromA = (await invite(t.a.admin.accessToken, { email })).json();
    const fromB = (await invite(t.b.admin.accessToken, { email })).json();
    assert.equal((await preview(fromA.token)).statusCode, 200, 'tenant b’s invitation did not revoke tenant a’s');
    assert.equal((await accept({ token: fromB.token, username: unique('b'), password: PASSWORD })).statusCode, 201);
    expectError(await accept({ token: fromA.token, username: unique('a'), password: PASSWORD }), 409, 'CONFLICT');
    assert.equal((await me((await t.login(email)).json().access_token)).json().tenant_id, t.b.id);
  });

  test('an expired invitation → 404 and is listed as expired', async () => {
    const invitation = await invited();
    await expireInvitation(invitation.id);
    expectError(await accept({ token: invitation.token, username: unique('late'), password: PASSWORD }), 404, 'RESOURCE_NOT_FOUND');
    assert.equal((await listInvitations(t.a.admin.accessToken)).find((i) => i.id === invitation.id)?.status, 'expired');
    expectError(await t.login(invitation.email), 401, 'INVALID_CREDENTIALS');
  });

  describe('validation', () => {
    let token: string;
    before(async () => {
      token = (await invited()).token;
    });

    const invalid: Array<[string, Record<string, unknown>, string, RegExp]> = [
      ['missing token', { token: undefined }, 'token', /required/],
      ['token too short', { token: 'short' }, 'token', /./],
      ['missing username', { username: undefined }, 'username', /required/],
      ['username too short', { username: 'ab' }, 'username', /at least 3/],
      ['username too long', { username: 'a'.repeat(101) }, 'username', /at most 100/],
      ['username characters', { username: 'bad name!' }, 'username', /letters, digits and underscores/],
      ['username in Japanese', { username: 'やまだ' }, 'username', /letters, digits and underscores/],
      ['missing password', { password: undefined }, 'password', /required/],
      ['password too short', { password: 'Pa1' }, 'password', /at least 8/],
      ['password too long', { password: `Pa1${'x'.repeat(126)}` }, 'password', /at most 128/],
      ['password without uppercase', { password: 'password123' }, 'password', /uppercase/],
      ['password without lowercase', { password: 'PASSWORD123' }, 'password', /lowercase/],
      ['password without digit', { password: 'Passwordabc' }, 'password', /digit/],
      ['unknown field role (mass assignment)', { role: 'ADMIN' }, 'body', /unknown field.*role/],
      ['unknown field tenant_id (mass assignment)', { tenant_id: randomUUID() }, 'body', /unknown field.*tenant_id/],
    ];
    for (const [name, change, field, message] of invalid) {
      test(`refuses ${name} with 422 naming the field`, async () => {
        const res = await accept({ token, username: unique('v'), password: PASSWORD, ...change });
        const body = expectError(res, 422, 'VALIDATION_ERROR');
        const error = body.errors?.find((e) => e.field === field);
        assert.ok(error, `no error for ${field}: ${res.body}`);
        assert.match(error.message, message);
      });
    }

    test('after all those refusals the invitation is still unspent', async () => {
      assert.equal((await preview(token)).statusCode, 200);
    });
  });
});

describe('DELETE /api/v1/invitations/:id', () => {
  test('revokes: the link stops working; revoking again → 409', async () => {
    const invitation = await invited();
    const res = await t.request('DELETE', `/api/v1/invitations/${invitation.id}`, { token: t.a.admin.accessToken });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(Object.keys(res.json()), ['message']);
    expectError(await accept({ token: invitation.token, username: unique('rev'), password: PASSWORD }), 404, 'RESOURCE_NOT_FOUND');
    expectError(await preview(invitation.token), 404, 'RESOURCE_NOT_FOUND');
    assert.equal((await listInvitations(t.a.admin.accessToken)).find((i) => i.id === invitation.id)?.status, 'revoked');
    assert.match(expectError(await t.request('DELETE', `/api/v1/invitations/${invitation.id}`, { token: t.a.admin.accessToken }), 409, 'CONFLICT').detail, /revoked/);
  });

  test('an accepted invitation cannot be revoked (409) and the user stays', async () => {
    const invitation = await invited();
    const user = (await accept({ token: invitation.token, username: unique('acc'), password: PASSWORD })).json();
    assert.match(expectError(await t.request('DELETE', `/api/v1/invitations/${invitation.id}`, { token: t.a.admin.accessToken }), 409, 'CONFLICT').detail, /accepted/);
    assert.equal((await storedUser(user.id))?.isActive, true);
  });

  test('tenant b’s invitation through tenant a’s ADMIN → 404, and it stays usable', async () => {
    const foreign = await invited(t.b);
    const res = await t.request('DELETE', `/api/v1/invitations/${foreign.id}`, { token: t.a.admin.accessToken });
    const random = await t.request('DELETE', `/api/v1/invitations/${randomUUID()}`, { token: t.a.admin.accessToken });
    assert.equal(expectError(res, 404, 'RESOURCE_NOT_FOUND').detail, expectError(random, 404, 'RESOURCE_NOT_FOUND').detail);
    assert.equal((await preview(foreign.token)).statusCode, 200);
    assert.equal((await storedInvitation(foreign.id))?.revokedAt, null);
    assert.ok(!(await listInvitations(t.a.admin.accessToken)).some((i) => i.id === foreign.id), 'not listed for tenant a');
  });

  test('non-UUID id → 422; OPERATOR → 403; no token → 401', async () => {
    const invitation = await invited();
    const bad = expectError(await t.request('DELETE', '/api/v1/invitations/not-a-uuid', { token: t.a.admin.accessToken }), 422, 'VALIDATION_ERROR');
    assert.ok(bad.errors?.some((e) => e.field === 'id'));
    expectError(await t.request('DELETE', `/api/v1/invitations/${invitation.id}`, { token: t.a.operator.accessToken }), 403, 'PERMISSION_DENIED');
    expectError(await t.request('DELETE', `/api/v1/invitations/${invitation.id}`), 401, 'AUTHENTICATION_ERROR');
    assert.equal((await preview(invitation.token)).statusCode, 200, 'still pending');
  });
});

describe('GET /api/v1/users', () => {
  test('lists only the caller’s tenant, with no private columns', async () => {
    const list = await listUsers(t.a.admin.accessToken);
    const ids = list.map((u) => u.id);
    assert.ok(ids.includes(t.a.admin.id) && ids.includes(t.a.operator.id));
    for (const user of list) assert.deepEqual(Object.keys(user).sort(), MEMBER_KEYS);
    assert.ok(!ids.includes(t.b.admin.id) && !ids.includes(t.b.operator.id), 'no user of tenant b');
    const emails = list.map((u) => u.email);
    assert.ok(!emails.includes(t.b.admin.email) && !emails.includes(t.b.operator.email));

    const stored = await t.app.database.db.select({ id: users.id }).from(users).where(eq(users.tenantId, t.a.id));
    assert.deepEqual(ids.sort(), stored.map((u) => u.id).sort(), 'exactly the tenant’s users');
    const operator = list.find((u) => u.id === t.a.operator.id);
    assert.deepEqual({ ...operator, created_at: undefined, last_login_at: undefined }, {
      id: t.a.operator.id,
      email: t.a.operator.email,
      username: t.a.operator.username,
      role: 'OPERATOR',
      is_active: true,
      is_verified: true,
      two_factor_enabled: false,
      created_at: undefined,
      last_login_at: undefined,
    });
  });

  test('OPERATOR → 403; no token → 401', async () => {
    expectError(await t.request('GET', '/api/v1/users', { token: t.a.operator.accessToken }), 403, 'PERMISSION_DENIED');
    expectError(await t.request('GET', '/api/v1/users'), 401, 'AUTHENTICATION_ERROR');
  });
});

describe('PATCH /api/v1/users/:id', () => {
  test('changing the role takes effect on the user’s existing token', async () => {
    const tenant = await t.createTenant('role');
    const promoted = await patchUser(tenant.admin.accessToken, tenant.operator.id, { role: 'ADMIN' });
    assert.equal(promoted.statusCode, 200);
    assert.deepEqual(Object.keys(promoted.json()).sort(), MEMBER_KEYS);
    assert.equal(promoted.json().role, 'ADMIN');
    assert.equal((await t.request('GET', '/api/v1/users', { token: tenant.operator.accessToken })).statusCode, 200);

    assert.equal((await patchUser(tenant.admin.accessToken, tenant.operator.id, { role: 'OPERATOR' })).json().role, 'OPERATOR');
    expectError(await t.request('GET', '/api/v1/users', { token: tenant.operator.accessToken }), 403, 'PERMISSION_DENIED');
    assert.equal((await storedUser(tenant.operator.id))?.role, 'OPERATOR');
  });

  test('deactivation ends every session at once and blocks login; reactivation allows login again', async () => {
    const tenant = await t.createTenant('deact');
    const other = (await t.login(tenant.operator.email)).json();
    const res = await patchUser(tenant.admin.accessToken, tenant.operator.id, { is_active: false });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().is_active, false);
    assert.equal((await storedUser(tenant.operator.id))?.isActive, false);

    for (const token of [tenant.operator.accessToken, other.access_token]) expectError(await me(token), 401, 'AUTHENTICATION_ERROR');
    for (const refresh of [tenant.operator.refreshToken, other.refresh_token]) {
      expectError(await t.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: refresh } }), 401, 'AUTHENTICATION_ERROR');
    }
    assert.match(expectError(await t.login(tenant.operator.email), 401, 'AUTHENTICATION_ERROR').detail, /deactivated/);
    expectError(await t.request('POST', '/api/login/', { body: { username: tenant.operator.username, password: PASSWORD } }), 401, 'AUTHENTICATION_ERROR');

    const reactivated = await patchUser(tenant.admin.accessToken, tenant.operator.id, { is_active: true });
    assert.equal(reactivated.json().is_active, true);
    const login = await t.login(tenant.operator.email);
    assert.equal(login.statusCode, 200);
    assert.equal((await me(login.json().access_token)).statusCode, 200);
    expectError(await me(tenant.operator.accessToken), 401, 'AUTHENTICATION_ERROR');
  });

  test('the last active ADMIN cannot be demoted or deactivated; with a second ADMIN they can', async () => {
    const tenant = await t.createTenant('last');
    for (const change of [{ role: 'OPERATOR' }, { is_active: false }, { role: 'OPERATOR', is_active: false }]) {
      assert.match(expectError(await patchUser(tenant.admin.accessToken, tenant.admin.id, change), 409, 'CONFLICT').detail, /at least one active ADMIN/);
    }
    const stored = await storedUser(tenant.admin.id);
    assert.equal(stored?.role, 'ADMIN');
    assert.equal(stored?.isActive, true);

    // An inactive ADMIN does not count.
    assert.equal((await patchUser(tenant.admin.accessToken, tenant.operator.id, { role: 'ADMIN' })).statusCode, 200);
    assert.equal((await patchUser(tenant.admin.accessToken, tenant.operator.id, { is_active: false })).statusCode, 200);
    expectError(await patchUser(tenant.admin.accessToken, tenant.admin.id, { role: 'OPERATOR' }), 409, 'CONFLICT');

    assert.equal((await patchUser(tenant.admin.accessToken, tenant.operator.id, { is_active: true })).statusCode, 200);
    const demoted = await patchUser(tenant.admin.accessToken, tenant.admin.id, { role: 'OPERATOR' });
    assert.equal(demoted.statusCode, 200);
    assert.equal(demoted.json().role, 'OPERATOR');
    const newAdmin = (await t.login(tenant.operator.email)).json().access_token;
    expectError(await patchUser(newAdmin, tenant.operator.id, { is_active: false }), 409, 'CONFLICT');
  });

  test('two ADMINs demoting each other at the same moment: exactly one succeeds', async () => {
    const tenant = await t.createTenant('race');
    assert.equal((await patchUser(tenant.admin.accessToken, tenant.operator.id, { role: 'ADMIN' })).statusCode, 200);
    const [first, second] = await Promise.all([
      patchUser(tenant.admin.accessToken, tenant.operator.id, { role: 'OPERATOR' }),
      patchUser(tenant.operator.accessToken, tenant.admin.id, { role: 'OPERATOR' }),
    ]);
    // The loser gets 409 (last ADMIN) or, if the winner committed before its auth check, 403 (no longer an ADMIN).
    const statuses = [first.statusCode, second.statusCode].sort();
    assert.equal(statuses[0], 200);
    assert.ok([403, 409].includes(statuses[1]!), `statuses ${statuses}`);
    const admins = [await storedUser(tenant.admin.id), await storedUser(tenant.operator.id)].filter((u) => u?.role === 'ADMIN');
    assert.equal(admins.length, 1);
  });

  test('a user of tenant b through tenant a’s ADMIN → 404, and the user is unchanged', async () => {
    for (const body of [{ role: 'ADMIN' }, { is_active: false }]) {
      const res = await patchUser(t.a.admin.accessToken, t.b.operator.id, body);
      const random = await patchUser(t.a.admin.accessToken, randomUUID(), body);
      assert.equal(expectError(res, 404, 'RESOURCE_NOT_FOUND').detail, expectError(random, 404, 'RESOURCE_NOT_FOUND').detail);
    }
    const stored = await storedUser(t.b.operator.id);
    assert.equal(stored?.role, 'OPERATOR');
    assert.equal(stored?.isActive, true);
    assert.equal((await me(t.b.operator.accessToken)).statusCode, 200, 'b’s operator is still logged in');
  });

  test('non-UUID id → 422; OPERATOR → 403; no token → 401', async () => {
    const bad = expectError(await patchUser(t.a.admin.accessToken, 'not-a-uuid', { role: 'ADMIN' }), 422, 'VALIDATION_ERROR');
    assert.ok(bad.errors?.some((e) => e.field === 'id'), JSON.stringify(bad));
    expectError(await patchUser(t.a.operator.accessToken, t.a.operator.id, { role: 'ADMIN' }), 403, 'PERMISSION_DENIED');
    expectError(await t.request('PATCH', `/api/v1/users/${t.a.operator.id}`, { body: { role: 'ADMIN' } }), 401, 'AUTHENTICATION_ERROR');
    assert.equal((await storedUser(t.a.operator.id))?.role, 'OPERATOR');
  });

  const invalid: Array<[string, unknown, string, RegExp]> = [
    ['an empty body', {}, 'body', /role and\/or is_active/],
    ['role outside the enum', { role: 'OWNER' }, 'role', /./],
    ['is_active as a string', { is_active: 'false' }, 'is_active', /must be a boolean/],
    ['an unknown field (email)', { email: 'x@example.com' }, 'body', /unknown field.*email/],
    ['an unknown field (tenant_id)', { role: 'OPERATOR', tenant_id: randomUUID() }, 'body', /unknown field.*tenant_id/],
  ];
  for (const [name, body, field, message] of invalid) {
    test(`refuses ${name} with 422 naming the field`, async () => {
      const res = await patchUser(t.a.admin.accessToken, t.a.operator.id, body);
      const error = expectError(res, 422, 'VALIDATION_ERROR').errors?.find((e) => e.field === field);
      assert.ok(error, `no error for ${field}: ${res.body}`);
      assert.match(error.message, message);
    });
  }
});

describe('POST /api/v1/users/:id/2fa/reset', () => {
  const reset = (token: string, id: string) => t.request('POST', `/api/v1/users/${id}/2fa/reset`, { token });

  /** Turns 2FA on for `user` as they would, and returns the secret. */
  async function withTwoFactor(user: TestUser) {
    const setup = (await t.request('POST', '/api/v1/auth/2fa/setup', { token: user.accessToken })).json();
    const enabled = await t.request('POST', '/api/v1/auth/2fa/enable', { token: user.accessToken, body: { code: await previousTotpCode(setup.secret_key) } });
    assert.equal(enabled.statusCode, 200, enabled.body);
    return setup.secret_key as string;
  }

  test('a member who lost their phone: 2FA off, recovery codes gone, every session ended; they log in with the password alone', async () => {
    const tenant = await t.createTenant('reset2fa');
    const secret = await withTwoFactor(tenant.operator);
    const session = (await t.login(tenant.operator.email, PASSWORD, { totp_code: totpCode(secret) })).json();
    assert.ok(session.access_token);

    const res = await reset(tenant.admin.accessToken, tenant.operator.id);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(Object.keys(res.json()).sort(), MEMBER_KEYS);
    assert.equal(res.json().two_factor_enabled, false);
    const stored = await storedUser(tenant.operator.id);
    assert.deepEqual([stored?.totpSecret, stored?.totpPendingSecret, stored?.totpLastStep], [null, null, null]);
    assert.equal((await t.app.database.db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, tenant.operator.id))).length, 0);

    for (const token of [tenant.operator.accessToken, session.access_token]) expectError(await me(token), 401, 'AUTHENTICATION_ERROR');
    expectError(await t.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: session.refresh_token } }), 401, 'AUTHENTICATION_ERROR');
    // The password alone logs in now.
    const login = await t.login(tenant.operator.email, PASSWORD);
    assert.equal(login.statusCode, 200, login.body);
    assert.equal((await me(login.json().access_token)).json().two_factor_enabled, false);
    assert.equal((await listUsers(tenant.admin.accessToken)).find((u) => u.id === tenant.operator.id)?.two_factor_enabled, false);
    // The admin's own session is untouched.
    assert.equal((await me(tenant.admin.accessToken)).statusCode, 200);
  });

  test('your own 2FA, or a member without 2FA → 409, and nothing changes', async () => {
    const tenant = await t.createTenant('reset2fa_self');
    await withTwoFactor(tenant.admin);
    const self = expectError(await reset(tenant.admin.accessToken, tenant.admin.id), 409, 'CONFLICT');
    assert.match(self.detail, /your own/i);
    assert.notEqual((await storedUser(tenant.admin.id))?.totpSecret, null);
    assert.match(expectError(await reset(tenant.admin.accessToken, tenant.operator.id), 409, 'CONFLICT').detail, /no two-factor/);
  });

  test('a user of tenant b through tenant a’s ADMIN → 404, and their 2FA stays', async () => {
    const tenant = await t.createTenant('reset2fa_b');
    await withTwoFactor(tenant.operator);
    expectError(await reset(t.a.admin.accessToken, tenant.operator.id), 404, 'RESOURCE_NOT_FOUND');
    assert.notEqual((await storedUser(tenant.operator.id))?.totpSecret, null);
    assert.equal((await me(tenant.operator.accessToken)).statusCode, 200);
  });

  test('non-UUID id → 422; OPERATOR → 403; no token → 401', async () => {
    assert.ok(expectError(await reset(t.a.admin.accessToken, 'not-a-uuid'), 422, 'VALIDATION_ERROR').errors?.some((e) => e.field === 'id'));
    expectError(await reset(t.a.operator.accessToken, t.a.admin.id), 403, 'PERMISSION_DENIED');
    expectError(await t.request('POST', `/api/v1/users/${t.a.operator.id}/2fa/reset`), 401, 'AUTHENTICATION_ERROR');
  });
});
