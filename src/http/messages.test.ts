/** Every message a person reads follows Accept-Language (docs/decisions.md D13); codes never change with it. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { contents } from '../db/schema.js';
import { failureCodes, failureCodeTexts } from '../modules/sources/contents/failure-messages.js';
import { previousTotpCode, wrongTotpCode } from '../test/authenticator.js';
import { buildTestApp, expectError, unique, type RequestOptions, type TestApp } from '../test/harness.js';
import { uploadFile, uploadText, waitForStatus } from '../test/upload.js';
import { codeTexts, errorCodes } from './errors.js';
import { languageOf, type Text } from './language.js';

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;
const ja = { 'accept-language': 'ja' };
const en = { 'accept-language': 'en' };

function assertBothLanguages(text: Text | undefined, what: string) {
  assert.ok(text, `${what} has no text`);
  assert.match(text.ja, JAPANESE, `${what}: the Japanese text is Japanese`);
  assert.ok(text.en.trim() && !JAPANESE.test(text.en), `${what}: the English text is English`);
}

describe('catalogs', () => {
  test('every error code has its text in Japanese and English', () => {
    for (const code of errorCodes) assertBothLanguages(codeTexts[code], code);
  });

  test('every failure code has its text in Japanese and English', () => {
    for (const code of failureCodes) assertBothLanguages(failureCodeTexts[code], code);
  });

  test('Accept-Language: q-values decide, English when absent or neither language is asked for', () => {
    const cases: Array<[string | undefined, 'ja' | 'en']> = [
      [undefined, 'en'], ['ja', 'ja'], ['ja-JP,ja;q=0.9,en;q=0.8', 'ja'], ['en-US,en;q=0.9,ja;q=0.8', 'en'],
      ['en;q=0.5, ja', 'ja'], ['fr, ja;q=0.3', 'ja'], ['fr', 'en'], ['ja;q=0, en', 'en'], ['*', 'en'],
    ];
    for (const [header, language] of cases) assert.equal(languageOf(header), language, String(header));
  });
});

describe('errors over HTTP, in the caller’s language', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  /** The same request in Japanese and in English: same status and code, each detail in its language. */
  async function both(method: 'GET' | 'POST', url: string, status: number, code: string, options: RequestOptions = {}) {
    const [jaRes, enRes] = [await t.request(method, url, { ...options, headers: { ...options.headers, ...ja } }), await t.request(method, url, { ...options, headers: { ...options.headers, ...en } })];
    const [jaBody, enBody] = [expectError(jaRes, status, code), expectError(enRes, status, code)];
    assert.equal(jaRes.headers['content-language'], 'ja');
    return { ja: jaBody, en: enBody };
  }

  test('wrong password', async () => {
    const body = { email: t.a.admin.email, password: 'Wrong-password1' };
    const res = await both('POST', '/api/v1/auth/login', 401, 'INVALID_CREDENTIALS', { body });
    assert.equal(res.ja.detail, 'メールアドレスまたはパスワードが正しくありません。');
    assert.equal(res.en.detail, 'Email or password is incorrect');
    // No header at all: English.
    assert.equal(expectError(await t.login(t.a.admin.email, 'Wrong-password1'), 401, 'INVALID_CREDENTIALS').detail, 'Email or password is incorrect');
  });

  test('wrong two-factor code', async () => {
    const tenant = await t.createTenant('msg2fa');
    const token = tenant.admin.accessToken;
    const setup = (await t.request('POST', '/api/v1/auth/2fa/setup', { token })).json();
    assert.equal((await t.request('POST', '/api/v1/auth/2fa/enable', { token, body: { code: await previousTotpCode(setup.secret_key) } })).statusCode, 200);
    const body = { email: tenant.admin.email, password: tenant.admin.password, totp_code: wrongTotpCode(setup.secret_key) };
    const res = await both('POST', '/api/v1/auth/login', 401, 'INVALID_TWO_FACTOR_CODE', { body });
    assert.match(res.ja.detail, /^認証コードが正しくない/);
    assert.equal(res.en.detail, 'The two-factor code is wrong, expired or already used');
  });

  test('validation errors: the detail and each field message, field paths unchanged', async () => {
    const body = { email: 'not-an-email', username: unique('v'), password: 'short', tenant_name: 'x', tenant_domain: `${unique('d').toLowerCase().replaceAll('_', '-')}.example.com` };
    const res = await both('POST', '/api/v1/auth/register', 422, 'VALIDATION_ERROR', { body });
    const field = (r: typeof res.ja, name: string) => r.errors?.find((e) => e.field === name)?.message;
    assert.equal(field(res.ja, 'email'), '有効なメールアドレスを入力してください');
    assert.equal(field(res.en, 'email'), 'must be a valid email address');
    assert.equal(field(res.ja, 'password'), '8 文字以上にしてください');
    assert.equal(field(res.en, 'password'), 'must be at least 8 characters');
    assert.deepEqual(res.ja.errors?.map((e) => e.field), res.en.errors?.map((e) => e.field));
    assert.match(res.ja.detail, /password: 8 文字以上にしてください/);
    // A missing field and an unknown one: our wording; anything else, Zod's own Japanese.
    const missing = await both('POST', '/api/v1/auth/login', 422, 'VALIDATION_ERROR', { body: { email: t.a.admin.email, extra: 1 } });
    assert.deepEqual(missing.ja.errors, [{ field: 'password', message: '入力してください' }, { field: 'body', message: '不明な項目です: extra' }]);
    assert.deepEqual(missing.en.errors, [{ field: 'password', message: 'is required' }, { field: 'body', message: 'unknown field: extra' }]);
    const zods = await both('GET', '/api/v1/contents', 422, 'VALIDATION_ERROR', { token: t.a.admin.accessToken, query: { status: 'bogus' } });
    assert.deepEqual(zods.ja.errors?.map((e) => e.field), ['status']);
    assert.match(zods.ja.errors![0]!.message, /^無効な選択/);
    assert.match(zods.en.errors![0]!.message, /^Invalid option/);
  });

  test('404: a foreign or missing document, and a route that does not exist', async () => {
    const res = await both('GET', `/api/v1/contents/${randomUUID()}`, 404, 'RESOURCE_NOT_FOUND', { token: t.a.admin.accessToken });
    assert.equal(res.ja.detail, 'ファイルが見つかりません。');
    assert.equal(res.en.detail, 'File not found');
    const route = await both('GET', '/api/v1/nothing-here', 404, 'RESOURCE_NOT_FOUND');
    assert.equal(route.ja.detail, 'GET /api/v1/nothing-here という API はありません。');
  });

  test('409 duplicate upload names the existing document', async () => {
    const token = t.a.admin.accessToken;
    const text = `就業規則 ${unique()}`;
    assert.equal((await uploadText(t, token, text, { title: '就業規則 2026' }, 'rules.txt')).statusCode, 201);
    const jaRes = expectError(await t.request('POST', '/api/v1/contents/upload', await duplicateUpload(text, ja)), 409, 'CONFLICT');
    const enRes = expectError(await t.request('POST', '/api/v1/contents/upload', await duplicateUpload(text, en)), 409, 'CONFLICT');
    assert.match(jaRes.detail, /^このファイルは「就業規則 2026」としてすでにアップロードされています。/);
    assert.match(enRes.detail, /^This file was already uploaded as "就業規則 2026"/);
  });

  /** The harness's upload helper sends no headers of its own: this is the same multipart request with a language. */
  async function duplicateUpload(text: string, headers: Record<string, string>): Promise<RequestOptions> {
    const { multipartBody } = await import('../test/upload.js');
    const { body, contentType } = multipartBody([{ fileName: 'copy.txt', bytes: Buffer.from(text, 'utf8') }]);
    return { token: t.a.admin.accessToken, body, headers: { ...headers, 'content-type': contentType } };
  }

  test('a failed document’s failure_reason, and one failed before reasons were stored in both languages', async () => {
    const token = t.a.admin.accessToken;
    const created = await uploadText(t, token, ' \n\t\n ', {}, 'blank.txt');
    assert.equal(created.statusCode, 201, created.body);
    const id: string = created.json().id;
    await waitForStatus(t, token, id, 'failed');
    const jaDoc = (await t.request('GET', `/api/v1/contents/${id}`, { token, headers: ja })).json();
    const enDoc = (await t.request('GET', `/api/v1/contents/${id}`, { token, headers: en })).json();
    assert.equal(jaDoc.failure_code, 'NO_TEXT');
    assert.equal(enDoc.failure_code, 'NO_TEXT');
    assert.equal(jaDoc.failure_reason, 'このテキストファイルは空です。登録する内容がありません。');
    assert.equal(enDoc.failure_reason, 'This text file is empty; there is nothing to index.');

    // As a document failed before migration 0007 is stored: a code and an English sentence.
    const old = 'This PDF contains only images (scanned pages); text recognition (OCR) is not supported yet.';
    await t.app.database.db.update(contents).set({ failureMessage: null, failureReason: old }).where(eq(contents.id, id));
    assert.equal((await t.request('GET', `/api/v1/contents/${id}`, { token, headers: ja })).json().failure_reason, failureCodeTexts.NO_TEXT.ja);
    assert.equal((await t.request('GET', `/api/v1/contents/${id}`, { token, headers: en })).json().failure_reason, old);
  });

  test('the texts of successful answers too: revoking an invitation', async () => {
    const revoke = async (headers: Record<string, string>) => {
      const invited = await t.request('POST', '/api/v1/invitations', { token: t.a.admin.accessToken, body: { email: `${unique('inv')}@example.com` } });
      assert.equal(invited.statusCode, 201, invited.body);
      const res = await t.request('DELETE', `/api/v1/invitations/${invited.json().id}`, { token: t.a.admin.accessToken, headers });
      assert.equal(res.statusCode, 200, res.body);
      return res.json().message;
    };
    assert.equal(await revoke(ja), '招待を取り消しました。');
    assert.equal(await revoke(en), 'Invitation revoked');
  });

  test('a document’s reading notes (warnings), and one stored before they had both languages', async () => {
    const token = t.a.admin.accessToken;
    const created = await uploadFile(t, token, 'western.txt', Buffer.from('Caf\xe9 cr\xe8me, na\xefve fa\xe7ade, d\xe9j\xe0 vu.\n', 'latin1'));
    assert.equal(created.statusCode, 201, created.body);
    const id: string = created.json().id;
    await waitForStatus(t, token, id, 'completed');
    const read = async (headers: Record<string, string>) => (await t.request('GET', `/api/v1/contents/${id}`, { token, headers })).json().warnings;
    assert.deepEqual(await read(ja), ['UTF-8 でも日本語の文字コードでもなかったため、Windows-1252（西欧）として読み取りました。']);
    assert.deepEqual(await read(en), ['The text was not UTF-8 or a Japanese encoding; it was read as Windows-1252 (Western European).']);
    await t.app.database.db.update(contents).set({ warnings: ['An English note from before.'] }).where(eq(contents.id, id));
    assert.deepEqual(await read(ja), ['An English note from before.'], 'shown as stored until the document is reprocessed');
  });
});

describe('429 in the caller’s language, with its seconds', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ rateLimits: { searchPerMinute: 1 } });
  });
  after(() => t.close());

  test('the search limit', async () => {
    const search = (headers: Record<string, string>) => t.request('POST', '/api/v1/search', { token: t.a.admin.accessToken, body: { query: '有給休暇' }, headers });
    assert.notEqual((await search(ja)).statusCode, 429);
    const jaRes = await search(ja);
    const jaBody = expectError(jaRes, 429, 'RATE_LIMIT_EXCEEDED');
    const seconds = jaRes.headers['retry-after'];
    assert.match(jaBody.detail, new RegExp(`^リクエストが多すぎます。${seconds} 秒後にもう一度お試しください。$`));
    const enRes = await search(en);
    assert.match(expectError(enRes, 429, 'RATE_LIMIT_EXCEEDED').detail, new RegExp(`^Too many requests. Try again in ${enRes.headers['retry-after']} seconds.$`));
  });
});
