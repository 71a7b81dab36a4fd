import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { projectRoot } from '../../../paths.js';
import { startFakeOpenAI, type FakeOpenAI } from '../../../test/fake-openai.js';
import { totpCode } from '../../../test/authenticator.js';
import { startFakeStripe, type FakeStripe } from '../../../test/fake-stripe.js';
import { buildTestApp, type TestApp, type TestConfigOverrides, type TestTenant, type TestUser } from '../../../test/harness.js';
import { defaultPlanLimits } from '../../billing/plan-limits.js';
import { billingConfig } from '../../billing/test-support/billing-fixtures.js';
import { freePort, launchChromium } from '../../widget/test-support/browser.js';
import { ensureWidgetBundle } from '../../widget/test-support/widget-bundle.js';
import { ensureWebBundle } from './web-bundle.js';

export const STRIPE_CHECKOUT = 'https://checkout.stripe.com/';
const screenshots = join(projectRoot, 'test-artifacts', 'screenshots');

export interface SettingsBrowser {
  t: TestApp;
  openai: FakeOpenAI;
  stripe: FakeStripe;
  /** http://127.0.0.1:PORT of the app under test. */
  origin: string;
  /** The browser context of the current test (one per signedIn). */
  context(): BrowserContext;
  closeContext(): Promise<void>;
  /** Requests to this other test server are not "elsewhere". */
  allowOrigin(origin: string): void;
  /** A fresh browser signed in as `user` at `path` (Japanese unless `locale` is English); with `totpSecret`, through the 2FA step. */
  signedIn(user: Pick<TestUser, 'email' | 'password'> & { totpSecret?: string }, path: string, locale?: string, server?: string): Promise<Page>;
  shot(page: Page, name: string): Promise<unknown>;
  /** Switches the page to English, waits for `heading`, takes the screenshot. */
  shotEnglish(page: Page, name: string, heading: string): Promise<void>;
  /** Gives `tenant` the fake provider as its model `local-llm` (an openai-compatible key, through the API). */
  addLocalModel(tenant: TestTenant): Promise<void>;
}

/**
 * The settings pages' browser tests share this: the real app on a fresh database with a fake
 * OpenAI-compatible provider and a fake Stripe, listening on a port, and Debian's Chromium. After
 * each test it checks that the pages asked nothing of anyone but our server (Stripe Checkout is
 * the one navigation away, by the user's click) and threw nothing. Call inside `describe`;
 * `overrides` adds to the test app's config (the websites page's crawl limits).
 */
export function settingsBrowser(overrides: TestConfigOverrides = {}): SettingsBrowser {
  let browser: Browser;
  let context: BrowserContext | undefined;
  let requests: string[] = [];
  let pageErrors: string[] = [];
  let allowed: string[] = [];
  const env = {} as SettingsBrowser;

  before(async () => {
    await Promise.all([ensureWebBundle(), ensureWidgetBundle()]);
    env.openai = await startFakeOpenAI();
    env.stripe = await startFakeStripe();
    const port = await freePort();
    env.origin = `http://127.0.0.1:${port}`;
    env.t = await buildTestApp({
      publicUrl: env.origin,
      providerUrls: { openai: env.openai.baseUrl, anthropic: env.openai.baseUrl },
      llm: { timeoutMs: 1500, maxRetries: 0 },
      modelPrices: { 'local-llm': { input: 2, output: 8 } },
      billing: billingConfig(env.stripe),
      planLimits: defaultPlanLimits,
      ...overrides,
    });
    await env.t.app.listen({ port, host: '127.0.0.1' });
    browser = await launchChromium();
    mkdirSync(screenshots, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await env.t?.close();
    await env.openai?.close();
    await env.stripe?.close();
  });
  afterEach(async () => {
    await env.closeContext();
    env.openai.reset();
    const ours = [`${env.origin}/`, STRIPE_CHECKOUT, 'blob:', ...allowed];
    const elsewhere = requests.filter((url) => !ours.some((prefix) => url.startsWith(prefix)));
    requests = [];
    allowed = [];
    assert.deepEqual(elsewhere, [], 'requests to other places than our server');
    const errors = pageErrors;
    pageErrors = [];
    assert.deepEqual(errors, [], 'errors in the page');
  });

  env.context = () => context!;
  env.closeContext = async () => {
    await context?.close();
    context = undefined;
  };
  env.allowOrigin = (origin) => void allowed.push(`${origin}/`);
  env.addLocalModel = async (tenant) => {
    const added = await env.t.request('POST', '/api/v1/api-keys', {
      token: tenant.admin.accessToken,
      body: { provider: 'openai-compatible', model: 'local-llm', api_key: `sk-${tenant.domain.replace(/\W/g, '')}-0123456789`, base_url: env.openai.baseUrl },
    });
    assert.equal(added.statusCode, 201, added.body);
  };
  env.signedIn = async (user, path, locale = 'ja-JP', server = env.origin) => {
    await env.closeContext();
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
    if (user.totpSecret) {
      await page.getByLabel(en ? 'Authentication code' : '認証コード').fill(totpCode(user.totpSecret));
      await page.getByRole('button', { name: en ? 'Verify' : '確認' }).click();
    }
    await page.waitForURL(`${server}${path}`);
    return page;
  };
  env.shot = (page, name) => page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
  env.shotEnglish = async (page, name, heading) => {
    await page.locator('.language select').selectOption('en');
    await page.getByRole('heading', { name: heading, exact: true }).first().waitFor();
    await env.shot(page, name);
  };
  return env;
}
