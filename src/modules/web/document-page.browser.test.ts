import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import iconv from 'iconv-lite';
import { PDFDocument } from 'pdf-lib';
import type { Page } from 'playwright-core';
import { projectRoot } from '../../paths.js';
import { unique } from '../../test/harness.js';
import { eventually, uploadAndProcess } from '../../test/upload.js';
import { normalizeForMatch, sharedDocumentsFolder } from '../sources/extract/test-support/fixture-files.js';
import { makeTextPdf } from '../sources/extract/test-support/make-pdf.js';
import { browserSkipReason } from '../widget/test-support/browser.js';
import { settingsBrowser } from './test-support/settings-browser.js';

// The document page (/documents/{id}) in Chromium against the real server: the text page by page
// (`?page=N` opens and scrolls to page N), the passages, the reading notes, and the ADMIN's edit
// form, whose new title the search API finds at once.

const { folder, required } = sharedDocumentsFolder();
const FIXTURES = ['ja_vertical_miyazawa_jo.pdf', 'ja_regulation_fullwidth_acrobat.pdf', 'ja_kangxi_radicals_quartz.pdf'];
const fixturesPresent = FIXTURES.every((f) => existsSync(join(folder, f)));

/** The shared Japanese PDFs (vertical writing first) as one three-page PDF. */
async function japanesePdf(): Promise<Buffer> {
  const joined = await PDFDocument.create();
  for (const f of FIXTURES) {
    const source = await PDFDocument.load(readFileSync(join(folder, f)));
    for (const page of await joined.copyPages(source, source.getPageIndices())) joined.addPage(page);
  }
  return Buffer.from(await joined.save());
}

/** Waits until the shown page's text holds `snippet` (NFKC, whitespace ignored: the manifest's rule). */
async function shownText(page: Page, snippet: string): Promise<void> {
  await eventually(async () => normalizeForMatch((await page.getByTestId('page-text').textContent()) ?? '').includes(snippet), `page text with ${snippet}`, 15_000);
}

