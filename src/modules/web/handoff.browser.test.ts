import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TestTenant } from '../../test/harness.js';
import { browserSkipReason } from '../widget/test-support/browser.js';
import { settingsBrowser } from './test-support/settings-browser.js';

// Handoff to a person in the dashboard, in Chromium against the real server: an ADMIN sets the
// contact route and its hours on the widget page; an OPERATOR finds the handed-off conversation,
// writes the reply note and closes it. Each step checks what the API then stores.

describe('handoff in the dashboard, in a real browser', { skip: browserSkipReason() }, () => {
  const env = settingsBrowser();
  const tenantOf = async (tenant: TestTenant) => (await env.t.request('GET', `/api/v1/tenants/${tenant.id}`, { token: tenant.admin.accessToken })).json();

  test('widget page: an ADMIN sets the contact route with business hours; a bad address is refused in Japanese first', async () => {
    const { t, signedIn, shot, shotEnglish } = env;
    const tenant = await t.createTenant('route');
    const page = await signedIn(tenant.admin, '/widget');
    const form = page.locator('form').filter({ has: page.getByRole('heading', { name: '担当者への引き継ぎ' }) });
    await form.getByLabel('担当者への連絡手段を表示する').check();
    await form.getByLabel('連絡手段', { exact: true }).selectOption('email');
    await form.getByLabel('連絡先', { exact: true }).fill('support@');
    await form.getByRole('button', { name: '引き継ぎ設定を保存' }).click();
    await form.getByText('連絡先: 有効なメールアドレスを入力してください').waitFor();
    assert.equal((await tenantOf(tenant)).settings.widget.contact_route, null, 'nothing was saved');

    await form.getByLabel('連絡先', { exact: true }).fill('support@route.example');
    await form.getByLabel('ボタンの文言').fill('メールで相談する');
    await form.getByLabel('受付時間', { exact: true }).check();
    // Weekdays 9–18 are the starting point; Friday closes early, Saturday opens in the morning.
    await form.getByLabel('金曜日の終了時刻').fill('17:00');
    await form.getByRole('checkbox', { name: '土曜日' }).check();
    await form.getByLabel('土曜日の開始時刻').fill('10:00');
    await form.getByLabel('土曜日の終了時刻').fill('12:00');
    await form.getByRole('button', { name: '引き継ぎ設定を保存' }).click();
    await form.getByRole('status').getByText('保存しました。').waitFor();

    const route = (await tenantOf(tenant)).settings.widget.contact_route;
    assert.deepEqual(route, {
      kind: 'email',
      target: 'support@route.example',
      label: 'メールで相談する',
      time_zone: 'Asia/Tokyo',
      hours: { mon: { start: '09:00', end: '18:00' }, tue: { start: '09:00', end: '18:00' }, wed: { start: '09:00', end: '18:00' }, thu: { start: '09:00', end: '18:00' }, fri: { start: '09:00', end: '17:00' }, sat: { start: '10:00', end: '12:00' }, sun: null },
    });
    await shot(page, 'handoff-widget-settings-ja');
    await shotEnglish(page, 'handoff-widget-settings-en', 'Handoff to a person');
    // After a reload the form shows what is stored.
    await page.reload();
    const again = page.locator('form').filter({ has: page.getByRole('heading', { name: 'Handoff to a person' }) });
    assert.equal(await again.getByLabel('Address', { exact: true }).inputValue(), 'support@route.example');
    assert.equal(await again.getByLabel('Saturday opens at').inputValue(), '10:00');
    assert.equal(await again.getByRole('checkbox', { name: 'Sunday' }).isChecked(), false);
  });

  test('conversations: an OPERATOR finds the handed-off conversation, writes a note and closes it', async () => {
    const { t, signedIn, shot, shotEnglish } = env;
    const tenant = await t.createTenant('operator');
    const set = await t.request('PATCH', `/api/v1/tenants/${tenant.id}`, { token: tenant.admin.accessToken, body: { widget: { contact_route: { kind: 'url', target: 'https://operator.example/contact' } } } });
    assert.equal(set.statusCode, 200, set.body);
    const key = (await t.request('GET', `/api/v1/tenants/${tenant.id}/embed-snippet`, { token: tenant.admin.accessToken })).json().api_key;
    const headers = { 'x-api-key': key, 'x-visitor-id': 'visitor_dashboard_1', 'accept-language': 'ja' };
    const asked = (await t.request('POST', '/api/v1/chats/widget/chat', { headers, body: { query: '担当者と話したい' } })).json();
    const handed = await t.request('POST', '/api/v1/chats/widget/handoff', { headers, body: { conversation_id: asked.conversation_id, message: '請求書の再発行をお願いしたいです', contact: 'hanako@example.jp' } });
    assert.equal(handed.statusCode, 200, handed.body);
    // One more widget conversation that was never handed off: the filter leaves it out.
    await t.request('POST', '/api/v1/chats/widget/chat', { headers: { ...headers, 'x-visitor-id': 'visitor_dashboard_2' }, body: { query: '営業時間は？' } });

    const page = await signedIn(tenant.operator, '/conversations');
    await page.getByRole('link', { name: '営業時間は？' }).waitFor();
    await page.getByLabel('引き継ぎ').selectOption('requested');
    await page.getByRole('button', { name: '適用' }).click();
    await page.getByRole('link', { name: '営業時間は？' }).waitFor({ state: 'detached' });
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: '担当者と話したい' }) });
    await row.getByText('担当者の対応待ち').waitFor();
    await shot(page, 'handoff-conversations-ja');
    await row.getByRole('link', { name: '担当者と話したい' }).click();

    const panel = page.getByRole('region', { name: /担当者への引き継ぎ/ });
    await panel.getByText('請求書の再発行をお願いしたいです').waitFor();
    await panel.getByText('hanako@example.jp').waitFor();
    await panel.getByLabel('対応メモ').fill('お電話で再発行の手順を案内しました。');
    await panel.getByRole('button', { name: '保存して対応済みにする' }).click();
    await panel.getByRole('status').getByText('保存しました。').waitFor();
    await panel.getByText('対応済み', { exact: true }).waitFor();
    await shot(page, 'handoff-conversation-closed-ja');

    const detail = (await t.request('GET', `/api/v1/conversations/${asked.conversation_id}`, { token: tenant.admin.accessToken })).json();
    assert.equal(detail.handoff.status, 'closed');
    assert.equal(detail.handoff.note, 'お電話で再発行の手順を案内しました。');
    assert.equal(detail.handoff.handled_by, tenant.operator.id);
    await shotEnglish(page, 'handoff-conversation-closed-en', 'Handed to a person Closed');
    const english = page.getByRole('region', { name: /Handed to a person/ });
    await english.getByRole('button', { name: 'Reopen' }).click();
    await english.getByText('Waiting for a person', { exact: true }).waitFor();
    assert.equal((await t.request('GET', `/api/v1/conversations/${asked.conversation_id}`, { token: tenant.admin.accessToken })).json().handoff.status, 'requested');
  });
});
