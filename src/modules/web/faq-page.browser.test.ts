import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Encoding from 'encoding-japanese';
import { browserSkipReason } from '../widget/test-support/browser.js';
import { settingsBrowser } from './test-support/settings-browser.js';

// The FAQ page (/faq) in Chromium against the real server: add, edit, search, import a Shift_JIS
// CSV with a bad row reported in the page's language, export, delete; an OPERATOR only reads.

const shiftJis = (text: string) => Buffer.from(Encoding.convert(Encoding.stringToCode(text), { to: 'SJIS', from: 'UNICODE' }));
const CSV = '質問,回答,言い換え\r\n送料はいくらですか,全国一律 500 円（税込）です。,送料を教えて|配送料はかかりますか\r\n,回答だけの行,\r\n';

describe('the FAQ page in a real browser', { skip: browserSkipReason() }, () => {
  const env = settingsBrowser();

  test('ADMIN adds, edits, imports (Shift_JIS, a bad row reported), exports and deletes, in Japanese and English; OPERATOR reads', async () => {
    const { t, signedIn, shot, shotEnglish } = env;
    const tenant = await t.createTenant('faqpage');
    const entries = async () => (await t.request('GET', '/api/v1/faq', { token: tenant.admin.accessToken })).json() as Array<{ question: string; answer: string; alternatives: string[] }>;

    const page = await signedIn(tenant.admin, '/faq');
    await page.getByRole('heading', { name: 'FAQ', level: 1 }).waitFor();
    await page.getByText('FAQ はまだありません。').waitFor();

    // Add: the schema's own check first, then the entry.
    await page.getByRole('button', { name: 'FAQ を追加' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: 'FAQ の追加' }).waitFor();
    await dialog.getByRole('button', { name: '保存' }).click();
    assert.equal(await dialog.getByLabel('質問').getAttribute('aria-invalid'), 'true');
    await dialog.getByLabel('質問').fill('有給休暇の申請方法を教えてください');
    await dialog.getByLabel('回答').fill('勤怠システムの「休暇申請」から申請してください。');
    await dialog.getByLabel('別の聞き方').fill('有休の取り方\n有給休暇はどうやって申請しますか');
    await shot(page, 'faq-dialog-ja');
    await dialog.getByRole('button', { name: '保存' }).click();
    await page.getByRole('status').getByText('「有給休暇の申請方法を教えてください」を追加しました。').waitFor();
    await page.getByText('別の聞き方: 有休の取り方 / 有給休暇はどうやって申請しますか').waitFor();
    assert.deepEqual(await entries(), [
      { ...(await entries())[0]!, question: '有給休暇の申請方法を教えてください', answer: '勤怠システムの「休暇申請」から申請してください。', alternatives: ['有休の取り方', '有給休暇はどうやって申請しますか'] },
    ]);

    // Edit.
    await page.getByRole('button', { name: '編集: 有給休暇の申請方法を教えてください' }).click();
    await dialog.getByLabel('回答').fill('勤怠システムの「休暇申請」から、3営業日前までに申請してください。');
    await dialog.getByRole('button', { name: '保存' }).click();
    await page.getByRole('status').getByText('を保存しました。').waitFor();
    assert.equal((await entries())[0]!.answer, '勤怠システムの「休暇申請」から、3営業日前までに申請してください。');

    // Import a Shift_JIS CSV as Excel saves it: one row in, one reported.
    await page.getByTestId('faq-import-input').setInputFiles({ name: 'faq.csv', mimeType: 'text/csv', buffer: shiftJis(CSV) });
    const result = page.getByTestId('faq-import-result');
    await result.getByText('1 件を取り込みました。').waitFor();
    await result.getByText(/3 行目: 質問: /).waitFor();
    await page.getByRole('cell', { name: /送料はいくらですか/ }).first().waitFor();
    assert.deepEqual((await entries()).map((e) => e.question).sort(), ['有給休暇の申請方法を教えてください', '送料はいくらですか'].sort());

    // Search.
    await page.getByLabel('質問・回答を検索').fill('配送料');
    await page.getByRole('button', { name: '検索', exact: true }).click();
    // The list was showing both before the search: wait for the one it leaves out to go.
    await page.getByRole('cell', { name: /有給休暇の申請方法/ }).first().waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: /送料はいくらですか/ }).first().waitFor();
    await page.getByLabel('質問・回答を検索').fill('');
    await page.getByRole('button', { name: '検索', exact: true }).click();
    await page.getByRole('cell', { name: /有給休暇の申請方法/ }).first().waitFor();
    await shot(page, 'faq-ja');

    // Export: the link the browser saves, UTF-8 with BOM.
    const link = page.getByRole('link', { name: 'CSV をダウンロード' });
    assert.equal(await link.getAttribute('href'), '/api/v1/faq/export');
    const exported = await page.request.get(`${env.origin}/api/v1/faq/export`);
    const bytes = await exported.body();
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.ok(bytes.toString('utf8').includes('送料を教えて | 配送料はかかりますか'));

    // English: the same page, the import's row error in English.
    await shotEnglish(page, 'faq-en-before-import', 'FAQ');
    await page.getByRole('button', { name: 'Add an entry' }).waitFor();
    await page.getByTestId('faq-import-input').setInputFiles({ name: 'faq.csv', mimeType: 'text/csv', buffer: shiftJis('question,answer\r\n駐車場はありますか,地下にあります。\r\n質問だけ,\r\n') });
    await result.getByText('Entries imported: 1.').waitFor();
    await result.getByText(/Row 3: answer: /).waitFor();
    await shot(page, 'faq-en');

    // Delete, confirmed.
    await page.getByRole('button', { name: 'Delete: 駐車場はありますか' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('status').getByText('Deleted “駐車場はありますか”.').waitFor();
    assert.ok(!(await entries()).some((e) => e.question === '駐車場はありますか'));

    // An OPERATOR reads the entries and the export, and is offered no writing.
    const operatorPage = await signedIn(tenant.operator, '/faq');
    await operatorPage.getByRole('cell', { name: /送料はいくらですか/ }).first().waitFor();
    assert.equal(await operatorPage.getByRole('button', { name: 'FAQ を追加' }).count(), 0);
    assert.equal(await operatorPage.getByRole('button', { name: /^編集/ }).count(), 0);
    assert.equal(await operatorPage.getByTestId('faq-import-input').count(), 0);
    await operatorPage.getByRole('link', { name: 'CSV をダウンロード' }).waitFor();
    await shot(operatorPage, 'faq-operator-ja');
  });

  // The chat playground's words (web/src/i18n/ja.ts, en.ts) and an entry in each language.
  const playground = [
    {
      locale: 'ja-JP', question: '質問', sources: '出典', openFaq: 'FAQ を開く',
      entry: { question: '送料はいくらですか', answer: '全国一律 500 円（税込）です。\n離島は別途お見積もりします。', alternatives: ['送料を教えて'] },
      ask: '送料を教えて',
    },
    {
      locale: 'en-US', question: 'Question', sources: 'Sources', openFaq: 'Open the FAQ',
      entry: { question: 'How much is shipping?', answer: 'Shipping is a flat 500 yen, tax included.\nRemote islands are quoted separately.', alternatives: ['What does delivery cost?'] },
      ask: 'What does delivery cost?',
    },
  ];
  for (const words of playground) {
    const lang = words.locale.slice(0, 2);
    test(`${lang}: a question matching an entry is answered in the chat playground with its answer verbatim, cited as the FAQ by its question, linked to /faq`, async () => {
      const { t, signedIn, shot } = env;
      const tenant = await t.createTenant(`faqchat${lang}`);
      const added = await t.request('POST', '/api/v1/faq', { token: tenant.admin.accessToken, body: words.entry });
      assert.equal(added.statusCode, 201, added.body);

      const page = await signedIn(tenant.operator, '/chat', words.locale);
      await page.getByRole('textbox', { name: words.question }).fill(words.ask);
      await page.getByRole('textbox', { name: words.question }).press('Enter');
      const answer = page.locator('.bubble.assistant').last();
      await answer.locator('.meta').getByText(/^faq · /).waitFor();
      assert.equal(await answer.locator('.answer-text').textContent(), words.entry.answer);
      await answer.getByText(`${words.sources} (1)`).click();
      const source = answer.getByRole('button', { name: `FAQ: ${words.entry.question}`, exact: true });
      await source.click();
      const dialog = page.getByRole('dialog', { name: `[1] FAQ: ${words.entry.question}` });
      await dialog.waitFor();
      assert.equal(await dialog.locator('.passage-text').textContent(), `${words.entry.question}\n${words.entry.answer}`);
      const link = dialog.getByRole('link', { name: words.openFaq });
      assert.equal(await link.getAttribute('href'), '/faq');
      await shot(page, `chat-faq-${lang}`);
      await link.click();
      await page.waitForURL(`${env.origin}/faq`);
      await page.getByRole('heading', { name: 'FAQ', level: 1 }).waitFor();
      await page.getByRole('cell', { name: new RegExp(words.entry.question.replace('?', '\\?')) }).first().waitFor();
      assert.equal(await page.getByRole('dialog').count(), 0, 'the passage dialog closed with the navigation');
    });
  }
});
