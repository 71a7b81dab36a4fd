import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { browserSkipReason } from '../widget/test-support/browser.js';
import { startWebhookReceiver, type WebhookReceiver } from '../webhooks/test-support/webhook-receiver.js';
import { verifyWebhookSignature } from '../webhooks/webhook-signature.js';
import { settingsBrowser } from './test-support/settings-browser.js';

// The webhooks page as an ADMIN uses it, in Chromium against the real server and a receiver on
// loopback: add an endpoint, copy its secret (shown once), send a test event the receiver verifies
// with that secret, read the delivery log with a failing receiver's reason (ja, then en), disable
// and delete; an OPERATOR sees the list without the form or the buttons.

describe('webhooks page in a real browser', { skip: browserSkipReason() }, () => {
  let receiver: WebhookReceiver;
  before(async () => {
    receiver = await startWebhookReceiver();
  });
  after(() => receiver?.close());
  // Three attempts a second apart, so the failing receiver's delivery ends within the test.
  const env = settingsBrowser({ webhooks: { timeoutMs: 3000, retryDelaysSeconds: [1, 1] } });

  test('an ADMIN adds an endpoint, copies its secret once, sends a test event and reads the delivery log, in Japanese and English', async () => {
    const { t, signedIn, shot, shotEnglish } = env;
    const tenant = await t.createTenant('hooks');
    const url = receiver.url('browser');
    const page = await signedIn(tenant.admin, '/webhooks');
    await page.getByRole('heading', { name: 'Webhook', level: 1 }).waitFor();
    await page.getByText('エンドポイントはまだありません。').waitFor();

    // The shared schema refuses a bad address and an empty choice of events before anything is sent.
    await page.getByLabel('エンドポイント URL').fill('ftp://example.com/');
    await page.getByLabel('文書の登録完了').uncheck();
    await page.getByLabel('文書の登録失敗').uncheck();
    await page.getByRole('button', { name: 'エンドポイントを追加' }).click();
    await page.getByText('http:// か https:// で始まるアドレスを入力してください').first().waitFor();
    await page.getByText('イベント: イベントを 1 つ以上選んでください').waitFor();

    await page.getByLabel('エンドポイント URL').fill(url);
    await page.getByLabel('説明').fill('サポートチームへの通知');
    await page.getByLabel('文書の登録完了').check();
    await page.getByLabel('回答への低評価').check();
    await page.getByRole('button', { name: 'エンドポイントを追加' }).click();
    await page.getByRole('status').getByText(`${url} を追加しました。`).waitFor();
    const shown = page.getByTestId('webhook-secret');
    await shown.getByText('表示されるのは今回だけです。', { exact: false }).waitFor();
    const secret = (await shown.locator('code').textContent())!.trim();
    assert.match(secret, /^whsec_[\w-]{43}$/);
    await shown.getByRole('button', { name: 'コピー' }).click();
    assert.equal(await page.evaluate<string>('navigator.clipboard.readText()'), secret, 'the copy button copies the secret');
    const [stored] = (await t.request('GET', '/api/v1/webhooks', { token: tenant.admin.accessToken })).json();
    assert.deepEqual(stored.events, ['document.completed', 'answer.rated_down']);
    assert.equal(stored.description, 'サポートチームへの通知');
    await shot(page, 'webhooks-ja');

    // "Send test event": the receiver checks the signature with the secret the page showed.
    const row = page.getByRole('row', { name: new RegExp(url) });
    await row.getByRole('button', { name: 'テストイベントを送信' }).click();
    await page.getByRole('status').getByText(`${url} にテストイベントを送信しています。`, { exact: false }).waitFor();
    const [request] = await receiver.waitFor(1, (r) => r.path === '/hooks/browser');
    assert.equal(verifyWebhookSignature(secret, request!.headers['shiori-signature'] as string, request!.rawBody), true);
    assert.equal(JSON.parse(request!.rawBody).type, 'test');

    // The log: the delivered test, then a receiver that keeps answering 500 and its reason.
    await row.getByRole('link', { name: url }).click();
    await page.getByRole('heading', { name: url, level: 1 }).waitFor();
    assert.equal(await page.getByText(secret).count(), 0, 'the secret is not shown again');
    await page.getByRole('row', { name: /配信済み/ }).getByText('HTTP 200').waitFor();
    receiver.answerWith('browser', 500, 500, 500);
    await page.getByRole('button', { name: 'テストイベントを送信' }).click();
    await page.getByRole('row', { name: /失敗/ }).getByText('受信側が HTTP 500 を返しました（2xx で成功とみなします）。').waitFor({ timeout: 30_000 });
    await page.getByRole('row', { name: /失敗/ }).getByText('3 / 3').waitFor();
    await shot(page, 'webhook-detail-ja');
    await shotEnglish(page, 'webhook-detail-en', url);
    await page.getByRole('row', { name: /Failed/ }).getByText('The endpoint answered HTTP 500 (only a 2xx counts as delivered).').waitFor();
    await page.getByLabel('Status').selectOption('succeeded');
    await page.getByRole('row', { name: /Failed/ }).waitFor({ state: 'detached' });
    assert.equal(await page.getByRole('row', { name: /Delivered/ }).count(), 1);

    // Rotating shows the new secret once.
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    const rotated = (await page.getByTestId('webhook-secret').locator('code').textContent())!.trim();
    assert.match(rotated, /^whsec_/);
    assert.notEqual(rotated, secret);

    // Back to the list in English: disable, then delete.
    await page.getByRole('link', { name: '← Webhooks' }).click();
    const listRow = page.getByRole('row', { name: new RegExp(url) });
    await listRow.getByRole('button', { name: 'Disable' }).click();
    await page.getByRole('status').getByText(`${url} is disabled`, { exact: false }).waitFor();
    await listRow.getByText('Disabled').waitFor();
    await shot(page, 'webhooks-en');
    await listRow.getByRole('button', { name: `Delete the endpoint ${url}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('status').getByText(`${url} deleted.`).waitFor();
    await page.getByText('No endpoints yet.').waitFor();
  });

  test('an OPERATOR reads the endpoints and their log, without the form or the buttons', async () => {
    const { t, signedIn } = env;
    const tenant = await t.createTenant('hooksop');
    const created = await t.request('POST', '/api/v1/webhooks', { token: tenant.admin.accessToken, body: { url: receiver.url('op'), events: ['website.synced'] } });
    assert.equal(created.statusCode, 201);
    const page = await signedIn(tenant.operator, '/webhooks');
    await page.getByRole('row', { name: new RegExp(receiver.url('op')) }).getByText('ウェブサイトの同期完了').waitFor();
    assert.equal(await page.getByRole('button', { name: 'エンドポイントを追加' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'テストイベントを送信' }).count(), 0);
    await page.getByRole('link', { name: receiver.url('op') }).click();
    await page.getByText('まだ何も送信していません。').waitFor();
    assert.equal(await page.getByRole('button', { name: 'シークレットを再発行' }).count(), 0);
  });
});
