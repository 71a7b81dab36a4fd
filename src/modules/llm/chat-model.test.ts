import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fakeTokenCount } from '../../test/fake-server.js';
import { assertNoKey, providerError, readStream } from '../../test/llm-stream.js';
import { verifyProviderKey } from './create-chat-model.js';
import { anthropic, chatModelUnderTest, openai, type ChatProvider } from './test-support/chat-model-under-test.js';

// The ChatModel contract (chat-model.ts), the same for every provider: each case runs against
// Anthropic and OpenAI through their real SDKs and fakes. What only one provider does (the shape
// of its request, openai-compatible's quirks) is in anthropic-/openai-chat-model.test.ts.
for (const provider of [anthropic, openai] satisfies ChatProvider[]) {
  describe(`${provider.name} chat model`, () => {
    const { fake, options, model, echo } = chatModelUnderTest(provider);
    const { question } = provider;
    const apiKey = provider.options.apiKey;

    describe('streaming', () => {
      test('deltas arrive in order and join into the text; the usage is the provider’s', async () => {
        fake().reply = () => provider.deltas;
        const { deltas, completion } = await readStream(model().stream(question));
        assert.deepEqual(deltas, provider.deltas);
        assert.equal(completion.text, provider.deltas.join(''));
        assert.equal(completion.finishReason, provider.finishReason.complete);
        const promptText = question.system + question.messages.map((m) => m.content).join('');
        assert.deepEqual(completion.usage, { tokensIn: fakeTokenCount(promptText), tokensOut: fakeTokenCount(completion.text), estimated: false });
      });

      test('an answer cut at max tokens finishes with the provider’s truncation reason', async () => {
        fake().reply = () => 'あ'.repeat(100);
        const { completion } = await readStream(model().stream({ ...question, maxTokens: 5 }));
        assert.equal(completion.text, 'あ'.repeat(20), 'four characters a token, as the fake counts');
        assert.equal(completion.finishReason, provider.finishReason.truncated);
        assert.equal(completion.usage.tokensOut, 5);
      });
    });

    describe('failures', () => {
      test('a rejected key fails the first next(), is permanent, quotes the provider and never shows the key', async () => {
        fake().rejectKey(apiKey);
        const error = await providerError(model().stream(question).next());
        assert.equal(error.transient, false);
        assert.equal(error.status, 401);
        assert.match(error.message, provider.rejectedKey);
        assertNoKey(error.message, apiKey);
        assert.equal(fake().chatRequests.length, 1, 'a 401 is not retried');
      });

      test(`a ${provider.retried} is retried by the SDK, then the answer streams`, async () => {
        fake().failNext(1, provider.retried);
        const { completion } = await readStream(model().stream(question));
        assert.equal(completion.text, echo);
        assert.deepEqual(
          fake().chatRequests.map((r) => r.status),
          [provider.retried, 200],
        );
      });

      test(`a ${provider.exhausted.status} that outlasts the retries is transient and quoted`, async () => {
        fake().failNext(2, provider.exhausted.status);
        const error = await providerError(model({ maxRetries: 1 }).stream(question).next());
        assert.equal(error.transient, true);
        assert.equal(error.status, provider.exhausted.status);
        assert.match(error.message, provider.exhausted.message);
      });

      test('an unknown model is a permanent 404', async () => {
        fake().rejectModel(provider.unknownModel.model);
        const error = await providerError(model({ model: provider.unknownModel.model }).stream(question).next());
        assert.equal(error.status, 404);
        assert.equal(error.transient, false);
        assert.match(error.message, provider.unknownModel.message);
      });

      test('a provider slower than the timeout is transient and not waited for', async () => {
        fake().delayMs = 30_000;
        const started = Date.now();
        const error = await providerError(model({ timeoutMs: 150, maxRetries: 0 }).stream(question).next());
        assert.equal(error.transient, true);
        assert.match(error.message, /did not answer within 150 ms/);
        assert.ok(Date.now() - started < 10_000);
        await fake().whenSettled();
        assert.equal(fake().chatRequests[0]!.outcome, 'client-closed', 'the fake saw the client give up');
      });

      test('a stream that goes silent longer than the timeout is cancelled', async () => {
        fake().chunkDelayMs = 2000;
        const started = Date.now();
        const error = await providerError(model({ timeoutMs: 200, maxRetries: 0 }).stream(question).next());
        assert.equal(error.transient, true);
        assert.match(error.message, /stopped sending the answer for 200 ms/);
        assert.ok(Date.now() - started < 1500);
        await fake().whenSettled();
        assert.equal(fake().chatRequests[0]!.outcome, 'client-closed', 'the connection to the provider was closed');
      });

      test('an unreachable server is transient', async () => {
        const closed = await provider.start();
        await closed.close();
        const error = await providerError(model({ baseUrl: closed.baseUrl, maxRetries: 0 }).stream(question).next());
        assert.equal(error.transient, true);
        assert.match(error.message, /could not be reached/);
      });

      test('a connection dropped mid-answer is an LlmProviderError after the deltas already sent', async () => {
        fake().reply = () => provider.deltas;
        fake().dropAfterDeltas = 2;
        const stream = model().stream(question);
        assert.equal((await stream.next()).value, provider.deltas[0]);
        assert.equal((await stream.next()).value, provider.deltas[1]);
        const error = await providerError(stream.next());
        assert.equal(error.transient, true);
        assert.match(error.message, /broke off the answer/);
        assert.equal(fake().chatRequests[0]!.outcome, 'dropped');
        assert.equal(fake().chatRequests.length, 1, 'nothing is retried mid-answer');
      });
    });

    describe('cancellation', () => {
      test('aborting mid-stream throws the abort reason and closes the provider connection', async () => {
        fake().reply = () => ['a', 'b', 'c', 'd', 'e', 'f'];
        fake().chunkDelayMs = 60;
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
        await fake().whenSettled();
        const [sent] = fake().chatRequests;
        assert.equal(sent!.outcome, 'client-closed');
        assert.ok(sent!.deltasSent < 6, `the fake sent all ${sent!.deltasSent} deltas`);
      });

      test('an abort while waiting for the headers throws the reason', async () => {
        fake().delayMs = 500;
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
        fake().reply = () => ['a', 'b', 'c', 'd', 'e', 'f'];
        fake().chunkDelayMs = 60;
        const stream = model().stream(question);
        await stream.next();
        await stream.return(undefined as never);
        await fake().whenSettled();
        assert.equal(fake().chatRequests[0]!.outcome, 'client-closed');
      });
    });

    describe('verifyProviderKey', () => {
      test('looks the model up with the key, costing no tokens', async () => {
        await verifyProviderKey(options());
        assert.deepEqual(fake().modelLookups, [provider.lookup(provider.options.model, apiKey)]);
        assert.equal(fake().chatRequests.length, 0, 'costs no tokens');
      });

      test('a rejected key is a permanent 401 without the key', async () => {
        fake().rejectKey(apiKey);
        const error = await providerError(verifyProviderKey(options()));
        assert.equal(error.status, 401);
        assert.equal(error.transient, false);
        assertNoKey(error.message, apiKey);
      });

      test('an unknown model is a 404', async () => {
        fake().rejectModel(provider.unknownModel.model);
        const error = await providerError(verifyProviderKey(options({ model: provider.unknownModel.model })));
        assert.equal(error.status, 404);
        assert.match(error.message, /does not know this model/);
      });
    });
  });
}
