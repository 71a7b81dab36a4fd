import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { startFakeOpenAI, type FakeOpenAI } from '../../test/fake-openai.js';
import { projectRoot } from '../../paths.js';
import { buildTestApp, type TestApp, type TestTenant } from '../../test/harness.js';
import { uploadAndProcess } from '../../test/upload.js';
import { makePptx, makeXlsx } from '../sources/extract/test-support/make-office.js';
import { JAPANESE_SCAN, makeScannedPdf } from '../sources/extract/test-support/make-scanned-pdf.js';
import { waitForCrawl } from '../sources/websites/test-support/crawl-helpers.js';
import { companyJa, plansJa } from '../chat/test-support/plan-documents.js';
import { manualPdf, workRulesJa } from '../retrieval/test-support/documents.js';
import { browserSkipReason, freePort, launchChromium, sitePage, startSite, type SiteServer } from './test-support/browser.js';
import { ensureWidgetBundle } from './test-support/widget-bundle.js';

const screenshots = join(projectRoot, 'test-artifacts', 'screenshots');

// What a visitor of a company's website sees: the real app on one origin (http://127.0.0.1:PORT),
// the company's page with the embed snippet on another (http://localhost:PORT), Debian's Chromium.
// Code passed to page.evaluate runs in the page; the server's tsconfig has no DOM types.
declare const document: any;
declare const window: any;
declare const localStorage: any;
declare function getComputedStyle(element: unknown): any;

const VISITOR_LIMIT = 3;
const HOSTILE_CSS = `<style>
  * { color: red !important; font-size: 1px !important; line-height: 0 !important; font-family: serif !important; letter-spacing: 9px !important; }
  body * { display: none !important; visibility: hidden !important; opacity: 0 !important; transform: scale(0) !important; position: static !important; width: 0 !important; height: 0 !important; }
  div, button, textarea, form, p, span, h2, ol, li, svg, [class], [role], [aria-label] { background: lime !important; border: 9px solid red !important; margin: 40px !important; padding: 40px !important; }
  shiori-chat, body > :last-child { display: none !important; all: unset !important; z-index: -1 !important; pointer-events: none !important; }
  html, body { direction: rtl !important; text-align: right !important; }
</style>`;

const skip = browserSkipReason();

