/**
 * Citations that open their source: a PDF at its page, a sheet by its name, in the API and the
 * dashboard (the original on this server) and in the widget (a signed link, when the tenant lets
 * visitors open files).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, expectError, type TestApp } from '../../test/harness.js';
import { uploadAndProcess } from '../../test/upload.js';
import { makeXlsx } from '../sources/extract/test-support/make-office.js';
import { makeTextPdf } from '../sources/extract/test-support/make-pdf.js';
import { createFileLinks } from '../widget/file-links.js';
import type { ChatResponse } from './chat.schemas.js';

let t: TestApp;
let pdfId: string;
let xlsxId: string;
let widgetKey: string;
// Each page longer than a passage, so the refund rule's passage starts on page 2.
const history = Array.from({ length: 40 }, (_, i) => `In year ${1980 + i} the company opened office number ${i + 1} in a new city.`);
const travel = Array.from({ length: 40 }, (_, i) => `Rule ${i + 1}: trips to site ${i + 1} are booked through the travel desk.`);
const pages = [['Company handbook', 'Chapter 1: our history', ...history].join('\n'), ['Chapter 2: travel', ...travel, 'Train tickets are refunded within 30 days of the trip.'].join('\n')];
const pathOf = (url: string) => url.replace(/#.*$/, '');

before(async () => {
  t = await buildTestApp();
  const token = t.a.admin.accessToken;
  pdfId = (await uploadAndProcess(t, token, 'handbook.pdf', await makeTextPdf(pages))).id;
  xlsxId = (await uploadAndProcess(t, token, '価格表.xlsx', await makeXlsx())).id;
  widgetKey = (await t.request('GET', `/api/v1/tenants/${t.a.id}/embed-snippet`, { token })).json().api_key;
});
after(() => t?.close());

const ask = async (query: string) => {
  const res = await t.request('POST', '/api/v1/chats/rag', { token: t.a.admin.accessToken, body: { query } });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as ChatResponse;
};
const askWidget = async (query: string) => {
  const res = await t.request('POST', '/api/v1/chats/widget/chat', { body: { query }, headers: { 'x-api-key': widgetKey } });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as ChatResponse;
};
const setLinkFiles = async (on: boolean) =>
  assert.equal((await t.request('PATCH', `/api/v1/tenants/${t.a.id}`, { token: t.a.admin.accessToken, body: { widget: { link_files: on } } })).statusCode, 200);

describe('citations in the API and the dashboard', () => {
  test('a PDF passage opens the original at its page; the file is shown inline only when asked, and only for PDF', async () => {
    const source = (await ask('When are train tickets refunded?')).sources[0]!;
    assert.equal(source.file_id, pdfId);
    assert.deepEqual([source.file_type, source.page, source.sheet_name], ['pdf', 2, null]);
    assert.equal(source.url, `/api/v1/contents/${pdfId}/file?disposition=inline#page=2`);

    const inline = await t.request('GET', pathOf(source.url), { token: t.a.operator.accessToken });
    assert.equal(inline.statusCode, 200);
    assert.equal(inline.headers['content-type'], 'application/pdf');
    assert.match(String(inline.headers['content-disposition']), /^inline; filename="?handbook\.pdf"?/);
    assert.equal(inline.headers['content-security-policy'], "default-src 'none'; object-src 'self'");
    assert.equal(inline.rawPayload.subarray(0, 5).toString(), '%PDF-');

    const attachment = await t.request('GET', `/api/v1/contents/${pdfId}/file`, { token: t.a.operator.accessToken });
    assert.match(String(attachment.headers['content-disposition']), /^attachment;/);
    assert.equal(attachment.headers['content-security-policy'], "default-src 'none'; sandbox");
    const workbook = await t.request('GET', `/api/v1/contents/${xlsxId}/file?disposition=inline`, { token: t.a.operator.accessToken });
    assert.match(String(workbook.headers['content-disposition']), /^attachment;/, 'never inline but for a PDF');
    expectError(await t.request('GET', `/api/v1/contents/${pdfId}/file?disposition=open`, { token: t.a.operator.accessToken }), 422, 'VALIDATION_ERROR');
    expectError(await t.request('GET', pathOf(source.url), { token: t.b.admin.accessToken }), 404, 'RESOURCE_NOT_FOUND');
  });

  test('a sheet passage names its sheet, in search results, answers and the stored transcript', async () => {
    const search = await t.request('POST', '/api/v1/search', { token: t.a.admin.accessToken, body: { query: '購買部の担当者の内線番号' } });
    const best = search.json().results[0];
    assert.deepEqual([best.file_id, best.file_type, best.page_start, best.sheet_name], [xlsxId, 'xlsx', 2, '担当者']);

    const answer = await ask('購買部の担当者の内線番号は？');
    const source = answer.sources.find((s) => s.file_id === xlsxId)!;
    assert.deepEqual([source.file_type, source.page, source.sheet_name, source.url], ['xlsx', 2, '担当者', `/api/v1/contents/${xlsxId}/file`]);
    const transcript = await t.request('GET', `/api/v1/conversations/${answer.conversation_id}`, { token: t.a.admin.accessToken });
    const stored = transcript.json().messages.find((m: { role: string }) => m.role === 'assistant').sources;
    assert.deepEqual(stored, answer.sources);
  });
});

describe('citations in the widget', () => {
  test('by default a visitor sees where a passage is, but gets no link to the file', async () => {
    const source = (await askWidget('When are train tickets refunded?')).sources[0]!;
    assert.deepEqual([source.file_type, source.page, source.url], ['pdf', 2, null]);
  });

  test('with link_files on, the source is a signed link that opens the PDF at its page without an account, until it is turned off', async () => {
    await setLinkFiles(true);
    const source = (await askWidget('When are train tickets refunded?')).sources[0]!;
    assert.match(source.url!, new RegExp(`^${t.publicUrl}/api/v1/chats/widget/files/[\\w-]{22}\\.[\\w-]{22}\\.[0-9a-z]+\\.[\\w-]{22}#page=2$`));
    const path = pathOf(source.url!).slice(t.publicUrl.length);
    const opened = await t.request('GET', path);
    assert.equal(opened.statusCode, 200, opened.body);
    assert.match(String(opened.headers['content-disposition']), /^inline; filename="?handbook\.pdf"?/);
    assert.equal(opened.rawPayload.subarray(0, 5).toString(), '%PDF-');

    const [tenant, file, expires, signature] = path.split('/').pop()!.split('.');
    const altered = path.replace(`${tenant}.${file}.${expires}`, `${tenant}.${file}.${(parseInt(expires!, 36) + 3600).toString(36)}`);
    assert.ok(signature);
    for (const [language, message] of [['ja', /期限切れか、無効/], ['en', /expired or is not valid/]] as const) {
      const res = await t.request('GET', altered, { headers: { 'accept-language': language } });
      assert.match(expectError(res, 404, 'RESOURCE_NOT_FOUND').detail, message);
    }
    await setLinkFiles(false);
    expectError(await t.request('GET', path), 404, 'RESOURCE_NOT_FOUND');
  });

  test('a link expires after 24 hours, and one signed with another key is refused', () => {
    let now = Date.UTC(2026, 11, 1);
    const links = createFileLinks(Buffer.alloc(32, 1), () => now);
    const source = { file_id: pdfId, file_type: 'pdf', page: 3 } as Parameters<typeof links.sign>[2];
    const link = links.sign('https://chat.example', t.a.id, source, true).url!.split('/').pop()!.replace(/#.*/, '');
    assert.deepEqual(links.verify(link), { tenantId: t.a.id, fileId: pdfId });
    assert.equal(createFileLinks(Buffer.alloc(32, 2), () => now).verify(link), null);
    now += 24 * 60 * 60 * 1000;
    assert.equal(links.verify(link), null);
  });
});
