import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { tenants, type TenantStatus } from '../../db/schema.js';
import { startFakeStripe, type FakeStripe } from '../../test/fake-stripe.js';
import { buildTestApp, expectError, type TestApp, type TestTenant } from '../../test/harness.js';
import { uploadFile, waitForDocument } from '../../test/upload.js';
import { defaultPlanLimits, type PlanLimitTable } from './plan-limits.js';
import { EXACT_COUNT_WITHIN } from './plan-limits.service.js';
import { billingConfig, billingOf, completedSession, deliver, stripeIds, subscription } from './test-support/billing-fixtures.js';

// Small limits, so each can be reached in a few requests; PRO is what upgrading gives.
const LIMITS: PlanLimitTable = {
  FREE: { documents: 2, storageBytes: 3000, messagesPerMonth: 2, members: 3 },
  PRO: { documents: 5, storageBytes: 100_000, messagesPerMonth: 10, members: 5 },
  ENTERPRISE: defaultPlanLimits.ENTERPRISE,
};

let stripe: FakeStripe;
let t: TestApp;
before(async () => {
  stripe = await startFakeStripe();
  t = await buildTestApp({ billing: billingConfig(stripe), planLimits: LIMITS });
});
after(async () => {
  await t.close();
  await stripe.close();
});

let fileCounter = 0;
/** A distinct text file of exactly `size` bytes (the same bytes twice would be a duplicate, 409). */
const textOf = (size: number) => {
  const head = `document ${++fileCounter} `;
  return Buffer.from(head + 'a'.repeat(size - head.length));
};
const upload = (tenant: TestTenant, size = 100) => uploadFile(t, tenant.admin.accessToken, `file-${fileCounter + 1}.txt`, textOf(size));
const filesOf = (tenant: TestTenant) => {
  const dir = join(t.config.filesDir, tenant.id);
  return existsSync(dir) ? readdirSync(dir).filter((f) => !f.endsWith('.partial')) : [];
};
const invite = (tenant: TestTenant, email: string) => t.request('POST', '/api/v1/invitations', { token: tenant.admin.accessToken, body: { email } });
const accept = (token: string, username: string) => t.request('POST', '/api/v1/invitations/accept', { body: { token, username, password: 'Password123' } });
const ask = (tenant: TestTenant, user: 'admin' | 'operator' = 'admin') =>
  t.request('POST', '/api/v1/chats/rag', { token: tenant[user].accessToken, body: { query: '有給休暇は何日ですか？' } });
async function widgetAsk(tenant: TestTenant) {
  const key = (await t.request('GET', `/api/v1/tenants/${tenant.id}/embed-snippet`, { token: tenant.admin.accessToken })).json().api_key;
  return t.request('POST', '/api/v1/chats/widget/chat', { body: { query: '有給休暇は何日ですか？' }, headers: { 'x-api-key': key, 'accept-language': 'ja' } });
}
const setStatus = (tenant: TestTenant, plan: 'FREE' | 'PRO', status: TenantStatus) =>
  t.app.database.db.update(tenants).set({ plan, status }).where(eq(tenants.id, tenant.id));

/** The whole purchase: Checkout through the (fake) Stripe API, then Stripe's webhook for that session. */
async function upgradeThroughCheckout(tenant: TestTenant) {
  const res = await t.request('POST', '/api/v1/billing/checkout', { token: tenant.admin.accessToken, body: { plan: 'PRO', billing_cycle: 'MONTHLY' } });
  assert.equal(res.statusCode, 200, res.body);
  const sent = stripe.requests.at(-1)!.params;
  const ids = stripeIds();
  const session = { ...completedSession(sent.client_reference_id, ids), id: res.json().session_id, metadata: sent.metadata };
  assert.equal(await deliver(t, 'checkout.session.completed', session), 'applied');
  return ids;
}

