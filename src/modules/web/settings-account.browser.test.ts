import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { buildTestApp, expectError, PASSWORD, unique, type TestApp, type TestConfigOverrides } from '../../test/harness.js';
import { previousTotpCode, totpCode } from '../../test/authenticator.js';
import { defaultPlanLimits } from '../billing/plan-limits.js';
import { completedSession, deliver, stripeIds } from '../billing/test-support/billing-fixtures.js';
import { browserSkipReason, freePort } from '../widget/test-support/browser.js';
import { settingsBrowser, STRIPE_CHECKOUT } from './test-support/settings-browser.js';

// The billing, team and account pages as their users use them, in Chromium against the real server
// (see test-support/settings-browser.ts); each test checks the page and the API's stored state.

describe('settings pages in a real browser: billing, team, account', { skip: browserSkipReason() }, () => {
  const env = settingsBrowser();

  test('billing: limits against use, checkout goes to Stripe, the signed webhook makes the plan PRO', async () => {
    const { t, stripe, origin, signedIn, shot, shotEnglish } = env;
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

  /** The billing page of another server (its own config), signed in as its tenant's ADMIN in Japanese. */
  async function billingPageOf(overrides: TestConfigOverrides, check: (page: Page, bare: TestApp) => Promise<void>) {
    const bare = await buildTestApp(overrides);
    try {
      const port = await freePort();
      const bareOrigin = `http://127.0.0.1:${port}`;
      await bare.app.listen({ port, host: '127.0.0.1' });
      env.allowOrigin(bareOrigin);
      await check(await env.signedIn(bare.a.admin, '/billing', 'ja-JP', bareOrigin), bare);
      await env.closeContext();
    } finally {
      await bare.close();
    }
  }

  test('billing on a server without Stripe: a plain notice, nothing to buy', () =>
    billingPageOf({ planLimits: defaultPlanLimits }, async (page, bare) => {
      await page.getByRole('status').getByText('このサーバーではオンライン決済が設定されていません', { exact: false }).waitFor();
      assert.equal(await page.getByRole('button', { name: /アップグレード/ }).count(), 0);
      assert.equal(await page.getByTestId('billing-plan').textContent(), 'FREE');
      expectError(await bare.request('POST', '/api/v1/billing/checkout', { token: bare.a.admin.accessToken, body: { plan: 'PRO', billing_cycle: 'MONTHLY' } }), 503, 'BILLING_NOT_CONFIGURED');
      await env.shot(page, 'settings-billing-not-configured-ja');
    }));

  test('billing on a self-hosted server (no Stripe, no PLAN_LIMITS): says no limit applies, nothing to buy', () =>
    billingPageOf({}, async (page) => {
      await page.getByTestId('billing-no-limits').getByText('このサーバーにはプランの上限がありません', { exact: false }).waitFor();
      await page.getByText('（無制限）', { exact: false }).first().waitFor();
      assert.equal(await page.getByRole('heading', { name: 'プラン', exact: true }).count(), 0, 'no plan cards: there is nothing to buy');
      assert.equal(await page.getByText('オンライン決済が設定されていません', { exact: false }).count(), 0);
      await env.shot(page, 'settings-billing-self-hosted-ja');
    }));

  test('team: invite shows the one-time link, role change, deactivation, the last ADMIN kept', async () => {
    const { t, origin, signedIn, shot, shotEnglish, context } = env;
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
    const invitePage = await context().newPage();
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
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'settings-team-phone-en');

    // An OPERATOR sees no ADMIN actions.
    const operatorPage = await signedIn(t.a.operator, '/team');
    await operatorPage.getByText('チームの閲覧と管理は ADMIN だけが行えます。').waitFor();
    assert.equal(await operatorPage.getByRole('button', { name: '招待を作成' }).count(), 0);
  });

  test('team: an ADMIN resets the 2FA of a member who lost their phone (confirmed); never their own', async () => {
    const { t, signedIn, shot } = env;
    const tenant = await t.createTenant('team2fa');
    const secrets = [];
    for (const user of [tenant.admin, tenant.operator]) {
      const setup = (await t.request('POST', '/api/v1/auth/2fa/setup', { token: user.accessToken })).json();
      const enabled = await t.request('POST', '/api/v1/auth/2fa/enable', { token: user.accessToken, body: { code: await previousTotpCode(setup.secret_key) } });
      assert.equal(enabled.statusCode, 200, enabled.body);
      secrets.push(setup.secret_key as string);
    }
    const admin = tenant.admin;
    const page = await signedIn({ ...admin, totpSecret: secrets[0] }, '/team');
    const op = tenant.operator.username;
    assert.equal(await page.getByRole('button', { name: `2FA をリセット: ${tenant.admin.username}` }).count(), 0, 'no reset of one’s own 2FA');
    await page.getByRole('button', { name: `2FA をリセット: ${op}` }).click();
    const dialog = page.getByRole('dialog', { name: '二要素認証をリセットしますか？' });
    await dialog.getByText(`${op} が認証アプリとリカバリーコードをなくした場合`, { exact: false }).waitFor();
    await shot(page, 'settings-team-reset-2fa-ja');
    await dialog.getByRole('button', { name: '2FA をリセット' }).click();
    await page.getByRole('status').getByText(`${op} の二要素認証をリセットしました。`).waitFor();
    await page.getByRole('button', { name: `2FA をリセット: ${op}` }).waitFor({ state: 'detached' });
    const members = (await t.request('GET', '/api/v1/users', { token: admin.accessToken })).json();
    assert.equal(members.find((m: { username: string }) => m.username === op).two_factor_enabled, false);
    // The operator logs in with the password alone now.
    assert.equal((await t.login(tenant.operator.email)).statusCode, 200);
  });

  test('account: two-factor on (QR, secret, code, recovery codes) and off again; password changed, then used to log in', async () => {
    const { t, origin, signedIn, shot, shotEnglish } = env;
    const tenant = await t.createTenant('account');
    const user = tenant.operator;
    const page = await signedIn(user, '/account');
    await page.getByRole('button', { name: '二要素認証をオンにする' }).click();
    const secret = (await page.getByTestId('totp-secret').textContent())!;
    assert.match(await page.getByRole('img', { name: 'Shiori を認証アプリに追加する QR コード' }).getAttribute('src') ?? '', /^data:image\/png;base64,/);
    await shot(page, 'settings-account-2fa-setup-ja');
    await page.getByLabel('認証コード').fill(totpCode(secret));
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
