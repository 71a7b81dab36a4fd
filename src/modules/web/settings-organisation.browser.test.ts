import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { browserSkipReason } from '../widget/test-support/browser.js';
import { settingsBrowser } from './test-support/settings-browser.js';

// The organisation settings page (/settings) in Chromium against the real server
// (see test-support/settings-browser.ts); the test checks the page and the API's stored tenant.

describe('settings pages in a real browser: organisation', { skip: browserSkipReason() }, () => {
  const env = settingsBrowser();

  test('organisation: ADMIN saves name, chat model and chunking; the 422 on the overlap; OPERATOR reads only', async () => {
    const { t, signedIn, shot, shotEnglish } = env;
    const tenant = await t.createTenant('org');
    await env.addLocalModel(tenant);

    const page = await signedIn(tenant.admin, '/settings');
    await page.getByRole('heading', { name: '組織の設定', level: 1 }).waitFor();
    await page.getByLabel('組織名').fill('しおり商事');
    await page.getByLabel('チャットのモデル', { exact: true }).selectOption('local-llm');
    await page.getByLabel('パッセージの長さ（トークン）').fill('400');
    await page.getByLabel('パッセージの重なり（トークン）').fill('80');
    const instructions = '丁寧語で答えてください。\n最後に「詳しくは人事部（内線 123）へ」と添えてください。';
    await page.getByLabel('チャットへの指示').fill(instructions);
    await page.getByTestId('bot-instructions-count').getByText(`${instructions.length} / 1,000 文字`).waitFor();
    await page.getByRole('button', { name: '設定を保存' }).click();
    await page.getByRole('status').getByText('設定を保存しました。').waitFor();

    await page.reload();
    await page.getByLabel('組織名').and(page.locator('[value="しおり商事"]')).waitFor();
    assert.equal(await page.getByLabel('チャットのモデル', { exact: true }).inputValue(), 'local-llm');
    assert.equal(await page.getByLabel('パッセージの長さ（トークン）').inputValue(), '400');
    assert.equal(await page.getByLabel('パッセージの重なり（トークン）').inputValue(), '80');
    assert.equal(await page.getByLabel('チャットへの指示').inputValue(), instructions);
    const stored = (await t.request('GET', `/api/v1/tenants/${tenant.id}`, { token: tenant.admin.accessToken })).json();
    assert.equal(stored.name, 'しおり商事');
    assert.equal(stored.settings.llm_model, 'local-llm');
    assert.equal(stored.settings.chunk_size, 400);
    assert.equal(stored.settings.chunk_overlap, 80);
    assert.equal(stored.settings.bot_instructions, instructions);
    assert.equal(await page.getByTestId('org-plan').textContent(), stored.plan);
    assert.equal(await page.getByRole('link', { name: /「請求」ページ/ }).getAttribute('href'), '/billing');
    await shot(page, 'settings-organisation-ja');

    // More than half the passage size: Zod's bounds pass, the server refuses it on the field.
    await shotEnglish(page, 'settings-organisation-en', 'Organisation settings');
    assert.equal(await page.getByLabel('Instructions for the chat').inputValue(), instructions);
    await page.getByTestId('bot-instructions-count').getByText(`${instructions.length} / 1,000 characters`).waitFor();
    const overlap = page.getByLabel('Passage overlap (tokens)');
    await overlap.fill('300');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Passage overlap (tokens): chunkOverlap must be at most half of chunkSize').waitFor();
    assert.equal(await overlap.getAttribute('aria-invalid'), 'true');
    await shot(page, 'settings-organisation-rejected-en');
    assert.equal((await t.request('GET', `/api/v1/tenants/${tenant.id}`, { token: tenant.admin.accessToken })).json().settings.chunk_overlap, 80);

    const operatorPage = await signedIn(tenant.operator, '/settings');
    await operatorPage.getByText('ADMIN だけ', { exact: false }).first().waitFor();
    assert.equal(await operatorPage.getByLabel('組織名').inputValue(), 'しおり商事');
    assert.ok(await operatorPage.getByLabel('組織名').isDisabled());
    assert.equal(await operatorPage.getByLabel('チャットへの指示').inputValue(), instructions);
    assert.ok(await operatorPage.getByLabel('チャットへの指示').isDisabled());
    assert.equal(await operatorPage.getByRole('button', { name: '設定を保存' }).count(), 0);
    await shot(operatorPage, 'settings-organisation-operator-ja');
  });
});
