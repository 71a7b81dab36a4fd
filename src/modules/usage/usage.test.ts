import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { usageEvents, type UsageChannel, type UsageKind } from '../../db/schema.js';
import { buildTestApp, expectError, type TestApp, type TestTenant } from '../../test/harness.js';
import { uploadAndProcess } from '../../test/upload.js';
import type { UsageStats } from './usage.schemas.js';

// GET /api/v1/stats/usage through HTTP, over events recorded by the service or stored with a chosen time.
let t: TestApp;
before(async () => {
  t = await buildTestApp({ modelPrices: { 'llama3.1': { input: 0.5, output: 1 } } });
});
after(() => t.close());

const today = () => new Date().toISOString().slice(0, 10);

async function stats(token: string, query: Record<string, string> = {}): Promise<UsageStats> {
  const res = await t.request('GET', '/api/v1/stats/usage', { token, query });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}

/** An event stored as it was at `at`, with a cost chosen by the test. */
async function stored(tenant: TestTenant, at: string, tokensIn: number, tokensOut = 0, extra: { costMicroUsd?: number; model?: string; channel?: UsageChannel; kind?: UsageKind } = {}) {
  await t.app.database.db.insert(usageEvents).values({
    tenantId: tenant.id,
    userId: null,
    channel: extra.channel ?? 'api',
    kind: extra.kind ?? 'chat',
    provider: 'openai',
    model: extra.model ?? 'gpt-4o-mini',
    tokensIn,
    tokensOut,
    costMicroUsd: extra.costMicroUsd ?? tokensIn + tokensOut,
    createdAt: new Date(at),
  });
}

const buckets = (body: UsageStats) => Object.fromEntries(body.by_date.map((b) => [b.date, b.tokens]));
const micro = (usd: number) => Math.round(usd * 1_000_000);

/** Totals and every breakdown add up to the same tokens and cost. */
function assertConsistent(body: UsageStats) {
  const sum = (rows: Array<{ tokens: number; cost: number }>) => [rows.reduce((n, r) => n + r.tokens, 0), rows.reduce((n, r) => n + micro(r.cost), 0)];
  const total = [body.total_tokens, micro(body.total_cost)];
  assert.deepEqual(sum(body.by_date), total, 'by_date');
  assert.deepEqual(sum(body.by_model), total, 'by_model');
  assert.deepEqual(sum(body.by_channel), total, 'by_channel');
  assert.deepEqual(sum(body.by_kind), total, 'by_kind');
}

