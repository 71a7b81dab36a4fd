import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import * as OTPAuth from 'otpauth';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { projectRoot } from '../../paths.js';
import { startFakeOpenAI, type FakeOpenAI } from '../../test/fake-openai.js';
import { startFakeStripe, type FakeStripe } from '../../test/fake-stripe.js';
import { buildTestApp, expectError, PASSWORD, unique, type TestApp, type TestTenant, type TestUser } from '../../test/harness.js';
import { uploadAndProcess } from '../../test/upload.js';
import { billingConfig, completedSession, deliver, stripeIds } from '../billing/test-support/billing-fixtures.js';
import { defaultPlanLimits } from '../billing/plan-limits.js';
import { browserSkipReason, freePort, launchChromium } from '../widget/test-support/browser.js';
import { ensureWidgetBundle } from '../widget/test-support/widget-bundle.js';
import { ensureWebBundle } from './test-support/web-bundle.js';

// The settings pages as an ADMIN uses them: the real server on a fresh database (with a fake
// OpenAI-compatible provider and a fake Stripe), the built SPA, Debian's Chromium. Each test checks
// the page, the API's stored state, that the page talked to our server only and threw nothing.

const skip = browserSkipReason();
const screenshots = join(projectRoot, 'test-artifacts', 'screenshots');
const STRIPE_CHECKOUT = 'https://checkout.stripe.com/';

