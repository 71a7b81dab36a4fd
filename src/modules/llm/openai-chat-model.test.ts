import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { estimateTokens } from '../../lib/text/tokens.js';
import { startFakeOpenAI, type FakeOpenAI } from '../../test/fake-openai.js';
import { fakeTokenCount } from '../../test/fake-server.js';
import { assertNoKey, providerError, readStream } from '../../test/llm-stream.js';
import type { ChatRequest } from './chat-model.js';
import { createChatModel, verifyProviderKey, type ChatModelOptions } from './create-chat-model.js';

let fake: FakeOpenAI;
before(async () => {
  fake = await startFakeOpenAI();
});
beforeEach(() => fake.reset());
after(() => fake.close());

const API_KEY = 'sk-proj-0123456789abcdefghijKLMNOPqrst';
const options = (overrides: Partial<ChatModelOptions> = {}): ChatModelOptions => ({
  provider: 'openai',
  model: 'gpt-4o-mini',
  apiKey: API_KEY,
  baseUrl: fake.baseUrl,
  timeoutMs: 5000,
  maxRetries: 1,
  ...overrides,
});
const model = (overrides: Partial<ChatModelOptions> = {}) => createChatModel(options(overrides));

const question: ChatRequest = {
  system: 'Answer from the sources. [1] Returns are accepted within 30 days.',
  messages: [
    { role: 'user', content: 'Hello' },
    { role: 'assistant', content: 'Hi! How can I help?' },
    { role: 'user', content: 'How long do I have to return an item?' },
  ],
  temperature: 0.3,
  maxTokens: 500,
};

describe('OpenAI chat model: streaming', () => {
  test('deltas arrive in order, join into the text, and the usage is the provider’s', async () => {
    fake.reply = () => ['You have ', '30 days ', 'to return ', 'it [1].'];
    const { deltas, completion } = await readStream(model().stream(question));
    assert.deepEqual(deltas, ['You have ', '30 days ', 'to return ', 'it [1].']);
    assert.equal(completion.text, 'You have 30 days to return it [1].');
    assert.equal(completion.finishReason, 'stop');
    const promptText = question.system + question.messages.map((m) => m.content).join('');
    assert.deepEqual(completion.usage, { tokensIn: fakeTokenCount(promptText), tokensOut: fakeTokenCount(completion.text), estimated: false });
  });

  test('the system prompt goes first as a system message, then the history; temperature and max_completion_tokens are sent', async () => {
    await readStream(model().stream(question));
    const [sent] = fake.chatRequests;
    assert.ok(sent);
    assert.equal(sent.model, 'gpt-4o-mini');
    assert.deepEqual(sent.messages, [{ role: 'system', content: question.system }, ...question.messages]);
    assert.equal(sent.temperature, 0.3);
    assert.equal(sent.maxTokens, 500);
    assert.equal(sent.maxTokensParam, 'max_completion_tokens', 'OpenAI’s reasoning models refuse max_tokens');
    assert.equal(sent.stream, true);
    assert.equal(sent.includeUsage, true);
    assert.equal(sent.authorization, `Bearer ${API_KEY}`);
    assert.equal(sent.outcome, 'completed');
  });

  test('openai-compatible gets max_tokens, which every compatible server knows', async () => {
    await readStream(model({ provider: 'openai-compatible', model: 'llama3.1' }).stream(question));
    assert.equal(fake.chatRequests[0]!.maxTokensParam, 'max_tokens');
    assert.equal(fake.chatRequests[0]!.maxTokens, 500);
  });

  test('an empty system prompt sends no system message', async () => {
    await readStream(model().stream({ ...question, system: '' }));
    assert.deepEqual(fake.chatRequests[0]!.messages, question.messages);
  });

  test('a server that ignores include_usage gets estimated usage', async () => {
    fake.omitUsage = true;
    const { completion } = await readStream(model({ provider: 'openai-compatible' }).stream(question));
    assert.equal(completion.usage.estimated, true);
    assert.equal(completion.usage.tokensOut, estimateTokens(completion.text));
    const contentTokens = estimateTokens(question.system) + question.messages.reduce((n, m) => n + estimateTokens(m.content), 0);
    assert.ok(completion.usage.tokensIn > contentTokens, 'counts the prompt and a little per message');
    assert.ok(completion.usage.tokensIn <= contentTokens + 4 * 4, String(completion.usage.tokensIn));
  });

  test('the default answer is cut into chunkChars pieces', async () => {
    fake.chunkChars = 5;
    const { deltas, completion } = await readStream(model().stream(question));
    assert.equal(completion.text, 'You said: How long do I have to return an item?');
    assert.ok(deltas.length > 5);
    assert.ok(deltas.every((d) => [...d].length <= 5));
  });

  test('an answer cut at max tokens finishes with `length`', async () => {
    fake.reply = () => 'x'.repeat(200);
    const { completion } = await readStream(model().stream({ ...question, maxTokens: 10 }));
    assert.equal(completion.text.length, 40);
    assert.equal(completion.finishReason, 'length');
  });

  test('the request starts with the first next(), and the first delta comes before the answer ends', async () => {
    fake.reply = () => ['a', 'b', 'c', 'd', 'e'];
    fake.chunkDelayMs = 500;
    const stream = model().stream(question);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(fake.chatRequests.length, 0, 'nothing is sent before next()');
    const started = Date.now();
    assert.deepEqual(await stream.next(), { done: false, value: 'a' });
    const firstDelta = Date.now() - started;
    const { deltas } = await readStream(stream);
    assert.deepEqual(deltas, ['b', 'c', 'd', 'e']);
    assert.ok(firstDelta < 1500, `first delta after ${firstDelta} ms: the answer was buffered`);
    assert.ok(Date.now() - started >= 2400);
  });
});