describe('recording', () => {
  test('a call recorded through the service is priced, and read back by any user of the tenant', async () => {
    const tenant = await t.createTenant('rec');
    const base = { tenantId: tenant.id, userId: tenant.operator.id, kind: 'chat', provider: 'openai' } as const;
    await t.app.usage.record({ ...base, channel: 'widget', userId: null, model: 'gpt-4o-mini-2024-07-18', tokensIn: 1000, tokensOut: 500 });
    await t.app.usage.record({ ...base, channel: 'api', model: 'llama3.1', tokensIn: 2000, tokensOut: 1000 });
    await t.app.usage.record({ ...base, channel: 'dashboard', kind: 'rewrite', model: 'my-local-model', tokensIn: 70, tokensOut: 30 });

    const [row] = await t.app.database.db.select().from(usageEvents).where(eq(usageEvents.model, 'gpt-4o-mini-2024-07-18'));
    assert.equal(row?.costMicroUsd, 1000 * 0.15 + 500 * 0.6, 'gpt-4o-mini prices, in micro-USD');
    assert.equal(row?.tenantId, tenant.id);

    const body = await stats(tenant.operator.accessToken);
    assert.deepEqual(await stats(tenant.admin.accessToken), body, 'ADMIN and OPERATOR see the same');
    assert.equal(body.granularity, 'day');
    assert.equal(body.end_date, today());
    assert.equal(body.by_date.length, 30, 'the last 30 days');
    assert.equal(body.by_date.at(-1)?.date, today());
    assert.deepEqual(body.by_date.at(-1), { date: today(), tokens: 4600, cost: 0.00045 + 0.002, answers: 0 }, 'usage recorded by hand is no answer');
    assert.ok(body.by_date.slice(0, -1).every((b) => b.tokens === 0 && b.cost === 0), 'zeros before today');
    assert.equal(body.total_tokens, 4600);
    assert.equal(body.total_cost, 0.00245);
    assert.deepEqual(body.by_model, [
      { model: 'llama3.1', provider: 'openai', tokens_in: 2000, tokens_out: 1000, tokens: 3000, cost: 0.002, priced: true },
      { model: 'gpt-4o-mini-2024-07-18', provider: 'openai', tokens_in: 1000, tokens_out: 500, tokens: 1500, cost: 0.00045, priced: true },
      { model: 'my-local-model', provider: 'openai', tokens_in: 70, tokens_out: 30, tokens: 100, cost: 0, priced: false },
    ]);
    assert.deepEqual(body.by_channel, [
      { channel: 'dashboard', tokens: 100, cost: 0, answers: 0 },
      { channel: 'api', tokens: 3000, cost: 0.002, answers: 0 },
      { channel: 'widget', tokens: 1500, cost: 0.00045, answers: 0 },
      { channel: 'ingestion', tokens: 0, cost: 0, answers: 0 },
    ]);
    assert.deepEqual(body.by_kind, [
      { kind: 'chat', tokens: 4500, cost: 0.00245 },
      { kind: 'rewrite', tokens: 100, cost: 0 },
      { kind: 'embedding', tokens: 0, cost: 0 },
    ]);
    assertConsistent(body);
  });

  test('recording never throws: a failed insert is logged and the caller goes on', async () => {
    await t.app.usage.record({ tenantId: randomUUID(), userId: null, channel: 'api', kind: 'chat', provider: 'openai', model: 'gpt-4o', tokensIn: 1, tokensOut: 1 });
    await t.app.usage.record({ tenantId: 'not-a-uuid', userId: null, channel: 'api', kind: 'chat', provider: 'openai', model: 'gpt-4o', tokensIn: 1, tokensOut: 1 });
    assert.equal((await t.app.database.db.select().from(usageEvents).where(eq(usageEvents.model, 'gpt-4o'))).length, 0);
  });

  test('odd token counts are stored as 0, never as an error', async () => {
    const tenant = await t.createTenant('odd');
    await t.app.usage.record({ tenantId: tenant.id, userId: null, channel: 'api', kind: 'chat', provider: 'openai', model: 'o3', tokensIn: Number.NaN, tokensOut: -5 });
    const [row] = await t.app.database.db.select().from(usageEvents).where(eq(usageEvents.tenantId, tenant.id));
    assert.deepEqual([row?.tokensIn, row?.tokensOut, row?.costMicroUsd], [0, 0, 0]);
  });
});

describe('answers', () => {
  test('every answer counts, extractive ones (no tokens) included, by day and by channel; failed ones do not', async () => {
    const tenant = await t.createTenant('answers');
    const uploaded = await uploadAndProcess(t, tenant.admin.accessToken, '就業規則.txt', '年次有給休暇は入社6か月後に10日付与されます。\nThe annual paid leave is 10 days after six months.');
    assert.equal(uploaded.detail.status, 'completed');
    for (const query of ['有給休暇は何日ですか？', 'How many days of paid leave?']) {
      const res = await t.request('POST', '/api/v1/chats/rag', { token: tenant.operator.accessToken, body: { query } });
      assert.equal(res.statusCode, 200, res.body);
    }
    const key = (await t.request('GET', `/api/v1/tenants/${tenant.id}/embed-snippet`, { token: tenant.admin.accessToken })).json().api_key;
    const widget = await t.request('POST', '/api/v1/chats/widget/chat', { body: { query: '有給休暇は？' }, headers: { 'x-api-key': key } });
    assert.equal(widget.statusCode, 200, widget.body);

    const body = await stats(tenant.operator.accessToken);
    assert.equal(body.total_tokens, 0, 'extractive answers bill no tokens');
    assert.equal(body.total_answers, 3);
    assert.deepEqual(body.by_date.filter((b) => b.answers > 0), [{ date: today(), tokens: 0, cost: 0, answers: 3 }]);
    assert.deepEqual(Object.fromEntries(body.by_channel.map((c) => [c.channel, c.answers])), { dashboard: 0, api: 2, widget: 1, ingestion: 0 });
    assert.equal((await stats(t.a.admin.accessToken)).total_answers, 0, 'another tenant’s answers are not counted');
  });
});

