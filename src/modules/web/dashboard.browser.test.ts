import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { projectRoot } from '../../paths.js';
import { companyJa } from '../chat/test-support/plan-documents.js';
import { manualPdf, workRulesJa, travelPolicyEn } from '../retrieval/test-support/documents.js';
import { startFakeOpenAI, type FakeOpenAI } from '../../test/fake-openai.js';
import { buildTestApp, PASSWORD, unique, type TestApp, type TestUser } from '../../test/harness.js';
import { previousTotpCode, totpCode, wrongTotpCode } from '../../test/authenticator.js';
import { uploadAndProcess } from '../../test/upload.js';
import { browserSkipReason, freePort, launchChromium } from '../widget/test-support/browser.js';
import { ensureWebBundle } from './test-support/web-bundle.js';

// Code passed to page.evaluate runs in the page; the server's tsconfig has no DOM types.
declare const document: any;
declare const DataTransfer: any;
declare const File: any;
declare const window: any;

// The dashboard as a person uses it: the real server on a fresh database, the built SPA, Debian's
// Chromium. Every test checks that the page talked to our server only and threw nothing.

const skip = browserSkipReason();
const screenshots = join(projectRoot, 'test-artifacts', 'screenshots');

describe('dashboard in a real browser', { skip }, () => {
  let browser: Browser;
  let t: TestApp;
  let openai: FakeOpenAI;
  let origin: string;
  let context: BrowserContext | undefined;
  let requests: string[] = [];
  let pageErrors: string[] = [];

  before(async () => {
    await ensureWebBundle();
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    openai = await startFakeOpenAI();
    t = await buildTestApp({ publicUrl: origin });
    await t.app.listen({ port, host: '127.0.0.1' });
    browser = await launchChromium();
    mkdirSync(screenshots, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await t?.close();
    await openai?.close();
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
    // The browser's own PDF viewer loads from chrome:// and chrome-extension://: not the network.
    const elsewhere = requests.filter((url) => /^https?:/.test(url) && !url.startsWith(`${origin}/`));
    requests = [];
    assert.deepEqual(elsewhere, [], 'requests to other places than our server');
    const errors = pageErrors;
    pageErrors = [];
    assert.deepEqual(errors, [], 'errors in the page');
  });

  async function open(path: string, locale = 'ja-JP'): Promise<Page> {
    context = await browser.newContext({ locale, viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(15_000);
    context.on('request', (request) => void requests.push(request.url()));
    const page = await context.newPage();
    page.on('pageerror', (error) => void pageErrors.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error' && !/status of 40[0-9]/.test(message.text())) pageErrors.push(`console: ${message.text()}`);
    });
    await page.goto(`${origin}${path}`);
    return page;
  }

  async function logIn(page: Page, user: Pick<TestUser, 'email' | 'password'>) {
    await page.getByLabel('メールアドレス').fill(user.email);
    await page.getByLabel('パスワード').fill(user.password);
    await page.getByRole('button', { name: 'ログイン' }).click();
  }

  /** A signed-in page in English or Japanese, at `path`. */
  async function signedIn(user: TestUser, path: string, locale = 'ja-JP'): Promise<Page> {
    const page = await open(`/login?next=${encodeURIComponent(path)}`, 'ja-JP');
    await logIn(page, user);
    await page.waitForURL(`${origin}${path}`);
    if (locale.startsWith('en')) await page.getByLabel('言語').selectOption('en');
    return page;
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });

  test('sign up creates the organisation and lands in the app as its ADMIN', async () => {
    const page = await open('/');
    await page.waitForURL(/\/login\?next=/);
    await shot(page, 'login-ja');
    await page.getByRole('link', { name: '組織を新規登録' }).click();
    const name = unique('web');
    // The shared schema refuses a weak password before anything is sent.
    await page.getByLabel('組織名').fill('しおり商事');
    await page.getByLabel('組織のドメイン').fill(`${name.replaceAll('_', '-')}.example.com`);
    await page.getByLabel('メールアドレス').fill(`${name}@example.com`);
    await page.getByLabel('ユーザー名').fill(name);
    await page.getByLabel('パスワード').fill('weak');
    await page.getByRole('button', { name: '登録してログイン' }).click();
    await page.getByText('パスワード: 8 文字以上にしてください').waitFor();
    assert.equal(await page.getByLabel('パスワード').getAttribute('aria-invalid'), 'true');
    await shot(page, 'signup-ja');
    await page.getByLabel('パスワード').fill(PASSWORD);
    await page.getByRole('button', { name: '登録してログイン' }).click();
    await page.waitForURL(`${origin}/documents`);
    await page.getByText(`${name}（ADMIN）でログイン中`).waitFor();
    // The session is the HttpOnly cookie: JavaScript cannot read it.
    assert.equal(await page.evaluate('document.cookie'), '');
    const cookies = await context!.cookies();
    assert.ok(cookies.some((c) => c.name === 'shiori_access' && c.httpOnly && c.sameSite === 'Strict'));
    // Log out ends the session: the app goes back to the login page.
    await page.getByRole('button', { name: 'ログアウト' }).click();
    await page.waitForURL(`${origin}/login`);
    await page.goto(`${origin}/documents`);
    await page.waitForURL(/\/login\?next=%2Fdocuments/);
  });

  test('log in with two-factor authentication: a code is asked for, a wrong one refused', async () => {
    const user = await t.createTenant('tfa').then((tenant) => tenant.operator);
    const setup = await t.request('POST', '/api/v1/auth/2fa/setup', { token: user.accessToken });
    assert.equal(setup.statusCode, 200, setup.body);
    const secret: string = setup.json().secret_key;
    // Enable with the previous step's code, so the current one is still unused for the login.
    const enabled = await t.request('POST', '/api/v1/auth/2fa/enable', { token: user.accessToken, body: { code: await previousTotpCode(secret) } });
    assert.equal(enabled.statusCode, 200, enabled.body);

    const page = await open('/login');
    // The server's own sentence, in the UI's language (the dashboard sends it as Accept-Language).
    await logIn(page, { email: user.email, password: 'Wrong-password1' });
    await page.getByRole('alert').getByText('メールアドレスまたはパスワードが正しくありません。', { exact: true }).waitFor();
    await shot(page, 'login-wrong-password-ja');
    await logIn(page, user);
    await page.getByRole('heading', { name: '二要素認証' }).waitFor();
    await shot(page, 'login-2fa-ja');
    await page.getByLabel('認証コード').fill(wrongTotpCode(secret));
    await page.getByRole('button', { name: '確認' }).click();
    await page.getByRole('alert').getByText('INVALID_TWO_FACTOR_CODE').waitFor();
    await page.getByRole('alert').getByText('認証コードが正しくないか、期限切れか、すでに使われています。', { exact: false }).waitFor();
    await page.getByLabel('認証コード').fill(totpCode(secret));
    await page.getByRole('button', { name: '確認' }).click();
    await page.waitForURL(`${origin}/documents`);
    await page.getByText(`${user.username}（OPERATOR）でログイン中`).waitFor();
    // When the 30-minute access cookie is gone, the refresh cookie renews the session unseen.
    await context!.clearCookies({ name: 'shiori_access' });
    await page.reload();
    await page.getByText(`${user.username}（OPERATOR）でログイン中`).waitFor();
    assert.equal(page.url(), `${origin}/documents`);
    assert.ok((await context!.cookies()).some((c) => c.name === 'shiori_access'));
  });

  test('accept an invitation: choose a username and password, then log in', async () => {
    const email = `${unique('invitee')}@example.com`;
    const invite = await t.request('POST', '/api/v1/invitations', { token: t.a.admin.accessToken, body: { email } });
    assert.equal(invite.statusCode, 201, invite.body);
    const page = await open(`/accept?token=${invite.json().token}`);
    await page.getByText(`${email} 宛てに OPERATOR として招待されています`).waitFor();
    await shot(page, 'accept-ja');
    await page.getByLabel('ユーザー名').fill(unique('joined'));
    await page.getByLabel('パスワード').fill(PASSWORD);
    await page.getByRole('button', { name: '参加する' }).click();
    await page.getByRole('status').getByText('ようこそ').waitFor();
    await page.getByRole('link', { name: 'ログイン' }).click();
    assert.equal(await page.getByLabel('メールアドレス').inputValue(), email);
    await page.getByLabel('パスワード').fill(PASSWORD);
    await page.getByRole('button', { name: 'ログイン' }).click();
    await page.waitForURL(`${origin}/documents`);
    // A used token is refused.
    await page.goto(`${origin}/accept?token=${invite.json().token}`);
    await page.getByRole('alert').getByText('この招待は無効です', { exact: false }).waitFor();
  });

  test('the language follows the browser, switches, and is remembered', async () => {
    // `next` may only name a page of this app: another site is ignored after login.
    const page = await open('/login?next=%2F%2Fevil.example%2Fphish', 'en-US');
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    const wrong = { email: t.a.admin.email, password: 'Wrong-password1' };
    await page.getByLabel('Email').fill(wrong.email);
    await page.getByLabel('Password').fill(wrong.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').getByText('Email or password is incorrect', { exact: true }).waitFor();
    await shot(page, 'login-wrong-password-en');
    // Only the reader's dictionary is downloaded, started by the tiny boot script index.html runs first
    // (so the dictionary and the app download at once, not one after the other).
    const dictionaries = () => requests.flatMap((url) => /\/assets\/i18n-(ja|en)-[\w-]+\.js$/.exec(url)?.[1] ?? []);
    assert.deepEqual(dictionaries(), ['en']);
    assert.match(await (await fetch(`${origin}/login`)).text(), /<head>\s*<script type="module" crossorigin src="\/assets\/boot-[\w-]+\.js">/);
    // Switching: while the Japanese dictionary is on its way the page stays in English (no keys, never empty).
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/assets\/i18n-ja-/, async (route) => {
      await held;
      await route.continue();
    });
    const asked = page.waitForRequest(/\/assets\/i18n-ja-/);
    await page.getByLabel('Language').selectOption('ja');
    await asked;
    await page.waitForTimeout(200);
    assert.ok(await page.getByRole('heading', { name: 'Log in' }).isVisible());
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    release();
    await page.getByRole('heading', { name: 'ログイン' }).waitFor();
    await page.unroute(/\/assets\/i18n-ja-/);
    assert.deepEqual(dictionaries(), ['en', 'ja']);
    assert.equal(await page.getAttribute('html', 'lang'), 'ja');
    await page.reload();
    await page.getByRole('heading', { name: 'ログイン' }).waitFor();
    assert.deepEqual(dictionaries().slice(2), ['ja'], 'the remembered language: only its dictionary');
    // The browser still says en-US: the server's Japanese sentence comes from the UI's own choice.
    await logIn(page, wrong);
    await page.getByRole('alert').getByText('メールアドレスまたはパスワードが正しくありません。', { exact: true }).waitFor();
    await logIn(page, t.a.admin);
    await page.waitForURL(`${origin}/documents`);
    // Every page of the navigation is there.
    const nav = page.getByRole('navigation', { name: 'メイン' });
    for (const label of ['ドキュメント', 'チャット', '会話履歴', 'ウィジェット', 'API キー', '利用状況', '請求', 'チーム', 'アカウント']) {
      await nav.getByRole('link', { name: label }).waitFor();
    }
    await nav.getByRole('link', { name: 'チーム' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'チーム', level: 1 }).waitFor();
    // After a navigation the focus is on the page's <main>, for keyboard and screen-reader users.
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
    await page.getByLabel('言語').selectOption('en');
    await page.getByRole('heading', { name: 'Team', level: 1 }).waitFor();
    assert.equal(await page.title(), 'Team · Shiori');
  });
  test('documents: upload two files (file picker and drag-and-drop) with progress, watch them complete, open, reprocess, delete', async () => {
    const tenant = await t.createTenant('docs');
    const page = await signedIn(tenant.admin, '/documents');
    await page.getByText('ドキュメントはまだありません').waitFor();
    await page.getByLabel('ファイルを選択').setInputFiles({ name: '就業規則.txt', mimeType: 'text/plain', buffer: Buffer.from(workRulesJa) });
    const dropped = await page.evaluateHandle((text: string) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], 'travel-policy.txt', { type: 'text/plain' }));
      return transfer;
    }, travelPolicyEn);
    await page.dispatchEvent('[data-testid=dropzone]', 'drop', { dataTransfer: dropped });
    const uploads = page.getByRole('list', { name: 'アップロード' });
    for (const name of ['就業規則.txt', 'travel-policy.txt']) {
      await uploads.getByText(`${name}: アップロード完了`).waitFor();
      assert.equal(await uploads.locator('li', { hasText: name }).locator('progress').getAttribute('value'), '1');
    }
    // Live status: both rows reach completed without a reload.
    const rows = page.locator('tbody tr');
    await page.waitForFunction(() => {
      const statuses = [...document.querySelectorAll('tbody tr')].map((row) => row.getAttribute('data-status'));
      return statuses.length === 2 && statuses.every((s) => s === 'completed');
    });
    assert.equal(await rows.count(), 2);
    await shot(page, 'documents-ja');

    // Passage search (POST /api/v1/search): the passage about paid leave, from the rules, shown as text.
    const passages = page.getByRole('region', { name: 'パッセージ検索' });
    await passages.getByLabel('質問またはキーワード').fill('年次有給休暇は何日？');
    await passages.getByRole('button', { name: 'パッセージを検索' }).click();
    await passages.getByText(/件のパッセージ（全文検索/).waitFor();
    assert.equal(await passages.locator('li').first().getByRole('link').textContent(), '就業規則.txt');
    assert.match((await passages.locator('li .passage-text').first().textContent()) ?? '', /年次有給休暇/);

    // Filters as in the API: search and status.
    await page.getByRole('searchbox', { name: '検索' }).fill('travel');
    await page.getByRole('button', { name: '検索', exact: true }).click();
    await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
    await page.getByLabel('状態').selectOption('failed');
    await page.getByText('条件に合うドキュメントはありません').waitFor();
    await page.getByLabel('状態').selectOption('');
    await page.getByRole('searchbox', { name: '検索' }).fill('');
    await page.getByRole('button', { name: '検索', exact: true }).click();
    await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 2);

    // Detail: passages, timings; reprocess brings it back to completed.
    await page.locator('tbody').getByRole('link', { name: '就業規則.txt' }).click();
    await page.getByRole('heading', { name: '就業規則.txt' }).waitFor();
    assert.ok(Number(await page.getByTestId('chunk-count').textContent()) > 1);
    await page.getByRole('heading', { name: '処理時間' }).waitFor();
    await shot(page, 'document-detail-ja');
    // The original comes back byte for byte, under its own name.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '元のファイルをダウンロード' }).click()]);
    assert.equal(download.suggestedFilename(), '就業規則.txt');
    assert.equal(readFileSync((await download.path())!, 'utf8'), workRulesJa);
    await page.getByRole('button', { name: '再処理' }).click();
    await page.getByRole('status').getByText('再処理を開始しました').waitFor();
    await page.locator('.badge.status-completed').waitFor();

    // Delete asks first; cancelling keeps it, confirming removes it.
    await page.getByRole('button', { name: '削除' }).click();
    const dialog = page.getByRole('dialog', { name: '就業規則.txt を削除しますか？' });
    await dialog.waitFor();
    await shot(page, 'document-delete-ja');
    await dialog.getByRole('button', { name: 'キャンセル' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: '削除' }).click();
    await dialog.getByRole('button', { name: '削除' }).click();
    await page.waitForURL(`${origin}/documents`);
    await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
    const listed = await t.request('GET', '/api/v1/contents', { token: tenant.admin.accessToken });
    assert.deepEqual(listed.json().map((c: { file_name: string }) => c.file_name), ['travel-policy.txt']);

    // An OPERATOR sees the list, not the ADMIN actions.
    await context!.close();
    const operatorPage = await signedIn(tenant.operator, '/documents', 'en-US');
    await operatorPage.getByRole('link', { name: 'travel-policy.txt' }).waitFor();
    assert.equal(await operatorPage.getByRole('heading', { name: 'Upload documents' }).count(), 0);
    assert.equal(await operatorPage.getByRole('button', { name: /Delete|Reprocess/ }).count(), 0);
    await shot(operatorPage, 'documents-operator-en');
  });
  test('chat: a Japanese question streams an answer whose [1] opens the cited passage; the conversation continues and reopens', async () => {
    const tenant = await t.createTenant('chat');
    await uploadAndProcess(t, tenant.admin.accessToken, '就業規則.txt', workRulesJa);
    await uploadAndProcess(t, tenant.admin.accessToken, '会社概要.txt', companyJa);
    const page = await signedIn(tenant.admin, '/chat');
    await page.getByText('質問してください').waitFor();
    // Without a provider key the models are the default and extractive.
    await page.getByText('設定').click();
    assert.deepEqual(await page.getByLabel('モデル').locator('option').allTextContents(), ['既定', 'extractive（モデルなしで該当箇所を引用）']);
    await page.getByLabel('参照する文章数（top_k）').fill('30');
    await page.getByRole('textbox', { name: '質問' }).fill('有給休暇は何日もらえますか');
    await page.getByRole('button', { name: '送信' }).click();
    await page.getByText('20 以下にしてください').waitFor();
    await page.getByLabel('参照する文章数（top_k）').fill('3');
    await page.getByRole('textbox', { name: '質問' }).press('Enter');

    const answer = page.locator('.bubble.assistant').last();
    const cite = answer.getByRole('button', { name: /^出典 1: 就業規則\.txt$/ });
    await cite.first().waitFor();
    assert.match(await answer.locator('.answer-text').innerText(), /10日/);
    await page.locator('.chat-log[aria-busy="false"]').waitFor();
    await answer.getByText(/^extractive · \d+ ミリ秒$/).waitFor();
    await page.waitForURL(/\/chat\?c=[0-9a-f-]{36}$/);
    const conversationId = new URL(page.url()).searchParams.get('c')!;

    // Rated under the answer: saved at once, shown pressed; pressing it again clears it.
    const helpful = answer.getByRole('button', { name: '役に立った' });
    await helpful.click();
    await answer.getByRole('status').getByText('評価を保存しました。').waitFor();
    assert.equal(await helpful.getAttribute('aria-pressed'), 'true');
    await helpful.click();
    await answer.getByRole('status').getByText('評価を取り消しました。').waitFor();
    assert.equal(await helpful.getAttribute('aria-pressed'), 'false');
    await helpful.click();
    await answer.getByRole('status').getByText('評価を保存しました。').waitFor();
    const ratedAnswer = (await t.request('GET', `/api/v1/conversations/${conversationId}`, { token: tenant.admin.accessToken })).json().messages[1];
    assert.equal(ratedAnswer.feedback, 'up');

    // The passage marks the sentence the answer quoted and links to its document.
    await cite.first().click();
    const dialog = page.getByRole('dialog', { name: '[1] 就業規則.txt' });
    await dialog.waitFor();
    assert.match(await dialog.locator('.passage-text').innerText(), /年次有給休暇/);
    const marks = await dialog.locator('.passage-text mark').allInnerTexts();
    assert.match(marks.join('\n'), /10日の年次有給休暇を付与する/);
    const answerText = await answer.locator('.answer-text').innerText();
    for (const sentence of marks.flatMap((mark) => mark.split(/(?<=。)/))) assert.ok(answerText.includes(sentence.trim()), `「${sentence}」 is marked, so the answer quotes it: ${answerText}`);
    await dialog.getByText('回答が引用した文を強調表示しています。').waitFor();
    const sources = (await t.request('GET', `/api/v1/conversations/${conversationId}`, { token: tenant.admin.accessToken })).json().messages[1].sources;
    assert.equal(await dialog.getByRole('link', { name: 'ドキュメントを開く' }).getAttribute('href'), `/documents/${sources[0].file_id}`, 'a TXT file has no pages to open at');
    assert.equal(await dialog.getByRole('link', { name: '原本をダウンロード' }).getAttribute('href'), `/api/v1/contents/${sources[0].file_id}/file`);
    await shot(page, 'chat-passage-ja');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    // The next question continues the same conversation (session_id) and, being about something
    // else, is answered from its own document.
    await page.getByRole('textbox', { name: '質問' }).fill('しおり商事の本社はどこにありますか');
    await page.getByRole('button', { name: '送信' }).click();
    const second = page.locator('.bubble.assistant').nth(1);
    await second.locator('.meta').waitFor();
    await second.getByRole('button', { name: /^出典 1: 会社概要\.txt$/ }).first().waitFor();
    assert.match(await second.locator('.answer-text').innerText(), /千代田区丸の内/);
    await shot(page, 'chat-ja');
    const stored = await t.request('GET', `/api/v1/conversations/${conversationId}`, { token: tenant.admin.accessToken });
    assert.equal(stored.json().messages.length, 4);
    assert.equal(stored.json().channel, 'dashboard');

    // A new conversation, then the previous one reopened from the list.
    await page.getByRole('button', { name: '新しい会話' }).click();
    await page.getByText('質問してください').waitFor();
    await page.getByRole('complementary').getByRole('link', { name: '有給休暇は何日もらえますか' }).click();
    await page.locator('.bubble.assistant').nth(1).waitFor();
    assert.equal(await page.locator('.turn').count(), 2);
    // The rating given before is shown on the reopened answer.
    assert.equal(await page.locator('.bubble.assistant').first().getByRole('button', { name: '役に立った' }).getAttribute('aria-pressed'), 'true');
    assert.equal(await page.locator('.bubble.assistant').nth(1).getByRole('button', { name: '役に立った' }).getAttribute('aria-pressed'), 'false');
    await page.getByLabel('言語').selectOption('en');
    await page.getByRole('heading', { name: 'Chat playground' }).waitFor();
    await page.locator('.bubble.assistant').first().getByRole('button', { name: 'Helpful', exact: true }).waitFor();
    await shot(page, 'chat-en');

    // The conversation list says which conversations have feedback.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Conversations' }).click();
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: '有給休暇は何日もらえますか' }) });
    await row.getByText('1 helpful').waitFor();
    assert.equal(await row.locator('.rated-down').count(), 0);
  });

  test('chat in English on a PDF: the passage dialog marks the quote and opens the document at its page; a rating shows in the list', async () => {
    const tenant = await t.createTenant('chatpdf');
    const manual = await uploadAndProcess(t, tenant.admin.accessToken, 'zephyr-manual.pdf', await manualPdf());
    const page = await signedIn(tenant.operator, '/chat', 'en-US');
    await page.getByRole('textbox', { name: 'Question' }).fill('How often must the turbine blades be inspected?');
    await page.getByRole('button', { name: 'Send' }).click();
    const answer = page.locator('.bubble.assistant').last();
    await answer.locator('.meta').waitFor();
    assert.match(await answer.locator('.answer-text').innerText(), /500 operating hours/);
    const notHelpful = answer.getByRole('button', { name: 'Not helpful' });
    await notHelpful.click();
    await answer.getByRole('status').getByText('Feedback saved.').waitFor();
    assert.equal(await notHelpful.getAttribute('aria-pressed'), 'true');

    await answer.getByRole('button', { name: 'Source 1: zephyr-manual.pdf' }).first().click();
    const dialog = page.getByRole('dialog', { name: '[1] zephyr-manual.pdf' });
    await dialog.waitFor();
    await dialog.getByText('page 2', { exact: false }).first().waitFor();
    assert.match((await dialog.locator('.passage-text mark').allInnerTexts()).join(' '), /The turbine blades must be inspected every 500 operating hours\./);
    await dialog.getByText('The sentences the answer quotes are highlighted.').waitFor();
    await shot(page, 'chat-passage-en');
    // The original opens in a new tab, in the browser's PDF viewer, at the passage's page.
    const original = dialog.getByRole('link', { name: 'Open the original at page 2' });
    assert.equal(await original.getAttribute('href'), `/api/v1/contents/${manual.id}/file?disposition=inline#page=2`);
    const [viewer] = await Promise.all([page.context().waitForEvent('page'), original.click()]);
    await viewer.waitForLoadState();
    assert.equal(viewer.url(), `${origin}/api/v1/contents/${manual.id}/file?disposition=inline#page=2`);
    await viewer.waitForTimeout(1500); // the viewer draws after the load event
    await shot(viewer, 'chat-original-pdf-page-2');
    await viewer.close();
    const link = dialog.getByRole('link', { name: 'Open the document at page 2' });
    assert.equal(await link.getAttribute('href'), `/documents/${manual.id}?page=2`);
    await link.click();
    await page.waitForURL(`${origin}/documents/${manual.id}?page=2`);
    await page.getByRole('heading', { level: 1, name: /zephyr-manual/ }).waitFor();
    assert.equal(await page.getByRole('dialog').count(), 0);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Conversations' }).click();
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'How often must the turbine blades be inspected?' }) });
    await row.getByText('1 not helpful').waitFor();
    await shot(page, 'conversations-feedback-en');
    await page.getByLabel('Language').selectOption('ja');
    await row.getByText('役に立たなかった 1 件').waitFor();
    await shot(page, 'conversations-feedback-ja');
  });

  test('conversations: the question is in the log, the transcript shows sources and status, feedback is saved', async () => {
    const tenant = await t.createTenant('conv');
    await uploadAndProcess(t, tenant.admin.accessToken, '就業規則.txt', workRulesJa);
    const asked = await t.request('POST', '/api/v1/chats/rag', { token: tenant.operator.accessToken, body: { query: '通勤手当はどう支給されますか' } });
    assert.equal(asked.statusCode, 200, asked.body);
    const page = await signedIn(tenant.operator, '/conversations');
    await page.getByLabel('チャネル').selectOption('widget');
    await page.getByRole('button', { name: '適用' }).click();
    await page.getByText('該当する会話はありません').waitFor();
    // The shared schema refuses an end before the start.
    await page.getByLabel('チャネル').selectOption('');
    await page.getByLabel('開始日').fill('2030-01-02');
    await page.getByLabel('終了日').fill('2030-01-01');
    await page.getByRole('button', { name: '適用' }).click();
    await page.getByRole('alert').getByText('終了日: 開始日より前の日付にはできません').waitFor();
    await page.getByLabel('開始日').fill('');
    await page.getByLabel('終了日').fill('');
    await page.getByRole('button', { name: '適用' }).click();
    await page.getByRole('link', { name: '通勤手当はどう支給されますか' }).click();
    await page.getByRole('heading', { name: '通勤手当はどう支給されますか' }).waitFor();
    const answer = page.locator('.bubble.assistant');
    await answer.getByText('完了').waitFor();
    await answer.getByText('出典 (', { exact: false }).click();
    await answer.getByRole('button', { name: /就業規則\.txt/ }).first().click();
    await page.getByRole('dialog').getByText('通勤手当', { exact: false }).first().waitFor();
    await page.getByRole('dialog').getByRole('button', { name: '閉じる' }).click();

    await answer.getByRole('button', { name: '役に立たなかった' }).click();
    assert.equal(await answer.getByRole('button', { name: '役に立たなかった' }).getAttribute('aria-pressed'), 'true');
    await answer.getByLabel('コメント').fill('金額の上限も知りたい');
    await answer.getByRole('button', { name: '評価を保存' }).click();
    await answer.getByRole('status').getByText('評価を保存しました').waitFor();
    await shot(page, 'conversation-ja');
    const stored = await t.request('GET', `/api/v1/conversations/${asked.json().conversation_id}`, { token: tenant.admin.accessToken });
    const rated = stored.json().messages.find((m: { role: string }) => m.role === 'assistant');
    assert.equal(rated.feedback, 'down');
    assert.equal(rated.feedback_comment, '金額の上限も知りたい');

    // The feedback filter finds it; English shows the same log.
    await page.getByRole('link', { name: '← 会話履歴' }).click();
    await page.getByLabel('評価').selectOption('down');
    await page.getByRole('button', { name: '適用' }).click();
    await page.getByRole('link', { name: '通勤手当はどう支給されますか' }).waitFor();
    await page.getByLabel('言語').selectOption('en');
    await page.getByRole('columnheader', { name: 'First question' }).waitFor();
    await shot(page, 'conversations-en');
  });
  test('chat with a provider key: its model is offered, deltas appear as they stream, HTML stays text, Stop cancels', async () => {
    const tenant = await t.createTenant('llm');
    await uploadAndProcess(t, tenant.admin.accessToken, '就業規則.txt', workRulesJa);
    const added = await t.request('POST', '/api/v1/api-keys', {
      token: tenant.admin.accessToken,
      body: { provider: 'openai-compatible', model: 'local-llm', api_key: 'sk-dashboard-0123456789abcdef', base_url: openai.baseUrl },
    });
    assert.equal(added.statusCode, 201, added.body);
    openai.reply = () => ['入社後6か月で', '10日の年次有給休暇が付与されます[1]。', '<img src=x onerror="window.__xss=1">'];
    openai.chunkDelayMs = 1000;
    try {
      const page = await signedIn(tenant.admin, '/chat');
      await page.getByText('設定').click();
      await page.getByLabel('モデル').locator('option', { hasText: 'local-llm' }).waitFor({ state: 'attached' });
      await page.getByLabel('モデル').selectOption('local-llm');
      await page.getByRole('textbox', { name: '質問' }).fill('有給休暇は何日ですか');
      await page.getByRole('button', { name: '送信' }).click();
      const answer = page.locator('.bubble.assistant').last();
      // The first delta is on screen while the answer is still streaming.
      await answer.getByText('入社後6か月で').waitFor();
      assert.equal(await page.locator('.chat-log').getAttribute('aria-busy'), 'true');
      await page.getByRole('button', { name: '停止' }).waitFor();
      await page.locator('.chat-log[aria-busy="false"]').waitFor();
      await answer.getByRole('button', { name: '出典 1: 就業規則.txt' }).waitFor();
      await answer.getByText('<img src=x onerror="window.__xss=1">').waitFor();
      assert.equal(await answer.locator('img').count(), 0);
      assert.equal(await page.evaluate(() => window.__xss), undefined);
      await answer.getByText(/^local-llm · \d+ ミリ秒$/).waitFor();

      // Stop: the partial answer stays, marked as stopped.
      openai.reply = () => ['少々お待ちください。', '長い回答が', '続きます', '…'];
      openai.chunkDelayMs = 1500;
      await page.getByRole('textbox', { name: '質問' }).fill('もう少し詳しく');
      await page.getByRole('button', { name: '送信' }).click();
      await page.locator('.bubble.assistant').last().getByText('少々お待ちください。').waitFor();
      await page.getByRole('button', { name: '停止' }).click();
      await page.locator('.bubble.assistant').last().getByText('停止しました。').waitFor();
      await page.getByRole('button', { name: '送信' }).waitFor();
    } finally {
      openai.reset();
    }
  });

  test('on a phone the navigation is a menu, and the main pages fit', async () => {
    const tenant = await t.createTenant('phone');
    await uploadAndProcess(t, tenant.admin.accessToken, '就業規則.txt', workRulesJa);
    for (const language of ['ja', 'en'] as const) {
      context = await browser.newContext({ locale: language === 'ja' ? 'ja-JP' : 'en-US', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
      context.on('request', (request) => void requests.push(request.url()));
      const page = await context.newPage();
      page.on('pageerror', (error) => void pageErrors.push(String(error)));
      await page.goto(`${origin}/login`);
      await page.getByLabel(language === 'ja' ? 'メールアドレス' : 'Email').fill(tenant.admin.email);
      await page.getByLabel(language === 'ja' ? 'パスワード' : 'Password').fill(tenant.admin.password);
      await page.getByRole('button', { name: language === 'ja' ? 'ログイン' : 'Log in' }).click();
      await page.waitForURL(`${origin}/documents`);
      const menu = page.getByRole('button', { name: language === 'ja' ? 'メニュー' : 'Menu' });
      const nav = page.getByRole('navigation', { name: language === 'ja' ? 'メイン' : 'Main' });
      assert.equal(await menu.getAttribute('aria-expanded'), 'false');
      assert.equal(await nav.isVisible(), false);
      await page.locator('tbody tr[data-status="completed"]').waitFor();
      await shot(page, `phone-documents-${language}`);
      await menu.click();
      assert.equal(await menu.getAttribute('aria-expanded'), 'true');
      await nav.getByRole('link', { name: language === 'ja' ? 'チャット' : 'Chat' }).click();
      assert.equal(await nav.isVisible(), false);
      await page.getByRole('textbox', { name: language === 'ja' ? '質問' : 'Question' }).fill('有給休暇は何日もらえますか');
      await page.getByRole('textbox', { name: language === 'ja' ? '質問' : 'Question' }).press('Enter');
      await page.locator('.bubble.assistant .meta').waitFor();
      await shot(page, `phone-chat-${language}`);
      // Nothing is wider than the screen.
      assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390);
      await context.close();
      context = undefined;
    }
  });
});
