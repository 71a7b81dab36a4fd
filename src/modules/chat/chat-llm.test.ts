import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startFakeAnthropic, type FakeAnthropic } from '../../test/fake-anthropic.js';
import { startFakeOpenAI, type FakeOpenAI } from '../../test/fake-openai.js';
import { fakeTokenCount } from '../../test/fake-server.js';
import { buildTestApp, expectError, type TestApp, type TestTenant } from '../../test/harness.js';
import { parseSse } from '../../test/sse.js';
import { eventually, uploadAndProcess } from '../../test/upload.js';
import { travelPolicyEn, workRulesJa } from '../retrieval/test-support/documents.js';
import type { ChatResponse } from './chat.schemas.js';
import { sourceBlock } from './prompt.js';

// The chat with a real SDK talking to local servers that speak OpenAI's and Anthropic's wire protocols.
let openai: FakeOpenAI;
let anthropic: FakeAnthropic;
let t: TestApp;
const API_KEY = 'sk-test-chat-0123456789abcdefXYZW';

before(async () => {
  openai = await startFakeOpenAI();
  anthropic = await startFakeAnthropic();
  t = await buildTestApp({
    providerUrls: { openai: openai.baseUrl, anthropic: anthropic.baseUrl },
    llm: { timeoutMs: 1500, maxRetries: 1 },
    // USD per 1M tokens: a million tokens in costs $2, out $8.
    modelPrices: { 'local-llm': { input: 2, output: 8 } },
  });
  await uploadAndProcess(t, t.a.admin.accessToken, '就業規則.txt', workRulesJa);
  await uploadAndProcess(t, t.a.admin.accessToken, 'travel-policy.txt', travelPolicyEn);
  await addKey(t.a, { provider: 'openai-compatible', model: 'local-llm', api_key: API_KEY, base_url: openai.baseUrl });
});
after(async () => {
  await t.close();
  await openai.close();
  await anthropic.close();
});
beforeEach(() => {
  openai.reset();
  anthropic.reset();
});

async function addKey(tenant: TestTenant, body: Record<string, unknown>) {
  const res = await t.request('POST', '/api/v1/api-keys', { token: tenant.admin.accessToken, body });
  assert.equal(res.statusCode, 201, res.body);
}

const ask = (body: Record<string, unknown>, headers: Record<string, string> = {}, token = t.a.operator.accessToken) =>
  t.request('POST', '/api/v1/chats/rag', { token, body, headers });
async function askOk(body: Record<string, unknown>, token?: string): Promise<ChatResponse> {
  const res = await ask(body, {}, token);
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}
const systemPromptOf = (request: { messages: Array<{ role: string; content: unknown }> }) => String(request.messages.find((m) => m.role === 'system')?.content);

describe('answers from the model, grounded in the retrieved sources', () => {
  test('the prompt holds the numbered sources and the rules; the answer, its citations and usage come back', async () => {
    openai.reply = () => '入社後6か月で10日の年次有給休暇が付与されます[1]。';
    const body = await askOk({ query: '年次有給休暇は何日もらえますか？', temperature: 0.5, max_tokens: 300 });
    const [request] = openai.chatRequests;
    assert.ok(request);
    assert.equal(request.model, 'local-llm');
    assert.equal(request.authorization, `Bearer ${API_KEY}`);
    assert.equal(request.temperature, 0.5);
    assert.equal(request.maxTokens, 300);
    const system = systemPromptOf(request);
    assert.match(system, /using only the sources/);
    assert.match(system, /Answer in Japanese/);
    assert.match(system, /<source id="1" file="就業規則\.txt">\n(?:(?!<\/source>)[\s\S])*10日の年次有給休暇/, '[1] is the passage that answers it');
    for (const [i, source] of body.sources.entries()) assert.ok(system.includes(sourceBlock(source, i)), `source ${i + 1} missing from the prompt`);
    assert.deepEqual(request.messages.at(-1), { role: 'user', content: '年次有給休暇は何日もらえますか？' });

    assert.equal(body.answer, '入社後6か月で10日の年次有給休暇が付与されます[1]。');
    assert.match(body.sources[0]!.chunk_text, /10日の年次有給休暇/, '[1] is the passage that says it');
    assert.equal(body.metadata.model, 'local-llm');
    assert.equal(body.metadata.tokens_out, fakeTokenCount(body.answer), 'the provider’s reported usage');
    const promptChars = request.messages.map((m) => String(m.content)).join('');
    assert.equal(body.metadata.tokens_in, fakeTokenCount(promptChars));
    assert.ok(body.metadata.latency_ms >= 0);
  });

  test('an English question is to be answered in English', async () => {
    await askOk({ query: 'What is the hotel limit in large cities?' });
    assert.match(systemPromptOf(openai.chatRequests[0]!), /Answer in English/);
  });

  test('with nothing retrieved, the model is told so (and must say the documents do not say)', async () => {
    await askOk({ query: '火星探査機の打ち上げ予定日は？' });
    assert.match(systemPromptOf(openai.chatRequests[0]!), /No passage of the documents matches this question/);
  });

  test('a usage-less compatible server: tokens are estimated', async () => {
    openai.omitUsage = true;
    const body = await askOk({ query: '通勤手当の上限は？' });
    assert.ok(body.metadata.tokens_in > 0 && body.metadata.tokens_out > 0, JSON.stringify(body.metadata));
  });
});

