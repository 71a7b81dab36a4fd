/**
 * Mass assignment on every write route of /openapi.json: a body that also carries privileged fields
 * (tenant_id, role, plan, status, timestamps, ids, owner, widget key…) is refused with a 4xx in the
 * error shape, or the extra fields are ignored — re-reading the caller, both tenants and tenant B's
 * members through the API shows nothing privileged changed.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import type { TestApp } from '../test/harness.js';
import { uploadFile } from '../test/upload.js';
import { describeResponse, errorShapeProblem, send } from './test-support/callers.js';
import { fillPath, type ApiRoute, type JsonSchema } from './test-support/openapi-routes.js';
import { assertExpectedPrivileges, readPrivileges, type Privileges } from './test-support/privileges.js';
import { assertWriteRoutesCovered, buildWriteSuite, callerCredential, jsonWriteRoutes, type WriteContext } from './test-support/write-routes.js';

/** Fields a client must never be able to set through a body, with the value an attacker would send. */
const privilegedFields = (ctx: WriteContext): Record<string, unknown> => ({
  tenant_id: ctx.t.b.id,
  tenantId: ctx.t.b.id,
  role: 'ADMIN',
  plan: 'ENTERPRISE',
  status: 'completed',
  created_at: '2000-01-01T00:00:00.000Z',
  updated_at: '2000-01-01T00:00:00.000Z',
  id: randomUUID(),
  user_id: ctx.t.b.admin.id,
  owner_id: ctx.t.b.admin.id,
  is_active: true,
  is_verified: true,
  is_admin: true,
  two_factor_enabled: false,
  widget_key: 'wk_attacker_chosen_key_0123456789abcdef',
  stripe_customer_id: 'cus_attacker',
  tenant: { id: ctx.t.b.id, plan: 'ENTERPRISE' },
});

let suite: Awaited<ReturnType<typeof buildWriteSuite>>;
let t: TestApp;
let routes: ApiRoute[];
let ctx: WriteContext;
let start: Privileges;
const counts = { refused: 0, refusedNamingTheField: 0, ignored: 0, nested: 0, baseline: 0, upload: 0, declared: 0 };

before(async () => {
  suite = await buildWriteSuite();
  ({ t, routes, ctx } = suite);
  start = await readPrivileges(t);
  assertExpectedPrivileges(start, t);
});
after(() => suite.close());

/** Each privileged value is refused (4xx, the one error shape) or left without effect. */
async function assertRefusedOrIgnored(res: LightMyRequestResponse, where: string, field: string): Promise<void> {
  assert.ok(res.statusCode < 500, `${where}: ${describeResponse(res)}`);
  if (res.statusCode >= 400) {
    assert.equal(errorShapeProblem(res), null, where);
    counts.refused++;
    // Most routes' schemas are strict: the refusal names the field. Others refuse for their own reason
    // (a wrong code, a conflict): then nothing privileged may have changed either.
    if ([400, 422].includes(res.statusCode) && res.json().detail.includes(field)) counts.refusedNamingTheField++;
    else assertExpectedPrivileges(await readPrivileges(t), t);
    return;
  }
  counts.ignored++;
  assert.ok(!JSON.stringify(res.json()).includes('2000-01-01'), `${where}: the response took the ${field} given`);
  assertExpectedPrivileges(await readPrivileges(t), t);
}

const jsonRoutes = () => routes.filter((r) => r.key in jsonWriteRoutes);

