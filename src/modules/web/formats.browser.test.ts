import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import iconv from 'iconv-lite';
import { makePptx, makeXlsx } from '../sources/extract/test-support/make-office.js';
import { browserSkipReason } from '../widget/test-support/browser.js';
import { settingsBrowser } from './test-support/settings-browser.js';

// Markdown, HTML, CSV (Shift_JIS), Excel and PowerPoint as an ADMIN adds them: picked together in
// the documents page, each read to completion, a sheet and a slide cited by name and number in the chat.

describe('every file type in the dashboard', { skip: browserSkipReason() }, () => {
  const env = settingsBrowser();

  test('uploads of MD, HTML, CSV, XLSX and PPTX complete; the chat cites the sheet by name and the slide by number, in Japanese and English', async () => {
    const { t, signedIn, shot } = env;
    const tenant = await t.createTenant('formats');
    const files = [
      { name: '就業規則.md', mimeType: 'text/markdown', buffer: Buffer.from('# 就業規則\n\n## 第5条 リモート勤務\n\nリモート勤務は週に三日まで認める。\n') },
      { name: '送迎バス.html', mimeType: 'text/html', buffer: Buffer.from('<!doctype html><html><head><title>送迎バス</title></head><body><nav>会社案内</nav><main><h1>送迎バスのご案内</h1><p>送迎バスは新宿駅西口から毎朝8時15分に出発します。</p></main></body></html>') },
      { name: '備品一覧.csv', mimeType: 'text/csv', buffer: iconv.encode('備品名,保管場所,数量\r\nプロジェクター,第二会議室の棚,2\r\n', 'cp932') },
      { name: '価格表.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: await makeXlsx() },
      {
        name: '四半期報告.pptx',
        mimeType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
        buffer: makePptx([{ title: '表紙', body: ['2024年 第1四半期'] }, { title: '在庫の見通し', body: ['倉庫の在庫は七月に解消する見込み'], notes: '質疑では物流費の値上げに触れる' }]),
      },
    ];
    const page = await signedIn(tenant.admin, '/documents');
    await page.getByLabel('ファイルを選択').setInputFiles(files);
    for (const file of files) {
      const row = page.getByRole('row').filter({ hasText: file.name });
      await row.getByText('完了').waitFor({ timeout: 120_000 });
    }
    await shot(page, 'documents-formats-ja');

    await page.getByRole('navigation', { name: 'メイン' }).getByRole('link', { name: 'チャット' }).click();
    await page.getByRole('textbox', { name: '質問' }).fill('購買部の担当者の内線番号は？');
    await page.getByRole('button', { name: '送信' }).click();
    const sheet = page.locator('.bubble.assistant').last();
    await sheet.locator('.meta').waitFor();
    assert.match(await sheet.locator('.answer-text').innerText(), /内線: 1234/);
    await sheet.getByText('出典').click();
    await sheet.getByRole('button', { name: '価格表.xlsx (シート「担当者」)' }).waitFor();

    await page.getByLabel('言語').selectOption('en');
    await page.getByRole('textbox', { name: 'Question' }).fill('物流費の値上げ');
    await page.getByRole('button', { name: 'Send' }).click();
    const slide = page.locator('.bubble.assistant').last();
    await slide.locator('.meta').waitFor();
    await slide.getByText('Sources').click();
    await slide.getByRole('button', { name: '四半期報告.pptx (slide 2)' }).waitFor();
    await shot(page, 'chat-formats-en');
  });
});