describe('conversation history', () => {
  test('earlier turns go into the prompt and a follow-up is rewritten into a standalone query for retrieval', async () => {
    openai.reply = () => '通勤手当の上限は月額5万円です[1]。';
    const first = await askOk({ query: '通勤手当の上限はいくらですか？' });
    openai.reset();
    openai.reply = (request) => (systemPromptOf(request).includes('standalone search query') ? '服務規律や機密情報の決まり' : '機密情報は許可なく持ち出せません[1]。');
    const second = await askOk({ query: 'では、その他の決まりは？', session_id: first.conversation_id });

    const [rewrite, answer] = openai.chatRequests;
    assert.ok(rewrite && answer, 'one rewrite call, then the answer');
    assert.match(String(rewrite.messages.at(-1)?.content), /通勤手当の上限はいくらですか？[\s\S]*月額5万円[\s\S]*その他の決まりは/);
    assert.equal(rewrite.temperature, 0);
    assert.deepEqual(
      answer.messages.filter((m) => m.role !== 'system'),
      [
        { role: 'user', content: '通勤手当の上限はいくらですか？' },
        { role: 'assistant', content: '通勤手当の上限は月額5万円です[1]。' },
        { role: 'user', content: 'では、その他の決まりは？' },
      ],
    );
    assert.match(second.sources[0]!.chunk_text, /服務規律|機密情報/, 'retrieved with the rewritten query');
    const stored = (await t.request('GET', `/api/v1/conversations/${first.conversation_id}`, { token: t.a.operator.accessToken })).json();
    assert.equal(stored.messages[3].retrieval_query, '服務規律や機密情報の決まり');
  });

  test('a failing rewrite does not fail the answer: the question is searched with the previous one', async () => {
    const first = await askOk({ query: '始業時刻は何時ですか？' });
    openai.reset();
    openai.rejectModel('local-llm');
    const res = await ask({ query: '終業は？', session_id: first.conversation_id });
    expectError(res, 502, 'LLM_PROVIDER_ERROR');
    assert.equal(openai.chatRequests.length, 2, 'the rewrite failed, the answer was still attempted');
  });
});