describe('mass assignment on every write route of /openapi.json', () => {
  test('every write route is covered: a JSON body to attack, or a stated reason it has none', () => {
    assertWriteRoutesCovered(routes);
  });

  test('privileged fields added to a valid body are refused or ignored; nothing privileged changes', async (diag) => {
    for (const route of jsonRoutes()) {
      const entry = jsonWriteRoutes[route.key]!;
      const url = entry.params ? fillPath(route.path, entry.params(ctx)) : route.path;
      const credential = callerCredential(ctx, entry.caller);
      const declared = new Set(Object.keys(route.body?.properties ?? {}));

      // The plain body first: proves the route and caller are right, so a refusal below is about the extra field.
      const plain = await send(t, route.method, url, credential, { body: await entry.body(ctx) });
      assert.ok(plain.statusCode < 500, `${route.key} plain body: ${describeResponse(plain)}`);
      assert.ok(![404, 422].includes(plain.statusCode), `${route.key}: the table's plain body or ids are wrong: ${describeResponse(plain)}`);
      counts.baseline++;

      // A body is made afresh only after one was used up (a token accepted, a name taken).
      let body = await entry.body(ctx);
      for (const [field, value] of Object.entries(privilegedFields(ctx))) {
        if (declared.has(field)) continue; // a field the route takes on purpose: see the next test
        const res = await send(t, route.method, url, credential, { body: { ...body, [field]: value } });
        await assertRefusedOrIgnored(res, `${route.key} + ${field}`, field);
        if (res.statusCode < 400) body = await entry.body(ctx);
      }
      // The same fields inside each object-typed property (e.g. PATCH /tenants' widget settings).
      for (const [name, schema] of Object.entries(route.body?.properties ?? {})) {
        if ((schema as JsonSchema).type !== 'object') continue;
        const base = await entry.body(ctx);
        const res = await send(t, route.method, url, credential, { body: { ...base, [name]: { ...(base[name] as object), ...privilegedFields(ctx) } } });
        await assertRefusedOrIgnored(res, `${route.key} + ${name}.{privileged}`, name);
        counts.nested++;
      }
    }
    assertExpectedPrivileges(await readPrivileges(t), t);
    diag.diagnostic(`cases tried: ${counts.refused + counts.ignored} (${counts.refused} refused, ${counts.ignored} accepted with the fields ignored) over ${jsonRoutes().length} routes`);
  });

  test('fields a route declares on purpose cannot escalate: an OPERATOR cannot make itself or anyone ADMIN', async () => {
    const operator = { token: t.a.operator.accessToken };
    const attempts: Array<[string, string, unknown]> = [
      ['PATCH', `/api/v1/users/${t.a.operator.id}`, { role: 'ADMIN' }],
      ['PATCH', `/api/v1/users/${t.a.admin.id}`, { is_active: false }],
      ['POST', '/api/v1/invitations', { email: 'accomplice@example.com', role: 'ADMIN' }],
      ['PATCH', `/api/v1/tenants/${t.a.id}`, { name: 'Renamed by an operator' }],
      ['POST', '/api/v1/billing/checkout', { plan: 'ENTERPRISE', billing_cycle: 'MONTHLY' }],
    ];
    for (const [method, url, body] of attempts) {
      const res = await t.request(method as 'PATCH', url, { ...operator, body });
      assert.equal(res.statusCode, 403, `${method} ${url} as OPERATOR: ${describeResponse(res)}`);
      assert.equal(res.json().error_code, 'PERMISSION_DENIED');
      counts.declared++;
    }
    // An ADMIN's checkout starts a payment; the plan itself changes only when Stripe confirms it.
    const checkout = await t.request('POST', '/api/v1/billing/checkout', { token: t.a.admin.accessToken, body: { plan: 'ENTERPRISE', billing_cycle: 'MONTHLY' } });
    assert.equal(checkout.statusCode, 200, checkout.body);
    counts.declared++;
    assertExpectedPrivileges(await readPrivileges(t), t);
  });

  test('an upload’s extra multipart fields (status, tenant_id, id, size, dates) are ignored', async () => {
    const forged = { status: 'completed', tenant_id: t.b.id, id: randomUUID(), file_size: '1', chunk_count: '999', created_at: '2000-01-01T00:00:00.000Z', title: 'Forged fields' };
    const bytes = `Opening hours are nine to five. ${randomUUID()}\n`;
    const res = await uploadFile(t, t.a.admin.accessToken, 'hours.txt', bytes, forged);
    assert.equal(res.statusCode, 201, res.body);
    const created = res.json();
    assert.notEqual(created.id, forged.id);
    assert.equal(created.status, 'pending', 'not forced to completed');
    assert.equal(created.file_size, Buffer.byteLength(bytes));
    assert.ok(Math.abs(Date.parse(created.created_at) - Date.now()) < 60_000, created.created_at);
    assert.equal((await t.request('GET', `/api/v1/contents/${created.id}`, { token: t.a.admin.accessToken })).statusCode, 200, 'the file is A’s');
    assert.equal((await t.request('GET', `/api/v1/contents/${created.id}`, { token: t.b.admin.accessToken })).statusCode, 404, 'not B’s');
    counts.upload++;
  });

  test('afterwards tenant B, its members, and A’s users and tenant are exactly as before', async () => {
    const end = await readPrivileges(t);
    assertExpectedPrivileges(end, t);
    assert.deepEqual(end, start);
  });
});

after(() => {
  console.log(`mass assignment: count of cases tried ${JSON.stringify(counts)}`);
});
