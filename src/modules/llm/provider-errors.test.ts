import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as Anthropic from '@anthropic-ai/sdk';
import * as OpenAI from 'openai';
import { describeEndpoint, describeProviderFailure, scrub } from './provider-errors.js';

const where = describeEndpoint('LLM', 'https://api.anthropic.com');
const context = { apiKey: 'sk-ant-api03-SECRETsecretSECRET', where, timeoutMs: 30_000 };
const anthropicBody = (type: string, message: string) => ({ type: 'error', error: { type, message } });

describe('describeProviderFailure', () => {
  test('names the endpoint by host and path', () => {
    assert.equal(where, 'The LLM provider (api.anthropic.com)');
    assert.equal(describeEndpoint('embedding', 'http://localhost:11434/v1/'), 'The embedding provider (localhost:11434/v1)');
  });

  test('reads Anthropic’s error body ({type: "error", error: {type, message}})', () => {
    const failure = describeProviderFailure(new Anthropic.AuthenticationError(401, anthropicBody('authentication_error', 'invalid x-api-key'), undefined, new Headers()), context);
    assert.deepEqual(failure, { message: `${where} rejected the API key (401): invalid x-api-key`, transient: false, status: 401 });
  });

  test('Anthropic 529 overloaded and 429 are transient; 400 is not', () => {
    const overloaded = describeProviderFailure(new Anthropic.APIError(529, anthropicBody('overloaded_error', 'Overloaded'), undefined, new Headers()), context);
    assert.equal(overloaded.transient, true);
    assert.match(overloaded.message, /answered 529: Overloaded/);
    assert.equal(describeProviderFailure(new Anthropic.RateLimitError(429, anthropicBody('rate_limit_error', 'slow down'), undefined, new Headers()), context).transient, true);
    const bad = describeProviderFailure(new Anthropic.BadRequestError(400, anthropicBody('invalid_request_error', 'Your credit balance is too low'), undefined, new Headers()), context);
    assert.equal(bad.transient, false);
    assert.match(bad.message, /answered 400: Your credit balance is too low/);
  });

  test('an error event inside a stream (no status) is transient and quoted', () => {
    const failure = describeProviderFailure(new Anthropic.APIError(undefined, anthropicBody('overloaded_error', 'Overloaded'), undefined, new Headers()), context);
    assert.deepEqual(failure, { message: `${where} reported an error mid-answer: Overloaded`, transient: true });
  });

  test('timeouts and connection errors of either SDK', () => {
    assert.match(describeProviderFailure(new Anthropic.APIConnectionTimeoutError(), context).message, /did not answer within 30000 ms/);
    assert.match(describeProviderFailure(new OpenAI.APIConnectionError({ message: 'ECONNREFUSED' }), context).message, /could not be reached$/);
  });

  test('OpenAI’s insufficient_quota is permanent, a plain 429 transient', () => {
    const quota = new OpenAI.RateLimitError(429, { message: 'You exceeded your current quota', code: 'insufficient_quota' }, undefined, new Headers());
    assert.equal(describeProviderFailure(quota, context).transient, false);
    assert.equal(describeProviderFailure(new OpenAI.RateLimitError(429, { message: 'Rate limit reached' }, undefined, new Headers()), context).transient, true);
  });

  test('the key, and anything key-shaped, is scrubbed from what the provider said', () => {
    const echoed = new Anthropic.PermissionDeniedError(403, anthropicBody('permission_error', `key ${context.apiKey} and sk-live-AAAAbbbbCCCC may not`), undefined, new Headers());
    const { message } = describeProviderFailure(echoed, context);
    assert.equal(message, `${where} refused access (403): key [key] and [key] may not`);
  });
});

test('scrub leaves ordinary text alone', () => {
  assert.equal(scrub('The model `gpt-9` does not exist', 'sk-abcdef123456'), 'The model `gpt-9` does not exist');
  assert.equal(scrub('Incorrect API key provided: sk-proj-***abcd (masked)', 'unrelated-key'), 'Incorrect API key provided: [key] (masked)');
});
