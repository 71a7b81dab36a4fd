import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { projectRoot } from '../../paths.js';
import { buildTestApp, type TestApp } from '../../test/harness.js';
import { makeTextPdf } from '../sources/extract/test-support/make-pdf.js';
import { browserSkipReason, freePort, launchChromium } from '../widget/test-support/browser.js';
import { ensureWebBundle } from './test-support/web-bundle.js';

// Code passed to page.evaluate runs in the page; the server's tsconfig has no DOM types.
declare const document: any;
declare const DataTransfer: any;
declare const File: any;

// Bulk upload as an ADMIN does it: 25 files picked at once under the default limit of 10 uploads
// a minute, a duplicate and an unsupported file dropped after them, a reload in the middle. All
// 25 must arrive. It takes about two minutes: the limit's windows, not the files, set the pace.

const skip = browserSkipReason();
const screenshots = join(projectRoot, 'test-artifacts', 'screenshots');
const UPLOADS_PER_MINUTE = 10; // the default of RATE_LIMIT_UPLOAD_PER_MINUTE

const topics = ['就業規則', '出張旅費規程', '経費精算', '情報セキュリティ', '育児休業', '在宅勤務', '採用方針', '研修制度', '福利厚生', '安全衛生'];
/** 20 Japanese TXT files and 5 PDFs, each with its own content (the same bytes twice is a duplicate). */
async function testFiles(): Promise<Array<{ name: string; mimeType: string; buffer: Buffer }>> {
  const texts = Array.from({ length: 20 }, (_, i) => {
    const topic = topics[i % topics.length]!;
    const name = `${String(i + 1).padStart(2, '0')}_${topic}${i >= topics.length ? '（改訂版）' : ''}について社内で共有するための説明資料.txt`;
    const body = `${topic}（第${i + 1}版）\n第1条 この規程は、${topic}に関する基本的な事項を定める。\n第2条 従業員は、${topic}の手続きを所属長に届け出る。\n`;
    return { name, mimeType: 'text/plain', buffer: Buffer.from(body) };
  });
  const pdfs = await Promise.all(
    Array.from({ length: 5 }, async (_, i) => ({
      name: `report-${i + 1}.pdf`,
      mimeType: 'application/pdf',
      buffer: await makeTextPdf([`Quarterly report ${i + 1}\nSales grew in region ${i + 1}.`]),
    })),
  );
  return [...texts, ...pdfs];
}

