import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { projectRoot } from '../../paths.js';
import { buildTestApp, type TestApp, type TestTenant } from '../../test/harness.js';
import { uploadAndProcess } from '../../test/upload.js';
import { workRulesJa } from '../retrieval/test-support/documents.js';
import { browserSkipReason, freePort, launchChromium, sitePage, startSite, type SiteServer } from '../widget/test-support/browser.js';
import { ensureWidgetBundle } from '../widget/test-support/widget-bundle.js';

// A visitor of a company's site asks for a person in the real widget: the offer under the answer,
// taking it (a mail draft, or the company's contact page), and the hours notice when closed. The
// server's clock is fixed, so "open" and "closed" do not depend on when the test runs.
const screenshots = join(projectRoot, 'test-artifacts', 'screenshots');
/** Monday 2026-12-07 10:00 and 20:00 in Tokyo. */
const OPEN = new Date('2026-12-07T01:00:00Z');
const CLOSED = new Date('2026-12-07T11:00:00Z');
const WEEKDAYS_9_18 = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, { start: '09:00', end: '18:00' }]));
const CONTACT_PAGE = 'https://www.shiori-shoji.example/contact';

describe('handoff in the widget, in a real browser', { skip: browserSkipReason() }, () => {
  let browser: Browser;
  let t: TestApp;
  let site: SiteServer;
  let clock = OPEN;
  let context: BrowserContext | undefined;
  const snippets = new Map<string, string>();

  async function configure(tenant: TestTenant, widget: Record<string, unknown>) {
    const res = await t.request('PATCH', `/api/v1/tenants/${tenant.id}`, { token: tenant.admin.accessToken, body: { allowed_origins: [site.origin], widget } });
    assert.equal(res.statusCode, 200, res.body);
    const snippet = await t.request('GET', `/api/v1/tenants/${tenant.id}/embed-snippet`, { token: tenant.admin.accessToken });
    snippets.set(tenant.id, snippet.json().snippet);
  }

  before(async () => {
    await ensureWidgetBundle();
    const port = await freePort();
    const api = `http://127.0.0.1:${port}`;
    t = await buildTestApp({ publicUrl: api }, { now: () => clock });
    await t.app.listen({ port, host: '127.0.0.1' });
    site = await startSite();
    browser = await launchChromium();
    await uploadAndProcess(t, t.a.admin.accessToken, '就業規則.txt', workRulesJa);
    await configure(t.a, { contact: 'お電話 03-1234-5678（平日9–18時）', contact_route: { kind: 'email', target: 'support@shiori-shoji.example', hours: WEEKDAYS_9_18 } });
    await configure(t.b, { contact_route: { kind: 'url', target: CONTACT_PAGE, label: 'Contact form', hours: WEEKDAYS_9_18 } });
  });
  after(async () => {
    await browser?.close();
    await site?.close();
    await t?.close();
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
    clock = OPEN;
  });

  async function visit(tenant: TestTenant, lang: 'ja' | 'en'): Promise<Page> {
    const path = `/${tenant.id}-${lang}.html`;
    site.pages.set(path, sitePage(snippets.get(tenant.id)!, { lang }));
    context = await browser.newContext({ locale: lang === 'ja' ? 'ja-JP' : 'en-US' });
    context.setDefaultTimeout(15_000);
    // The company's contact page, served here instead of the internet.
    await context.route(`${CONTACT_PAGE}**`, (route) => route.fulfill({ contentType: 'text/html', body: '<h1>Contact us</h1>' }));
    const page = await context.newPage();
    await page.goto(`${site.origin}${path}`);
    await page.locator('shiori-chat .launcher').click();
    return page;
  }

  async function ask(page: Page, question: string) {
    await page.locator('shiori-chat textarea').fill(question);
    await page.locator('shiori-chat textarea').press('Enter');
    await page.locator('shiori-chat .log[aria-busy="false"]').waitFor({ state: 'attached' });
    const answer = page.locator('shiori-chat .msg.bot').last();
    await answer.locator('.handoff').waitFor();
    return answer;
  }

  const shot = async (page: Page, name: string) => {
    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: join(screenshots, name), animations: 'disabled' });
  };

  const handoffOf = async (tenant: TestTenant) => {
    const list = await t.request('GET', '/api/v1/conversations', { token: tenant.operator.accessToken, query: { handoff: 'any' } });
    return list.json() as Array<{ id: string; handoff: { status: string; contact: string | null } }>;
  };

  test('ja: an unanswerable question → the offer → taking it opens a mail to the company, and the conversation is handed off', async () => {
    const page = await visit(t.a, 'ja');
    const answer = await ask(page, '火星への出張旅費はいくらですか？');
    assert.match((await answer.textContent()) ?? '', /見つかりませんでした/);
    const offer = answer.getByRole('group', { name: '担当者へのお問い合わせ' });
    assert.equal(await offer.locator('.hours').count(), 0, 'open now: no hours notice');
    assert.equal(await answer.getByRole('group', { name: 'この回答の評価' }).count(), 1, 'an answer from the documents, even one that found nothing, is rated');
    assert.equal(await offer.locator('.lead').textContent(), '担当者に問い合わせることもできます。');
    await offer.getByRole('textbox', { name: 'ご連絡先（任意・メールや電話番号）' }).fill('taro@example.jp');
    await offer.getByRole('button', { name: 'メールで問い合わせる' }).click();
    const link = offer.getByRole('link', { name: 'メールで問い合わせる' });
    await link.waitFor();
    const mail = new URL((await link.getAttribute('href'))!);
    assert.equal(mail.protocol, 'mailto:');
    assert.equal(mail.pathname, 'support@shiori-shoji.example');
    assert.match(mail.searchParams.get('subject')!, /^チャットからのお問い合わせ（[0-9a-f]{8}）$/);
    assert.match(mail.searchParams.get('body')!, /チャットでの質問: 火星への出張旅費はいくらですか？/);
    assert.match((await offer.textContent()) ?? '', /担当者への連絡先を開きました/);
    await shot(page, 'widget-handoff-mail-ja.png');

    const handed = await handoffOf(t.a);
    assert.equal(handed.length, 1);
    assert.deepEqual([handed[0]!.handoff.status, handed[0]!.handoff.contact], ['requested', 'taro@example.jp']);
  });

  test('ja: asking for a person outside business hours says when someone will answer', async () => {
    clock = CLOSED;
    const page = await visit(t.a, 'ja');
    const answer = await ask(page, '担当者と話したい');
    const text = (await answer.textContent()) ?? '';
    assert.match(text, /担当者におつなぎします。下の「メールで問い合わせる」からお問い合わせください。/);
    assert.match(text, /お電話 03-1234-5678/);
    assert.equal(await answer.locator('.sources').count(), 0, 'nothing was searched');
    assert.equal(await answer.locator('.handoff .lead').count(), 0, 'the answer itself leads to the button');
    assert.equal(await answer.getByRole('group', { name: 'この回答の評価' }).count(), 0, 'the reply to "talk to a person" is not rated');
    assert.equal(await answer.locator('.handoff .hours').textContent(), '受付時間外です。明日の 9:00 以降に担当者が対応します。');
    await shot(page, 'widget-handoff-closed-ja.png');
  });

  test('en: an unanswerable question → the offer → taking it opens the company’s contact page in a new tab', async () => {
    const page = await visit(t.b, 'en');
    const answer = await ask(page, 'How much is a business trip to Mars?');
    assert.match((await answer.textContent()) ?? '', /do not contain the answer/);
    const offer = answer.getByRole('group', { name: 'Reach a person' });
    assert.equal(await offer.locator('.lead').textContent(), 'You can also ask a person.');
    const opened = context!.waitForEvent('page');
    await offer.getByRole('button', { name: 'Contact form' }).click();
    const tab = await opened;
    await tab.waitForLoadState();
    assert.equal(tab.url(), CONTACT_PAGE);
    const link = offer.getByRole('link', { name: 'Contact form' });
    assert.equal(await link.getAttribute('target'), '_blank');
    await page.bringToFront();
    await shot(page, 'widget-handoff-url-en.png');
    assert.equal((await handoffOf(t.b))[0]?.handoff.status, 'requested');
  });

  test('en: "talk to a human" outside business hours: the answer and the notice in English', async () => {
    clock = new Date('2026-12-11T10:30:00Z'); // Friday 19:30 in Tokyo
    const page = await visit(t.b, 'en');
    const answer = await ask(page, 'Can I talk to a human?');
    assert.match((await answer.textContent()) ?? '', /I can put you in touch with a person: use “Contact form” below\./);
    assert.equal(await answer.locator('.handoff .hours').textContent(), 'We are closed now; a person will answer from Monday 9:00 (Japan time).');
    // The offer survives a page load (kept with the conversation in localStorage).
    await page.reload();
    await page.locator('shiori-chat .launcher').click();
    assert.equal(await page.locator('shiori-chat .msg.bot').last().locator('.handoff-take').textContent(), 'Contact form');
    await shot(page, 'widget-handoff-closed-en.png');
  });
});