describe('OpenAI chat model: failures', () => {
  test('a rejected key fails the first next(), is permanent, and never shows the key', async () => {
    fake.rejectKey(API_KEY);
    const stream = model().stream(question);
    const error = await providerError(stream.next());
    assert.equal(error.transient, false);
    assert.equal(error.status, 401);
    assert.match(error.message, /^The LLM provider \(127\.0\.0\.1:\d+\/v1\) rejected the API key \(401\): Incorrect API key provided/);
    assertNoKey(error.message, API_KEY);
    assert.equal(fake.chatRequests.length, 1, 'a 401 is not retried');
  });

  test('a 500 is retried by the SDK, then the answer streams', async () => {
    fake.failNext(1, 500);
    const { completion } = await readStream(model().stream(question));
    assert.equal(completion.text, 'You said: How long do I have to return an item?');
    assert.deepEqual(
      fake.chatRequests.map((r) => r.status),
      [500, 200],
    );
  });

  test('a 503 that outlasts the retries is transient', async () => {
    fake.failNext(2, 503);
    const error = await providerError(model({ maxRetries: 1 }).stream(question).next());
    assert.equal(error.transient, true);
    assert.equal(error.status, 503);
    assert.match(error.message, /answered 503/);
  });

  test('a provider slower than the timeout is transient and not waited for', async () => {
    fake.delayMs = 30_000;
    const started = Date.now();
    const error = await providerError(model({ timeoutMs: 150, maxRetries: 0 }).stream(question).next());
    assert.equal(error.transient, true);
    assert.match(error.message, /did not answer within 150 ms/);
    assert.ok(Date.now() - started < 10_000);
    await fake.whenSettled();
    assert.equal(fake.chatRequests[0]!.outcome, 'client-closed', 'the fake saw the client give up');
  });

  test('a stream that goes silent longer than the timeout is cancelled', async () => {
    fake.chunkDelayMs = 2000;
    const started = Date.now();
    const error = await providerError(model({ timeoutMs: 200, maxRetries: 0 }).stream(question).next());
    assert.equal(error.transient, true);
    assert.match(error.message, /stopped sending the answer for 200 ms/);
    assert.ok(Date.now() - started < 1500);
    await fake.whenSettled();
    assert.equal(fake.chatRequests[0]!.outcome, 'client-closed', 'the connection to the provider was closed');
  });

  test('an unreachable base_url is transient', async () => {
    const closed = await startFakeOpenAI();
    await closed.close();
    const error = await providerError(model({ baseUrl: closed.baseUrl, maxRetries: 0 }).stream(question).next());
    assert.equal(error.transient, true);
    assert.match(error.message, /could not be reached/);
  });

  test('an unknown model or a wrong base_url is a permanent 404', async () => {
    fake.rejectModel('gpt-9');
    const unknown = await providerError(model({ model: 'gpt-9' }).stream(question).next());
    assert.equal(unknown.status, 404);
    assert.equal(unknown.transient, false);
    assert.match(unknown.message, /does not know this model, or base_url is wrong \(404\): The model `gpt-9` does not exist/);
    const wrongPath = await providerError(model({ baseUrl: fake.baseUrl.replace(/\/v1$/, '/nope') }).stream(question).next());
    assert.equal(wrongPath.status, 404);
  });

  test('a connection dropped mid-answer is an LlmProviderError after the deltas already sent', async () => {
    fake.reply = () => ['one ', 'two ', 'three ', 'four'];
    fake.dropAfterDeltas = 2;
    const stream = model().stream(question);
    assert.equal((await stream.next()).value, 'one ');
    assert.equal((await stream.next()).value, 'two ');
    const error = await providerError(stream.next());
    assert.equal(error.transient, true);
    assert.match(error.message, /broke off the answer/);
    assert.equal(fake.chatRequests[0]!.outcome, 'dropped');
    assert.equal(fake.chatRequests.length, 1, 'nothing is retried mid-answer');
  });
});