describe('widget.js in a real browser', { skip }, () => {
  let browser: Browser;
  let t: TestApp;
  let openai: FakeOpenAI;
  let site: SiteServer;
  let api: string;
  let snippet: string;
  let key: string;
  let context: BrowserContext | undefined;
  let requests: string[] = [];
  let pageErrors: Error[] = [];

  before(async () => {
    await ensureWidgetBundle();
    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    openai = await startFakeOpenAI();
    t = await buildTestApp({ publicUrl: api, rateLimits: { widgetVisitorPerMinute: VISITOR_LIMIT } });
    await t.app.listen({ port, host: '127.0.0.1' });
    site = await startSite();
    browser = await launchChromium();

    const token = t.a.admin.accessToken;
    await uploadAndProcess(t, token, '就業規則.txt', workRulesJa);
    await uploadAndProcess(t, token, '<img src=x onerror="window.__xss=3">.txt', '駐車場の利用について。<img src=x onerror="window.__xss=4"> 駐車場は事前の申請制です。<script>window.__xss=5</script>');
    const added = await t.request('POST', '/api/v1/api-keys', { token, body: { provider: 'openai-compatible', model: 'local-llm', api_key: 'sk-widget-0123456789abcdef', base_url: openai.baseUrl } });
    assert.equal(added.statusCode, 201, added.body);
    await setOrigins(t.a, [site.origin]);
    ({ snippet, key } = await embedSnippet(t.a));
  });
  after(async () => {
    await browser?.close();
    await site?.close();
    await t?.close();
    await openai?.close();
  });
  beforeEach(() => {
    openai.reset();
    requests = [];
    pageErrors = [];
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
    // Whatever the test did, the widget talked to our API only, and nothing on the page threw.
    const elsewhere = requests.filter((url) => !url.startsWith(`${api}/`) && !/^http:\/\/localhost:\d+\/[\w-]+\.html$/.test(url) && !url.endsWith('/favicon.ico'));
    assert.deepEqual(elsewhere, [], 'requests to other places than the API and the page itself');
    for (const url of requests.filter((u) => u.startsWith(`${api}/`))) assert.match(url, /\/(widget\.js|api\/v1\/chats\/widget\/(config|chat|feedback|files\/[\w.-]+))$/);
    assert.deepEqual(pageErrors.map(String), []);
  });

  async function embedSnippet(tenant: TestTenant): Promise<{ snippet: string; key: string }> {
    const res = await t.request('GET', `/api/v1/tenants/${tenant.id}/embed-snippet`, { token: tenant.admin.accessToken });
    assert.equal(res.statusCode, 200, res.body);
    return { snippet: res.json().snippet, key: res.json().api_key };
  }
  async function setOrigins(tenant: TestTenant, origins: string[]) {
    const res = await t.request('PATCH', `/api/v1/tenants/${tenant.id}`, { token: tenant.admin.accessToken, body: { allowed_origins: origins } });
    assert.equal(res.statusCode, 200, res.body);
  }

  /** A fresh browser profile (no stored conversation) on a page of the site. */
  async function visit(path: string, html: string, options: BrowserContextOptions = {}): Promise<Page> {
    site.pages.set(path, html);
    context = await browser.newContext({ locale: 'ja-JP', ...options });
    context.setDefaultTimeout(15_000);
    context.on('request', (request) => void requests.push(request.url()));
    const page = await context.newPage();
    page.on('pageerror', (error) => void pageErrors.push(error));
    await page.goto(`${site.origin}${path}`);
    await page.locator('shiori-chat .launcher').waitFor();
    return page;
  }

  const launcher = (page: Page, name = 'チャットで質問する') => page.getByRole('button', { name });
  const input = (page: Page) => page.locator('shiori-chat textarea');
  const lastAnswer = (page: Page) => page.locator('shiori-chat .msg.bot').last();
  const notice = (page: Page) => page.locator('shiori-chat .msg.notice');
  /** The element focused inside the widget's shadow root. */
  const focusedInWidget = (page: Page) =>
    page.evaluate(() => {
      const active = document.querySelector('shiori-chat').shadowRoot.activeElement;
      return document.activeElement?.tagName === 'SHIORI-CHAT' && active ? `${active.tagName.toLowerCase()}.${active.className}` : `outside: ${document.activeElement?.tagName}`;
    });
  const stored = (page: Page) => page.evaluate((k: string) => JSON.parse(localStorage.getItem(`shiori-widget:${k}`)), key);

  async function ask(page: Page, question: string): Promise<Locator> {
    await input(page).fill(question);
    await input(page).press('Enter');
    const answer = lastAnswer(page);
    await page.locator('shiori-chat .log[aria-busy="false"]').waitFor({ state: 'attached' });
    return answer;
  }

  test('the launcher opens the panel; a Japanese question streams its answer, then the cited sources', async () => {
    openai.reply = () => ['入社後6か月間継続して勤務すると、', '**10日**の年次有給休暇が', '付与されます[1]。', '\n\n- 最大20日まで加算されます[1]'];
    openai.chunkDelayMs = 1000;
    const page = await visit('/index.html', sitePage(snippet));
    const button = launcher(page);
    assert.equal(await button.getAttribute('aria-expanded'), 'false');
    assert.equal(await page.getByRole('dialog').count(), 0, 'the panel starts closed');
    await button.click();
    assert.equal(await button.getAttribute('aria-expanded'), 'true');
    const dialog = page.getByRole('dialog', { name: /^Tenant a_/ });
    await dialog.waitFor();
    assert.equal(await focusedInWidget(page), 'textarea.', 'focus moves into the input');
    assert.match((await lastAnswer(page).textContent()) ?? '', /ご質問をどうぞ/, 'the built-in Japanese greeting');

    await input(page).fill('年次有給休暇は何日もらえますか？');
    await input(page).press('Enter');
    const answer = lastAnswer(page);
    await page.waitForFunction(() => /入社後6か月間/.test(document.querySelector('shiori-chat').shadowRoot.querySelector('.msg.bot:last-child').textContent));
    const partial = (await answer.textContent()) ?? '';
    assert.ok(!partial.includes('付与されます'), `the answer appears while it is written: ${partial}`);
    assert.equal(await page.locator('shiori-chat .log').getAttribute('aria-busy'), 'true');

    await answer.locator('.sources li').first().waitFor();
    assert.equal(await page.locator('shiori-chat .log').getAttribute('aria-busy'), 'false');
    assert.match((await answer.textContent()) ?? '', /10日の年次有給休暇が付与されます1。/);
    assert.equal(await answer.locator('strong').textContent(), '10日');
    assert.equal(await answer.locator('ul li').count(), 1, 'the list item is a list item');
    assert.equal(await page.locator('shiori-chat .msg.user').textContent(), 'あなた：年次有給休暇は何日もらえますか？');
    const sources = answer.locator('.sources li');
    assert.equal(await sources.count(), 1, 'only the cited passage is listed');
    const source = (await sources.textContent()) ?? '';
    assert.match(source, /就業規則\.txt/);
    assert.match(source, /年次有給休暇/, 'with an excerpt of the passage');

    const cites = answer.getByRole('button', { name: '出典1：就業規則.txt' });
    assert.equal(await cites.count(), 2, 'each [1] is a button to source 1');
    await cites.first().click();
    assert.equal(await focusedInWidget(page), 'li.flash', 'source 1 is focused and highlighted');
    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: join(screenshots, 'widget-answer-ja.png') });
  });

  test('a passage of a workbook names its sheet, and with link_files on the file name is a link to the original that opens without an account', async () => {
    const token = t.b.admin.accessToken;
    await uploadAndProcess(t, token, '価格表.xlsx', await makeXlsx());
    await setOrigins(t.b, [site.origin]);
    const linked = await t.request('PATCH', `/api/v1/tenants/${t.b.id}`, { token, body: { widget: { link_files: true } } });
    assert.equal(linked.statusCode, 200, linked.body);
    const page = await visit('/sheet.html', sitePage((await embedSnippet(t.b)).snippet));
    await launcher(page).click();
    const answer = await ask(page, '購買部の担当者の内線番号は？');
    const source = answer.locator('.sources li').first();
    await source.waitFor();
    assert.match((await source.textContent()) ?? '', /価格表\.xlsx · シート「担当者」/);
    assert.match((await answer.locator('li').first().textContent()) ?? '', /氏名: 山田太郎 \| 部署: 購買部 \| 内線: 1234/, 'the answer quotes the row');
    const link = source.getByRole('link', { name: '価格表.xlsx（新しいタブで開きます）' });
    assert.equal(await link.getAttribute('target'), '_blank');
    const href = (await link.getAttribute('href'))!;
    assert.match(href, new RegExp(`^${api}/api/v1/chats/widget/files/[\\w.-]+$`));
    const file = await page.request.get(href);
    assert.equal(file.status(), 200);
    assert.match(file.headers()['content-disposition'] ?? '', /^attachment;/, 'a workbook is downloaded, never shown');
    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: join(screenshots, 'widget-sheet-source-ja.png') });
  });

  test('each citation says where it is and opens its source: a crawled page at its address, a PDF at its page, a slide by number, an OCR’d page marked', async () => {
    const tenant = await t.createTenant('opens');
    const token = tenant.admin.accessToken;
    site.pages.set('/warranty.html', '<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>保証のご案内</title></head><body><main><h1>保証のご案内</h1><p>製品 ZX900 の保証期間はお買い上げから3年間です。</p></main></body></html>');
    const started = new Date();
    const website = await t.request('POST', '/api/v1/sources/websites', { token, body: { start_url: `${site.origin}/warranty.html` } });
    assert.equal(website.statusCode, 201, website.body);
    const manual = await uploadAndProcess(t, token, 'zephyr-manual.pdf', await manualPdf());
    await uploadAndProcess(t, token, '四半期報告.pptx', makePptx([{ title: '表紙', body: ['2024年 第1四半期'] }, { title: '在庫の見通し', body: ['倉庫の在庫は七月に解消する見込み'], notes: '質疑では物流費の値上げに触れる' }]));
    const scan = await uploadAndProcess(t, token, '就業規則スキャン.pdf', await makeScannedPdf([JAPANESE_SCAN]));
    assert.deepEqual(scan.detail.ocr_pages, [1]);
    const crawled = await waitForCrawl(t, token, website.json().id, started);
    assert.equal(crawled.pages.indexed, 1, JSON.stringify(crawled));
    await setOrigins(tenant, [site.origin]);
    const linked = await t.request('PATCH', `/api/v1/tenants/${tenant.id}`, { token, body: { widget: { link_files: true } } });
    assert.equal(linked.statusCode, 200, linked.body);
    const tenantSnippet = (await embedSnippet(tenant)).snippet;
    let page = await visit('/opens.html', sitePage(tenantSnippet));
    await launcher(page).click();
    /** The first source of the answer to `question`, asked in a conversation of its own. */
    const firstSource = async (question: string) => {
      await page.getByRole('button', { name: '新しい会話' }).click();
      const source = (await ask(page, question)).locator('.sources li').first();
      await source.waitFor();
      return source;
    };

    // A crawled page opens where it was published, in a new tab.
    const web = await firstSource('ZX900 の保証期間は？');
    assert.match((await web.textContent()) ?? '', /3年間/);
    const pageLink = web.getByRole('link', { name: /（新しいタブで開きます）$/ });
    assert.equal(await pageLink.getAttribute('href'), `${site.origin}/warranty.html`);
    assert.equal(await pageLink.getAttribute('rel'), 'noopener noreferrer');
    const [tab] = await Promise.all([context!.waitForEvent('page'), pageLink.click()]);
    await tab.waitForLoadState();
    assert.equal(tab.url(), `${site.origin}/warranty.html`);
    await tab.getByRole('heading', { name: '保証のご案内' }).waitFor();
    await tab.close();

    // A PDF opens at the passage's page.
    const pdf = await firstSource('How often must the turbine blades be inspected?');
    assert.match((await pdf.textContent()) ?? '', /zephyr-manual\.pdf · 2ページ/);
    const href = (await pdf.getByRole('link', { name: 'zephyr-manual.pdf（新しいタブで開きます）' }).getAttribute('href'))!;
    assert.match(href, new RegExp(`^${api}/api/v1/chats/widget/files/[\\w.-]+#page=2$`));
    const file = await page.request.get(href);
    assert.equal(file.status(), 200);
    assert.equal(file.headers()['content-type'], 'application/pdf');
    assert.match(file.headers()['content-disposition'] ?? '', /^inline;/, 'a PDF is shown, so the viewer can open it at the page');
    assert.equal((await file.body()).length, (await t.request('GET', `/api/v1/contents/${manual.id}/file`, { token })).rawPayload.length);

    // A slide is named by its number.
    const slide = await firstSource('物流費の値上げ');
    assert.match((await slide.textContent()) ?? '', /四半期報告\.pptx · スライド2/);

    // A passage read by OCR says so after its page (another visitor: this one has asked its VISITOR_LIMIT questions).
    await context!.close();
    page = await visit('/opens-ocr.html', sitePage(tenantSnippet));
    await launcher(page).click();
    const ocr = await firstSource('有給休暇の申請は何日前までですか');
    assert.match((await ocr.textContent()) ?? '', /就業規則スキャン\.pdf · 1ページ · OCRで読み取り/);
    assert.match((await ocr.getByRole('link').getAttribute('href')) ?? '', /#page=1$/);
    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: join(screenshots, 'widget-ocr-source-ja.png') });
  });

  for (const lang of ['ja', 'en'] as const) {
    const entry = lang === 'ja'
      ? { question: '送料はいくらですか', answer: '全国一律 500 円（税込）です。\n離島は別途お見積もりします。', alternatives: ['送料を教えて'] }
      : { question: 'How much is shipping?', answer: 'Shipping is a flat 500 yen, tax included.\nRemote islands are quoted separately.', alternatives: ['What does delivery cost?'] };
    test(`${lang}: a question matching an FAQ entry is answered with its answer verbatim, the source named as the FAQ by its question`, async () => {
      const tenant = await t.createTenant(`faq${lang}`);
      const added = await t.request('POST', '/api/v1/faq', { token: tenant.admin.accessToken, body: entry });
      assert.equal(added.statusCode, 201, added.body);
      await setOrigins(tenant, [site.origin]);
      const page = await visit(`/faq-${lang}.html`, sitePage((await embedSnippet(tenant)).snippet, { lang }), { locale: lang === 'ja' ? 'ja-JP' : 'en-US' });
      await launcher(page, lang === 'ja' ? 'チャットで質問する' : 'Chat with us').click();
      const answer = await ask(page, entry.alternatives[0]!);
      const sources = answer.locator('.sources');
      await sources.locator('li').first().waitFor();
      assert.deepEqual(await answer.locator(':scope > div > p').allInnerTexts(), [entry.answer]);
      assert.equal(await sources.locator('h3').textContent(), lang === 'ja' ? '出典' : 'Sources');
      assert.equal(await sources.locator('li').count(), 1);
      assert.equal(await sources.locator('li .file').textContent(), `FAQ: ${entry.question}`);
      assert.equal(await sources.getByRole('link').count(), 0, 'an FAQ entry has no file to open');
      mkdirSync(screenshots, { recursive: true });
      await page.screenshot({ path: join(screenshots, `widget-faq-${lang}.png`) });
    });
  }

  test('a hostile stylesheet on the page changes none of the widget’s computed styles, and the widget’s CSS leaks into nothing on the page', async () => {
    const snapshot = (page: Page) =>
      page.evaluate(() => {
        const root = document.querySelector('shiori-chat').shadowRoot;
        const properties = ['display', 'visibility', 'opacity', 'position', 'color', 'background-color', 'font-size', 'font-family', 'line-height', 'letter-spacing', 'width', 'height', 'margin-top', 'padding-top', 'border-top-width', 'transform', 'z-index', 'direction', 'text-align'];
        const styles: Record<string, Record<string, string>> = {};
        for (const selector of ['.root', '.launcher', '.panel', '.header', '.title', '.log', '.msg.bot', '.msg.bot p', 'textarea', '.send', '.send svg']) {
          const style = getComputedStyle(root.querySelector(selector));
          styles[selector] = Object.fromEntries(properties.map((p) => [p, style.getPropertyValue(p)]));
        }
        const box = root.querySelector('.panel').getBoundingClientRect();
        styles.panelBox = { x: String(box.x), y: String(box.y), width: String(box.width), height: String(box.height) };
        return styles;
      });
    const pageStyles = (page: Page) =>
      page.evaluate(() =>
        ['.launcher', '.panel', '.msg', 'p.title'].map((selector) => {
          const style = getComputedStyle(document.querySelector(`main ${selector}`));
          return [style.position, style.backgroundColor, style.color, style.fontSize, style.display, style.borderRadius].join(' ');
        }),
      );
    const lookalikes = '<main><button class="launcher">x</button><div class="panel">x</div><p class="msg">x</p><p class="title">x</p></main>';

    // Reduced motion: no opening animation, so both snapshots show the finished state.
    const plain = await visit('/plain.html', sitePage(snippet, { body: lookalikes }), { reducedMotion: 'reduce' });
    await launcher(plain).click();
    const expected = await snapshot(plain);
    assert.equal(expected['.launcher']!.display, 'flex');
    await context!.close();

    const hostile = await visit('/hostile.html', sitePage(snippet, { head: HOSTILE_CSS, body: lookalikes }), { reducedMotion: 'reduce' });
    await launcher(hostile).click();
    assert.deepEqual(await snapshot(hostile), expected);
    assert.ok(await hostile.getByRole('dialog').isVisible());
    await context!.close();

    const withWidget = await visit('/lookalikes.html', sitePage(snippet, { body: lookalikes }));
    const withoutWidget = await withWidget.context().newPage();
    site.pages.set('/no-widget.html', sitePage('', { body: lookalikes }));
    await withoutWidget.goto(`${site.origin}/no-widget.html`);
    assert.deepEqual(await pageStyles(withWidget), await pageStyles(withoutWidget));
  });

  test('a strict Content-Security-Policy on the page (no inline styles) needs only our origin for scripts and connections', async () => {
    const csp = `<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src ${api}; connect-src ${api}; style-src 'self'">`;
    const page = await visit('/csp.html', sitePage(snippet, { head: csp }));
    await launcher(page).click();
    const style = await page.getByRole('dialog').evaluate((panel) => ({ display: getComputedStyle(panel).display, background: getComputedStyle(panel.querySelector('.header')).backgroundColor }));
    assert.deepEqual(style, { display: 'flex', background: 'rgb(37, 99, 235)' }, 'styled, with the accent colour');
    openai.reply = () => '始業時刻は午前9時です[1]。';
    await (await ask(page, '始業時刻は？')).locator('.sources li').first().waitFor();
  });

  test('model and document text are shown as text: markup in an answer, a passage or a file name never runs', async () => {
    openai.reply = () => ['駐車場は申請制です[1]。', '<img src=x onerror="window.__xss=1">', '<script>window.__xss=2</script>', '**<b>太字</b>**'];
    const page = await visit('/xss.html', sitePage(snippet));
    await launcher(page).click();
    const answer = await ask(page, '駐車場の利用方法は？');
    await answer.locator('.sources li').first().waitFor();
    const text = (await answer.textContent()) ?? '';
    assert.ok(text.includes('<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'), text);
    assert.equal(await answer.locator('strong').textContent(), '<b>太字</b>');
    const source = (await answer.locator('.sources li').first().textContent()) ?? '';
    assert.ok(source.includes('<img src=x onerror="window.__xss=3">.txt'), source);
    assert.ok(source.includes('<img src=x onerror="window.__xss=4">'), source);
    assert.equal(await page.locator('shiori-chat img, shiori-chat script, shiori-chat b').count(), 0);
    await page.waitForTimeout(200);
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    assert.ok(!requests.some((url) => url.endsWith('/x')), 'no image was requested');
  });

  test('the conversation survives a reload, and the follow-up continues the same conversation', async () => {
    openai.reply = (request) => (String(request.messages[0]?.content).includes('standalone search query') ? '通勤手当 上限' : ['通勤手当の上限は', '月額5万円です[1]。']);
    const page = await visit('/persist.html', sitePage(snippet));
    await launcher(page).click();
    await (await ask(page, '通勤手当の上限はいくらですか？')).locator('.sources li').first().waitFor();
    const first = await stored(page);
    assert.match(first.conversationId, /^[0-9a-f-]{36}$/);
    assert.equal(first.messages.length, 2);

    await page.reload();
    await launcher(page).click();
    const texts = await page.locator('shiori-chat .msg').allTextContents();
    assert.deepEqual(texts.slice(1, 2), ['あなた：通勤手当の上限はいくらですか？']);
    assert.match(texts[2]!, /月額5万円です1。[\s\S]*就業規則\.txt/, 'the answer and its sources are back');

    openai.reply = (request) => (String(request.messages[0]?.content).includes('standalone search query') ? '通勤手当 定期券' : ['定期券代が', '支給されます[1]。']);
    await (await ask(page, 'どの経路で計算されますか？')).locator('.sources li').first().waitFor();
    const second = await stored(page);
    assert.equal(second.conversationId, first.conversationId);
    assert.equal(second.visitorId, first.visitorId);
    const conversation = await t.request('GET', `/api/v1/conversations/${first.conversationId}`, { token: t.a.admin.accessToken });
    assert.equal(conversation.json().message_count, 4, conversation.body);

    await page.getByRole('button', { name: '新しい会話' }).click();
    assert.equal((await stored(page)).conversationId, null);
    assert.equal(await page.locator('shiori-chat .msg').count(), 1, 'only the greeting is left');
  });

  test('👎 under an answer (not the greeting), then what was missing: stored on the server, in the inbox, and still chosen after a reload', async () => {
    openai.reply = () => ['通勤手当の上限は', '月額5万円です[1]。'];
    const page = await visit('/rate-ja.html', sitePage(snippet));
    await launcher(page).click();
    assert.equal(await page.locator('shiori-chat .msg.bot').first().locator('.rating').count(), 0, 'the greeting is not rated');
    const answer = await ask(page, '通勤手当の上限はいくらですか？');
    const group = answer.getByRole('group', { name: 'この回答の評価' });
    const up = group.getByRole('button', { name: '役に立った' });
    const down = group.getByRole('button', { name: '役に立たなかった' });
    assert.equal(await down.getAttribute('aria-pressed'), 'false');
    const comment = group.getByRole('textbox', { name: '何が足りませんでしたか？' });
    assert.equal(await comment.count(), 0, 'no comment box before a 👎');

    await down.click();
    await comment.waitFor();
    assert.equal(await down.getAttribute('aria-pressed'), 'true');
    assert.equal(await up.getAttribute('aria-pressed'), 'false');
    assert.equal(await focusedInWidget(page), 'input.rate-comment', 'the comment box takes the focus');
    await comment.fill('支給の条件が書かれていません');
    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: join(screenshots, 'widget-feedback-ja.png') });
    await comment.press('Enter');
    await group.getByRole('status').filter({ hasText: 'ご評価ありがとうございます。' }).waitFor();
    assert.equal(await comment.count(), 0, 'the box goes once the comment is sent');

    const { conversationId } = await stored(page);
    const detail = (await t.request('GET', `/api/v1/conversations/${conversationId}`, { token: t.a.admin.accessToken })).json();
    const rated = detail.messages.find((m: { role: string }) => m.role === 'assistant');
    assert.equal(rated.feedback, 'down');
    assert.equal(rated.feedback_comment, '支給の条件が書かれていません');
    const inbox = (await t.request('GET', '/api/v1/inbox?reason=downvoted', { token: t.a.operator.accessToken })).json();
    const item = inbox.items.find((i: { question: string }) => i.question === '通勤手当の上限はいくらですか？');
    assert.deepEqual(item?.channels, ['widget'], JSON.stringify(inbox.items));

    await page.reload();
    await launcher(page).click();
    const again = lastAnswer(page).getByRole('group', { name: 'この回答の評価' });
    assert.equal(await again.getByRole('button', { name: '役に立たなかった' }).getAttribute('aria-pressed'), 'true', 'the choice is kept across page loads');
    assert.equal(await again.getByRole('textbox').count(), 0, 'the comment was sent: not asked again');
  });

  test('in English: 👍 is kept across a reload; a refused rating is said quietly under the answer and changes nothing', async () => {
    openai.reply = () => ['Travel is booked through the portal [1].'];
    const page = await visit('/rate-en.html', sitePage(snippet, { lang: 'en' }), { locale: 'en-US' });
    await launcher(page, 'Chat with us').click();
    const answer = await ask(page, 'How do I book travel?');
    const group = answer.getByRole('group', { name: 'Rate this answer' });
    await group.getByRole('button', { name: 'Helpful', exact: true }).click();
    await group.getByRole('status').filter({ hasText: 'Thank you for your feedback.' }).waitFor();
    assert.equal(await group.getByRole('button', { name: 'Helpful', exact: true }).getAttribute('aria-pressed'), 'true');

    await page.reload();
    await launcher(page, 'Chat with us').click();
    const again = lastAnswer(page).getByRole('group', { name: 'Rate this answer' });
    const helpful = again.getByRole('button', { name: 'Helpful', exact: true });
    const notHelpful = again.getByRole('button', { name: 'Not helpful' });
    assert.equal(await helpful.getAttribute('aria-pressed'), 'true', 'kept across page loads');
    await notHelpful.click();
    await again.getByRole('textbox', { name: 'What was missing?' }).waitFor();
    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: join(screenshots, 'widget-feedback-en.png') });

    // The visitor's fourth request this minute (question, 👍, 👎, this): refused, said in English under the answer.
    await helpful.click();
    await again.getByRole('status').filter({ hasText: /too quickly/ }).waitFor();
    assert.equal(await notHelpful.getAttribute('aria-pressed'), 'true', 'the 👎 stays chosen');
    assert.equal(await notice(page).count(), 0, 'no notice in the log: only the line under the answer');
    const { conversationId, messages } = await stored(page);
    assert.equal(messages[1].rating, 'down');
    const detail = (await t.request('GET', `/api/v1/conversations/${conversationId}`, { token: t.a.admin.accessToken })).json();
    assert.equal(detail.messages.find((m: { role: string }) => m.role === 'assistant').feedback, 'down');
    await page.screenshot({ path: join(screenshots, 'widget-feedback-refused-en.png') });
  });

  test('without a model, an unrelated second question is answered from its own document, not the first one’s', async () => {
    const tenant = await t.createTenant('switch');
    await uploadAndProcess(t, tenant.admin.accessToken, '料金プラン.txt', plansJa);
    await uploadAndProcess(t, tenant.admin.accessToken, '会社概要.txt', companyJa);
    await setOrigins(tenant, [site.origin]);
    const page = await visit('/switch.html', sitePage((await embedSnippet(tenant)).snippet));
    await launcher(page).click();
    const first = await ask(page, 'エンタープライズプランの料金はいくらですか？');
    await first.locator('.sources li').first().waitFor();
    assert.match((await first.textContent()) ?? '', /98,000円/);

    const second = await ask(page, 'しおり商事の本社はどこにありますか？');
    await second.locator('.sources li').first().waitFor();
    assert.match((await second.textContent()) ?? '', /千代田区丸の内/);
    assert.match((await second.locator('.sources li').first().textContent()) ?? '', /会社概要\.txt/);
    assert.doesNotMatch((await second.locator('.sources').textContent()) ?? '', /料金プラン\.txt/);
  });

  test('keyboard: Enter on the launcher opens, Escape closes and gives focus back to the launcher; focus is visible', async () => {
    const page = await visit('/keyboard.html', sitePage(snippet));
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await focusedInWidget(page), 'button.launcher');
    const outline = await page.evaluate(() => getComputedStyle(document.querySelector('shiori-chat').shadowRoot.activeElement).outlineStyle);
    assert.equal(outline, 'solid', 'a visible focus ring');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    assert.equal(await focusedInWidget(page), 'textarea.');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    assert.equal(await focusedInWidget(page), 'button.launcher');
    assert.equal(await launcher(page).getAttribute('aria-expanded'), 'false');
    assert.equal(await page.locator('shiori-chat [role="log"]').getAttribute('aria-live'), 'polite');
  });

  test('on a phone (375×667) the panel fills the screen and closes with its own button; reduced motion means no animation', async () => {
    const page = await visit('/phone.html', sitePage(snippet), { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true, reducedMotion: 'reduce' });
    await launcher(page).click();
    assert.equal(await page.evaluate(() => document.querySelector('shiori-chat').shadowRoot.getAnimations().length), 0);
    const box = await page.getByRole('dialog').boundingBox();
    assert.deepEqual(box, { x: 0, y: 0, width: 375, height: 667 });
    await page.getByRole('button', { name: 'チャットを閉じる' }).click();
    assert.equal(await focusedInWidget(page), 'button.launcher');
    assert.ok(await launcher(page).isVisible());
  });

  test('the page’s <html lang="en"> switches the built-in texts to English, even in a Japanese browser', async () => {
    const page = await visit('/en.html', sitePage(snippet, { lang: 'en' }));
    await launcher(page, 'Chat with us').click();
    assert.equal(await input(page).getAttribute('placeholder'), 'Type your question');
    assert.match((await lastAnswer(page).textContent()) ?? '', /Ask me a question/);
    assert.ok(await page.getByRole('button', { name: 'New conversation' }).isVisible());
    assert.equal(await page.locator('shiori-chat .root').getAttribute('lang'), 'en');
  });

  test('the tenant’s look: title, greeting, placeholder, colour, side, language; without sources the [n] markers go too (extractive answer)', async () => {
    const tenant = await t.createTenant('look');
    await uploadAndProcess(t, tenant.admin.accessToken, '就業規則.txt', workRulesJa);
    const widget = { title: 'しおり商事 サポート', greeting: 'What can we help with?', placeholder: 'Your question…', accent_color: '#fde047', position: 'bottom-left', language: 'en', show_sources: false };
    const patched = await t.request('PATCH', `/api/v1/tenants/${tenant.id}`, { token: tenant.admin.accessToken, body: { widget } });
    assert.equal(patched.statusCode, 200, patched.body);
    const page = await visit('/look.html', sitePage((await embedSnippet(tenant)).snippet));
    const button = launcher(page, 'Chat with us');
    const style = await button.evaluate((element) => ({ background: getComputedStyle(element).backgroundColor, color: getComputedStyle(element).color, left: element.getBoundingClientRect().left }));
    assert.deepEqual(style, { background: 'rgb(253, 224, 71)', color: 'rgb(17, 24, 39)', left: 20 }, 'dark text on a light accent, on the left');
    await button.click();
    await page.getByRole('dialog', { name: 'しおり商事 サポート' }).waitFor();
    assert.equal(await input(page).getAttribute('placeholder'), 'Your question…');
    assert.equal(await lastAnswer(page).textContent(), 'Answer: What can we help with?');
    const answer = await ask(page, '始業時刻は何時ですか？');
    await page.waitForFunction(() => !document.querySelector('shiori-chat').shadowRoot.querySelector('.dots'));
    const text = (await answer.textContent()) ?? '';
    assert.match(text, /午前9時/, 'the extractive answer quotes the passage');
    assert.doesNotMatch(text, /\[\d\]/);
    assert.equal(await answer.locator('.sources, .cite').count(), 0);
  });

  describe('failing quietly, with a message in the panel', () => {
    test('a page whose origin the tenant does not allow: the refusal is shown and the input is off', async () => {
      await setOrigins(t.b, ['https://www.elsewhere.example']);
      const page = await visit('/not-allowed.html', sitePage((await embedSnippet(t.b)).snippet));
      await launcher(page).click();
      const text = (await notice(page).textContent()) ?? '';
      assert.match(text, /このサイトではチャットをご利用いただけません。/);
      // The server's detail, in the widget's language (it sends it as Accept-Language).
      assert.ok(text.includes(`このウィジェットのキーはオリジン ${site.origin}からは使えません。`), text);
      assert.ok(await input(page).isDisabled());
    });

    test('an invalid key', async () => {
      const page = await visit('/bad-key.html', sitePage(snippet.replace(key, `wk_${'x'.repeat(32)}`)));
      await launcher(page).click();
      assert.equal(await notice(page).textContent(), 'チャットの設定に問題があるため、ご利用いただけません。');
    });

    test('the API unreachable: a message; opening again once it is back works', async () => {
      site.pages.set('/offline.html', sitePage(snippet));
      context = await browser.newContext({ locale: 'ja-JP' });
      context.on('request', (request) => void requests.push(request.url()));
      await context.route(`${api}/api/v1/chats/widget/config`, (route) => route.abort('connectionrefused'));
      const page = await context.newPage();
      await page.goto(`${site.origin}/offline.html`);
      await launcher(page).click();
      assert.match((await notice(page).textContent()) ?? '', /接続できません/);
      await page.keyboard.press('Escape');
      await context.unroute(`${api}/api/v1/chats/widget/config`);
      await launcher(page).click();
      await page.waitForFunction(() => !document.querySelector('shiori-chat').shadowRoot.querySelector('textarea').disabled);
      assert.equal(await notice(page).count(), 0);
      assert.match((await lastAnswer(page).textContent()) ?? '', /ご質問をどうぞ/);
    });

    test('rate limited: the server’s message in the visitor’s language, and no sending until Retry-After', async () => {
      const page = await visit('/limited.html', sitePage(snippet));
      const { visitorId } = await stored(page);
      for (let i = 0; i < VISITOR_LIMIT; i++) {
        const res = await t.request('POST', '/api/v1/chats/widget/chat', { body: { query: '始業時刻は？' }, headers: { 'x-api-key': key, 'x-visitor-id': visitorId, origin: site.origin } });
        assert.equal(res.statusCode, 200, res.body);
      }
      await launcher(page).click();
      await ask(page, '始業時刻は？');
      assert.match((await notice(page).textContent()) ?? '', /短時間に多くのメッセージが送信されました。\d+秒後にもう一度お試しください。/);
      assert.ok(await page.locator('shiori-chat .send').isDisabled());
    });

    test('the model breaks off mid-answer (an SSE error event): the partial answer stays, with a message', async () => {
      openai.reply = () => ['始業時刻は', '午前9時', 'です[1]。'];
      openai.dropAfterDeltas = 2;
      const page = await visit('/broken.html', sitePage(snippet));
      await launcher(page).click();
      await ask(page, '始業時刻は何時？');
      await notice(page).waitFor();
      assert.match((await page.locator('shiori-chat .msg.bot').last().textContent()) ?? '', /始業時刻は午前9時/);
      assert.match((await notice(page).textContent()) ?? '', /回答の途中でエラーが発生しました/);
      assert.ok(await page.locator('shiori-chat .send').isEnabled(), 'the visitor may ask again');
    });
  });
});
