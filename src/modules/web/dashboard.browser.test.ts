import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import * as OTPAuth from 'otpauth';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { projectRoot } from '../../paths.js';
import { buildTestApp, PASSWORD, unique, type TestApp, type TestUser } from '../../test/harness.js';
import { browserSkipReason, freePort, launchChromium } from '../widget/test-support/browser.js';
import { ensureWebBundle } from './test-support/web-bundle.js';

// The dashboard as a person uses it: the real server on a fresh database, the built SPA, Debian's
// Chromium. Every test checks that the page talked to our server only and threw nothing.

const skip = browserSkipReason();
const screenshots = join(projectRoot, 'test-artifacts', 'screenshots');

describe('dashboard in a real browser', { skip }, () => {
  let browser: Browser;
  let t: TestApp;
  let origin: string;
  let context: BrowserContext | undefined;
  let requests: string[] = [];
  let pageErrors: string[] = [];

  before(async () => {
    await ensureWebBundle();
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    t = await buildTestApp({ publicUrl: origin });
    await t.app.listen({ port, host: '127.0.0.1' });
    browser = await launchChromium();
    mkdirSync(screenshots, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
    const elsewhere = requests.filter((url) => !url.startsWith(`${origin}/`));
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
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(setup.json().secret_key), algorithm: 'SHA1', digits: 6, period: 30 });
    // Enable with the previous step's code, so the current one is still unused for the login.
    const enabled = await t.request('POST', '/api/v1/auth/2fa/enable', { token: user.accessToken, body: { code: totp.generate({ timestamp: Date.now() - 30_000 }) } });
    assert.equal(enabled.statusCode, 200, enabled.body);

    const page = await open('/login');
    await logIn(page, user);
    await page.getByRole('heading', { name: '二要素認証' }).waitFor();
    await shot(page, 'login-2fa-ja');
    await page.getByLabel('認証コード').fill('000000' === totp.generate() ? '111111' : '000000');
    await page.getByRole('button', { name: '確認' }).click();
    await page.getByRole('alert').getByText('INVALID_TWO_FACTOR_CODE').waitFor();
    await page.getByLabel('認証コード').fill(totp.generate());
    await page.getByRole('button', { name: '確認' }).click();
    await page.waitForURL(`${origin}/documents`);
    await page.getByText(`${user.username}（OPERATOR）でログイン中`).waitFor();
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
    const page = await open('/login', 'en-US');
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.getByLabel('Language').selectOption('ja');
    await page.getByRole('heading', { name: 'ログイン' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'ja');
    await page.reload();
    await page.getByRole('heading', { name: 'ログイン' }).waitFor();
    await logIn(page, t.a.admin);
    await page.waitForURL(`${origin}/documents`);
    // Every page of the navigation is there.
    const nav = page.getByRole('navigation', { name: 'メイン' });
    for (const label of ['ドキュメント', 'チャット', '会話履歴', 'ウィジェット', 'API キー', '利用状況', '請求', 'チーム', 'アカウント']) {
      await nav.getByRole('link', { name: label }).waitFor();
    }
    await nav.getByRole('link', { name: 'チーム' }).click();
    await page.getByRole('heading', { name: 'チーム', level: 1 }).waitFor();
    await page.getByLabel('言語').selectOption('en');
    await page.getByRole('heading', { name: 'Team', level: 1 }).waitFor();
    assert.equal(await page.title(), 'Team · Shiori');
  });
});
