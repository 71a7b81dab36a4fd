// FAQ entries over HTTP: create, read, edit, delete, list with paging and search, who may write,
// validation in both languages, another tenant's entries, and what the database holds.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { faqEntries } from '../../../db/schema.js';
import { buildTestApp, expectError, type TestApp } from '../../../test/harness.js';

let t: TestApp;
before(async () => {
  t = await buildTestApp();
});
after(() => t.close());

const admin = () => t.a.admin.accessToken;
const create = (body: unknown, token = admin()) => t.request('POST', '/api/v1/faq', { token, body });
const stored = async (id: string) => (await t.app.database.db.select().from(faqEntries).where(and(eq(faqEntries.id, id), eq(faqEntries.tenantId, t.a.id))))[0];

describe('FAQ entries CRUD', () => {
  test('an ADMIN adds an entry with alternatives; every member reads it; it is stored for the tenant', async () => {
    const res = await create({ question: ' 有給休暇の申請方法を教えてください ', answer: '勤怠システムの「休暇申請」から申請してください。', alternatives: ['有休の取り方', '有休の取り方', ' 有給休暇はどうやって申請しますか'] });
    assert.equal(res.statusCode, 201, res.body);
    const entry = res.json();
    assert.equal(entry.question, '有給休暇の申請方法を教えてください');
    assert.deepEqual(entry.alternatives, ['有休の取り方', '有給休暇はどうやって申請しますか'], 'trimmed, repeated phrasings kept once');
    const row = await stored(entry.id);
    assert.equal(row?.answer, '勤怠システムの「休暇申請」から申請してください。');
    assert.equal(row?.createdBy, t.a.admin.id);

    const read = await t.request('GET', `/api/v1/faq/${entry.id}`, { token: t.a.operator.accessToken });
    assert.equal(read.statusCode, 200);
    assert.deepEqual(read.json(), entry);
  });

  test('an ADMIN edits and deletes; the database follows', async () => {
    const { id } = (await create({ question: '駐車場はありますか', answer: 'あります。' })).json();
    const edited = await t.request('PATCH', `/api/v1/faq/${id}`, { token: admin(), body: { answer: '本社ビル地下にあります（30 台）。', alternatives: ['車で行けますか'] } });
    assert.equal(edited.statusCode, 200, edited.body);
    assert.equal(edited.json().question, '駐車場はありますか');
    assert.equal((await stored(id))?.answer, '本社ビル地下にあります（30 台）。');
    assert.deepEqual((await stored(id))?.alternatives, ['車で行けますか']);

    const removed = await t.request('DELETE', `/api/v1/faq/${id}`, { token: admin() });
    assert.equal(removed.statusCode, 200);
    assert.equal(await stored(id), undefined);
    expectError(await t.request('GET', `/api/v1/faq/${id}`, { token: admin() }), 404, 'RESOURCE_NOT_FOUND');
    expectError(await t.request('DELETE', `/api/v1/faq/${id}`, { token: admin() }), 404, 'RESOURCE_NOT_FOUND');
  });

  test('an OPERATOR reads but cannot write', async () => {
    const { id } = (await create({ question: '経費精算の締め日はいつですか', answer: '毎月25日です。' })).json();
    const op = t.a.operator.accessToken;
    expectError(await create({ question: 'x', answer: 'y' }, op), 403, 'PERMISSION_DENIED');
    expectError(await t.request('PATCH', `/api/v1/faq/${id}`, { token: op, body: { answer: 'z' } }), 403, 'PERMISSION_DENIED');
    expectError(await t.request('DELETE', `/api/v1/faq/${id}`, { token: op }), 403, 'PERMISSION_DENIED');
    expectError(await t.request('POST', '/api/v1/faq/import', { token: op }), 403, 'PERMISSION_DENIED');
    assert.equal((await t.request('GET', '/api/v1/faq', { token: op })).statusCode, 200);
    expectError(await t.request('GET', '/api/v1/faq'), 401, 'AUTHENTICATION_ERROR');
    assert.ok(await stored(id));
  });

  test('lists newest first with paging, a total and a search over question, answer and alternatives', async () => {
    const tenant = await t.createTenant('faqlist');
    const token = tenant.admin.accessToken;
    for (const [question, answer, alternatives] of [
      ['送料はいくらですか', '全国一律 500 円です。', []],
      ['返品はできますか', '到着後 7 日以内なら返品できます。', ['商品を返したい']],
      ['支払い方法は何がありますか', 'クレジットカードと銀行振込です。', []],
    ] as const) {
      assert.equal((await create({ question, answer, alternatives }, token)).statusCode, 201);
    }
    const page = await t.request('GET', '/api/v1/faq', { token, query: { limit: '2' } });
    assert.equal(page.headers['x-total-count'], '3');
    assert.deepEqual(page.json().map((e: { question: string }) => e.question), ['支払い方法は何がありますか', '返品はできますか']);
    const next = await t.request('GET', '/api/v1/faq', { token, query: { limit: '2', skip: '2' } });
    assert.deepEqual(next.json().map((e: { question: string }) => e.question), ['送料はいくらですか']);
    for (const [search, expected] of [['返したい', '返品はできますか'], ['500', '送料はいくらですか'], ['支払い', '支払い方法は何がありますか'], ['%', undefined]] as const) {
      const found = await t.request('GET', '/api/v1/faq', { token, query: { search } });
      assert.deepEqual(found.json().map((e: { question: string }) => e.question), expected ? [expected] : [], search);
    }
  });
});