describe('documents and storage', () => {
  test('past the documents limit → 403 QUOTA_EXCEEDED naming the limit and the use, and the file is not kept', async () => {
    const tenant = await t.createTenant('docs');
    assert.equal((await upload(tenant)).statusCode, 201);
    const second = await upload(tenant);
    assert.equal(second.statusCode, 201);
    const refused = expectError(await upload(tenant), 403, 'QUOTA_EXCEEDED');
    assert.match(refused.detail, /Document limit reached: the FREE plan allows 2 documents and this tenant has 2\. Delete documents/);
    // What to do next in the product's terms: the dashboard's Billing page, never an API path.
    assert.match(refused.detail, /on the Billing page of the dashboard\.$/);
    assert.doesNotMatch(refused.detail, /\/api\//);
    assert.equal(filesOf(tenant).length, 2, 'the refused upload left no file behind');
    assert.equal((await billingOf(t, tenant)).usage.documents, 2);

    // Deleting makes room again.
    assert.equal((await t.request('DELETE', `/api/v1/contents/${second.json().id}`, { token: tenant.admin.accessToken })).statusCode, 200);
    assert.equal((await upload(tenant)).statusCode, 201);
  });

  test('a failed document does not take a place toward the documents limit', async () => {
    const tenant = await t.createTenant('faileddocs');
    const broken = await uploadFile(t, tenant.admin.accessToken, 'broken.pdf', Buffer.from('%PDF-1.7\n1 0 obj <<'));
    assert.equal(broken.statusCode, 201, broken.body);
    assert.equal((await waitForDocument(t, tenant.admin.accessToken, broken.json().id)).status, 'failed');
    assert.equal((await upload(tenant)).statusCode, 201);
    assert.equal((await upload(tenant)).statusCode, 201, 'two working documents fit the FREE plan’s 2 beside the failed one');
    assert.equal((await billingOf(t, tenant)).usage.documents, 2);
    expectError(await upload(tenant), 403, 'QUOTA_EXCEEDED');
    // Reprocessing it would take a place again: refused while the plan is full, and the document stays failed.
    expectError(await t.request('POST', `/api/v1/contents/${broken.json().id}/reprocess`, { token: tenant.admin.accessToken }), 403, 'QUOTA_EXCEEDED');
    assert.equal((await t.request('GET', `/api/v1/contents/${broken.json().id}`, { token: tenant.admin.accessToken })).json().status, 'failed');
  });

  test('past the storage limit, counted with the stored size of this file → 403 QUOTA_EXCEEDED, and the file is not kept', async () => {
    const tenant = await t.createTenant('storage');
    assert.equal((await upload(tenant, 2000)).statusCode, 201);
    const refused = expectError(await upload(tenant, 1500), 403, 'QUOTA_EXCEEDED');
    assert.match(refused.detail, /Storage limit reached: this file \(1\.5 KB\) would bring the tenant's documents to 3\.4 KB, over the FREE plan's 2\.9 KB \(2\.0 KB used\)/);
    assert.equal(filesOf(tenant).length, 1);
    assert.equal((await upload(tenant, 1000)).statusCode, 201, 'exactly the limit still fits');
    const usage = (await billingOf(t, tenant)).usage;
    assert.deepEqual([usage.documents, usage.storage_bytes], [2, 3000]);
  });

  test('upgrading through Checkout raises the limits once the webhook arrives', async () => {
    const tenant = await t.createTenant('upgrade');
    await upload(tenant);
    await upload(tenant);
    expectError(await upload(tenant), 403, 'QUOTA_EXCEEDED');
    const res = await t.request('POST', '/api/v1/billing/checkout', { token: tenant.admin.accessToken, body: { plan: 'PRO', billing_cycle: 'MONTHLY' } });
    assert.equal(res.statusCode, 200);
    expectError(await upload(tenant), 403, 'QUOTA_EXCEEDED');
    assert.equal((await billingOf(t, tenant)).plan, 'FREE', 'not before the webhook');

    const sent = stripe.requests.at(-1)!.params;
    await deliver(t, 'checkout.session.completed', { ...completedSession(sent.client_reference_id, stripeIds()), id: res.json().session_id, metadata: sent.metadata });
    assert.equal((await upload(tenant)).statusCode, 201);
    const body = await billingOf(t, tenant);
    assert.equal(body.plan, 'PRO');
    assert.equal(body.limits.documents, 5);
    assert.equal(body.usage.documents, 3);
  });
});

describe('members', () => {
  test('users and pending invitations count: past the limit → 403 QUOTA_EXCEEDED; re-inviting or revoking frees the place', async () => {
    const tenant = await t.createTenant('members'); // an ADMIN and an OPERATOR
    const first = await invite(tenant, 'first@members.example');
    assert.equal(first.statusCode, 201, first.body);
    const refused = expectError(await invite(tenant, 'second@members.example'), 403, 'QUOTA_EXCEEDED');
    assert.match(refused.detail, /Member limit reached: the FREE plan allows 3 members and this tenant has 2 users and 1 pending invitations/);
    assert.equal((await invite(tenant, 'first@members.example')).statusCode, 201, 'inviting the same address again replaces its invitation');
    assert.equal((await billingOf(t, tenant)).usage.members, 3);

    const pending = (await t.request('GET', '/api/v1/invitations', { token: tenant.admin.accessToken })).json().find((i: { status: string }) => i.status === 'pending');
    assert.equal((await t.request('DELETE', `/api/v1/invitations/${pending.id}`, { token: tenant.admin.accessToken })).statusCode, 200);
    const second = await invite(tenant, 'second@members.example');
    assert.equal(second.statusCode, 201);
    assert.equal((await accept(second.json().token, `second_${tenant.id.slice(0, 8)}`)).statusCode, 201);
    expectError(await invite(tenant, 'third@members.example'), 403, 'QUOTA_EXCEEDED');
  });

  test('accepting needs room too: after a downgrade, pending invitations beyond the plan are refused', async () => {
    const tenant = await t.createTenant('downgrade');
    const ids = await upgradeThroughCheckout(tenant);
    const tokens: string[] = [];
    for (const name of ['one', 'two', 'three']) {
      const res = await invite(tenant, `${name}@downgrade.example`);
      assert.equal(res.statusCode, 201, res.body);
      tokens.push(res.json().token);
    }
    expectError(await invite(tenant, 'four@downgrade.example'), 403, 'QUOTA_EXCEEDED');
    await deliver(t, 'customer.subscription.deleted', subscription(ids, { status: 'canceled' }));
    const suffix = tenant.id.slice(0, 8);
    assert.equal((await accept(tokens[0]!, `one_${suffix}`)).statusCode, 201, 'the FREE plan still has a third place');
    const refused = expectError(await accept(tokens[1]!, `two_${suffix}`), 403, 'QUOTA_EXCEEDED');
    assert.match(refused.detail, /the FREE plan allows 3 members and this tenant has 3 users/);
  });
});

describe('messages a month', () => {
  test('dashboard, API and widget answers count together: past the limit → 429 QUOTA_EXCEEDED with Retry-After until the 1st', async () => {
    const tenant = await t.createTenant('messages');
    assert.equal((await ask(tenant)).statusCode, 200);
    assert.equal((await widgetAsk(tenant)).statusCode, 200);
    const refused = await ask(tenant, 'operator');
    const body = expectError(refused, 429, 'QUOTA_EXCEEDED');
    assert.match(body.detail, /Monthly message limit reached: the FREE plan allows 2 answers a month \(dashboard, API and widget together\) and this tenant has had 2/);
    const now = new Date();
    const nextMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    assert.match(body.detail, new RegExp(`resets on ${nextMonth.toISOString().slice(0, 10)}`));
    assert.ok(Math.abs(Number(refused.headers['retry-after']) - (nextMonth.getTime() - now.getTime()) / 1000) < 60);
    assert.match(expectError(await widgetAsk(tenant), 429, 'QUOTA_EXCEEDED').detail, /今月のチャットの利用上限/);
    assert.equal((await billingOf(t, tenant)).usage.messages_this_month, 2);
    assert.equal((await ask(t.b)).statusCode, 200, 'another tenant has its own count');

    await upgradeThroughCheckout(tenant);
    assert.equal((await ask(tenant)).statusCode, 200, 'PRO allows 10');
    assert.equal((await widgetAsk(tenant)).statusCode, 200);
  });

  test('far from the limit the count is kept in memory, by each answer: a burst stops exactly at the limit', async () => {
    const limit = EXACT_COUNT_WITHIN + 4;
    const budgeted = await buildTestApp({ planLimits: { ...LIMITS, FREE: { ...LIMITS.FREE, messagesPerMonth: limit } } });
    try {
      const burst = (tenant: TestTenant) => budgeted.request('POST', '/api/v1/chats/rag', { token: tenant.admin.accessToken, body: { query: '有給休暇は何日ですか？' } });
      // All within the 5 s the first count is trusted: without counting its own answers the instance would let the burst through.
      for (let i = 0; i < limit; i += 1) assert.equal((await burst(budgeted.a)).statusCode, 200, `answer ${i + 1}`);
      assert.match(expectError(await burst(budgeted.a), 429, 'QUOTA_EXCEEDED').detail, new RegExp(`allows ${limit} answers a month .* has had ${limit}`));
      assert.equal((await billingOf(budgeted, budgeted.a)).usage.messages_this_month, limit);
    } finally {
      await budgeted.close();
    }
  });
});

describe('tenant status', () => {
  test('PAST_DUE keeps the plan’s limits and the widget; CANCELED falls back to FREE’s', async () => {
    const tenant = await t.createTenant('status');
    await setStatus(tenant, 'PRO', 'PAST_DUE');
    for (let i = 0; i < 3; i++) assert.equal((await upload(tenant)).statusCode, 201, 'PRO allows 5 documents');
    assert.equal((await widgetAsk(tenant)).statusCode, 200, 'the widget keeps answering while Stripe retries the payment');
    let body = await billingOf(t, tenant);
    assert.deepEqual([body.effective_plan, body.limits.documents], ['PRO', 5]);

    await setStatus(tenant, 'PRO', 'CANCELED');
    body = await billingOf(t, tenant);
    assert.deepEqual([body.plan, body.effective_plan, body.limits.documents], ['PRO', 'FREE', 2]);
    assert.match(body.warning, /FREE plan/);
    assert.match(expectError(await upload(tenant), 403, 'QUOTA_EXCEEDED').detail, /the FREE plan allows 2 documents and this tenant has 3/);
    assert.equal((await widgetAsk(tenant)).statusCode, 200, 'within FREE’s messages');
  });
});