describe('streaming', () => {
  test('deltas arrive as the model writes them, then sources, metadata and done', async () => {
    openai.reply = () => ['出張の', '食事手当は', '1日60ドル', 'です[1]。'];
    const res = await ask({ query: '出張の食事手当はいくら？' }, { accept: 'text/event-stream' });
    assert.equal(res.statusCode, 200);
    const events = parseSse(res.body);
    assert.deepEqual(events.map((e) => e.event), ['delta', 'delta', 'delta', 'delta', 'sources', 'metadata', 'done']);
    assert.deepEqual(events.slice(0, 4).map((e) => e.data.text), ['出張の', '食事手当は', '1日60ドル', 'です[1]。']);
    assert.equal(events[5]!.data.metadata.model, 'local-llm');
    assert.equal(events[5]!.data.metadata.tokens_out, fakeTokenCount('出張の食事手当は1日60ドルです[1]。'));
  });

  test('a provider that breaks off mid-answer: the deltas so far, then an error event', async () => {
    openai.reply = () => ['one ', 'two ', 'three ', 'four'];
    openai.dropAfterDeltas = 2;
    const res = await ask({ query: 'hotel limit?' }, { accept: 'text/event-stream' });
    const events = parseSse(res.body);
    assert.deepEqual(events.map((e) => e.event), ['delta', 'delta', 'error']);
    assert.equal(events[2]!.data.error_code, 'LLM_PROVIDER_ERROR');
    assert.ok(events[2]!.data.detail && events[2]!.data.timestamp);
  });

  test('a client that disconnects cancels the provider call; the partial answer is kept as cancelled', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    openai.reply = () => Array.from({ length: 40 }, (_, i) => `part ${i}. `);
    openai.chunkDelayMs = 50;
    const firstDelta = await new Promise<string>((resolve, reject) => {
      const req = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/v1/chats/rag',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${t.a.operator.accessToken}` },
      });
      req.on('response', (res) => {
        res.setEncoding('utf8');
        res.once('data', (chunk: string) => {
          req.destroy();
          resolve(chunk);
        });
      });
      req.on('error', (error) => (error.message.includes('socket hang up') ? undefined : reject(error)));
      req.end(JSON.stringify({ query: 'hotel limit in large cities?' }));
    });
    assert.match(firstDelta, /^event: delta/);
    await openai.whenSettled();
    const request = openai.chatRequests.at(-1)!;
    assert.equal(request.outcome, 'client-closed');
    assert.ok(request.deltasSent < 40, `the provider stopped early (${request.deltasSent} of 40 deltas)`);
    const list = (await t.request('GET', '/api/v1/conversations', { token: t.a.operator.accessToken })).json();
    const cancelled = await eventually(async () => {
      const detail = (await t.request('GET', `/api/v1/conversations/${list[0].id}`, { token: t.a.operator.accessToken })).json();
      return detail.messages.find((m: { role: string; status: string }) => m.role === 'assistant' && m.status === 'cancelled');
    }, 'the cancelled answer is stored', 5000);
    assert.match(cancelled.content, /^part 0\./, JSON.stringify(cancelled));
    assert.ok(cancelled.tokens_out > 0, 'what was generated is accounted for');
  });
});

describe('provider failures', () => {
  test('a rejected key is 502 LLM_PROVIDER_ERROR that never shows the key', async () => {
    openai.rejectKey(API_KEY);
    const res = await ask({ query: '通勤手当の上限は？' });
    const body = expectError(res, 502, 'LLM_PROVIDER_ERROR');
    assert.match(body.detail, /rejected the API key/);
    assert.ok(!res.body.includes(API_KEY) && !res.body.includes(API_KEY.slice(-12)), res.body);
  });

  // An Anthropic key does not embed, so the fake sees only the chat calls.
  let claude: TestTenant;
  before(async () => {
    claude = await t.createTenant('claude');
    await addKey(claude, { provider: 'anthropic', model: 'claude-haiku-4-5', api_key: 'sk-ant-test-retry-0123456789' });
  });

  test('a transient 500 (or 529 overloaded) is retried by the SDK and the answer arrives', async () => {
    anthropic.failNext(1, 529);
    const body = await askOk({ query: '通勤手当の上限は？' }, claude.operator.accessToken);
    assert.equal(body.metadata.model, 'claude-haiku-4-5');
    assert.deepEqual(anthropic.chatRequests.map((r) => r.status), [529, 200]);
  });

  test('a provider that does not answer in time: 502 saying so, after the SDK’s retry', async () => {
    anthropic.delayMs = 30_000;
    const started = Date.now();
    const body = expectError(await ask({ query: '通勤手当の上限は？' }, {}, claude.operator.accessToken), 502, 'LLM_PROVIDER_ERROR');
    assert.match(body.detail, /did not answer within 1500 ms/);
    assert.ok(Date.now() - started < 15_000, 'gave up before the provider answered');
  });

  test('the failed turn is kept in the conversation as failed', async () => {
    openai.rejectModel('local-llm');
    expectError(await ask({ query: '懲戒の種類は？' }), 502, 'LLM_PROVIDER_ERROR');
    const [latest] = (await t.request('GET', '/api/v1/conversations', { token: t.a.operator.accessToken })).json();
    const detail = (await t.request('GET', `/api/v1/conversations/${latest.id}`, { token: t.a.operator.accessToken })).json();
    assert.equal(detail.title, '懲戒の種類は？');
    assert.equal(detail.messages[1].status, 'failed');
  });
});

