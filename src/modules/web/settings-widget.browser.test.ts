import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TestTenant } from '../../test/harness.js';
import { eventually, uploadAndProcess } from '../../test/upload.js';
import { browserSkipReason } from '../widget/test-support/browser.js';
import { settingsBrowser } from './test-support/settings-browser.js';

// The widget, API keys and usage pages as an ADMIN uses them, in Chromium against the real server
// (see test-support/settings-browser.ts); each test checks the page and the API's stored state.

describe('settings pages in a real browser: widget, API keys, usage', { skip: browserSkipReason() }, () => {
  const env = settingsBrowser();
  const snippetOf = async (tenant: TestTenant) => (await env.t.request('GET', `/api/v1/tenants/${tenant.id}/embed-snippet`, { token: tenant.admin.accessToken })).json();
  const widgetConfig = (key: string) => env.t.request('GET', '/api/v1/chats/widget/config', { headers: { 'x-api-key': key, origin: 'https://www.example.co.jp' } });

  test('widget: the look is saved, shown by the real widget in the preview and served to sites; allowed sites; snippet copy; key rotation', async () => {
    const { t, origin, signedIn, shot, shotEnglish } = env;
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
    await page.getByLabel('訪問者向けのお問い合わせ先').fill('お電話 03-1234-5678（平日9–18時）');
    await page.getByRole('button', { name: '見た目を保存' }).click();
    await page.getByRole('status').getByText('保存しました。').waitFor();

    // Sites get the new look.
    const { api_key: key } = await snippetOf(tenant);
    const config = await widgetConfig(key);
    assert.equal(config.statusCode, 200, config.body);
    assert.equal(config.json().title, 'しおり商事 サポート');
    assert.equal(config.json().accent_color, '#0f766e');
    assert.equal(config.json().position, 'bottom-left');
    assert.equal(config.json().contact, 'お電話 03-1234-5678（平日9–18時）');

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
    await page.reload();
    assert.equal(await page.getByLabel('Contact for visitors').inputValue(), 'お電話 03-1234-5678（平日9–18時）');

    // On a phone the preview is narrow, and the widget takes its phone layout: the panel fills the frame.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    const phonePreview = page.frameLocator('iframe[title="Widget preview"]');
    await page.locator('iframe[title="Widget preview"]').scrollIntoViewIfNeeded();
    await phonePreview.getByRole('button', { name: 'チャットで質問する' }).click();
    const frameBox = (await page.locator('iframe[title="Widget preview"]').boundingBox())!;
    const panelBox = (await phonePreview.getByRole('dialog').boundingBox())!;
    assert.ok(Math.abs(panelBox.x - frameBox.x) <= 2 && Math.abs(panelBox.width - frameBox.width) <= 2, `panel ${JSON.stringify(panelBox)} in frame ${JSON.stringify(frameBox)}`);
    await shot(page, 'settings-widget-phone-en');
  });

  test('API keys: an openai-compatible key verified with the provider, a rejected one explained, listed masked, deleted', async () => {
    const { t, openai, signedIn, shot } = env;
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
    const { t, openai, signedIn, shot, shotEnglish } = env;
    const tenant = await t.createTenant('usage');
    await env.addLocalModel(tenant);
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
    assert.equal(await page.getByTestId('total-answers').textContent(), '2');
    assert.deepEqual(await page.locator('[data-testid="answers-chart"] text[text-anchor="end"]').allTextContents(), ['0', '1', '2'], 'whole-number ticks');
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
    // A locator, not waitForFunction with a string: the page's CSP forbids evaluating strings.
    await eventually(async () => (await page.locator('[data-testid="usage-chart"] rect').count()) === 1, 'one monthly bar', 10_000);
    await shotEnglish(page, 'settings-usage-en', 'Usage');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'settings-usage-phone-en');
  });
});
