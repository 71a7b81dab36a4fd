import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { uploadAndProcess } from '../../test/upload.js';
import { workRulesJa } from '../retrieval/test-support/documents.js';
import { browserSkipReason } from '../widget/test-support/browser.js';
import { settingsBrowser } from './test-support/settings-browser.js';

// The analytics page as an OPERATOR reads it, in Chromium against the real server: the totals, the
// chart and the week's top questions agree with the answers asked through the API.

describe('analytics page in a real browser', { skip: browserSkipReason() }, () => {
  const env = settingsBrowser();

  test('totals, the per-day chart, and the week’s most asked and unanswered questions, in Japanese and English', async () => {
    const { t, signedIn, shot, shotEnglish } = env;
    const tenant = await t.createTenant('analytics');
    await uploadAndProcess(t, tenant.admin.accessToken, '就業規則.txt', workRulesJa);
    for (const query of ['有給休暇は何日もらえますか？', '有給休暇は何日もらえますか', '社長の好きな食べ物は何ですか']) {
      const res = await t.request('POST', '/api/v1/chats/rag', { token: tenant.operator.accessToken, body: { query } });
      assert.equal(res.statusCode, 200, res.body);
    }

    const page = await signedIn(tenant.operator, '/analytics');
    await page.getByRole('heading', { name: '分析', level: 1 }).waitFor();
    assert.equal(await page.getByTestId('questions').textContent(), '3');
    assert.equal(await page.getByTestId('answer-rate').textContent(), '66.7%');
    assert.equal(await page.getByTestId('helpful-rate').textContent(), '—');
    assert.match((await page.getByTestId('questions-chart').getAttribute('aria-label')) ?? '', /28 日間のグラフ：合計 3 件の質問、回答率 66\.7%/);
    const asked = page.getByRole('table').first();
    assert.deepEqual(await asked.locator('tbody tr').first().locator('td').allInnerTexts(), ['有給休暇は何日もらえますか', '2', '0']);
    const unanswered = page.getByRole('table').nth(1);
    assert.deepEqual(await unanswered.locator('tbody tr td').allInnerTexts(), ['社長の好きな食べ物は何ですか', '1']);
    await shot(page, 'analytics-ja');

    // One channel only: nothing came from the widget.
    await page.getByLabel('チャネル').selectOption('widget');
    await page.getByRole('button', { name: '表示' }).click();
    await page.getByText('この期間の質問はまだありません。').waitFor();
    assert.equal(await page.getByTestId('questions').textContent(), '0');

    // A range the server refuses is shown on its field.
    await page.getByLabel('開始日').fill('2020-01-01');
    await page.getByRole('button', { name: '表示' }).click();
    await page.getByText('開始日: 期間は最長 366 日です').waitFor();

    await page.getByLabel('チャネル').selectOption('');
    await page.getByLabel('開始日').fill(await page.getByLabel('終了日').inputValue().then((end) => new Date(Date.parse(end) - 27 * 86_400_000).toISOString().slice(0, 10)));
    await page.getByRole('button', { name: '表示' }).click();
    await page.getByTestId('questions').getByText('3').waitFor();
    await shotEnglish(page, 'analytics-en', 'Analytics');
    await page.getByRole('heading', { name: 'Most asked' }).first().waitFor();
    assert.equal(await page.getByTestId('answer-rate').textContent(), '66.7%');
  });
});
