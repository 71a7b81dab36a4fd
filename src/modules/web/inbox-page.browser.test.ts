import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { uploadAndProcess } from '../../test/upload.js';
import { workRulesJa } from '../retrieval/test-support/documents.js';
import { browserSkipReason } from '../widget/test-support/browser.js';
import { settingsBrowser } from './test-support/settings-browser.js';

// The inbox (/inbox, /inbox/:id), the confidence in the transcript and the CSV exports, in
// Chromium against the real server, in Japanese and English.

async function downloaded(page: Page, click: () => Promise<void>): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const bytes = await readFile((await download.path())!);
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with BOM');
  return bytes.subarray(3).toString('utf8');
}

describe('the inbox page in a real browser', { skip: browserSkipReason() }, () => {
  const env = settingsBrowser();

  test('ADMIN sees the grouped question, re-asks it, answers it with an FAQ entry; the transcript shows confidence; exports open in Excel form', async () => {
    const { t, signedIn, shot, shotEnglish } = env;
    const tenant = await t.createTenant('inboxpage');
    await uploadAndProcess(t, tenant.admin.accessToken, '就業規則.txt', workRulesJa);
    const ask = async (query: string) => (await t.request('POST', '/api/v1/chats/rag', { token: tenant.operator.accessToken, body: { query } })).json();
    await ask('社長の好きな食べ物は何ですか');
    await ask('社長の好きな食べ物を教えてください');
    const answered = await ask('年次有給休暇は何日付与されますか？');

    const page = await signedIn(tenant.admin, '/inbox');
    await page.getByRole('heading', { name: '受信箱', level: 1 }).waitFor();
    const row = page.getByRole('row', { name: /社長の好きな食べ物は何ですか/ });
    await row.waitFor();
    await row.getByText('2 回').waitFor();
    await row.getByText('回答なし').waitFor();
    assert.equal(await page.getByRole('row', { name: /有給休暇/ }).count(), 0, 'an answered question is not in the inbox');
    await page.getByRole('button', { name: '未対応 (1)' }).waitFor();
    await shot(page, 'inbox-ja');

    const csv = await downloaded(page, () => page.getByRole('button', { name: 'CSV をエクスポート' }).click());
    assert.match(csv, /^状態,質問,別の聞き方,回数/);
    assert.match(csv, /未対応,社長の好きな食べ物は何ですか,社長の好きな食べ物を教えてください,2,/);

    await page.getByRole('link', { name: '社長の好きな食べ物は何ですか' }).click();
    await page.getByRole('heading', { name: '社長の好きな食べ物は何ですか', level: 1 }).waitFor();
    await page.getByText('社長の好きな食べ物を教えてください').first().waitFor();
    await page.getByRole('button', { name: 'いま質問し直す' }).click();
    const now = page.getByTestId('reask-result');
    await now.getByText('確信度: なし').waitFor();
    await now.getByText(/回答が見つかりませんでした/).waitFor();
    await shot(page, 'inbox-item-reask-ja');

    await page.getByLabel('回答', { exact: true }).fill('社長の好物はカレーです。');
    await page.getByRole('button', { name: 'FAQ として追加' }).click();
    await page.getByRole('status').getByText('回答しました: FAQ を追加し、解決済みにしました。').waitFor();
    await page.getByText('FAQ で回答済みです。').waitFor();
    await shot(page, 'inbox-item-answered-ja');
    const faq = (await t.request('GET', '/api/v1/faq', { token: tenant.admin.accessToken })).json();
    assert.equal(faq[0].question, '社長の好きな食べ物は何ですか');
    assert.deepEqual(faq[0].alternatives, ['社長の好きな食べ物を教えてください']);
    // Asked again, the bot answers with the entry.
    assert.equal((await ask('社長の好きな食べ物は何ですか')).answer, '社長の好物はカレーです。');

    await page.goto(`${env.origin}/conversations/${answered.conversation_id}`);
    await page.getByText(/確信度: (高|中)/).waitFor();
    await shot(page, 'transcript-confidence-ja');

    await page.goto(`${env.origin}/conversations`);
    const exported = await downloaded(page, () => page.getByRole('button', { name: 'CSV をエクスポート' }).click());
    assert.match(exported, /^日時,チャネル,会話 ID,質問,回答,出典,確信度,評価,コメント\r\n/);
    assert.match(exported, /年次有給休暇は何日付与されますか？/);

    await page.goto(`${env.origin}/inbox`);
    await page.getByRole('heading', { name: '受信箱', level: 1 }).waitFor();
    await page.getByRole('button', { name: /^解決済み/ }).click();
    await page.getByRole('link', { name: '社長の好きな食べ物は何ですか' }).waitFor();
    await shotEnglish(page, 'inbox-en', 'Inbox');
    await page.getByRole('button', { name: 'Resolved (1)' }).waitFor();
    const english = await downloaded(page, () => page.getByRole('button', { name: 'Export CSV' }).click());
    assert.match(english, /^status,question,other phrasings,count/);
    await page.getByRole('link', { name: '社長の好きな食べ物は何ですか' }).click();
    await page.getByRole('button', { name: 'Ask again now' }).click();
    await page.getByTestId('reask-result').getByText('Confidence: high').waitFor();
    await shot(page, 'inbox-item-en');
  });

  test('an OPERATOR works the inbox but is not offered answering (an FAQ write)', async () => {
    const { t, signedIn, shot } = env;
    const tenant = await t.createTenant('inboxop');
    await t.request('POST', '/api/v1/chats/rag', { token: tenant.operator.accessToken, body: { query: 'What is the guest wifi password?' } });
    const page = await signedIn(tenant.operator, '/inbox', 'en');
    await page.getByRole('link', { name: 'What is the guest wifi password?' }).click();
    await page.getByRole('button', { name: 'Ignore' }).click();
    await page.getByRole('status').getByText('Ignored. It stays ignored even if asked again.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Add as FAQ entry' }).count(), 0);
    await shot(page, 'inbox-item-operator-en');
  });
});
