/**
 * Scanned PDFs through the API: an image-only PDF of Japanese text and one of English text are
 * uploaded, read by OCR in the worker, found by POST /api/v1/search, cited by the chat, and
 * marked as OCR'd in the document, its pages and passages, the search results and the sources.
 * A mixed PDF OCRs only its scanned page; a blank scan still fails as NO_TEXT, in ja and en.
 */
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { after, before, describe, test } from 'node:test';
import { contentPages, contents } from '../../../db/schema.js';
import { buildTestApp, type TestApp } from '../../../test/harness.js';
import { uploadFile, waitForStatus, type ContentDetail } from '../../../test/upload.js';
import { ENGLISH_SCAN, JAPANESE_SCAN, makeScannedPdf } from '../extract/test-support/make-scanned-pdf.js';
import type { SearchResponse } from '../../retrieval/retrieval.schemas.js';
import type { ChatResponse } from '../../chat/chat.schemas.js';

describe('scanned PDFs read by OCR, through the API', () => {
  let t: TestApp;
  const details = new Map<string, ContentDetail>();

  before(async () => {
    t = await buildTestApp();
    const token = t.a.admin.accessToken;
    const files: Record<string, Buffer> = {
      '就業規則スキャン.pdf': await makeScannedPdf([JAPANESE_SCAN]),
      'expenses-scan.pdf': await makeScannedPdf([ENGLISH_SCAN]),
      'mixed.pdf': await makeScannedPdf([{ text: 'Chapter one of the handbook: the text layer' }, 'The cafeteria opens at eleven thirty.', { text: 'Chapter three' }]),
      'blank-scan.pdf': await makeScannedPdf([{ blank: true }]),
    };
    const ids = new Map<string, string>();
    for (const [name, bytes] of Object.entries(files)) {
      const res = await uploadFile(t, token, name, bytes);
      assert.equal(res.statusCode, 201, `${name}: ${res.body}`);
      ids.set(name, res.json().id);
    }
    for (const [name, id] of ids) details.set(name, await waitForStatus(t, token, id, ['completed', 'failed'], 240_000));
  });
  after(() => t?.close());

  test('the Japanese scan: completed, OCR page 1 stored and shown, found by a Japanese query, cited by the chat marked OCR', async () => {
    const token = t.a.admin.accessToken;
    const detail = details.get('就業規則スキャン.pdf')!;
    assert.equal(detail.status, 'completed', `${detail.failure_code}: ${detail.failure_reason}`);
    assert.deepEqual(detail.ocr_pages, [1]);
    assert.deepEqual(detail.pages_without_text, []);
    const [row] = await t.app.database.db.select({ ocrPages: contents.ocrPages }).from(contents).where(eq(contents.id, detail.id));
    assert.deepEqual(row!.ocrPages, [1]);
    const stored = await t.app.database.db.select({ page: contentPages.page, ocr: contentPages.ocr, text: contentPages.text }).from(contentPages).where(eq(contentPages.contentId, detail.id));
    assert.equal(stored.length, 1);
    assert.equal(stored[0]!.ocr, true);
    assert.match(stored[0]!.text, /有給休暇/);

    const pages = (await t.request('GET', `/api/v1/contents/${detail.id}/pages`, { token })).json() as { page: number; text: string; ocr: boolean }[];
    assert.equal(pages[0]!.ocr, true);
    const chunks = (await t.request('GET', `/api/v1/contents/${detail.id}/chunks`, { token })).json() as { ocr: boolean }[];
    assert.ok(chunks.length > 0 && chunks.every((c) => c.ocr === true));

    const search = await t.request('POST', '/api/v1/search', { token, body: { query: '有給休暇の申請は何日前までですか', top_k: 5 } });
    assert.equal(search.statusCode, 200, search.body);
    const best = (search.json() as SearchResponse).results[0];
    assert.ok(best, 'the OCR text is found');
    assert.equal(best.file_id, detail.id);
    assert.equal(best.ocr, true);
    assert.equal(best.page_start, 1);
    assert.match(best.chunk_text, /三日前までに上長へ提出/);

    const chat = await t.request('POST', '/api/v1/chats/rag', { token, body: { query: '有給休暇の申請は何日前までですか' } });
    assert.equal(chat.statusCode, 200, chat.body);
    const answer = chat.json() as ChatResponse;
    const cited = answer.sources.find((s) => s.file_id === detail.id);
    assert.ok(cited, `cited: ${JSON.stringify(answer.sources)}`);
    assert.equal(cited.ocr, true);
    assert.match(answer.answer, /三日前/);
  });

  test('the English scan likewise: found by an English query, cited, marked', async () => {
    const token = t.a.admin.accessToken;
    const detail = details.get('expenses-scan.pdf')!;
    assert.equal(detail.status, 'completed', `${detail.failure_code}: ${detail.failure_reason}`);
    assert.deepEqual(detail.ocr_pages, [1]);
    const search = await t.request('POST', '/api/v1/search', { token, body: { query: 'when are expense reports due', top_k: 5 } });
    const best = (search.json() as SearchResponse).results[0];
    assert.equal(best?.file_id, detail.id, search.body);
    assert.equal(best.ocr, true);
    const chat = (await t.request('POST', '/api/v1/chats/rag', { token, body: { query: 'When are expense reports due?' } })).json() as ChatResponse;
    const cited = chat.sources.find((s) => s.file_id === detail.id);
    assert.equal(cited?.ocr, true, JSON.stringify(chat.sources));
  });

  test('the mixed PDF: only the scanned page is OCR’d; passages of the text pages are not marked', async () => {
    const token = t.a.admin.accessToken;
    const detail = details.get('mixed.pdf')!;
    assert.equal(detail.status, 'completed', `${detail.failure_code}: ${detail.failure_reason}`);
    assert.deepEqual(detail.ocr_pages, [2]);
    const pages = (await t.request('GET', `/api/v1/contents/${detail.id}/pages`, { token })).json() as { page: number; ocr: boolean }[];
    assert.deepEqual(pages.map((p) => [p.page, p.ocr]), [[1, false], [2, true], [3, false]]);
    const search = (await t.request('POST', '/api/v1/search', { token, body: { query: 'cafeteria opens', top_k: 5 } })).json() as SearchResponse;
    assert.equal(search.results[0]?.file_id, detail.id);
    assert.equal(search.results[0]!.ocr, true);
    // A passage is marked when it covers the OCR'd page, not otherwise.
    const chunks = (await t.request('GET', `/api/v1/contents/${detail.id}/chunks`, { token })).json() as { page_start: number; page_end: number; ocr: boolean }[];
    assert.ok(chunks.length > 0);
    for (const chunk of chunks) assert.equal(chunk.ocr, chunk.page_start <= 2 && chunk.page_end >= 2, JSON.stringify(chunk));
  });

  test('a blank scan still fails as NO_TEXT, saying OCR found nothing, in Japanese and English', async () => {
    const token = t.a.admin.accessToken;
    const detail = details.get('blank-scan.pdf')!;
    assert.equal(detail.status, 'failed');
    assert.equal(detail.failure_code, 'NO_TEXT');
    const ja = (await t.request('GET', `/api/v1/contents/${detail.id}`, { token, headers: { 'accept-language': 'ja' } })).json() as ContentDetail;
    const en = (await t.request('GET', `/api/v1/contents/${detail.id}`, { token, headers: { 'accept-language': 'en' } })).json() as ContentDetail;
    assert.match(ja.failure_reason!, /文字認識（OCR）でも文字が見つかりませんでした/);
    assert.match(en.failure_reason!, /text recognition \(OCR\) found no text/);
  });
});