describe('model choice and Anthropic', () => {
  test('the tenant’s llm_model picks among its keys; `model` overrides; Anthropic answers through its own protocol', async () => {
    const tenant = await t.createTenant('anthropic');
    await uploadAndProcess(t, tenant.admin.accessToken, '就業規則.txt', workRulesJa);
    await addKey(tenant, { provider: 'anthropic', model: 'claude-sonnet-4-5', api_key: 'sk-ant-test-0123456789abcdef' });
    await addKey(tenant, { provider: 'openai-compatible', model: 'local-llm', api_key: API_KEY, base_url: openai.baseUrl });
    // Newest key first by default…
    assert.equal((await askOk({ query: '始業時刻は？' }, tenant.operator.accessToken)).metadata.model, 'local-llm');
    // …the tenant's setting when a key offers it…
    const patched = await t.request('PATCH', `/api/v1/tenants/${tenant.id}`, { token: tenant.admin.accessToken, body: { llm_model: 'claude-sonnet-4-5' } });
    assert.equal(patched.statusCode, 200, patched.body);
    anthropic.reply = () => '始業時刻は午前9時です[1]。';
    const body = await askOk({ query: '始業時刻は？' }, tenant.operator.accessToken);
    assert.equal(body.metadata.model, 'claude-sonnet-4-5');
    assert.equal(body.answer, '始業時刻は午前9時です[1]。');
    const [request] = anthropic.chatRequests;
    assert.ok(request);
    assert.equal(request.apiKey, 'sk-ant-test-0123456789abcdef');
    assert.match(String(request.system), /<source id="1" file="就業規則\.txt">/);
    assert.deepEqual(request.messages, [{ role: 'user', content: '始業時刻は？' }]);
    // …and the request's own choice over both.
    assert.equal((await askOk({ query: '始業時刻は？', model: 'local-llm' }, tenant.operator.accessToken)).metadata.model, 'local-llm');
    const refused = expectError(await ask({ query: '始業時刻は？', model: 'gpt-4o' }, {}, tenant.operator.accessToken), 422, 'VALIDATION_ERROR');
    assert.match(refused.detail, /claude-sonnet-4-5, local-llm, extractive|local-llm, claude-sonnet-4-5, extractive/);
  });
});

