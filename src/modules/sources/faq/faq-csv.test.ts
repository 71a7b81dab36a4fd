// CSV import and export over HTTP: UTF-8 with and without BOM, Shift_JIS as Excel writes it in
// Japan, bad rows reported per row in the caller's language, and an export that imports back, in
// UTF-8 and in Shift_JIS (CP932), which refuses what it cannot hold instead of writing '?'.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import Encoding from 'encoding-japanese';
import iconv from 'iconv-lite';
import { faqEntries } from '../../../db/schema.js';
import { buildTestApp, expectError, type TestApp, type TestTenant } from '../../../test/harness.js';
import { multipartBody } from '../../../test/upload.js';

let t: TestApp;
before(async () => {
  t = await buildTestApp();
});
after(() => t.close());

const importCsv = (tenant: TestTenant, bytes: Buffer, language = 'ja') => {
  const { body, contentType } = multipartBody([{ fileName: 'faq.csv', bytes, contentType: 'text/csv' }]);
  return t.request('POST', '/api/v1/faq/import', { token: tenant.admin.accessToken, body, headers: { 'content-type': contentType, 'accept-language': language } });
};
const storedOf = async (tenant: TestTenant) =>
  (await t.app.database.db.select().from(faqEntries).where(eq(faqEntries.tenantId, tenant.id)).orderBy(faqEntries.question)).map((e) => [e.question, e.answer, e.alternatives]);

const CSV = [
  'question,answer,alternatives',
  '有給休暇の申請方法,"勤怠システムから申請してください。\n承認は上長です。",有休の取り方|有給休暇はどうやって申請しますか',
  '送料はいくらですか,"全国一律 500 円（税込）です。",',
  '',
].join('\r\n');
const EXPECTED = [
  ['有給休暇の申請方法', '勤怠システムから申請してください。\n承認は上長です。', ['有休の取り方', '有給休暇はどうやって申請しますか']],
  ['送料はいくらですか', '全国一律 500 円（税込）です。', []],
];
const shiftJis = (text: string) => Buffer.from(Encoding.convert(Encoding.stringToCode(text), { to: 'SJIS', from: 'UNICODE' }));