describe('OpenAI chat model: cancellation', () => {
  test('aborting mid-stream throws the abort reason and closes the provider connection', async () => {
    fake.reply = () => ['a', 'b', 'c', 'd', 'e', 'f'];
    fake.chunkDelayMs = 60;
    const abort = new AbortController();
    const stream = model().stream({ ...question, signal: abort.signal });
    assert.equal((await stream.next()).value, 'a');
    const reason = new Error('the client went away');
    abort.abort(reason);
    const error = await stream.next().then(
      () => assert.fail('expected the abort reason'),
      (e: unknown) => e,
    );
    assert.equal(error, reason);
    await fake.whenSettled();
    const [sent] = fake.chatRequests;
    assert.equal(sent!.outcome, 'client-closed');
    assert.ok(sent!.deltasSent < 6, `the fake sent all ${sent!.deltasSent} deltas`);
  });

  test('an abort while waiting for the headers throws the reason', async () => {
    fake.delayMs = 500;
    const abort = new AbortController();
    const reason = new Error('shutting down');
    setTimeout(() => abort.abort(reason), 50);
    const error = await model()
      .stream({ ...question, signal: abort.signal })
      .next()
      .catch((e: unknown) => e);
    assert.equal(error, reason);
  });

  test('a consumer that stops reading (return) closes the provider connection', async () => {
    fake.reply = () => ['a', 'b', 'c', 'd', 'e', 'f'];
    fake.chunkDelayMs = 60;
    const stream = model().stream(question);
    await stream.next();
    await stream.return(undefined as never);
    await fake.whenSettled();
    assert.equal(fake.chatRequests[0]!.outcome, 'client-closed');
  });
});

describe('verifyProviderKey (OpenAI protocol)', () => {
  test('openai: looks the model up with the key', async () => {
    await verifyProviderKey(options());
    assert.deepEqual(fake.modelLookups, [{ model: 'gpt-4o-mini', authorization: `Bearer ${API_KEY}`, status: 200 }]);
    assert.equal(fake.chatRequests.length, 0, 'costs no tokens');
  });

  test('openai: a rejected key is a permanent 401 without the key', async () => {
    fake.rejectKey(API_KEY);
    const error = await providerError(verifyProviderKey(options()));
    assert.equal(error.status, 401);
    assert.equal(error.transient, false);
    assertNoKey(error.message, API_KEY);
  });

  test('openai: an unknown model is a 404', async () => {
    fake.rejectModel('gpt-9');
    const error = await providerError(verifyProviderKey(options({ model: 'gpt-9' })));
    assert.equal(error.status, 404);
    assert.match(error.message, /does not know this model/);
  });

  test('openai-compatible: a one-token completion, since many servers have no GET /models/{id}', async () => {
    await verifyProviderKey(options({ provider: 'openai-compatible', model: 'llama3.1' }));
    assert.equal(fake.modelLookups.length, 0);
    assert.equal(fake.chatRequests.length, 1);
    assert.equal(fake.chatRequests[0]!.model, 'llama3.1');
    assert.equal(fake.chatRequests[0]!.maxTokens, 1);
    assert.equal(fake.chatRequests[0]!.stream, false);
  });

  test('openai-compatible: a rejected key and an unreachable server fail', async () => {
    fake.rejectKey(API_KEY);
    const rejected = await providerError(verifyProviderKey(options({ provider: 'openai-compatible' })));
    assert.equal(rejected.status, 401);
    const closed = await startFakeOpenAI();
    await closed.close();
    const unreachable = await providerError(verifyProviderKey(options({ provider: 'openai-compatible', baseUrl: closed.baseUrl, maxRetries: 0 })));
    assert.equal(unreachable.status, undefined);
    assert.equal(unreachable.transient, true);
    assert.match(unreachable.message, /could not be reached/);
  });
});