describe('the whole path: a key, a streamed Japanese answer, the widget, the usage page', () => {
  test('an ADMIN’s openai-compatible key answers in Japanese with citations; a visitor asks through the widget from an allowed origin (refused elsewhere); usage shows both', async () => {
    const tenant = await t.createTenant('e2e');
    const token = tenant.admin.accessToken;
    await uploadAndProcess(t, token, '就業規則.txt', workRulesJa);
    await addKey(tenant, { provider: 'openai-compatible', model: 'local-llm', api_key: 'sk-e2e-0123456789abcdefgh', base_url: openai.baseUrl });
    openai.reply = () => ['通勤手当の上限は', '月額5万円です', '[1]。'];

    const streamed = await t.request('POST', '/api/v1/chats/rag', { token, body: { query: '通勤手当の上限はいくらですか？' }, headers: { accept: 'text/event-stream' } });
    const events = parseSse(streamed.body);
    const answer = events.filter((e) => e.event === 'delta').map((e) => e.data.text).join('');
    assert.equal(answer, '通勤手当の上限は月額5万円です[1]。');
    const sources = events.find((e) => e.event === 'sources')!.data.sources;
    assert.match(sources[0].chunk_text, /通勤手当/, '[1] is the passage about it');
    const ragUsage = events.find((e) => e.event === 'metadata')!.data.metadata;

    await t.request('PATCH', `/api/v1/tenants/${tenant.id}`, { token, body: { allowed_origins: ['https://www.e2e.example'] } });
    const widgetKey = (await t.request('GET', `/api/v1/tenants/${tenant.id}/embed-snippet`, { token })).json().api_key;
    const visitor = { 'x-api-key': widgetKey, 'x-visitor-id': 'visitor-e2e-0001' };
    openai.reply = () => '始業時刻は午前9時です[1]。';
    const fromSite = await t.request('POST', '/api/v1/chats/widget/chat', { body: { query: '始業時刻は？' }, headers: { ...visitor, origin: 'https://www.e2e.example' } });
    assert.equal(fromSite.statusCode, 200, fromSite.body);
    const widgetUsage = fromSite.json().metadata;
    expectError(await t.request('POST', '/api/v1/chats/widget/chat', { body: { query: '始業時刻は？' }, headers: { ...visitor, origin: 'https://elsewhere.example' } }), 403, 'PERMISSION_DENIED');

    const stats = (await t.request('GET', '/api/v1/stats/usage', { token: tenant.operator.accessToken })).json();
    const chatCost = (u: { tokens_in: number; tokens_out: number }) => (u.tokens_in * 2 + u.tokens_out * 8) / 1e6;
    const byChannel = Object.fromEntries(stats.by_channel.map((c: { channel: string }) => [c.channel, c]));
    const model = stats.by_model.find((m: { model: string }) => m.model === 'local-llm');
    assert.equal(model.tokens_in, ragUsage.tokens_in + widgetUsage.tokens_in);
    assert.equal(model.tokens_out, ragUsage.tokens_out + widgetUsage.tokens_out);
    assert.ok(Math.abs(model.cost - (chatCost(ragUsage) + chatCost(widgetUsage))) < 2e-6, JSON.stringify(model));
    assert.ok(byChannel.widget.tokens >= widgetUsage.tokens_in + widgetUsage.tokens_out, JSON.stringify(stats.by_channel));
    assert.ok(byChannel.api.tokens >= ragUsage.tokens_in + ragUsage.tokens_out);
    assert.ok(stats.total_cost > 0);
    const today = stats.by_date.at(-1);
    assert.equal(today.date, new Date().toISOString().slice(0, 10));
    assert.equal(today.tokens, stats.total_tokens);
  });

  test('a follow-up’s rewrite is accounted as its own kind', async () => {
    const first = await askOk({ query: '通勤手当の上限は？' });
    await askOk({ query: 'それはいつ支給されますか？', session_id: first.conversation_id });
    const stats = (await t.request('GET', '/api/v1/stats/usage', { token: t.a.admin.accessToken })).json();
    const kinds = Object.fromEntries(stats.by_kind.map((k: { kind: string; tokens: number }) => [k.kind, k.tokens]));
    assert.ok(kinds.rewrite > 0 && kinds.chat > 0, JSON.stringify(stats.by_kind));
  });
});

describe('provider keys are cached per instance, and adding or deleting one takes effect at once', () => {
  test('the next question after an add is answered by the new key; after a delete, by nothing but the passages', async () => {
    const tenant = await t.createTenant('keys_cache');
    await uploadAndProcess(t, tenant.admin.accessToken, '就業規則.txt', workRulesJa);
    const question = { query: '年次有給休暇は何日付与されますか？' };
    // Read (and cached) without a key: extractive.
    assert.equal((await askOk(question, tenant.operator.accessToken)).metadata.model, 'extractive');
    await addKey(tenant, { provider: 'openai-compatible', model: 'cached-llm', api_key: API_KEY, base_url: openai.baseUrl });
    openai.reply = () => '入社後6か月で10日です[1]。';
    const answered = await askOk(question, tenant.operator.accessToken);
    assert.equal(answered.metadata.model, 'cached-llm');
    assert.equal(answered.answer, '入社後6か月で10日です[1]。');

    const [key] = (await t.request('GET', '/api/v1/api-keys', { token: tenant.admin.accessToken })).json() as Array<{ id: string }>;
    assert.equal((await t.request('DELETE', `/api/v1/api-keys/${key!.id}`, { token: tenant.admin.accessToken })).statusCode, 200);
    openai.reset();
    const after = await askOk(question, tenant.operator.accessToken);
    assert.equal(after.metadata.model, 'extractive', 'the deleted key is not used');
    assert.equal(openai.chatRequests.length + openai.requests.length, 0, 'neither for the answer nor for the question’s embedding');
  });
});
