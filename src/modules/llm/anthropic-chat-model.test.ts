import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readStream } from '../../test/llm-stream.js';
import { anthropic, chatModelUnderTest } from './test-support/chat-model-under-test.js';

// What only Anthropic's request looks like; the behaviour every provider shares is in chat-model.test.ts.
const { fake, model } = chatModelUnderTest(anthropic);
const { question } = anthropic;

describe('Anthropic chat model: the request', () => {
  test('the system prompt goes in `system`, the history in `messages`; max_tokens, the key and the API version are sent', async () => {
    await readStream(model().stream(question));
    const [sent] = fake().chatRequests;
    assert.ok(sent);
    assert.equal(sent.model, 'claude-sonnet-4-6');
    assert.equal(sent.system, question.system);
    assert.deepEqual(sent.messages, question.messages);
    assert.equal(sent.maxTokens, 500);
    assert.equal(sent.stream, true);
    assert.equal(sent.apiKey, anthropic.options.apiKey);
    assert.ok(sent.anthropicVersion, 'anthropic-version header');
    assert.equal(sent.outcome, 'completed');
  });

  test('no temperature is sent: the API version the SDK speaks refuses any (even 1.0)', async () => {
    const { completion } = await readStream(model().stream({ ...question, temperature: 1.7 }));
    assert.equal(completion.finishReason, 'end_turn');
    assert.equal(fake().chatRequests[0]!.temperature, undefined);
  });

  test('an empty system prompt is left out', async () => {
    await readStream(model().stream({ ...question, system: '' }));
    assert.equal(fake().chatRequests[0]!.system, undefined);
  });
});
