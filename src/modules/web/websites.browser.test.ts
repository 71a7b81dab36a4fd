import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { browserSkipReason } from '../widget/test-support/browser.js';
import { testCrawlLimits, waitForCrawl } from '../sources/websites/test-support/crawl-helpers.js';
import { startLocalSite, type LocalSite } from '../sources/websites/test-support/local-site.js';
import { settingsBrowser } from './test-support/settings-browser.js';

// The websites page as an ADMIN uses it, in Chromium against the real server: add a local site,
// watch the crawl's progress, read the failed and skipped pages with their reasons (ja, then en),
// re-sync; an OPERATOR sees the list without the form.

describe('websites page in a real browser', { skip: browserSkipReason() }, () => {
  let site: LocalSite;
  before(async () => {
    site = await startLocalSite({ docs: 5, news: 2 });
  });
  after(() => site?.close());
  const env = settingsBrowser({ crawl: testCrawlLimits });

  test('an ADMIN adds a website, sees its progress and each failed page’s reason, in Japanese and English', async () => {
    const { t, signedIn, shot, shotEnglish } = env;
    const tenant = await t.createTenant('web');
    const page = await signedIn(tenant.admin, '/websites');
    await page.getByRole('heading', { name: 'ウェブサイト', level: 1 }).waitFor();
    await page.getByText('ウェブサイトはまだありません。').waitFor();

    // The shared schema refuses a bad address before anything is sent.
    await page.getByLabel('アドレス').fill('ftp://example.com/');
    await page.getByRole('button', { name: '追加してクロール' }).click();
    await page.getByText('http:// か https:// で始まるアドレスを入力してください').first().waitFor();

    await page.getByLabel('アドレス').fill(`${site.origin}/`);
    await page.getByRole('button', { name: '追加してクロール' }).click();
    await page.getByRole('status').getByText(`${site.origin}/ を追加しました。`).waitFor();
    const row = page.getByRole('row', { name: new RegExp(`${site.origin}/`) });
    await row.getByText('最新').waitFor({ timeout: 180_000 });
    await row.getByText(/登録 13 件・失敗 3 件・対象外 2 件/).waitFor({ timeout: 180_000 });
    await shot(page, 'websites-ja');

    const [stored] = (await t.request('GET', '/api/v1/sources/websites', { token: tenant.admin.accessToken })).json();
    assert.equal(stored.start_url, `${site.origin}/`);
    assert.equal(stored.pages.indexed, 13);

    // The detail: every page with its status; the failures and skips with their reasons.
    await row.getByRole('link', { name: `${site.origin}/` }).click();
    await page.getByRole('heading', { name: `${site.origin}/`, level: 1 }).waitFor();
    await page.getByLabel('状態').selectOption('failed');
    await page.getByText('2 秒以内に応答がありませんでした。').waitFor();
    await page.getByText(/ページが大きすぎます（上限 0\.3 MB）/).waitFor();
    await page.getByText(/ページが見つかりません（HTTP 404）/).waitFor();
    await shot(page, 'website-detail-ja');
    await shotEnglish(page, 'website-detail-en', `${site.origin}/`);
    await page.getByText('The page did not answer within 2 s.').waitFor();
    await page.getByLabel('Status').selectOption('skipped');
    await page.getByText(/robots\.txt does not allow crawlers/).waitFor();

    // Back to the list in English: re-sync now.
    await page.getByRole('link', { name: '← Websites' }).click();
    const listRow = page.getByRole('row', { name: new RegExp(`${site.origin}/`) });
    await listRow.getByText('Up to date').waitFor();
    const clicked = new Date();
    await listRow.getByRole('button', { name: 'Re-sync now' }).click();
    await page.getByRole('status').getByText(`A re-sync of ${site.origin}/ is queued.`).waitFor();
    const after = await waitForCrawl(t, tenant.admin.accessToken, stored.id, clicked);
    assert.equal(after.progress.unchanged, 13, JSON.stringify(after.progress));
    await listRow.getByText('Up to date').waitFor({ timeout: 60_000 });
    await shot(page, 'websites-en');

    // The chat cites a crawled page: its passage dialog links to the page's address.
    await page.goto(`${env.origin}/chat`);
    await page.getByRole('textbox', { name: 'Question' }).fill('KX1003 warranty 保証期間');
    await page.getByRole('textbox', { name: 'Question' }).press('Enter');
    const cite = page.locator('.bubble.assistant').last().getByRole('button', { name: /^Source 1: / });
    await cite.first().click();
    const dialog = page.getByRole('dialog', { name: /^\[1\] 127\.0\.0\.1/ });
    assert.equal(await dialog.getByRole('link', { name: 'Open the page' }).getAttribute('href'), `${site.origin}/docs/p3`);
    await shot(page, 'website-citation-en');

    // An OPERATOR reads the list, without the form or the buttons.
    const operator = await signedIn(tenant.operator, '/websites');
    await operator.getByRole('row', { name: new RegExp(`${site.origin}/`) }).waitFor();
    assert.equal(await operator.getByRole('button', { name: '追加してクロール' }).count(), 0);
    assert.equal(await operator.getByRole('button', { name: '今すぐ再同期' }).count(), 0);
  });
});
