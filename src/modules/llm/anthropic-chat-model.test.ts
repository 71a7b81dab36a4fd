import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startFakeAnthropic, type FakeAnthropic } from '../../test/fake-anthropic.js';
import { fakeTokenCount } from '../../test/fake-server.js';
import { assertNoKey, providerError, readStream } from '../../test/llm-stream.js';
import type { ChatRequest } from './chat-model.js';
import { createChatModel, verifyProviderKey, type ChatModelOptions } from './create-chat-model.js';

let fake: FakeAnthropic;
before(async () => {
  fake = await startFakeAnthropic();
});
beforeEach(() => fake.reset());
after(() => fake.close());

const API_KEY = 'sk-ant-api03-0123456789abcdefghijKLMNOPqrstuv';
const options = (overrides: Partial<ChatModelOptions> = {}): ChatModelOptions => ({
  provider: 'anthropic',
  model: 'claude-sonnet-4-6',
  apiKey: API_KEY,
  baseUrl: fake.baseUrl,
  timeoutMs: 5000,
  maxRetries: 1,
  ...overrides,
});
const model = (overrides: Partial<ChatModelOptions> = {}) => createChatModel(options(overrides));

const question: ChatRequest = {
  system: '出典に基づいて答えてください。[1] 返品は30日以内に受け付けます。',
  messages: [
    { role: 'user', content: 'こんにちは' },
    { role: 'assistant', content: 'こんにちは！ご用件をどうぞ。' },
    { role: 'user', content: '返品の期限は？' },
  ],
  temperature: 0.3,
  maxTokens: 500,
};

describe('Anthropic chat model: streaming', () => {
  test('text deltas arrive in order and join into the text; usage from message_start and message_delta', async () => {
    fake.reply = () => ['返品は', '30日', '以内です', '[1]。'];
    const { deltas, completion } = await readStream(model().stream(question));
    assert.deepEqual(deltas, ['返品は', '30日', '以内です', '[1]。']);
    assert.equal(completion.text, '返品は30日以内です[1]。');
    assert.equal(completion.finishReason, 'end_turn');
    const promptText = question.system + question.messages.map((m) => m.content).join('');
    assert.deepEqual(completion.usage, { tokensIn: fakeTokenCount(promptText), tokensOut: fakeTokenCount(completion.text), estimated: false });
  });

  test('the system prompt goes in `system`, the history in `messages`; max_tokens, the key and the API version are sent', async () => {
    await readStream(model().stream(question));
    const [sent] = fake.chatRequests;
    assert.ok(sent);
    assert.equal(sent.model, 'claude-sonnet-4-6');
    assert.equal(sent.system, question.system);
    assert.deepEqual(sent.messages, question.messages);
    assert.equal(sent.maxTokens, 500);
    assert.equal(sent.stream, true);
    assert.equal(sent.apiKey, API_KEY);
    assert.ok(sent.anthropicVersion, 'anthropic-version header');
    assert.equal(sent.outcome, 'completed');
  });

  test('no temperature is sent: the API version the SDK speaks refuses any (even 1.0)', async () => {
    const { completion } = await readStream(model().stream({ ...question, temperature: 1.7 }));
    assert.equal(completion.finishReason, 'end_turn');
    assert.equal(fake.chatRequests[0]!.temperature, undefined);
  });

  test('an empty system prompt is left out', async () => {
    await readStream(model().stream({ ...question, system: '' }));
    assert.equal(fake.chatRequests[0]!.system, undefined);
  });

  test('an answer cut at max tokens finishes with `max_tokens`', async () => {
    fake.reply = () => 'あ'.repeat(100);
    const { completion } = await readStream(model().stream({ ...question, maxTokens: 5 }));
    assert.equal(completion.text, 'あ'.repeat(20));
    assert.equal(completion.finishReason, 'max_tokens');
    assert.equal(completion.usage.tokensOut, 5);
  });
});

