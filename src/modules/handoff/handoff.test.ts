import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, expectError, type TestApp, type TestTenant } from '../../test/harness.js';
import { uploadAndProcess } from '../../test/upload.js';
import { workRulesJa } from '../retrieval/test-support/documents.js';

// Handing a widget conversation to a person, over HTTP: the settings, the offer in the chat, the
// visitor taking it, business hours against a fixed clock, operators' notes, and isolation.

const SITE = 'https://www.shiori-shoji.example';
/** Monday 2026-12-07, 10:00 in Tokyo. */
const MONDAY_10_TOKYO = new Date('2026-12-07T01:00:00Z');
const WEEKDAYS_9_18 = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, { start: '09:00', end: '18:00' }]));

let t: TestApp;
let clock = MONDAY_10_TOKYO;
let keyA: string;
let keyB: string;

async function widgetKey(tenant: TestTenant): Promise<string> {
  const res = await t.request('GET', `/api/v1/tenants/${tenant.id}/embed-snippet`, { token: tenant.admin.accessToken });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().api_key;
}

const setWidget = (tenant: TestTenant, widget: Record<string, unknown>, language = 'en') =>
  t.request('PATCH', `/api/v1/tenants/${tenant.id}`, { token: tenant.admin.accessToken, body: { widget }, headers: { 'accept-language': language } });

const visitorHeaders = (key: string, visitor: string, language = 'ja') => ({ 'x-api-key': key, 'x-visitor-id': visitor, origin: SITE, 'accept-language': language });

const ask = (key: string, visitor: string, query: string, language = 'ja') => t.request('POST', '/api/v1/chats/widget/chat', { headers: visitorHeaders(key, visitor, language), body: { query } });

const handOff = (key: string, visitor: string, body: Record<string, unknown>, language = 'ja') =>
  t.request('POST', '/api/v1/chats/widget/handoff', { headers: visitorHeaders(key, visitor, language), body });

const mailRoute = { kind: 'email', target: 'support@shiori-shoji.example', hours: WEEKDAYS_9_18 };

before(async () => {
  t = await buildTestApp({}, { now: () => clock });
  await uploadAndProcess(t, t.a.admin.accessToken, '就業規則.txt', workRulesJa);
  keyA = await widgetKey(t.a);
  keyB = await widgetKey(t.b);
  assert.equal((await setWidget(t.a, { contact: 'お電話 03-1234-5678（平日9–18時）', contact_route: mailRoute })).statusCode, 200);
});
after(() => t?.close());