describe('settings pages in a real browser', { skip }, () => {
  let browser: Browser;
  let t: TestApp;
  let openai: FakeOpenAI;
  let stripe: FakeStripe;
  let origin: string;
  let context: BrowserContext | undefined;
  let requests: string[] = [];
  let pageErrors: string[] = [];

  before(async () => {
    await Promise.all([ensureWebBundle(), ensureWidgetBundle()]);
    openai = await startFakeOpenAI();
    stripe = await startFakeStripe();
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    t = await buildTestApp({
      publicUrl: origin,
      providerUrls: { openai: openai.baseUrl, anthropic: openai.baseUrl },
      llm: { timeoutMs: 1500, maxRetries: 0 },
      modelPrices: { 'local-llm': { input: 2, output: 8 } },
      billing: billingConfig(stripe),
      planLimits: defaultPlanLimits,
    });
    await t.app.listen({ port, host: '127.0.0.1' });
    browser = await launchChromium();
    mkdirSync(screenshots, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await t?.close();
    await openai?.close();
    await stripe?.close();
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
    openai.reset();
    const elsewhere = requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith(STRIPE_CHECKOUT) && !url.startsWith('blob:'));
    requests = [];
    assert.deepEqual(elsewhere, [], 'requests to other places than our server');
    const errors = pageErrors;
    pageErrors = [];
    assert.deepEqual(errors, [], 'errors in the page');
  });

  /** A signed-in page at `path`, Japanese unless `locale` is English. */
  async function signedIn(user: Pick<TestUser, 'email' | 'password'>, path: string, locale = 'ja-JP', server = origin): Promise<Page> {
    await context?.close();
    context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(15_000);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server });
    context.on('request', (request) => void requests.push(request.url()));
    const page = await context.newPage();
    page.on('pageerror', (error) => void pageErrors.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error' && !/status of (40[0-9]|422|503)/.test(message.text())) pageErrors.push(`console: ${message.text()}`);
    });
    await page.goto(`${server}/login?next=${encodeURIComponent(path)}`);
    const en = locale.startsWith('en');
    await page.getByLabel(en ? 'Email' : 'メールアドレス').fill(user.email);
    await page.getByLabel(en ? 'Password' : 'パスワード').fill(user.password);
    await page.getByRole('button', { name: en ? 'Log in' : 'ログイン' }).click();
    await page.waitForURL(`${server}${path}`);
    return page;
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });

  /** The same page in English, for its screenshot. */
  async function shotEnglish(page: Page, name: string, heading: string) {
    await page.locator('.language select').selectOption('en');
    await page.getByRole('heading', { name: heading, exact: true }).first().waitFor();
    await shot(page, name);
  }

  const snippetOf = async (tenant: TestTenant) => (await t.request('GET', `/api/v1/tenants/${tenant.id}/embed-snippet`, { token: tenant.admin.accessToken })).json();
  const widgetConfig = (key: string) => t.request('GET', '/api/v1/chats/widget/config', { headers: { 'x-api-key': key, origin: 'https://www.example.co.jp' } });

  test('widget: the look is saved, shown by the real widget in the preview and served to sites; allowed sites; snippet copy; key rotation', async () => {
    const tenant = await t.createTenant('widget');
    const page = await signedIn(tenant.admin, '/widget');
    await page.getByRole('heading', { name: 'ウィジェット', level: 1 }).waitFor();
    await page.getByText('リストが空です：どの Web サイトでもこのウィジェットキーを使えます。').waitFor();

    // The shared schema refuses a bad colour before anything is sent.
    await page.getByLabel('アクセントカラー', { exact: true }).fill('teal');
    await page.getByRole('button', { name: '見た目を保存' }).click();
    await page.getByText('アクセントカラー: must be a colour like #2563eb').waitFor();

    await page.getByLabel('タイトル').fill('しおり商事 サポート');
    await page.getByLabel('最初のあいさつ').fill('ご質問をどうぞ。');
    await page.getByLabel('アクセントカラー', { exact: true }).fill('#0f766e');
    await page.getByLabel('表示位置').selectOption('bottom-left');
    await page.getByLabel('言語', { exact: true }).selectOption('ja');
    await page.getByRole('button', { name: '見た目を保存' }).click();
    await page.getByRole('status').getByText('保存しました。').waitFor();

    // Sites get the new look.
    const { api_key: key } = await snippetOf(tenant);
    const config = await widgetConfig(key);
    assert.equal(config.statusCode, 200, config.body);
    assert.equal(config.json().title, 'しおり商事 サポート');
    assert.equal(config.json().accent_color, '#0f766e');
    assert.equal(config.json().position, 'bottom-left');

    // Only listed sites may use the key now…
    await page.getByLabel('サイトのオリジン').fill('https://www.example.co.jp/');
    await page.getByRole('button', { name: '追加', exact: true }).click();
    await page.getByRole('button', { name: '許可サイトを保存' }).click();
    await page.getByRole('status').getByText('許可サイトを保存しました。').waitFor();
    await page.getByRole('list', { name: '利用を許可するサイト' }).getByText('https://www.example.co.jp').waitFor();
    assert.equal((await t.request('GET', '/api/v1/chats/widget/config', { headers: { 'x-api-key': key, origin: 'https://other.example' } })).statusCode, 403);

    // …but the preview, on the dashboard's own origin, still runs the real widget with the saved look.
    const preview = page.frameLocator('iframe[title="ウィジェットのプレビュー"]');
    await preview.getByRole('button', { name: 'チャットで質問する' }).click();
    const panel = preview.getByRole('dialog', { name: 'しおり商事 サポート' });
    await panel.waitFor();
    await panel.getByText('ご質問をどうぞ。').waitFor();
    await shot(page, 'settings-widget-ja');

    // The snippet is copied with the key in it.
    await page.getByRole('button', { name: 'コピー' }).click();
    await page.getByRole('status').getByText('コピーしました。').waitFor();
    const copied = await page.evaluate<string>('navigator.clipboard.readText()');
    assert.match(copied, new RegExp(`data-api-key="${key}"`));
    assert.match(copied, new RegExp(`src="${origin}/widget.js"`));

    // Rotation is confirmed first and says the old key stops working; then the old key is refused.
    await page.getByRole('button', { name: 'キーを再発行' }).click();
    const dialog = page.getByRole('dialog', { name: 'ウィジェットキーを再発行しますか？' });
    await dialog.getByText('現在のキーはすぐに使えなくなります', { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'キーを再発行' }).click();
    await page.getByRole('status').getByText('新しいキーを発行しました。', { exact: false }).waitFor();
    const rotated = await snippetOf(tenant);
    assert.notEqual(rotated.api_key, key);
    await page.getByText(rotated.api_key, { exact: false }).waitFor();
    assert.equal((await widgetConfig(key)).statusCode, 401);
    assert.equal((await widgetConfig(rotated.api_key)).statusCode, 200);
    await preview.getByRole('button', { name: 'チャットで質問する' }).waitFor();

    await shotEnglish(page, 'settings-widget-en', 'Widget');

    // On a phone the preview is narrow, and the widget takes its phone layout: the panel fills the frame.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    const phonePreview = page.frameLocator('iframe[title="Widget preview"]');
    await page.locator('iframe[title="Widget preview"]').scrollIntoViewIfNeeded();
    await phonePreview.getByRole('button', { name: 'チャットで質問する' }).click();
    const frameBox = (await page.locator('iframe[title="Widget preview"]').boundingBox())!;
    const panelBox = (await phonePreview.getByRole('dialog').boundingBox())!;
    assert.ok(Math.abs(panelBox.x - frameBox.x) <= 2 && Math.abs(panelBox.width - frameBox.width) <= 2, `panel ${JSON.stringify(panelBox)} in frame ${JSON.stringify(frameBox)}`);
    await page.screenshot({ path: join(screenshots, 'settings-widget-phone-en.png') });
  });

  test('API keys: an openai-compatible key verified with the provider, a rejected one explained, listed masked, deleted', async () => {
    const tenant = await t.createTenant('keys');
    const page = await signedIn(tenant.admin, '/api-keys', 'en-US');
    await page.getByText('No keys yet', { exact: false }).waitFor();
    await page.getByLabel('Provider', { exact: true }).selectOption('openai-compatible');
    await page.getByLabel('Model').fill('local-llm');
    // The shared schema asks for the base URL of a compatible server.
    const badKey = 'sk-bad-0123456789abcdefWXYZ';
    await page.getByLabel('API key').fill(badKey);
    await page.getByRole('button', { name: 'Add the key' }).click();
    await page.getByText('Base URL: is required for provider openai-compatible').waitFor();

    await page.getByLabel('Base URL').fill(openai.baseUrl);
    await page.getByLabel('Verify with the provider before saving').check();
    openai.rejectKey(badKey);
    await page.getByRole('button', { name: 'Add the key' }).click();
    await page.getByRole('alert').getByText('VALIDATION_ERROR', { exact: false }).waitFor();
    assert.equal(await page.getByLabel('API key').getAttribute('aria-invalid'), 'true', 'the refusal is shown on the key field');
    await shot(page, 'settings-api-keys-rejected-en');

    const goodKey = 'sk-good-0123456789abcdefABCD';
    await page.getByLabel('API key').fill(goodKey);
    await page.getByRole('button', { name: 'Add the key' }).click();
    await page.getByRole('status').getByText('Key for local-llm added.').waitFor();
    const row = page.getByRole('row', { name: /local-llm/ });
    await row.getByText(/…ABCD$/).waitFor();
    assert.equal(await page.getByText(goodKey).count(), 0, 'the key itself is never shown');
    const stored = (await t.request('GET', '/api/v1/api-keys', { token: tenant.admin.accessToken })).json();
    assert.equal(stored.length, 1);
    assert.equal(stored[0].base_url, openai.baseUrl);
    await shot(page, 'settings-api-keys-en');

    await row.getByRole('button', { name: /^Delete the key/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this key?' });
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('status').getByText('Key for local-llm deleted.').waitFor();
    await page.getByText('No keys yet', { exact: false }).waitFor();
    assert.equal((await t.request('GET', '/api/v1/api-keys', { token: tenant.admin.accessToken })).json().length, 0);
    await page.locator('.language select').selectOption('ja');
    await page.getByRole('heading', { name: 'キーを追加' }).waitFor();
    await shot(page, 'settings-api-keys-ja');
  });

  test('usage: chats with a priced model show in the totals, the chart and the tables', async () => {
    const tenant = await t.createTenant('usage');
    const added = await t.request('POST', '/api/v1/api-keys', {
      token: tenant.admin.accessToken,
      body: { provider: 'openai-compatible', model: 'local-llm', api_key: 'sk-usage-0123456789abcdef', base_url: openai.baseUrl },
    });
    assert.equal(added.statusCode, 201, added.body);
    await uploadAndProcess(t, tenant.admin.accessToken, '就業規則.txt', '年次有給休暇は入社後6か月で10日付与されます。通勤手当の上限は月額3万円です。');
    openai.reply = () => '入社後6か月で10日です[1]。';
    for (const query of ['年次有給休暇は何日ですか？', '通勤手当の上限は？']) {
      const res = await t.request('POST', '/api/v1/chats/rag', { token: tenant.operator.accessToken, body: { query } });
      assert.equal(res.statusCode, 200, res.body);
    }
    const stats = (await t.request('GET', '/api/v1/stats/usage', { token: tenant.admin.accessToken })).json();
    assert.ok(stats.total_cost > 0, JSON.stringify(stats));

    const page = await signedIn(tenant.operator, '/usage');
    await page.getByText('日付は UTC です', { exact: false }).waitFor();
    const tokens = await page.getByTestId('total-tokens').textContent();
    assert.equal(tokens, stats.total_tokens.toLocaleString('ja'));
    assert.notEqual(await page.getByTestId('total-cost').textContent(), '$0.00');
    assert.ok((await page.locator('[data-testid="usage-chart"] rect').count()) >= 30, 'a bar per day');
    assert.match((await page.getByTestId('usage-chart').getAttribute('aria-label')) ?? '', /トークン/);
    const byModel = page.getByRole('table', { name: 'モデル別' });
    await byModel.getByRole('row', { name: /local-llm/ }).waitFor();
    await page.getByRole('table', { name: 'チャネル別' }).getByRole('row', { name: /API/ }).waitFor();
    await page.getByRole('table', { name: '種類別' }).getByRole('row', { name: /回答/ }).waitFor();
    await shot(page, 'settings-usage-ja');

    // By month: one bucket for a range within a month.
    const today = new Date().toISOString().slice(0, 10);
    await page.getByLabel('開始日').fill(`${today.slice(0, 8)}01`);
    await page.getByLabel('集計単位').selectOption('month');
    await page.getByRole('button', { name: '表示' }).click();
    await page.waitForFunction(`document.querySelectorAll('[data-testid="usage-chart"] rect').length === 1`);
    await shotEnglish(page, 'settings-usage-en', 'Usage');
  });

  test('billing: limits against use, checkout goes to Stripe, the signed webhook makes the plan PRO', async () => {
    const tenant = await t.createTenant('billing');
    const page = await signedIn(tenant.admin, '/billing');
    assert.equal(await page.getByTestId('billing-plan').textContent(), 'FREE');
    assert.ok((await page.locator('meter').count()) >= 3, 'limits drawn as meters');
    await shot(page, 'settings-billing-ja');

    let checkoutUrl = '';
    await page.route(`${STRIPE_CHECKOUT}**`, (route) => {
      checkoutUrl = route.request().url();
      return route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Stripe Checkout (fake)</title>' });
    });
    await page.getByRole('button', { name: 'PRO（月払い）にアップグレード' }).click();
    await page.waitForURL(`${STRIPE_CHECKOUT}**`);
    assert.match(checkoutUrl, /^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_/);
    const created = stripe.requests.find((r) => r.path === '/v1/checkout/sessions');
    assert.equal(created?.params.line_items[0].price, 'price_pro_monthly');

    // Stripe confirms by webhook, then sends the browser back.
    assert.equal(await deliver(t, 'checkout.session.completed', completedSession(tenant.id, stripeIds())), 'applied');
    await page.goto(`${origin}/billing?checkout=success&session_id=cs_test`);
    await page.getByRole('status').getByText('お支払いが完了しました', { exact: false }).waitFor();
    await page.waitForURL(`${origin}/billing`);
    await page.getByTestId('billing-plan').getByText('PRO').waitFor();
    await page.getByRole('button', { name: 'サブスクリプションを管理（Stripe）' }).waitFor();
    assert.equal(await page.getByRole('button', { name: /アップグレード/ }).count(), 0, 'a subscriber changes plans in the portal');
    await shotEnglish(page, 'settings-billing-en', 'Billing');

    await page.goto(`${origin}/billing?checkout=canceled`);
    await page.getByText('Checkout was canceled: nothing was charged.').waitFor();
  });

  test('billing on a server without Stripe: a plain notice, nothing to buy', async () => {
    const bare = await buildTestApp({ planLimits: defaultPlanLimits });
    try {
      const port = await freePort();
      const bareOrigin = `http://127.0.0.1:${port}`;
      await bare.app.listen({ port, host: '127.0.0.1' });
      const page = await signedIn(bare.a.admin, '/billing', 'ja-JP', bareOrigin);
      await page.getByRole('status').getByText('このサーバーではオンライン決済が設定されていません', { exact: false }).waitFor();
      assert.equal(await page.getByRole('button', { name: /アップグレード/ }).count(), 0);
      assert.equal(await page.getByTestId('billing-plan').textContent(), 'FREE');
      expectError(await bare.request('POST', '/api/v1/billing/checkout', { token: bare.a.admin.accessToken, body: { plan: 'PRO', billing_cycle: 'MONTHLY' } }), 503, 'BILLING_NOT_CONFIGURED');
      await shot(page, 'settings-billing-not-configured-ja');
      await context?.close();
      context = undefined;
      requests = requests.filter((url) => !url.startsWith(`${bareOrigin}/`));
    } finally {
      await bare.close();
    }
  });

  test('team: invite shows the one-time link, role change, deactivation, the last ADMIN kept', async () => {
    const tenant = await t.createTenant('team');
    const page = await signedIn(tenant.admin, '/team');
    const email = `${unique('invitee')}@example.com`;
    await page.getByLabel('メールアドレス').fill(email);
    await page.getByRole('button', { name: '招待を作成' }).click();
    const link = await page.getByTestId('invite-link').textContent();
    assert.match(link ?? '', new RegExp(`^${origin}/invite#token=`));
    await page.getByRole('heading', { name: `${email} への招待リンク` }).waitFor();
    assert.equal(await page.evaluate<string>('document.activeElement.textContent'), `${email} への招待リンク`, 'focus moves to the link');
    await page.getByRole('listitem').filter({ hasText: email }).getByRole('button', { name: '取り消す' }).waitFor();
    await shot(page, 'settings-team-ja');
    // The link opens the dashboard's accept page (the token travels in the fragment, never to logs).
    const invitePage = await context!.newPage();
    await invitePage.goto(link!);
    await invitePage.getByText(`${email} 宛てに OPERATOR として招待されています`, { exact: false }).waitFor();

    // The operator becomes ADMIN, then is deactivated (confirmed).
    const op = tenant.operator.username;
    await page.getByLabel(`${op} のロール`, { exact: true }).selectOption('ADMIN');
    await page.getByRole('status').getByText(`${op} のロールを ADMIN にしました。`).waitFor();
    await page.getByRole('row', { name: new RegExp(op) }).getByRole('button', { name: '無効にする' }).click();
    await page.getByRole('dialog', { name: 'このユーザーを無効にしますか？' }).getByRole('button', { name: '無効にする' }).click();
    await page.getByRole('status').getByText(`${op} を無効にしました。`).waitFor();
    const members = (await t.request('GET', '/api/v1/users', { token: tenant.admin.accessToken })).json();
    const stored = members.find((m: { username: string }) => m.username === op);
    assert.deepEqual([stored.role, stored.is_active], ['ADMIN', false]);

    // The only active ADMIN left cannot step down: the refusal is explained.
    await page.getByLabel(`${tenant.admin.username} のロール`, { exact: true }).selectOption('OPERATOR');
    await page.getByRole('alert').getByText('組織には有効な ADMIN が最低 1 人必要です', { exact: false }).first().waitFor();
    assert.equal(await page.getByLabel(`${tenant.admin.username} のロール`, { exact: true }).inputValue(), 'ADMIN');

    // Revoking the invitation.
    await page.getByRole('listitem').filter({ hasText: email }).getByRole('button', { name: '取り消す' }).click();
    await page.getByRole('dialog', { name: 'この招待を取り消しますか？' }).getByRole('button', { name: '取り消す' }).click();
    await page.getByText('保留中の招待はありません。').waitFor();
    // Revoked, the link is refused.
    await invitePage.reload();
    await invitePage.getByRole('alert').getByText('この招待は無効です', { exact: false }).waitFor();
    await shotEnglish(page, 'settings-team-en', 'Team');

    // An OPERATOR sees no ADMIN actions.
    const operatorPage = await signedIn(t.a.operator, '/team');
    await operatorPage.getByText('チームの閲覧と管理は ADMIN だけが行えます。').waitFor();
    assert.equal(await operatorPage.getByRole('button', { name: '招待を作成' }).count(), 0);
  });

  test('account: two-factor on (QR, secret, code, recovery codes) and off again; password changed, then used to log in', async () => {
    const tenant = await t.createTenant('account');
    const user = tenant.operator;
    const page = await signedIn(user, '/account');
    await page.getByRole('button', { name: '二要素認証をオンにする' }).click();
    const secret = (await page.getByTestId('totp-secret').textContent())!;
    assert.match(await page.getByRole('img', { name: 'Shiori を認証アプリに追加する QR コード' }).getAttribute('src') ?? '', /^data:image\/png;base64,/);
    await shot(page, 'settings-account-2fa-setup-ja');
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
    await page.getByLabel('認証コード').fill(totp.generate());
    await page.getByRole('button', { name: '確認してオンにする' }).click();
    await page.getByTestId('recovery-codes').locator('li').nth(9).waitFor();
    const codes = await page.getByTestId('recovery-codes').locator('li').allTextContents();
    assert.equal(codes.length, 10);
    await page.getByRole('link', { name: 'ダウンロード（.txt）' }).waitFor();
    await shot(page, 'settings-account-recovery-ja');
    await page.getByRole('button', { name: '保存しました' }).click();
    await page.getByText('オン。残りのリカバリーコード：10 個。').waitFor();
    assert.equal((await t.login(user.email, user.password)).json().error_code, 'TWO_FACTOR_REQUIRED');

    // Off again with the password and a recovery code.
    await page.getByRole('button', { name: 'オフにする' }).click();
    await page.getByLabel('パスワード', { exact: true }).fill(user.password);
    await page.getByLabel('認証コード').fill(codes[0]!);
    await page.getByRole('button', { name: 'オフにする' }).click();
    await page.getByRole('status').getByText('二要素認証をオフにしました。').waitFor();
    assert.equal((await t.login(user.email, user.password)).statusCode, 200);

    // A weak new password is refused by the shared schema; a good one works for the next login.
    await page.getByLabel('現在のパスワード').fill(user.password);
    await page.getByLabel('新しいパスワード').fill('short');
    await page.getByRole('button', { name: 'パスワードを変更' }).click();
    await page.getByText('新しいパスワード: 8 文字以上にしてください').waitFor();
    const newPassword = `${PASSWORD}-new`;
    await page.getByLabel('新しいパスワード').fill(newPassword);
    await page.getByRole('button', { name: 'パスワードを変更' }).click();
    await page.getByRole('status').getByText('パスワードを変更しました。', { exact: false }).waitFor();
    await shotEnglish(page, 'settings-account-en', 'Account');
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(`${origin}/login`);
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(newPassword);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${origin}/documents`);
    assert.equal((await t.login(user.email, user.password)).statusCode, 401, 'the old password no longer works');
  });
});
