import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { estimateTokens } from '../../lib/text/tokens.js';
import { startFakeOpenAI } from '../../test/fake-openai.js';
import { providerError, readStream } from '../../test/llm-stream.js';
import { verifyProviderKey } from './create-chat-model.js';
import { chatModelUnderTest, openai } from './test-support/chat-model-under-test.js';

// What only the OpenAI protocol does (its request, openai-compatible servers, chunking and time to
// first byte); the behaviour every provider shares is in chat-model.test.ts.
const { fake, options, model, echo } = chatModelUnderTest(openai);
const { question } = openai;
const API_KEY = openai.options.apiKey;

describe('OpenAI chat model: the request', () => {
  test('the system prompt goes first as a system message, then the history; temperature and max_completion_tokens are sent', async () => {
    await readStream(model().stream(question));
    const [sent] = fake().chatRequests;
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
    assert.equal(fake().chatRequests[0]!.maxTokensParam, 'max_tokens');
    assert.equal(fake().chatRequests[0]!.maxTokens, 500);
  });

  test('an empty system prompt sends no system message', async () => {
    await readStream(model().stream({ ...question, system: '' }));
    assert.deepEqual(fake().chatRequests[0]!.messages, question.messages);
  });
});

describe('OpenAI chat model: streaming', () => {
  test('a server that ignores include_usage gets estimated usage', async () => {
    fake().omitUsage = true;
    const { completion } = await readStream(model({ provider: 'openai-compatible' }).stream(question));
    assert.equal(completion.usage.estimated, true);
    assert.equal(completion.usage.tokensOut, estimateTokens(completion.text));
    const contentTokens = estimateTokens(question.system) + question.messages.reduce((n, m) => n + estimateTokens(m.content), 0);
    assert.ok(completion.usage.tokensIn > contentTokens, 'counts the prompt and a little per message');
    assert.ok(completion.usage.tokensIn <= contentTokens + 4 * 4, String(completion.usage.tokensIn));
  });

  test('the default answer is cut into chunkChars pieces', async () => {
    fake().chunkChars = 5;
    const { deltas, completion } = await readStream(model().stream(question));
    assert.equal(completion.text, echo);
    assert.ok(deltas.length > 5);
    assert.ok(deltas.every((d) => [...d].length <= 5));
  });

  test('the request starts with the first next(), and the first delta comes before the answer ends', async () => {
    fake().reply = () => ['a', 'b', 'c', 'd', 'e'];
    fake().chunkDelayMs = 500;
    const stream = model().stream(question);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(fake().chatRequests.length, 0, 'nothing is sent before next()');
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
  test('a wrong base_url is a permanent 404', async () => {
    const wrongPath = await providerError(model({ baseUrl: fake().baseUrl.replace(/\/v1$/, '/nope') }).stream(question).next());
    assert.equal(wrongPath.status, 404);
    assert.equal(wrongPath.transient, false);
  });
});

describe('verifyProviderKey (openai-compatible)', () => {
  test('a one-token completion, since many servers have no GET /models/{id}', async () => {
    await verifyProviderKey(options({ provider: 'openai-compatible', model: 'llama3.1' }));
    assert.equal(fake().modelLookups.length, 0);
    assert.equal(fake().chatRequests.length, 1);
    assert.equal(fake().chatRequests[0]!.model, 'llama3.1');
    assert.equal(fake().chatRequests[0]!.maxTokens, 1);
    assert.equal(fake().chatRequests[0]!.stream, false);
  });

  test('a rejected key and an unreachable server fail', async () => {
    fake().rejectKey(API_KEY);
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