describe('buckets in UTC', () => {
  let tenant: TestTenant;
  before(async () => {
    tenant = await t.createTenant('utc');
    // 2026-01-01 is a Thursday; 2026-01-04 a Sunday; 2026-01-05 a Monday. 2028 is a leap year.
    await stored(tenant, '2025-12-29T12:00:00Z', 1); // Monday of the first week, before the ranges below
    await stored(tenant, '2025-12-31T23:59:59.999Z', 2);
    await stored(tenant, '2026-01-01T00:00:00Z', 4);
    await stored(tenant, '2026-01-04T23:59:59Z', 8);
    await stored(tenant, '2026-01-05T00:00:00Z', 16);
    await stored(tenant, '2026-01-05T23:30:00-05:00', 32); // 2026-01-06 04:30 UTC
    await stored(tenant, '2026-01-31T23:59:59Z', 64);
    await stored(tenant, '2026-02-01T00:00:00Z', 128);
    await stored(tenant, '2028-02-28T23:59:59Z', 256);
    await stored(tenant, '2028-02-29T00:00:00Z', 512);
    await stored(tenant, '2028-02-29T23:59:59.999Z', 1024);
    await stored(tenant, '2028-03-01T00:00:00Z', 2048);
  });

  test('day: an event a millisecond before midnight UTC belongs to that day', async () => {
    const body = await stats(tenant.admin.accessToken, { start_date: '2025-12-31', end_date: '2026-01-06' });
    assert.deepEqual(buckets(body), {
      '2025-12-31': 2,
      '2026-01-01': 4,
      '2026-01-02': 0,
      '2026-01-03': 0,
      '2026-01-04': 8,
      '2026-01-05': 16,
      '2026-01-06': 32,
    });
    assert.equal(body.total_tokens, 2 + 4 + 8 + 16 + 32);
    assertConsistent(body);
  });

  test('week: Monday to Sunday, labelled by the Monday; only days in the range count', async () => {
    const body = await stats(tenant.admin.accessToken, { start_date: '2025-12-31', end_date: '2026-01-12', granularity: 'week' });
    // The Monday 2025-12-29 event is in the first bucket's week but before start_date.
    assert.deepEqual(buckets(body), { '2025-12-29': 2 + 4 + 8, '2026-01-05': 16 + 32, '2026-01-12': 0 });
    assertConsistent(body);
  });

  test('month: the 1st labels it; across a year end', async () => {
    const body = await stats(tenant.admin.accessToken, { start_date: '2025-12-15', end_date: '2026-02-28', granularity: 'month' });
    assert.deepEqual(buckets(body), { '2025-12-01': 1 + 2, '2026-01-01': 4 + 8 + 16 + 32 + 64, '2026-02-01': 128 });
    assertConsistent(body);
  });

  test('February 29 of a leap year, by day and by month', async () => {
    const byDay = await stats(tenant.admin.accessToken, { start_date: '2028-02-28', end_date: '2028-03-01' });
    assert.deepEqual(buckets(byDay), { '2028-02-28': 256, '2028-02-29': 512 + 1024, '2028-03-01': 2048 });
    const byMonth = await stats(tenant.admin.accessToken, { start_date: '2028-01-01', end_date: '2028-04-30', granularity: 'month' });
    assert.deepEqual(buckets(byMonth), { '2028-01-01': 0, '2028-02-01': 256 + 512 + 1024, '2028-03-01': 2048, '2028-04-01': 0 });
    assertConsistent(byMonth);
  });

  test('a date-time counts as its UTC date; one without an offset is UTC', async () => {
    // 23:30 at UTC-5 is already the 6th in UTC; 08:00 in Tokyo is still the 6th there.
    const body = await stats(tenant.admin.accessToken, { start_date: '2026-01-05T23:30:00-05:00', end_date: '2026-01-07T08:00:00+09:00' });
    assert.deepEqual([body.start_date, body.end_date], ['2026-01-06', '2026-01-06']);
    assert.deepEqual(buckets(body), { '2026-01-06': 32 });
    const local = await stats(tenant.admin.accessToken, { start_date: '2026-01-05T23:59:59', end_date: '2026-01-06T00:00' });
    assert.deepEqual([local.start_date, local.end_date], ['2026-01-05', '2026-01-06']);
  });

  test('five years by month: every month, zeros included', async () => {
    const body = await stats(tenant.admin.accessToken, { start_date: '2024-01-01', end_date: '2028-12-31', granularity: 'month' });
    assert.equal(body.by_date.length, 60);
    assert.equal(body.total_tokens, 4096 - 1, 'every event above');
    assertConsistent(body);
  });
});