describe('the document page in a real browser', { skip: browserSkipReason() }, () => {
  const env = settingsBrowser();

  test('ja: read a vertical-writing PDF page by page, page through, edit the title as ADMIN; the search finds it at once', async () => {
    if (required) for (const f of FIXTURES) assert.ok(existsSync(join(folder, f)), `SHIORI_SHARED is set but ${f} is missing from ${folder}`);
    const { t, signedIn, shot } = env;
    const tenant = await t.createTenant('docpage');
    const token = tenant.admin.accessToken;
    // Without the shared fixtures: a generated Japanese text in Shift_JIS (one page, with its encoding).
    const { id } = fixturesPresent
      ? await uploadAndProcess(t, token, '春と修羅.pdf', await japanesePdf(), { title: '資料', tags: '文学' })
      : await uploadAndProcess(t, token, '春と修羅.txt', iconv.encode(`わたくしといふ現象は\n仮定された有機交流電燈の\nひとつの青い照明です\n${unique('ja')}`, 'shift_jis'), { title: '資料' });

    const page = await signedIn(tenant.admin, `/documents/${id}`);
    await page.getByRole('heading', { name: '資料', level: 1 }).waitFor();
    const text = page.getByTestId('page-text');
    await text.waitFor();
    assert.ok(normalizeForMatch((await text.textContent()) ?? '').includes('わたくしといふ現象は'), await text.textContent() ?? '');
    assert.equal(await text.getAttribute('lang'), 'ja');
    await page.getByRole('heading', { name: 'パッセージ', exact: true }).waitFor();
    assert.ok((await page.getByTestId('passage').count()) > 0);

    if (fixturesPresent) {
      await page.getByTestId('page-position').getByText('1 / 3 ページ').waitFor();
      await page.getByRole('button', { name: '次のページ' }).click();
      await page.getByTestId('page-position').getByText('2 / 3 ページ').waitFor();
      assert.match(page.url(), /\?page=2$/);
      await shownText(page, 'ねじ止め端子であること');
      await page.getByRole('button', { name: '前のページ' }).click();
      await page.getByTestId('page-position').getByText('1 / 3 ページ').waitFor();
      // A page number typed in.
      await page.getByLabel('ページ', { exact: true }).fill('3');
      await page.getByRole('button', { name: '表示', exact: true }).click();
      await page.getByTestId('page-position').getByText('3 / 3 ページ').waitFor();
      await shownText(page, '漏電遮断機構');
      await page.getByRole('button', { name: '前のページ' }).click();
      await page.getByRole('button', { name: '前のページ' }).click();
    }

    // The ADMIN's edit form: the new title is the page's heading and the search finds it.
    await page.getByLabel('タイトル', { exact: true }).fill('春と修羅 序');
    await page.getByLabel('説明', { exact: true }).fill('宮沢賢治の詩集の序文（縦書き）');
    await page.getByLabel('タグ', { exact: true }).fill('文学、詩, 文学');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.getByRole('status').getByText('保存しました。新しいタイトルはすぐに検索できます。').waitFor();
    await page.getByRole('heading', { name: '春と修羅 序', level: 1 }).waitFor();
    assert.equal(await page.getByLabel('タグ', { exact: true }).inputValue(), '文学, 詩');
    const search = await t.request('POST', '/api/v1/search', { token, body: { query: '修羅', min_score: 0 } });
    const hit = search.json().results.find((r: { file_id: string }) => r.file_id === id);
    assert.equal(hit?.title, '春と修羅 序', search.body);
    await page.locator('h1').scrollIntoViewIfNeeded();
    await shot(page, 'document-page-ja');
    await page.getByRole('region', { name: '本文' }).screenshot({ path: join(projectRoot, 'test-artifacts', 'screenshots', 'document-page-text-ja.png') });

    // The form refuses what the API refuses, beside the field.
    await page.getByLabel('タイトル', { exact: true }).evaluate((input) => input.removeAttribute('maxlength'));
    await page.getByLabel('タイトル', { exact: true }).fill('長'.repeat(201));
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.getByText('タイトル: 200 文字以内にしてください').waitFor();
    await page.getByLabel('タグ', { exact: true }).fill(Array.from({ length: 21 }, (_, i) => `タグ${i + 1}`).join('、'));
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.getByText('タグ: 20 件までにしてください').waitFor();
    await shot(page, 'document-page-invalid-ja');
    const kept = (await t.request('GET', `/api/v1/contents/${id}`, { token })).json();
    assert.deepEqual([kept.title, kept.tags], ['春と修羅 序', ['文学', '詩']]);

    const operatorPage = await signedIn(tenant.operator, `/documents/${id}`);
    await operatorPage.getByRole('heading', { name: '春と修羅 序', level: 1 }).waitFor();
    await operatorPage.getByTestId('page-text').waitFor();
    assert.equal(await operatorPage.getByRole('button', { name: '保存', exact: true }).count(), 0);
  });

  test('en: ?page=7 opens and scrolls to page 7, a blank page and the note say OCR found no text; page through text and passages', async () => {
    const { t, signedIn, shot, shotEnglish } = env;
    const tenant = await t.createTenant('docpage');
    // About one passage a page: enough passages to page through them too.
    const rule = (page: number, line: number) => `Rule ${page}.${line}: employees book economy class for trips under ${line + 2} hours.`;
    const pages = Array.from({ length: 12 }, (_, i) =>
      i === 6 ? '' : [`Travel policy, page ${i + 1}.`, ...Array.from({ length: 28 }, (_, l) => rule(i + 1, l + 1)), i === 7 ? 'Page eight marker.' : ''].join('\n'),
    );
    const { id } = await uploadAndProcess(t, tenant.admin.accessToken, 'travel-policy.pdf', await makeTextPdf(pages), { title: 'Travel policy' });

    const page = await signedIn(tenant.admin, `/documents/${id}?page=7`, 'en-US');
    await page.getByTestId('page-position').getByText('Page 7 of 12').waitFor();
    await page.getByText('This page has no text: it has no text layer, and text recognition (OCR) found none on it').waitFor();
    await page.getByTestId('reading-notes').getByText('Pages without text (OCR found none either): 7.').waitFor();
    const textTop = await page.getByRole('heading', { name: 'Text', exact: true }).evaluate((h) => h.getBoundingClientRect().top);
    assert.ok(textTop >= 0 && textTop < 200, `the text section is not scrolled into view (top ${textTop})`);
    await shot(page, 'document-page-blank-en');

    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByTestId('page-position').getByText('Page 8 of 12').waitFor();
    await page.getByTestId('page-text').getByText(/Page eight marker\./).waitFor();
    assert.match(page.url(), /\?page=8$/);

    // Passages: ten a page, the next ten after "Next".
    const passages = page.getByTestId('passage');
    await passages.first().waitFor();
    const total = (await t.request('GET', `/api/v1/contents/${id}`, { token: tenant.admin.accessToken })).json().chunk_count;
    assert.equal(await passages.count(), Math.min(10, total));
    if (total > 10) {
      await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Next' }).click();
      await page.getByText('Passage 11', { exact: false }).waitFor();
    }
    // A passage's page link opens that page of the text.
    await passages.first().getByRole('link', { name: /^p\. [\d–]+$/ }).first().click();
    await page.getByTestId('page-position').getByText(/^Page \d+ of 12$/).waitFor();

    await page.getByLabel('Title', { exact: true }).fill('Travel and expenses policy');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').getByText('Saved. Search finds the new title now.').waitFor();
    await page.locator('h1').scrollIntoViewIfNeeded();
    await shotEnglish(page, 'document-page-en', 'Travel and expenses policy');
  });
});