describe('FAQ CSV import', () => {
  for (const [name, bytes, encoding] of [
    ['UTF-8 without BOM', Buffer.from(CSV, 'utf8'), 'utf-8'],
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CSV, 'utf8')]), 'utf-8'],
    ['Shift_JIS (Excel in Japan)', shiftJis(CSV), 'shift_jis'],
  ] as const) {
    test(`${name}: every row becomes an entry, alternatives split on |`, async () => {
      const tenant = await t.createTenant('faqcsv');
      const res = await importCsv(tenant, bytes);
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), { imported: 2, encoding, failed: [] });
      assert.deepEqual(await storedOf(tenant), EXPECTED);
    });
  }

  test('Japanese headers are accepted', async () => {
    const tenant = await t.createTenant('faqcsvja');
    const res = await importCsv(tenant, shiftJis('質問,回答,言い換え\r\n駐車場はありますか,あります。,車で行けますか\r\n'));
    assert.equal(res.json().imported, 1, res.body);
    assert.deepEqual(await storedOf(tenant), [['駐車場はありますか', 'あります。', ['車で行けますか']]]);
  });

  test('bad rows are reported with their line and reason in the caller’s language; the good ones are imported', async () => {
    const csv = ['question,answer,alternatives', '営業時間は,9時から18時です。,', ',答えだけ,', `${'長'.repeat(501)},長すぎる質問,`, '質問だけ,,', '定休日は,"日曜日です。\n祝日も休みです。",'].join('\n');
    const tenant = await t.createTenant('faqcsvbad');
    const ja = (await importCsv(tenant, Buffer.from(csv), 'ja')).json();
    assert.equal(ja.imported, 2);
    assert.deepEqual(ja.failed.map((f: { row: number }) => f.row), [3, 4, 5]);
    assert.deepEqual(ja.failed.map((f: { errors: Array<{ field: string }> }) => f.errors[0]!.field), ['question', 'question', 'answer']);
    for (const failure of ja.failed) assert.match(failure.errors[0].message, /[\u3040-\u30ff\u4e00-\u9fff]/, JSON.stringify(failure));
    const en = (await importCsv(await t.createTenant('faqcsvbaden'), Buffer.from(csv), 'en')).json();
    for (const failure of en.failed) assert.match(failure.errors[0].message, /^[\x20-\x7e]+$/, JSON.stringify(failure));
    assert.deepEqual((await storedOf(tenant)).map((e) => e[0]), ['営業時間は', '定休日は']);
  });

  test('a file that is not a FAQ CSV is refused whole, in Japanese and English', async () => {
    const tenant = await t.createTenant('faqcsvrefused');
    for (const [bytes, pattern] of [
      [Buffer.from('title,body\nx,y\n'), /question/],
      [Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), Buffer.alloc(64, 0), Buffer.from([0xff, 0x10, 0x02, 0x9c])]), /CSV/],
      [Buffer.from('question,answer\n"unclosed,quote\n'), /CSV/],
      [Buffer.alloc(0), /./],
    ] as const) {
      const ja = expectError(await importCsv(tenant, bytes, 'ja'), 422, 'VALIDATION_ERROR');
      const en = expectError(await importCsv(tenant, bytes, 'en'), 422, 'VALIDATION_ERROR');
      assert.match(ja.detail, /[\u3040-\u30ff\u4e00-\u9fff]/);
      assert.match(en.detail, pattern);
    }
    assert.deepEqual(await storedOf(tenant), []);
    const big = Buffer.alloc(2 * 1024 * 1024 + 10, 0x61);
    expectError(await importCsv(tenant, big), 413, 'PAYLOAD_TOO_LARGE');
    expectError(await t.request('POST', '/api/v1/faq/import', { token: tenant.admin.accessToken, body: { file: 'x' } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('FAQ CSV export', () => {
  const addEntries = async (tenant: TestTenant, entries: object[]) => {
    for (const body of entries) assert.equal((await t.request('POST', '/api/v1/faq', { token: tenant.admin.accessToken, body })).statusCode, 201);
  };
  const exportAs = (tenant: TestTenant, query: string, language = 'ja') =>
    t.request('GET', `/api/v1/faq/export${query}`, { token: tenant.operator.accessToken, headers: { 'accept-language': language } });
  /** A new tenant holding `entries`, and its export, which must be a download. */
  const exportOf = async (label: string, entries: object[], query: string) => {
    const tenant = await t.createTenant(label);
    await addEntries(tenant, entries);
    const res = await exportAs(tenant, query);
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-disposition']), /attachment; filename="faq.csv"/);
    return { tenant, res };
  };
  const FORMULA = { question: '計算式は使えますか', answer: '=1+1 のような式は文字として保存されます, "引用符" も。', alternatives: [] };

  test('UTF-8 with BOM for Excel, a formula-looking cell kept as text, and it imports back the same', async () => {
    const entries = [{ question: '有給休暇の申請方法', answer: '勤怠システムから申請してください。\n承認は上長です。', alternatives: ['有休の取り方', 'どうやって有休を申請する?'] }, FORMULA];
    const { tenant, res } = await exportOf('faqexport', entries, '');
    assert.match(String(res.headers['content-type']), /^text\/csv; charset=utf-8/);
    const bytes = res.rawPayload;
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'BOM first');
    const text = bytes.subarray(3).toString('utf8');
    assert.ok(text.startsWith('question,answer,alternatives\r\n'), text);
    assert.ok(text.includes(`"'=1+1`), 'a leading = is kept from running as a formula');

    const copy = await t.createTenant('faqexportcopy');
    assert.deepEqual((await importCsv(copy, bytes)).json(), { imported: 2, encoding: 'utf-8', failed: [] });
    assert.deepEqual(await storedOf(copy), await storedOf(tenant));
  });

  test('encoding=shift_jis: CP932 without BOM, as Excel on Japanese Windows reads it, and it imports back the same', async () => {
    const entries = [{ question: '髙橋さんの内線番号は', answer: '①総務部 ㈱サンプル本社 ﾌﾛｱ3の髙橋まで。\n内線は 1234 です。', alternatives: ['髙橋さんに電話したい', '総務の連絡先'] }, FORMULA];
    const { tenant, res } = await exportOf('faqsjis', entries, '?encoding=shift_jis');
    assert.match(String(res.headers['content-type']), /^text\/csv; charset=shift_jis/);
    const bytes = res.rawPayload;
    assert.ok(bytes.subarray(0, 30).toString('latin1').startsWith('question,answer,alternatives\r\n'), 'no BOM');
    assert.ok(bytes.includes(Buffer.from([0xfb, 0xfc])) && bytes.includes(Buffer.from([0x87, 0x40])), '髙 and ① as CP932 writes them');
    assert.ok(!bytes.includes(Buffer.from('髙橋', 'utf8')), 'not UTF-8');
    assert.ok(iconv.decode(bytes, 'cp932').includes('①総務部 ㈱サンプル本社 ﾌﾛｱ3の髙橋まで。'));

    const copy = await t.createTenant('faqsjiscopy');
    assert.deepEqual((await importCsv(copy, bytes)).json(), { imported: 2, encoding: 'shift_jis', failed: [] });
    assert.deepEqual(await storedOf(copy), await storedOf(tenant));
  });

  test('encoding=shift_jis: 〜 typed on a Mac is written as CP932’s ～; an emoji or 𠮷 is a 422 naming the entry in ja and en, never a "?"', async () => {
    const { tenant, res: wave } = await exportOf('faqsjisbad', [{ question: '営業時間は', answer: '平日 9時〜18時です。' }], '?encoding=shift_jis');
    assert.ok(iconv.decode(wave.rawPayload, 'cp932').includes('平日 9時～18時です。'), 'U+301C written as U+FF5E, which CP932 has');

    await addEntries(tenant, [{ question: '𠮷野家の場所は', answer: '駅前です😀' }, { question: 'カフェはありますか', answer: 'Café あります。' }]);
    const ja = expectError(await exportAs(tenant, '?encoding=shift_jis', 'ja'), 422, 'VALIDATION_ERROR');
    assert.match(ja.detail, /FAQ「𠮷野家の場所は」に Shift_JIS で表せない文字があります: 𠮷 \(U\+20BB7\), 😀 \(U\+1F600\)。ほかに 1 件/);
    const en = expectError(await exportAs(tenant, '?encoding=shift_jis', 'en'), 422, 'VALIDATION_ERROR');
    assert.match(en.detail, /"𠮷野家の場所は" has characters Shift_JIS cannot represent: 𠮷 \(U\+20BB7\), 😀 \(U\+1F600\)\. So do 1 other entries\. .*UTF-8/);
    assert.deepEqual(en.errors!.map((e: { message: string }) => e.message.match(/U\+\w+/g)), [['U+20BB7', 'U+1F600'], ['U+00E9']]);

    const utf8 = await exportAs(tenant, '');
    assert.equal(utf8.statusCode, 200);
    assert.ok(utf8.rawPayload.toString('utf8').includes('駅前です😀'), 'UTF-8, the default, holds everything');
    expectError(await exportAs(tenant, '?encoding=latin1'), 422, 'VALIDATION_ERROR');
  });
});