describe('bulk upload in a real browser', { skip }, () => {
  let browser: Browser;
  let t: TestApp;
  let origin: string;
  let context: BrowserContext | undefined;
  const requests: string[] = [];
  const pageErrors: string[] = [];
  /** Statuses of POST /api/v1/contents/upload, in order. */
  const uploadStatuses: number[] = [];

  before(async () => {
    await ensureWebBundle();
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    t = await buildTestApp({ publicUrl: origin, rateLimits: { uploadPerMinute: UPLOADS_PER_MINUTE } });
    await t.app.listen({ port, host: '127.0.0.1' });
    browser = await launchChromium();
    mkdirSync(screenshots, { recursive: true });
  });
  after(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  async function signedIn(email: string, password: string): Promise<Page> {
    context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(20_000);
    context.on('request', (request) => void requests.push(request.url()));
    const page = await context.newPage();
    page.on('pageerror', (error) => void pageErrors.push(String(error)));
    page.on('console', (message) => {
      // The refusals this test provokes (409 duplicate, 415 type, 429 limit), and the 401 of the login page asking who is signed in, are logged by Chromium.
      if (message.type() === 'error' && !/status of (401|409|415|429)/.test(message.text())) pageErrors.push(`console: ${message.text()}`);
    });
    page.on('response', (response) => {
      if (response.url().endsWith('/api/v1/contents/upload')) uploadStatuses.push(response.status());
    });
    await page.goto(`${origin}/login?next=%2Fdocuments`);
    await page.getByLabel('メールアドレス').fill(email);
    await page.getByLabel('パスワード').fill(password);
    await page.getByRole('button', { name: 'ログイン' }).click();
    await page.waitForURL(`${origin}/documents`);
    return page;
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
  const queueShot = (page: Page, name: string) => page.locator('section[aria-labelledby="upload-title"]').screenshot({ path: join(screenshots, `${name}.png`) });
  const rows = (page: Page, state: string) => page.locator(`.uploads li[data-state="${state}"]`);
  const pauseSeconds = async (page: Page) => Number(/(\d+)\s*秒/.exec((await page.getByTestId('queue-pause').textContent()) ?? '')?.[1]);

  test('25 files at once under 10 uploads a minute all arrive; the limit is waited out with a moving countdown, a reload resumes, a duplicate links to its document', { timeout: 300_000 }, async () => {
    const tenant = await t.createTenant('bulk');
    const files = await testFiles();
    const page = await signedIn(tenant.admin.email, tenant.admin.password);
    await page.getByText('ドキュメントはまだありません').waitFor();

    await page.getByLabel('ファイルを選択').setInputFiles(files);
    // After them: a copy of the first file under another name, and a file of a type we do not take.
    const dropped = await page.evaluateHandle(
      ([copy, png]: [number[], number[]]) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([new Uint8Array(copy)], 'コピー_就業規則.txt', { type: 'text/plain' }));
        transfer.items.add(new File([new Uint8Array(png)], '社内報の表紙画像（2026年12月号、最終稿、広報部確認済み）.png', { type: 'image/png' }));
        return transfer;
      },
      [[...files[0]!.buffer], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]] as [number[], number[]],
    );
    await page.dispatchEvent('[data-testid=dropzone]', 'drop', { dataTransfer: dropped });
    assert.equal(await page.locator('.uploads li').count(), 27);

    // The first ten go through; the rest wait for the next minute, with a countdown that moves,
    // and were never sent to be refused: the queue paced itself by X-RateLimit-Remaining.
    await page.getByTestId('queue-pause').waitFor();
    assert.equal(await rows(page, 'done').count(), UPLOADS_PER_MINUTE);
    assert.equal(await rows(page, 'limited').count(), 17);
    assert.deepEqual(uploadStatuses, Array(UPLOADS_PER_MINUTE).fill(201));
    const first = await pauseSeconds(page);
    assert.ok(first > 30 && first <= 60, `countdown ${first}`);
    await page.waitForTimeout(2_100);
    const later = await pauseSeconds(page);
    assert.ok(later <= first - 2, `the countdown moved from ${first} to ${later}`);
    await page.locator('.uploads li[data-state="limited"]').first().getByText(/上限の解除待ち（あと \d+ 秒）/).waitFor();
    await shot(page, 'bulk-upload-waiting-ja');
    await queueShot(page, 'bulk-upload-queue-waiting-ja');

    // A reload mid-queue: the 17 files still to send come back from IndexedDB and go on by
    // themselves. Knowing nothing of the limit any more, the page is refused (429) and waits out
    // Retry-After, counting down again; only the few sent at once are refused.
    await page.reload();
    await page.getByText('ページを再読み込みする前に残っていた 17 件のファイルを送信しています。').waitFor();
    await page.getByTestId('queue-pause').waitFor({ timeout: 30_000 });
    const refused = uploadStatuses.filter((s) => s === 429).length;
    assert.ok(refused >= 1 && refused <= 3, `429s after the reload: ${refused}`);
    const resumedSeconds = await pauseSeconds(page);
    assert.ok(resumedSeconds > 0 && resumedSeconds < first, `countdown after reload ${resumedSeconds}`);

    // Everything settles: 15 new documents + the duplicate + the refused type.
    await page.waitForFunction(() => document.querySelectorAll('.uploads li[data-state="waiting"], .uploads li[data-state="limited"], .uploads li[data-state="uploading"]').length === 0, undefined, { timeout: 150_000 });
    assert.equal(await rows(page, 'done').count(), 15);
    assert.equal(uploadStatuses.filter((s) => s === 429).length, refused, 'no 429 after the one wait');

    // All 25 arrived, each once.
    const listed = await t.request('GET', '/api/v1/contents', { token: tenant.admin.accessToken, query: { limit: '100' } });
    const names: string[] = listed.json().map((c: { file_name: string }) => c.file_name);
    assert.deepEqual([...names].sort(), files.map((f) => f.name).sort());

    // The duplicate links to the document it duplicates, not to a raw id.
    const original = listed.json().find((c: { file_name: string }) => c.file_name === files[0]!.name);
    const duplicate = page.locator('.uploads li', { hasText: 'コピー_就業規則.txt' });
    assert.equal(await duplicate.getAttribute('data-state'), 'duplicate');
    assert.equal(await duplicate.getByRole('link', { name: '既存のドキュメントを開く' }).getAttribute('href'), `/documents/${original.id}`);
    assert.doesNotMatch((await duplicate.textContent()) ?? '', /[0-9a-f]{8}-[0-9a-f]{4}/);

    // The refused type keeps its (long) name visible beside the reason, with Retry.
    const failed = page.locator('.uploads li[data-state="failed"]');
    assert.equal(await failed.count(), 1);
    const name = failed.locator('.upload-name');
    assert.equal(await name.getAttribute('title'), '社内報の表紙画像（2026年12月号、最終稿、広報部確認済み）.png');
    assert.ok(((await name.boundingBox())?.width ?? 0) > 100, 'the name keeps its room');
    assert.ok(((await failed.locator('.upload-reason').textContent()) ?? '').length > 10);
    await failed.getByRole('button', { name: /^再試行/ }).waitFor();
    await page.getByText('1 件のファイルはアップロードされていません。').waitFor();
    await queueShot(page, 'bulk-upload-queue-done-ja');

    // A file that finished links to its document.
    await page.locator('.uploads li[data-state="done"]').first().getByRole('link').click();
    await page.waitForURL(/\/documents\/[0-9a-f-]{36}$/);
    await page.goBack();

    // The documents table at 1280 px: sizes and dates on one line, the buttons side by side.
    await page.locator('tbody tr').nth(24).waitFor();
    await assertTableFits(page);
    await shot(page, 'documents-table-ja');
    await page.getByLabel('言語').selectOption('en');
    await page.getByText('Not uploaded (files: 1)', { exact: false }).waitFor();
    await assertTableFits(page);
    await shot(page, 'documents-table-en');
    await queueShot(page, 'bulk-upload-queue-done-en');

    // Finished rows can be cleared; the failed one stays until removed.
    await page.getByRole('button', { name: 'Clear finished' }).click();
    assert.equal(await page.locator('.uploads li').count(), 1);
    await page.getByRole('button', { name: /^Remove/ }).click();
    assert.equal(await page.locator('.uploads li').count(), 0);

    // Nothing is left in IndexedDB once done: a reload brings back no queue.
    await page.reload();
    await page.locator('tbody tr').first().waitFor();
    assert.equal(await page.locator('.uploads li').count(), 0);

    assert.deepEqual(requests.filter((url) => !url.startsWith(`${origin}/`)), [], 'requests to other places than our server');
    assert.deepEqual(pageErrors, [], 'errors in the page');
  });
});

/** Every cell but the name keeps to one line (sizes, dates, status, the buttons side by side). */
async function assertTableFits(page: Page) {
  const wrapped = await page.evaluate(() => {
    const found: string[] = [];
    for (const row of document.querySelectorAll('tbody tr')) {
      for (const cell of [...row.querySelectorAll('td')].slice(1) as any[]) {
        const range = document.createRange();
        range.selectNodeContents(cell);
        // Boxes on one line share their middle (a button and its text within a pixel or two).
        const middles = [...range.getClientRects()].map((rect: any) => rect.top + rect.height / 2).sort((a, b) => a - b);
        if (middles.some((middle, i) => i > 0 && middle - middles[i - 1]! > 10)) found.push(`${cell.dataset.label}: ${cell.textContent}`);
      }
    }
    return found;
  });
  assert.deepEqual(wrapped, []);
}
