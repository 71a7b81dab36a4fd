import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import iconv from 'iconv-lite';
import { makePptx, makeXlsx } from '../sources/extract/test-support/make-office.js';
import { browserSkipReason } from '../widget/test-support/browser.js';
import { settingsBrowser } from './test-support/settings-browser.js';

// Markdown, HTML, CSV (Shift_JIS), Excel and PowerPoint as an ADMIN adds them, in Japanese and in
// English: picked together in the documents page, each read to completion, each cited in the
// chat, and the passage dialog says where a passage is — a sheet by name, a slide by number.

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PPTX = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';

/** The dashboard's words the test reads or clicks (web/src/i18n/ja.ts, en.ts). */
const languages = [
  { locale: 'ja-JP', choose: 'ファイルを選択', completed: '完了', nav: 'メイン', chat: 'チャット', question: '質問', newConversation: '新しい会話', citation: '出典', passage: '引用箇所', sheet: 'シート「担当者」', slide: 'スライド 2' },
  { locale: 'en-US', choose: 'choose files', completed: 'Completed', nav: 'Main', chat: 'Chat', question: 'Question', newConversation: 'New conversation', citation: 'Source', passage: 'Cited passage', sheet: 'sheet “担当者”', slide: 'slide 2' },
];

describe('every file type in the dashboard', { skip: browserSkipReason() }, () => {
  const env = settingsBrowser();

  for (const words of languages) {
    const lang = words.locale.slice(0, 2);
    test(`${lang}: uploads of MD, HTML, CSV, XLSX and PPTX complete; the chat cites each, the sheet by name and the slide by number`, async () => {
      const { t, signedIn, shot } = env;
      const tenant = await t.createTenant(`formats${lang}`);
      const files = [
        { name: '就業規則.md', mimeType: 'text/markdown', buffer: Buffer.from('# 就業規則\n\n## 第5条 リモート勤務\n\nリモート勤務は週に三日まで認める。\n') },
        { name: '送迎バス.html', mimeType: 'text/html', buffer: Buffer.from('<!doctype html><html><head><title>送迎バス</title></head><body><nav>会社案内</nav><main><h1>送迎バスのご案内</h1><p>送迎バスは新宿駅西口から毎朝8時15分に出発します。</p></main></body></html>') },
        { name: '備品一覧.csv', mimeType: 'text/csv', buffer: iconv.encode('備品名,保管場所,数量\r\nプロジェクター,第二会議室の棚,2\r\n', 'cp932') },
        { name: '価格表.xlsx', mimeType: XLSX, buffer: await makeXlsx() },
        {
          name: '四半期報告.pptx',
          mimeType: PPTX,
          buffer: makePptx([{ title: '表紙', body: ['2024年 第1四半期'] }, { title: '在庫の見通し', body: ['倉庫の在庫は七月に解消する見込み'], notes: '質疑では物流費の値上げに触れる' }]),
        },
      ];
      const page = await signedIn(tenant.admin, '/documents', words.locale);
      await page.getByLabel(words.choose).setInputFiles(files);
      for (const file of files) {
        const row = page.getByRole('row').filter({ hasText: file.name });
        await row.getByText(words.completed, { exact: true }).waitFor({ timeout: 120_000 });
      }
      await shot(page, `documents-formats-${lang}`);

      // Each question in a conversation of its own, so none is read as a follow-up of the one before.
      const questions = [
        { ask: 'リモート勤務は週に何日まで認められますか', file: '就業規則.md', answer: /週に三日/, place: null },
        { ask: '送迎バスは何時にどこから出発しますか', file: '送迎バス.html', answer: /新宿駅西口から毎朝8時15分/, place: null },
        { ask: 'プロジェクターの保管場所はどこですか', file: '備品一覧.csv', answer: /第二会議室の棚/, place: null },
        { ask: '購買部の担当者の内線番号は？', file: '価格表.xlsx', answer: /内線: 1234/, place: words.sheet },
        { ask: '物流費の値上げ', file: '四半期報告.pptx', answer: /物流費の値上げ/, place: words.slide },
      ];
      await page.getByRole('navigation', { name: words.nav }).getByRole('link', { name: words.chat }).click();
      for (const question of questions) {
        await page.getByRole('textbox', { name: words.question }).fill(question.ask);
        await page.getByRole('textbox', { name: words.question }).press('Enter');
        const answer = page.locator('.bubble.assistant').last();
        await answer.locator('.meta').waitFor();
        assert.match(await answer.locator('.answer-text').innerText(), question.answer, question.file);
        await answer.getByRole('button', { name: `${words.citation} 1: ${question.file}` }).first().click();
        const dialog = page.getByRole('dialog', { name: `[1] ${question.file}` });
        await dialog.waitFor();
        const where = (await dialog.locator('p.muted').first().innerText()).split(' · ');
        assert.equal(where[0], words.passage);
        if (question.place) assert.equal(where[1], question.place, `${question.file}: the place of the passage`);
        else assert.equal(where.length, 2, `${question.file} has no pages: ${where.join(' · ')}`);
        if (question.place) await shot(page, `chat-formats-${question.file.split('.').pop()}-${lang}`);
        await page.keyboard.press('Escape');
        await dialog.waitFor({ state: 'hidden' });
        // The source list under the answer names the place too.
        await answer.locator('details.sources summary').click();
        await answer.locator('details.sources li').first().getByRole('button', { name: question.place ? `${question.file} (${question.place})` : question.file, exact: true }).waitFor();
        await page.getByRole('button', { name: words.newConversation }).click();
        await page.locator('.bubble.assistant').waitFor({ state: 'detached' });
      }
    });
  }
});