describe('tenant isolation and access', () => {
  test('another tenant never sees the usage; without a token 401', async () => {
    const tenant = await t.createTenant('iso');
    await stored(tenant, `${today()}T00:00:00Z`, 1000, 0, { costMicroUsd: 5 });
    const mine = await stats(tenant.admin.accessToken);
    assert.equal(mine.total_tokens, 1000);
    for (const other of [t.b.admin, t.b.operator]) {
      const theirs = await stats(other.accessToken);
      assert.equal(theirs.total_tokens, 0);
      assert.equal(theirs.total_cost, 0);
      assert.deepEqual(theirs.by_model, []);
    }
    expectError(await t.request('GET', '/api/v1/stats/usage'), 401, 'AUTHENTICATION_ERROR');
  });
});

describe('validation: 422 VALIDATION_ERROR naming the field', () => {
  const cases: Array<[string, Record<string, string>, string]> = [
    ['not a date', { start_date: 'yesterday' }, 'start_date'],
    ['no such day', { end_date: '2025-02-30' }, 'end_date'],
    ['not a leap year', { start_date: '2027-02-29' }, 'start_date'],
    ['an impossible time', { start_date: '2025-01-01T25:00:00Z' }, 'start_date'],
    ['before 2000', { start_date: '1999-12-31' }, 'start_date'],
    ['after 2999', { end_date: '2999-12-31T23:00:00-05:00' }, 'end_date'],
    ['unknown granularity', { granularity: 'year' }, 'granularity'],
    ['start after end', { start_date: '2025-03-02', end_date: '2025-03-01' }, 'start_date'],
    ['367 days by day', { start_date: '2025-01-01', end_date: '2026-01-02' }, 'start_date'],
    ['over five years by week', { start_date: '2020-01-01', end_date: '2025-12-31', granularity: 'week' }, 'start_date'],
  ];
  for (const [name, query, field] of cases) {
    test(name, async () => {
      const body = expectError(await t.request('GET', '/api/v1/stats/usage', { token: t.a.operator.accessToken, query }), 422, 'VALIDATION_ERROR');
      assert.equal(body.errors?.[0]?.field, field, body.detail);
      assert.ok(body.detail.startsWith(`${field}:`), body.detail);
    });
  }
});
