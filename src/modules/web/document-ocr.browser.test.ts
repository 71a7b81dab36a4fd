import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { uploadAndProcess } from '../../test/upload.js';
import { JAPANESE_SCAN, makeScannedPdf } from '../sources/extract/test-support/make-scanned-pdf.js';
import { browserSkipReason } from '../widget/test-support/browser.js';
import { settingsBrowser } from './test-support/settings-browser.js';

// The document page of a PDF whose second page is a scan, in Chromium against the real server:
// the OCR'd page says it was read by OCR, the text page does not; the reading notes list the
// OCR'd pages and its passages carry the mark — in Japanese and in English.

describe('the OCR mark on the document page, in a real browser', { skip: browserSkipReason() }, () => {
  const env = settingsBrowser();

  test('ja and en: the scanned page is marked "read by OCR", the text page is not; notes and passages say so', async () => {
    const { t, signedIn, shot } = env;
    const tenant = await t.createTenant('ocrpage');
    const pdf = await makeScannedPdf([{ text: 'Cover page of the work rules (a text layer)' }, JAPANESE_SCAN]);
    const { id } = await uploadAndProcess(t, tenant.admin.accessToken, '就業規則スキャン.pdf', pdf, { title: '就業規則（スキャン）' });
    const detail = (await t.request('GET', `/api/v1/contents/${id}`, { token: tenant.admin.accessToken })).json();
    assert.equal(detail.status, 'completed', detail.failure_reason);
    assert.deepEqual(detail.ocr_pages, [2]);

    const page = await signedIn(tenant.admin, `/documents/${id}?page=2`);
    await page.getByRole('heading', { name: '就業規則（スキャン）', level: 1 }).waitFor();
    await page.getByTestId('page-position').getByText('2 / 2 ページ').waitFor();
    await page.getByTestId('ocr-mark').getByText('このページは OCR で読み取りました').waitFor();
    await page.getByTestId('page-text').getByText(/有給休暇/).waitFor();
    await page.getByTestId('reading-notes').getByText('OCR で読み取ったページ（スキャン画像。読み誤りがある場合があります）: 2').waitFor();
    await page.getByTestId('passage').getByText('OCR で読み取り', { exact: true }).first().waitFor();
    await page.getByRole('heading', { name: '本文' }).scrollIntoViewIfNeeded();
    await shot(page, 'document-ocr-ja');

    await page.getByRole('button', { name: '前のページ' }).click();
    await page.getByTestId('page-position').getByText('1 / 2 ページ').waitFor();
    await page.getByTestId('page-text').getByText(/Cover page of the work rules/).waitFor();
    assert.equal(await page.getByTestId('ocr-mark').count(), 0, 'the text page is not marked');

    // The chat cites the OCR'd passage with the mark, in its source list and its passage dialog.
    const chat = await signedIn(tenant.admin, '/chat');
    await chat.getByRole('textbox', { name: '質問' }).fill('有給休暇の申請は何日前までですか');
    await chat.getByRole('textbox', { name: '質問' }).press('Enter');
    const answer = chat.locator('.bubble.assistant').last();
    await chat.locator('.chat-log[aria-busy="false"]').waitFor();
    assert.match(await answer.locator('.answer-text').innerText(), /三日前/);
    await answer.locator('details.sources summary').click();
    await answer.locator('details.sources li').first().getByText('OCR で読み取り', { exact: true }).waitFor();
    await answer.locator('details.sources li').first().getByRole('button').click();
    await chat.getByRole('dialog').getByText('OCR で読み取り', { exact: true }).waitFor();
    await shot(chat, 'chat-ocr-source-ja');

    const english = await signedIn(tenant.admin, `/documents/${id}?page=2`, 'en-US');
    await english.getByTestId('page-position').getByText('Page 2 of 2').waitFor();
    await english.getByTestId('ocr-mark').getByText('Read by OCR').waitFor();
    await english.getByTestId('reading-notes').getByText('Pages read by OCR (scans; the text may hold misread characters): 2.').waitFor();
    await english.getByTestId('passage').getByText('Read by OCR', { exact: true }).first().waitFor();
    await english.getByRole('heading', { name: 'Text', exact: true }).scrollIntoViewIfNeeded();
    await shot(english, 'document-ocr-en');
  });
});