describe('Anthropic chat model: failures', () => {
  test('a rejected key fails the first next(), is permanent, quotes Anthropic and never shows the key', async () => {
    fake.rejectKey(API_KEY);
    const error = await providerError(model().stream(question).next());
    assert.equal(error.transient, false);
    assert.equal(error.status, 401);
    assert.match(error.message, /^The LLM provider \(127\.0\.0\.1:\d+\) rejected the API key \(401\): invalid x-api-key$/);
    assertNoKey(error.message, API_KEY);
    assert.equal(fake.chatRequests.length, 1, 'a 401 is not retried');
  });

  test('529 overloaded is retried by the SDK, then the answer streams', async () => {
    fake.failNext(1, 529);
    const { completion } = await readStream(model().stream(question));
    assert.equal(completion.text, 'You said: 返品の期限は？');
    assert.deepEqual(
      fake.chatRequests.map((r) => r.status),
      [529, 200],
    );
  });

  test('a 500 that outlasts the retries is transient and quotes Anthropic', async () => {
    fake.failNext(2, 500);
    const error = await providerError(model({ maxRetries: 1 }).stream(question).next());
    assert.equal(error.transient, true);
    assert.equal(error.status, 500);
    assert.match(error.message, /answered 500: Internal server error/);
  });

  test('an unknown model is a permanent 404', async () => {
    fake.rejectModel('claude-nope');
    const error = await providerError(model({ model: 'claude-nope' }).stream(question).next());
    assert.equal(error.status, 404);
    assert.equal(error.transient, false);
    assert.match(error.message, /does not know this model.*model: claude-nope/);
  });

  test('a provider slower than the timeout is transient', async () => {
    fake.delayMs = 1000;
    const error = await providerError(model({ timeoutMs: 150, maxRetries: 0 }).stream(question).next());
    assert.equal(error.transient, true);
    assert.match(error.message, /did not answer within 150 ms/);
  });

  test('a connection dropped mid-answer is an LlmProviderError after the deltas already sent', async () => {
    fake.reply = () => ['一', '二', '三', '四'];
    fake.dropAfterDeltas = 1;
    const stream = model().stream(question);
    assert.equal((await stream.next()).value, '一');
    const error = await providerError(stream.next());
    assert.equal(error.transient, true);
    assert.match(error.message, /broke off the answer/);
    assert.equal(fake.chatRequests[0]!.outcome, 'dropped');
  });

  test('aborting mid-stream throws the abort reason and closes the provider connection', async () => {
    fake.reply = () => ['a', 'b', 'c', 'd', 'e', 'f'];
    fake.chunkDelayMs = 60;
    const abort = new AbortController();
    const stream = model().stream({ ...question, signal: abort.signal });
    assert.equal((await stream.next()).value, 'a');
    const reason = new Error('the client went away');
    abort.abort(reason);
    assert.equal(await stream.next().catch((e: unknown) => e), reason);
    await fake.whenSettled();
    assert.equal(fake.chatRequests[0]!.outcome, 'client-closed');
    assert.ok(fake.chatRequests[0]!.deltasSent < 6);
  });
});

describe('verifyProviderKey (Anthropic)', () => {
  test('looks the model up with the key, costing no tokens', async () => {
    await verifyProviderKey(options());
    assert.deepEqual(fake.modelLookups, [{ model: 'claude-sonnet-4-6', apiKey: API_KEY, status: 200 }]);
    assert.equal(fake.chatRequests.length, 0);
  });

  test('a rejected key is a permanent 401 without the key', async () => {
    fake.rejectKey(API_KEY);
    const error = await providerError(verifyProviderKey(options()));
    assert.equal(error.status, 401);
    assert.equal(error.transient, false);
    assertNoKey(error.message, API_KEY);
  });

  test('an unknown model is a 404', async () => {
    fake.rejectModel('claude-nope');
    const error = await providerError(verifyProviderKey(options({ model: 'claude-nope' })));
    assert.equal(error.status, 404);
    assert.match(error.message, /does not know this model/);
  });
});
