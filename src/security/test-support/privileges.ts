// The privileged facts an attack on a write route would try to change, read through the API as the
// users themselves see them: who is ADMIN of which tenant, verified, with 2FA; each tenant's plan and
// status; who belongs to tenant B.
import type { TestApp, TestUser } from '../../test/harness.js';

export interface Privileges {
  aAdmin: unknown;
  aOperator: unknown;
  aTenant: unknown;
  bTenant: unknown;
  bMembers: unknown;
}

async function read(t: TestApp, url: string, user: TestUser): Promise<any> {
  const res = await t.request('GET', url, { token: user.accessToken });
  if (res.statusCode !== 200) throw new Error(`GET ${url} as ${user.role} of ${user.tenantId} answered ${res.statusCode}: ${res.body} — the server stopped answering, or a session was lost`);
  return res.json();
}

const me = async (t: TestApp, user: TestUser) => {
  const { id, role, tenant_id, is_active, is_verified, two_factor_enabled } = await read(t, '/api/v1/auth/me', user);
  return { id, role, tenant_id, is_active, is_verified, two_factor_enabled };
};

const tenant = async (t: TestApp, id: string, admin: TestUser) => {
  const { plan, status, domain, created_at } = await read(t, `/api/v1/tenants/${id}`, admin);
  return { id, plan, status, domain, created_at };
};

/** A's users and tenant, B's tenant and members, as their own ADMINs read them. */
export async function readPrivileges(t: TestApp): Promise<Privileges> {
  const members = (await read(t, '/api/v1/users', t.b.admin)) as Array<{ id: string; role: string; is_active: boolean; created_at: string }>;
  return {
    aAdmin: await me(t, t.a.admin),
    aOperator: await me(t, t.a.operator),
    aTenant: await tenant(t, t.a.id, t.a.admin),
    bTenant: await tenant(t, t.b.id, t.b.admin),
    bMembers: members.map(({ id, role, is_active, created_at }) => ({ id, role, is_active, created_at })).sort((x, y) => x.id.localeCompare(y.id)),
  };
}

/** What the harness made: A's operator an active OPERATOR, both tenants FREE and ACTIVE. */
export function assertExpectedPrivileges(p: Privileges, t: TestApp): void {
  const expect = (what: string, actual: unknown, expected: unknown) => {
    if (JSON.stringify(actual) !== JSON.stringify(expected)) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  };
  const a = p.aOperator as { role: string; tenant_id: string; is_active: boolean };
  expect("A's operator", [a.role, a.tenant_id, a.is_active], ['OPERATOR', t.a.id, true]);
  expect("A's admin", [(p.aAdmin as { role: string }).role, (p.aAdmin as { tenant_id: string }).tenant_id], ['ADMIN', t.a.id]);
  for (const [name, row] of [['A', p.aTenant], ['B', p.bTenant]] as const) {
    const { plan, status } = row as { plan: string; status: string };
    expect(`tenant ${name}'s plan and status`, [plan, status], ['FREE', 'ACTIVE']);
  }
}
