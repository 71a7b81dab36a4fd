// Deliveries to a receiver on loopback: signed so the receiver's check passes (and fails on a tampered
// body), the same bytes on every attempt, retries with backoff on the job queue until a 2xx or the last
// attempt, the delivery log in both languages, and the events a real upload, crawl and 👎 send.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildTestApp, type TestApp } from '../../test/harness.js';
import { startFakeServer } from '../../test/fake-server.js';
import { uploadAndProcess } from '../../test/upload.js';
import { startWebhookReceiver, type ReceivedRequest, type WebhookReceiver } from './test-support/webhook-receiver.js';
import { verifyWebhookSignature } from './webhook-signature.js';

const WEBHOOKS = '/api/v1/webhooks';
let t: TestApp;
let receiver: WebhookReceiver;
before(async () => {
  receiver = await startWebhookReceiver();
  // Three attempts a second apart instead of eight over hours.
  t = await buildTestApp({ webhooks: { timeoutMs: 3000, retryDelaysSeconds: [1, 1] } });
});
after(async () => {
  await t?.close();
  await receiver?.close();
});

const admin = () => t.a.admin.accessToken;
async function register(name: string, events: string[], extra: Record<string, unknown> = {}) {
  const res = await t.request('POST', WEBHOOKS, { token: admin(), body: { url: receiver.url(name), events, ...extra } });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as { id: string; secret: string };
}
const at = (name: string) => (r: ReceivedRequest) => r.path === `/hooks/${name}`;
const deliveries = async (id: string, language = 'en') => {
  const res = await t.request('GET', `${WEBHOOKS}/${id}/deliveries`, { token: t.a.operator.accessToken, headers: { 'accept-language': language } });
  assert.equal(res.statusCode, 200, res.body);
  return { rows: res.json() as Array<Record<string, any>>, total: Number(res.headers['x-total-count']) };
};
async function waitForLog(id: string, done: (rows: Array<Record<string, any>>) => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await deliveries(id);
    if (done(rows)) return rows;
    if (Date.now() > deadline) throw new Error(`the delivery log did not get there: ${JSON.stringify(rows)}`);
    await sleep(100);
  }
}
/** What a receiver does: verify the signature over the raw bytes, then parse. */
function verified(request: ReceivedRequest, secret: string) {
  assert.equal(verifyWebhookSignature(secret, request.headers['shiori-signature'] as string, request.rawBody), true, `signature of ${request.rawBody.slice(0, 80)}`);
  return JSON.parse(request.rawBody);
}