describe('the contact route in the widget settings', () => {
  test('an ADMIN sets it; the defaults fill label and time zone; the `contact` text stays as it was', async () => {
    const res = await t.request('GET', `/api/v1/tenants/${t.a.id}`, { token: t.a.operator.accessToken });
    const widget = res.json().settings.widget;
    assert.equal(widget.contact, 'お電話 03-1234-5678（平日9–18時）');
    assert.deepEqual(widget.contact_route, { ...mailRoute, label: null, time_zone: 'Asia/Tokyo' });
    const config = await t.request('GET', '/api/v1/chats/widget/config', { headers: { 'x-api-key': keyA, origin: SITE } });
    assert.equal(config.json().contact_route.kind, 'email');
  });

  test('each kind takes its own kind of target', async () => {
    const tenant = await t.createTenant('kinds');
    for (const route of [
      { kind: 'url', target: 'https://www.example.co.jp/contact?from=chat' },
      { kind: 'email', target: 'help@example.co.jp' },
      { kind: 'line', target: 'https://lin.ee/AbCdEf1' },
      { kind: 'line', target: 'https://line.me/R/ti/p/@example' },
      { kind: 'teams', target: 'https://teams.microsoft.com/l/chat/0/0?users=help@example.co.jp' },
      { kind: 'slack', target: 'https://example.slack.com/archives/C012AB3CD' },
    ]) {
      const res = await setWidget(tenant, { contact_route: { ...route, label: '相談する', time_zone: 'America/New_York' } });
      assert.equal(res.statusCode, 200, `${JSON.stringify(route)}: ${res.body}`);
      assert.equal(res.json().settings.widget.contact_route.target, route.target);
    }
    const cleared = await setWidget(tenant, { contact_route: null });
    assert.equal(cleared.json().settings.widget.contact_route, null);
  });

  const invalid: Array<[string, Record<string, unknown>, string, RegExp, RegExp]> = [
    ['an unknown kind', { kind: 'fax', target: '03-1234' }, 'widget.contact_route.kind', /one of: url, email/, /次のいずれか/],
    ['a plain http URL', { kind: 'url', target: 'http://www.example.co.jp/contact' }, 'widget.contact_route.target', /https:\/\//, /https:\/\/ で始まる/],
    ['a javascript: URL', { kind: 'url', target: 'javascript:alert(1)' }, 'widget.contact_route.target', /https:\/\//, /https:\/\/ で始まる/],
    ['a mail address without a domain', { kind: 'email', target: 'support@' }, 'widget.contact_route.target', /email address/, /メールアドレス/],
    ['a LINE route on another host', { kind: 'line', target: 'https://evil.example/line.me' }, 'widget.contact_route.target', /line link \(line\.me or lin\.ee\)/, /LINE のリンク/],
    ['a Teams route on another host', { kind: 'teams', target: 'https://teams.microsoft.com.evil.example/l/chat' }, 'widget.contact_route.target', /teams link/, /Teams のリンク/],
    ['a Slack route on another host', { kind: 'slack', target: 'https://slack.com.evil.example/x' }, 'widget.contact_route.target', /slack link/, /Slack のリンク/],
    ['a time that is not HH:MM', { ...mailRoute, hours: { mon: { start: '9時', end: '18:00' } } }, 'widget.contact_route.hours.mon.start', /00:00 to 24:00/, /時刻（HH:MM）/],
    ['hours that end before they start', { ...mailRoute, hours: { tue: { start: '18:00', end: '09:00' } } }, 'widget.contact_route.hours.tue.end', /after the start/, /開始より後/],
    ['an unknown weekday', { ...mailRoute, hours: { monday: { start: '09:00', end: '18:00' } } }, 'widget.contact_route.hours', /unknown field/, /不明な項目/],
    ['an unknown time zone', { ...mailRoute, time_zone: 'Tokyo' }, 'widget.contact_route.time_zone', /IANA time zone/, /タイムゾーン/],
    ['a label of 41 characters', { ...mailRoute, label: 'あ'.repeat(41) }, 'widget.contact_route.label', /at most 40/, /40 文字以内/],
    ['a target of 501 characters', { kind: 'url', target: `https://example.co.jp/${'a'.repeat(480)}` }, 'widget.contact_route.target', /at most 500/, /500 文字以内/],
  ];
  for (const [name, route, field, english, japanese] of invalid) {
    test(`refuses ${name}: 422 on ${field}, in English and in Japanese`, async () => {
      for (const [language, wording] of [['en', english], ['ja', japanese]] as const) {
        const error = expectError(await setWidget(t.a, { contact_route: route }, language), 422, 'VALIDATION_ERROR');
        const problem = error.errors?.find((e) => e.field === field);
        assert.ok(problem, `${language}: ${JSON.stringify(error)}`);
        assert.match(problem.message, wording, `${language}: ${JSON.stringify(error)}`);
      }
    });
  }

  test('a refused route leaves the stored one as it was', async () => {
    const res = await t.request('GET', `/api/v1/tenants/${t.a.id}`, { token: t.a.admin.accessToken });
    assert.equal(res.json().settings.widget.contact_route.target, mailRoute.target);
  });
});

describe('the offer in the widget chat', () => {
  test('「担当者と話したい」 is answered with the offer, without searching', async () => {
    for (const query of ['担当者と話したい', '人に繋いでください', 'オペレーターをお願いします']) {
      const res = await ask(keyA, 'visitor_ja_1', query);
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.equal(body.metadata.model, 'handoff', query);
      assert.deepEqual(body.sources, [], query);
      assert.match(body.answer, /担当者におつなぎします。下の「メールで問い合わせる」からお問い合わせください。/);
      assert.match(body.answer, /お電話 03-1234-5678/, 'the contact text is part of it');
      assert.deepEqual(body.metadata.handoff, { reason: 'asked', kind: 'email', label: 'メールで問い合わせる', open: true, next_open_at: null, notice: null });
    }
  });

  test('the handoff reply searched nothing: stored without a query, and the next question is not joined to it', async () => {
    const first = (await ask(keyA, 'visitor_ja_9', '担当者と話したい')).json();
    const next = await t.request('POST', '/api/v1/chats/widget/chat', { headers: visitorHeaders(keyA, 'visitor_ja_9'), body: { query: '有給は？', session_id: first.conversation_id } });
    assert.equal(next.statusCode, 200, next.body);
    const detail = (await t.request('GET', `/api/v1/conversations/${first.conversation_id}`, { token: t.a.admin.accessToken })).json();
    const answers = detail.messages.filter((m: { role: string }) => m.role === 'assistant');
    assert.equal(answers[0].retrieval_query, null);
    assert.equal(answers[1].retrieval_query, '有給は？', 'no context terms from the handoff turn');
  });

  test('"talk to a human" in English, answered in English', async () => {
    for (const query of ['Can I talk to a human?', 'operator', 'Please connect me to a real person']) {
      const body = (await ask(keyA, 'visitor_en_1', query, 'en')).json();
      assert.equal(body.metadata.model, 'handoff', query);
      assert.match(body.answer, /^I can put you in touch with a person: use “Email us” below\./);
      assert.equal(body.metadata.handoff.label, 'Email us');
    }
  });

  test('questions about people are still searched and answered from the documents', async () => {
    const body = (await ask(keyA, 'visitor_ja_2', '年次有給休暇は何日ですか？')).json();
    assert.equal(body.metadata.model, 'extractive');
    assert.ok(body.sources.length > 0);
    assert.equal(body.metadata.handoff, undefined, 'an answered question offers nothing');
    for (const query of ['経理の担当者は誰ですか？', 'What does an operator do?']) {
      const asked = (await ask(keyA, 'visitor_ja_2', query)).json();
      assert.notEqual(asked.metadata.model, 'handoff', query);
    }
  });

  test('an unanswerable question carries the offer (reason not_found) under the not-found answer', async () => {
    const body = (await ask(keyA, 'visitor_ja_3', '火星への出張旅費はいくらですか？')).json();
    assert.match(body.answer, /見つかりませんでした/);
    assert.match(body.answer, /担当者へのお問い合わせはこちら: お電話 03-1234-5678/);
    assert.equal(body.metadata.handoff.reason, 'not_found');
    assert.equal(body.metadata.handoff.label, 'メールで問い合わせる');
  });

  test('the dashboard and the API never hand off: the same words are searched', async () => {
    const res = await t.request('POST', '/api/v1/chats/rag', { token: t.a.operator.accessToken, body: { query: '担当者と話したい' } });
    const body = res.json();
    assert.equal(body.metadata.model, 'extractive');
    assert.equal(body.metadata.handoff, undefined);
  });

  test('a tenant with no contact at all searches the words as a question', async () => {
    const tenant = await t.createTenant('nocontact');
    const body = (await ask(await widgetKey(tenant), 'visitor_none_1', '担当者と話したい')).json();
    assert.equal(body.metadata.model, 'extractive');
    assert.equal(body.metadata.handoff, undefined);
  });

  test('with only the contact text (no route): the answer gives the text, no button is offered', async () => {
    const tenant = await t.createTenant('textonly');
    await setWidget(tenant, { contact: 'support@textonly.example' });
    const body = (await ask(await widgetKey(tenant), 'visitor_text_1', 'talk to a human', 'en')).json();
    assert.equal(body.metadata.model, 'handoff');
    assert.equal(body.answer, 'I can put you in touch with a person.\nTo reach a person: support@textonly.example');
    assert.equal(body.metadata.handoff, undefined);
  });
});

describe('taking the offer', () => {
  test('marks the conversation handed off and returns a mailto: naming the conversation', async () => {
    const visitor = 'visitor_take_1';
    const asked = (await ask(keyA, visitor, '火星への出張旅費はいくらですか？')).json();
    const res = await handOff(keyA, visitor, { conversation_id: asked.conversation_id, message: '急ぎで確認したいです', contact: 'taro@example.jp' });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.status, 'requested');
    assert.equal(body.requested_at, MONDAY_10_TOKYO.toISOString());
    assert.equal(body.route.kind, 'email');
    assert.equal(body.route.label, 'メールで問い合わせる');
    const mail = new URL(body.route.href);
    assert.equal(mail.protocol, 'mailto:');
    assert.equal(mail.pathname, 'support@shiori-shoji.example');
    assert.equal(mail.searchParams.get('subject'), `チャットからのお問い合わせ（${asked.conversation_id.slice(0, 8)}）`);
    assert.match(mail.searchParams.get('body')!, /チャットでの質問: 火星への出張旅費はいくらですか？\n\n急ぎで確認したいです\n\n（会話 ID: /);
    assert.equal(body.open, true);

    const detail = (await t.request('GET', `/api/v1/conversations/${asked.conversation_id}`, { token: t.a.operator.accessToken })).json();
    assert.deepEqual(detail.handoff, { status: 'requested', requested_at: MONDAY_10_TOKYO.toISOString(), message: '急ぎで確認したいです', contact: 'taro@example.jp', note: null, handled_by: null, handled_at: null });
  });

  test('a URL route opens as it is; asking twice keeps the first time', async () => {
    const tenant = await t.createTenant('url');
    await setWidget(tenant, { contact_route: { kind: 'url', target: 'https://www.example.co.jp/contact' } });
    const key = await widgetKey(tenant);
    const asked = (await ask(key, 'visitor_url_1', 'talk to a human', 'en')).json();
    const first = (await handOff(key, 'visitor_url_1', { conversation_id: asked.conversation_id }, 'en')).json();
    assert.deepEqual(first.route, { kind: 'url', label: 'Contact a person', href: 'https://www.example.co.jp/contact' });
    clock = new Date(MONDAY_10_TOKYO.getTime() + 60_000);
    try {
      const again = (await handOff(key, 'visitor_url_1', { conversation_id: asked.conversation_id, message: 'still there?' }, 'en')).json();
      assert.equal(again.requested_at, first.requested_at);
      const detail = (await t.request('GET', `/api/v1/conversations/${asked.conversation_id}`, { token: tenant.admin.accessToken })).json();
      assert.equal(detail.handoff.message, 'still there?');
    } finally {
      clock = MONDAY_10_TOKYO;
    }
  });

  test('refusals: no route 409, another visitor’s or a dashboard conversation 404, bad input 422', async () => {
    const tenant = await t.createTenant('refusals');
    const key = await widgetKey(tenant);
    const asked = (await ask(key, 'visitor_ref_1', '火星への出張旅費は？')).json();
    expectError(await handOff(key, 'visitor_ref_1', { conversation_id: asked.conversation_id }), 409, 'CONFLICT');

    const mine = (await ask(keyA, 'visitor_ref_2', '火星への出張旅費は？')).json();
    expectError(await handOff(keyA, 'visitor_ref_3', { conversation_id: mine.conversation_id }), 404, 'RESOURCE_NOT_FOUND');
    const dashboard = (await t.request('POST', '/api/v1/chats/rag', { token: t.a.operator.accessToken, body: { query: '火星への出張旅費は？' } })).json();
    expectError(await handOff(keyA, 'visitor_ref_2', { conversation_id: dashboard.conversation_id }), 404, 'RESOURCE_NOT_FOUND');
    expectError(await handOff(keyA, 'visitor_ref_2', { conversation_id: 'nope' }), 422, 'VALIDATION_ERROR');
    expectError(await handOff(keyA, 'visitor_ref_2', { conversation_id: mine.conversation_id, message: 'x'.repeat(1001) }), 422, 'VALIDATION_ERROR');
    expectError(await handOff(keyA, 'visitor_ref_2', { conversation_id: mine.conversation_id, status: 'closed' }), 422, 'VALIDATION_ERROR');
    expectError(await t.request('POST', '/api/v1/chats/widget/handoff', { headers: { origin: SITE }, body: { conversation_id: mine.conversation_id } }), 401, 'AUTHENTICATION_ERROR');
  });

  test('the preflight allows the route from any page', async () => {
    const res = await t.request('OPTIONS', '/api/v1/chats/widget/handoff', { headers: { origin: SITE, 'access-control-request-method': 'POST' } });
    assert.equal(res.statusCode, 204);
    assert.equal(res.headers['access-control-allow-origin'], SITE);
  });
});

describe('business hours against a fixed clock', () => {
  const at = async (instant: string, key: string, visitor: string, language: string, query: string) => {
    clock = new Date(instant);
    try {
      const asked = (await ask(key, visitor, query, language)).json();
      const taken = (await handOff(key, visitor, { conversation_id: asked.conversation_id }, language)).json();
      return { offer: asked.metadata.handoff, answer: asked.answer as string, taken };
    } finally {
      clock = MONDAY_10_TOKYO;
    }
  };

  test('Tokyo, weekdays 9–18: open at 10:00, closed in the evening, at the weekend and before nine', async () => {
    const open = await at('2026-12-07T01:00:00Z', keyA, 'visitor_h_1', 'ja', '担当者と話したい');
    assert.equal(open.offer.open, true);
    assert.doesNotMatch(open.answer, /受付時間外/);

    const evening = await at('2026-12-07T11:00:00Z', keyA, 'visitor_h_2', 'ja', '担当者と話したい'); // Monday 20:00
    assert.equal(evening.offer.open, false);
    assert.equal(evening.offer.notice, '受付時間外です。明日の 9:00 以降に担当者が対応します。');
    assert.equal(evening.offer.next_open_at, '2026-12-08T00:00:00.000Z');
    assert.doesNotMatch(evening.answer, /受付時間外/, 'the notice goes with the button, not into the stored answer');
    assert.equal(evening.taken.notice, evening.offer.notice, 'the route says the same');

    const friday = await at('2026-12-11T10:30:00Z', keyA, 'visitor_h_3', 'ja', '人に繋いで'); // Friday 19:30
    assert.equal(friday.offer.notice, '受付時間外です。月曜日の 9:00 以降に担当者が対応します。');
    assert.equal(friday.offer.next_open_at, '2026-12-14T00:00:00.000Z');

    const early = await at('2026-12-08T22:30:00Z', keyA, 'visitor_h_4', 'en', 'talk to a human'); // Wednesday 07:30
    assert.equal(early.offer.notice, 'We are closed now; a person will answer from 9:00 today (Japan time).');
    assert.equal(early.offer.next_open_at, '2026-12-09T00:00:00.000Z');

    const closing = await at('2026-12-07T09:00:00Z', keyA, 'visitor_h_5', 'ja', '担当者と話したい'); // Monday 18:00 sharp: closed
    assert.equal(closing.offer.open, false);
  });

  test('New York across the start of daylight saving time, and Tokyo’s Monday morning is New York’s Sunday', async () => {
    const tenant = await t.createTenant('newyork');
    await setWidget(tenant, { contact_route: { kind: 'slack', target: 'https://example.slack.com/archives/C1', time_zone: 'America/New_York', hours: { mon: { start: '09:00', end: '17:00' }, sat: { start: '10:00', end: '12:00' } } } });
    const key = await widgetKey(tenant);

    // Sunday 2026-03-08 12:00 EDT (the clocks went forward at 02:00): Monday 9:00 EDT is 13:00Z, not 14:00Z.
    const sunday = await at('2026-03-08T16:00:00Z', key, 'visitor_ny_1', 'en', 'talk to a human');
    assert.equal(sunday.offer.notice, 'We are closed now; a person will answer from 9:00 tomorrow (America/New_York time).');
    assert.equal(sunday.offer.next_open_at, '2026-03-09T13:00:00.000Z');
    assert.equal(sunday.taken.route.href, 'https://example.slack.com/archives/C1');
    assert.equal(sunday.taken.route.label, 'Message us on Slack');

    // Monday 2026-12-07 10:00 in Tokyo is Sunday 20:00 in New York: closed there.
    const tokyoMonday = await at('2026-12-07T01:00:00Z', key, 'visitor_ny_2', 'ja', '担当者と話したい');
    assert.equal(tokyoMonday.offer.open, false);
    assert.equal(tokyoMonday.offer.notice, '受付時間外です。明日の 9:00（America/New_York） 以降に担当者が対応します。');

    // Monday 2026-12-07 10:00 EST (15:00Z): open. Tuesday: the next opening is Saturday 10:00.
    assert.equal((await at('2026-12-07T15:00:00Z', key, 'visitor_ny_3', 'en', 'operator')).offer.open, true);
    const tuesday = await at('2026-12-08T15:00:00Z', key, 'visitor_ny_4', 'en', 'operator');
    assert.equal(tuesday.offer.notice, 'We are closed now; a person will answer from Saturday 10:00 (America/New_York time).');
    assert.equal(tuesday.offer.next_open_at, '2026-12-12T15:00:00.000Z');
  });
});

describe('operators', () => {
  let handed: string;
  before(async () => {
    const asked = (await ask(keyA, 'visitor_op_1', '担当者と話したい')).json();
    handed = asked.conversation_id;
    assert.equal((await handOff(keyA, 'visitor_op_1', { conversation_id: handed, contact: '090-0000-0000' })).statusCode, 200);
  });

  test('see handed-off conversations with ?handoff=requested, oldest request first', async () => {
    const res = await t.request('GET', '/api/v1/conversations', { token: t.a.operator.accessToken, query: { handoff: 'requested' } });
    assert.equal(res.statusCode, 200, res.body);
    const list = res.json();
    assert.ok(list.some((c: { id: string }) => c.id === handed));
    assert.ok(list.every((c: { handoff: { status: string } | null }) => c.handoff?.status === 'requested'));
    const times = list.map((c: { handoff: { requested_at: string } }) => c.handoff.requested_at);
    assert.deepEqual(times, [...times].sort());
    const all = (await t.request('GET', '/api/v1/conversations', { token: t.a.operator.accessToken, query: { limit: '200' } })).json();
    assert.ok(all.some((c: { handoff: unknown }) => c.handoff === null), 'the plain list shows conversations that were never handed off too');
    expectError(await t.request('GET', '/api/v1/conversations', { token: t.a.operator.accessToken, query: { handoff: 'open' } }), 422, 'VALIDATION_ERROR');
  });

  test('an OPERATOR writes a reply note and closes it; it leaves the requested list', async () => {
    clock = new Date('2026-12-07T02:30:00Z');
    try {
      const noted = await t.request('PATCH', `/api/v1/conversations/${handed}/handoff`, { token: t.a.operator.accessToken, body: { note: 'お電話で回答済み' } });
      assert.equal(noted.statusCode, 200, noted.body);
      assert.equal(noted.json().status, 'requested');
      assert.equal(noted.json().note, 'お電話で回答済み');
      const closed = (await t.request('PATCH', `/api/v1/conversations/${handed}/handoff`, { token: t.a.operator.accessToken, body: { status: 'closed' } })).json();
      assert.deepEqual({ ...closed }, { status: 'closed', requested_at: MONDAY_10_TOKYO.toISOString(), message: null, contact: '090-0000-0000', note: 'お電話で回答済み', handled_by: t.a.operator.id, handled_at: '2026-12-07T02:30:00.000Z' });
    } finally {
      clock = MONDAY_10_TOKYO;
    }
    const requested = (await t.request('GET', '/api/v1/conversations', { token: t.a.admin.accessToken, query: { handoff: 'requested' } })).json();
    assert.ok(!requested.some((c: { id: string }) => c.id === handed));
    const closed = (await t.request('GET', '/api/v1/conversations', { token: t.a.admin.accessToken, query: { handoff: 'closed' } })).json();
    assert.ok(closed.some((c: { id: string }) => c.id === handed));
  });

  test('the visitor asking again opens it again, without the previous handler', async () => {
    const again = (await handOff(keyA, 'visitor_op_1', { conversation_id: handed })).json();
    assert.equal(again.status, 'requested');
    const detail = (await t.request('GET', `/api/v1/conversations/${handed}`, { token: t.a.admin.accessToken })).json();
    assert.equal(detail.handoff.handled_by, null);
    assert.equal(detail.handoff.note, 'お電話で回答済み', 'the earlier note stays for whoever picks it up');
  });

  test('refusals: a conversation never handed off 409, an empty body 422, a note too long 422', async () => {
    const plain = (await ask(keyA, 'visitor_op_2', '年次有給休暇は何日ですか？')).json();
    expectError(await t.request('PATCH', `/api/v1/conversations/${plain.conversation_id}/handoff`, { token: t.a.operator.accessToken, body: { status: 'closed' } }), 409, 'CONFLICT');
    expectError(await t.request('PATCH', `/api/v1/conversations/${handed}/handoff`, { token: t.a.operator.accessToken, body: {} }), 422, 'VALIDATION_ERROR');
    expectError(await t.request('PATCH', `/api/v1/conversations/${handed}/handoff`, { token: t.a.operator.accessToken, body: { note: 'x'.repeat(2001) } }), 422, 'VALIDATION_ERROR');
    expectError(await t.request('PATCH', `/api/v1/conversations/${handed}/handoff`, { body: { note: 'anonymous' } }), 401, 'AUTHENTICATION_ERROR');
  });
});

describe('tenant isolation', () => {
  let bConversation: string;
  before(async () => {
    await setWidget(t.b, { contact_route: { kind: 'url', target: 'https://b.example/contact' } });
    const asked = (await ask(keyB, 'visitor_b_1', 'talk to a human', 'en')).json();
    bConversation = asked.conversation_id;
    assert.equal((await handOff(keyB, 'visitor_b_1', { conversation_id: bConversation, message: 'B secret' })).statusCode, 200);
  });

  test('A’s widget key cannot hand off B’s conversation, even with B’s visitor id', async () => {
    expectError(await handOff(keyA, 'visitor_b_1', { conversation_id: bConversation }), 404, 'RESOURCE_NOT_FOUND');
  });

  test('A’s users cannot read, note or close B’s handoff, nor list it', async () => {
    for (const token of [t.a.admin.accessToken, t.a.operator.accessToken]) {
      expectError(await t.request('PATCH', `/api/v1/conversations/${bConversation}/handoff`, { token, body: { note: 'taken over', status: 'closed' } }), 404, 'RESOURCE_NOT_FOUND');
      const list = await t.request('GET', '/api/v1/conversations', { token, query: { handoff: 'any', limit: '200' } });
      assert.doesNotMatch(list.body, new RegExp(`${bConversation}|B secret`));
    }
    const detail = (await t.request('GET', `/api/v1/conversations/${bConversation}`, { token: t.b.admin.accessToken })).json();
    assert.equal(detail.handoff.status, 'requested');
    assert.equal(detail.handoff.note, null);
  });
});