describe('FAQ validation', () => {
  const cases: Array<[string, unknown, string]> = [
    ['no question', { answer: 'a' }, 'question'],
    ['empty question', { question: '  ', answer: 'a' }, 'question'],
    ['question too long', { question: 'あ'.repeat(501), answer: 'a' }, 'question'],
    ['no answer', { question: 'q' }, 'answer'],
    ['answer too long', { question: 'q', answer: 'あ'.repeat(5001) }, 'answer'],
    ['too many alternatives', { question: 'q', answer: 'a', alternatives: Array.from({ length: 21 }, (_, i) => `q${i}`) }, 'alternatives'],
    ['empty alternative', { question: 'q', answer: 'a', alternatives: [''] }, 'alternatives'],
    ['alternatives not a list', { question: 'q', answer: 'a', alternatives: 'q2' }, 'alternatives'],
    ['unknown field', { question: 'q', answer: 'a', tenant_id: t?.b?.id ?? '00000000-0000-4000-8000-000000000000' }, 'body'],
  ];
  for (const [name, body, field] of cases) {
    test(`${name}: 422 naming ${field}, in Japanese and English`, async () => {
      const ja = expectError(await t.request('POST', '/api/v1/faq', { token: admin(), body, headers: { 'accept-language': 'ja' } }), 422, 'VALIDATION_ERROR');
      const en = expectError(await t.request('POST', '/api/v1/faq', { token: admin(), body, headers: { 'accept-language': 'en' } }), 422, 'VALIDATION_ERROR');
      assert.ok(ja.errors?.some((e) => e.field.startsWith(field)) || field === 'body', JSON.stringify(ja));
      assert.notEqual(ja.detail, en.detail);
      assert.match(ja.detail, /[\u3040-\u30ff\u4e00-\u9fff]/);
    });
  }

  test('an edit must change something; a bad id is 422, an unknown one 404', async () => {
    const { id } = (await create({ question: '営業時間は', answer: '9時から18時です。' })).json();
    expectError(await t.request('PATCH', `/api/v1/faq/${id}`, { token: admin(), body: {} }), 422, 'VALIDATION_ERROR');
    expectError(await t.request('GET', '/api/v1/faq/not-a-uuid', { token: admin() }), 422, 'VALIDATION_ERROR');
    expectError(await t.request('GET', '/api/v1/faq/00000000-0000-4000-8000-000000000000', { token: admin() }), 404, 'RESOURCE_NOT_FOUND');
  });
});

describe('FAQ isolation', () => {
  test("another tenant's entry is 404 to read, edit and delete, absent from lists, and unchanged", async () => {
    const { id } = (await create({ question: '社外秘の質問です', answer: 'A社だけの回答です。' })).json();
    const b = t.b.admin.accessToken;
    expectError(await t.request('GET', `/api/v1/faq/${id}`, { token: b }), 404, 'RESOURCE_NOT_FOUND');
    expectError(await t.request('PATCH', `/api/v1/faq/${id}`, { token: b, body: { answer: '乗っ取り' } }), 404, 'RESOURCE_NOT_FOUND');
    expectError(await t.request('DELETE', `/api/v1/faq/${id}`, { token: b }), 404, 'RESOURCE_NOT_FOUND');
    const list = await t.request('GET', '/api/v1/faq', { token: b, query: { search: '社外秘' } });
    assert.deepEqual(list.json(), []);
    assert.ok(!(await t.request('GET', '/api/v1/faq/export', { token: b })).body.includes('社外秘'));
    assert.equal((await stored(id))?.answer, 'A社だけの回答です。');
  });
});