describe('signed deliveries', () => {
  test('"send test event": the receiver verifies the signature; a tampered body or a stale timestamp fails', async () => {
    const endpoint = await register('test', ['document.completed']);
    const sent = await t.request('POST', `${WEBHOOKS}/${endpoint.id}/test`, { token: admin() });
    assert.equal(sent.statusCode, 202, sent.body);
    assert.equal(sent.json().status, 'pending');
    const [request] = await receiver.waitFor(1, at('test'));
    assert.equal(request!.headers['content-type'], 'application/json');
    assert.equal(request!.headers['shiori-event'], 'test');
    assert.equal(request!.headers['shiori-delivery'], sent.json().id);
    const body = verified(request!, endpoint.secret);
    assert.match(body.id, /^evt_[0-9a-f]{24}$/);
    assert.equal(body.id, sent.json().event_id);
    assert.equal(body.type, 'test');
    assert.equal(body.tenant_id, t.a.id);
    assert.ok(Math.abs(body.created - Date.now() / 1000) < 30);
    assert.equal(body.data.webhook_id, endpoint.id);

    const header = request!.headers['shiori-signature'] as string;
    assert.equal(verifyWebhookSignature(endpoint.secret, header, request!.rawBody.replace('"test"', '"document.completed"')), false, 'tampered body');
    assert.equal(verifyWebhookSignature(endpoint.secret, header, request!.rawBody, 300, Date.now() / 1000 + 301), false, 'replayed after the tolerance');
    assert.equal(verifyWebhookSignature('whsec_someone_else', header, request!.rawBody), false, 'another secret');

    const [row] = await waitForLog(endpoint.id, (rows) => rows[0]?.status === 'succeeded');
    assert.equal(row!.attempts, 1);
    assert.equal(row!.last_status_code, 200);
    assert.equal(row!.last_error, null);
    assert.equal(row!.next_attempt_at, null);
    assert.ok(row!.delivered_at && row!.last_duration_ms >= 0);
  });

  test('a receiver that fails once gets the same bytes again after the backoff, signed with the rotated secret', async () => {
    const endpoint = await register('flaky', ['document.completed']);
    receiver.answerWith('flaky', 500);
    const sent = (await t.request('POST', `${WEBHOOKS}/${endpoint.id}/test`, { token: admin() })).json();
    await receiver.waitFor(1, at('flaky'));
    const [pending] = await waitForLog(endpoint.id, (rows) => rows[0]?.attempts === 1 && rows[0]?.last_status_code === 500);
    assert.equal(pending!.status, 'pending');
    assert.match(pending!.last_error, /HTTP 500/);
    assert.equal(pending!.last_error_code, 'HTTP_ERROR');
    assert.ok(pending!.next_attempt_at, 'the next try is shown');
    const ja = (await deliveries(endpoint.id, 'ja')).rows[0]!;
    assert.match(ja.last_error, /HTTP 500 を返しました/);
    const rotated = (await t.request('POST', `${WEBHOOKS}/${endpoint.id}/rotate-secret`, { token: admin() })).json();

    const [first, second] = await receiver.waitFor(2, at('flaky'));
    assert.equal(second!.rawBody, first!.rawBody, 'a retry sends the same bytes');
    assert.equal(second!.headers['shiori-delivery'], sent.id);
    assert.ok(second!.at - first!.at >= 900, `retried after the backoff (${second!.at - first!.at} ms)`);
    verified(second!, rotated.secret);
    const [row] = await waitForLog(endpoint.id, (rows) => rows[0]?.status === 'succeeded');
    assert.equal(row!.attempts, 2);
    assert.equal(row!.last_error, null);
  });

  test('a receiver that keeps failing: after the last attempt the delivery is failed, with the reason in both languages', async () => {
    const endpoint = await register('down', ['document.completed']);
    receiver.answerWith('down', 503, 503, 503);
    await t.request('POST', `${WEBHOOKS}/${endpoint.id}/test`, { token: admin() });
    const [row] = await waitForLog(endpoint.id, (rows) => rows[0]?.status === 'failed');
    assert.equal(row!.attempts, 3);
    assert.equal(row!.max_attempts, 3);
    assert.equal(row!.next_attempt_at, null);
    assert.match(row!.last_error, /HTTP 503/);
    assert.match((await deliveries(endpoint.id, 'ja')).rows[0]!.last_error, /HTTP 503/);
    assert.equal((await receiver.waitFor(3, at('down'))).length, 3);
    await sleep(1500);
    assert.equal(receiver.received.filter(at('down')).length, 3, 'nothing after the last attempt');
    const failed = await t.request('GET', `${WEBHOOKS}/${endpoint.id}/deliveries`, { token: admin(), query: { status: 'failed' } });
    assert.equal(failed.headers['x-total-count'], '1');
  });

  test('a receiver nobody listens on: the reason says it could not connect', async () => {
    const gone = await startWebhookReceiver();
    await gone.close();
    const res = await t.request('POST', WEBHOOKS, { token: admin(), body: { url: gone.url('nobody'), events: ['document.completed'] } });
    await t.request('POST', `${WEBHOOKS}/${res.json().id}/test`, { token: admin() });
    const [row] = await waitForLog(res.json().id, (rows) => rows[0]?.attempts >= 1 && rows[0]?.last_error);
    assert.equal(row!.last_error_code, 'CONNECTION_FAILED');
    assert.match(row!.last_error, /Could not connect \(ECONNREFUSED\)/);
  });
  test('a redirect is a failed attempt naming its target, never followed', async () => {
    const redirecting = await startFakeServer(async (req, res) => {
      res.writeHead(req.url === '/hooks/moved' ? 307 : 200, { location: `${receiver.url('redirect-target')}` });
      res.end();
    });
    try {
      const res = await t.request('POST', WEBHOOKS, { token: admin(), body: { url: `${redirecting.origin}/hooks/moved`, events: ['document.completed'] } });
      await t.request('POST', `${WEBHOOKS}/${res.json().id}/test`, { token: admin() });
      const [row] = await waitForLog(res.json().id, (rows) => rows[0]?.last_error_code === 'REDIRECTED');
      assert.equal(row!.last_status_code, 307);
      assert.match(row!.last_error, /redirect \(HTTP 307\) to http:\/\/127\.0\.0\.1:\d+\/hooks\/redirect-target; redirects are not followed/);
      assert.equal(receiver.received.filter(at('redirect-target')).length, 0, 'the target got nothing');
      await t.request('DELETE', `${WEBHOOKS}/${res.json().id}`, { token: admin() });
    } finally {
      await redirecting.close();
    }
  });

  test('disabling an endpoint ends its waiting retries as failed (ENDPOINT_DISABLED); the log never shows the secret', async () => {
    // A tenant of its own: its upload's event goes to this endpoint alone.
    const tenant = await t.createTenant('disabling');
    const token = tenant.admin.accessToken;
    const endpoint = (await t.request('POST', WEBHOOKS, { token, body: { url: receiver.url('disabled-later'), events: ['document.completed'] } })).json();
    receiver.answerWith('disabled-later', 500);
    await uploadAndProcess(t, token, 'faq.txt', '送料は全国一律 500 円です。');
    const waitForOwnLog = async (done: (row: Record<string, any>) => boolean) => {
      for (let i = 0; i < 200; i++) {
        const row = (await t.request('GET', `${WEBHOOKS}/${endpoint.id}/deliveries`, { token })).json()[0];
        if (row && done(row)) return row;
        await sleep(100);
      }
      throw new Error('the delivery log did not get there');
    };
    await waitForOwnLog((row) => row.attempts === 1 && row.last_status_code === 500);
    assert.equal((await t.request('PATCH', `${WEBHOOKS}/${endpoint.id}`, { token, body: { enabled: false } })).statusCode, 200);
    const row = await waitForOwnLog((r) => r.status === 'failed');
    assert.equal(row.last_error_code, 'ENDPOINT_DISABLED');
    assert.equal(row.event_type, 'document.completed');
    assert.equal(row.attempts, 1, 'only the attempt that was sent counts');
    const ja = (await t.request('GET', `${WEBHOOKS}/${endpoint.id}/deliveries`, { token, headers: { 'accept-language': 'ja' } })).json()[0];
    assert.match(ja.last_error, /無効になっている/);
    assert.equal(receiver.received.filter(at('disabled-later')).length, 1, 'no second attempt was sent');
    const log = await t.request('GET', `${WEBHOOKS}/${endpoint.id}/deliveries`, { token });
    assert.ok(!log.body.includes(endpoint.secret) && !log.body.includes(endpoint.secret.slice(6)));
  });

  test('a receiver that never answers times out, and its deliveries do not hold up documents', async () => {
    const silent = await startFakeServer(() => new Promise(() => {}));
    try {
      const res = await t.request('POST', WEBHOOKS, { token: admin(), body: { url: `${silent.origin}/hooks/silent`, events: ['document.completed'] } });
      const id = res.json().id as string;
      // More deliveries than the worker has slots, documents' and webhooks' together.
      for (let i = 0; i < 6; i++) assert.equal((await t.request('POST', `${WEBHOOKS}/${id}/test`, { token: admin() })).statusCode, 202);
      const doc = await uploadAndProcess(t, admin(), 'while-waiting.txt', '返品は 30 日以内に受け付けます。');
      assert.equal(doc.detail.status, 'completed');
      const { rows: meanwhile } = await deliveries(id);
      assert.ok(meanwhile.every((d) => d.last_attempt_at === null), 'the document was done before any delivery’s first attempt timed out');
      const rows = await waitForLog(id, (list) => list.some((d) => d.last_error_code === 'TIMEOUT'));
      assert.match(rows.find((d) => d.last_error_code === 'TIMEOUT')!.last_error, /did not answer within 3 s/);
      assert.equal((await t.request('DELETE', `${WEBHOOKS}/${id}`, { token: admin() })).statusCode, 200, 'deleting it drops its queued attempts');
    } finally {
      await silent.close();
    }
  });
});

describe('events', () => {
  test('an upload completing and one failing send document.completed and document.failed to the endpoints subscribed', async () => {
    const both = await register('docs', ['document.completed', 'document.failed']);
    const failedOnly = await register('docs-failed', ['document.failed']);
    const off = await register('docs-off', ['document.completed', 'document.failed'], { enabled: false });

    const good = await uploadAndProcess(t, admin(), 'hours.txt', '営業時間は 9 時から 18 時です。');
    assert.equal(good.detail.status, 'completed');
    const bad = await uploadAndProcess(t, admin(), 'blank.txt', '   \n\n   ');
    assert.equal(bad.detail.status, 'failed');

    const got = await receiver.waitFor(2, at('docs'));
    const events = got.map((r) => verified(r, both.secret));
    const completed = events.find((e) => e.type === 'document.completed');
    assert.equal(completed.data.document.id, good.id);
    assert.equal(completed.data.document.file_name, 'hours.txt');
    assert.equal(completed.data.document.status, 'completed');
    assert.ok(completed.data.document.chunk_count >= 1);
    const failed = events.find((e) => e.type === 'document.failed');
    assert.equal(failed.data.document.id, bad.id);
    assert.equal(failed.data.document.failure_code, 'NO_TEXT');
    assert.ok(failed.data.document.failure_reason.ja && failed.data.document.failure_reason.en, 'the reason in both languages');
    assert.equal(got.find((r) => r.headers['shiori-event'] === 'document.failed')!.headers['shiori-event'], 'document.failed');

    const onlyFailed = await receiver.waitFor(1, at('docs-failed'));
    assert.equal(verified(onlyFailed[0]!, failedOnly.secret).data.document.id, bad.id);
    await sleep(500);
    assert.equal(receiver.received.filter(at('docs-failed')).length, 1, 'not sent what it did not subscribe to');
    assert.equal(receiver.received.filter(at('docs-off')).length, 0, 'a disabled endpoint gets nothing');
    assert.equal((await deliveries(off.id)).total, 0);
  });

  test('👎 on an answer sends answer.rated_down with the question and the answer; 👍 sends nothing', async () => {
    const endpoint = await register('rated', ['answer.rated_down']);
    const answer = (await t.request('POST', '/api/v1/chats/rag', { token: t.a.operator.accessToken, body: { query: '営業時間を教えてください', model: 'extractive' } })).json();
    const rate = (rating: string) =>
      t.request('PUT', `/api/v1/conversations/${answer.conversation_id}/messages/${answer.message_id}/feedback`, { token: t.a.operator.accessToken, body: { rating, comment: '古い情報です' } });
    assert.equal((await rate('up')).statusCode, 200);
    assert.equal((await rate('down')).statusCode, 200);
    const [request] = await receiver.waitFor(1, at('rated'));
    const event = verified(request!, endpoint.secret);
    assert.equal(event.type, 'answer.rated_down');
    assert.equal(event.data.message_id, answer.message_id);
    assert.equal(event.data.conversation_id, answer.conversation_id);
    assert.equal(event.data.question, '営業時間を教えてください');
    assert.equal(event.data.comment, '古い情報です');
    assert.equal(event.data.channel, 'api', 'asked with a bearer token');
    assert.ok(event.data.answer.length > 0);
    await sleep(300);
    assert.equal(receiver.received.filter(at('rated')).length, 1, 'the 👍 sent nothing');
  });

  test('a website crawl finishing sends website.synced with its counts', async () => {
    const endpoint = await register('sites', ['website.synced']);
    const site = await t.request('POST', '/api/v1/sources/websites', { token: admin(), body: { start_url: `${receiver.origin}/site/`, sync_interval_hours: 0 } });
    assert.equal(site.statusCode, 201, site.body);
    const [request] = await receiver.waitFor(1, at('sites'));
    const event = verified(request!, endpoint.secret);
    assert.equal(event.type, 'website.synced');
    assert.equal(event.data.website.id, site.json().id);
    assert.equal(event.data.website.start_url, `${receiver.origin}/site/`);
    assert.equal(typeof event.data.website.progress.discovered, 'number');
    assert.ok(event.data.website.last_crawl_finished_at);
  });

  test("one tenant's events never reach another tenant's endpoint", async () => {
    const theirs = await t.request('POST', WEBHOOKS, { token: t.b.admin.accessToken, body: { url: receiver.url('tenant-b'), events: ['document.completed'] } });
    assert.equal(theirs.statusCode, 201);
    await uploadAndProcess(t, admin(), 'only-a.txt', 'A だけの文書です。');
    await receiver.waitFor(1, (r) => at('docs')(r) && r.rawBody.includes('only-a.txt'));
    await sleep(300);
    assert.equal(receiver.received.filter(at('tenant-b')).length, 0);
  });
});
