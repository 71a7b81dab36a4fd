import assert from 'node:assert/strict';
import { LlmProviderError, type ChatCompletion } from '../modules/llm/chat-model.js';

/** Reads a ChatModel stream to its end: the deltas in order and the returned completion. */
export async function readStream(stream: AsyncGenerator<string, ChatCompletion, undefined>): Promise<{ deltas: string[]; completion: ChatCompletion }> {
  const deltas: string[] = [];
  for (;;) {
    const step = await stream.next();
    if (step.done) return { deltas, completion: step.value };
    deltas.push(step.value);
  }
}

/** The LlmProviderError `promise` rejects with (fails the test otherwise). */
export async function providerError(promise: Promise<unknown>): Promise<LlmProviderError> {
  const error = await promise.then(
    () => assert.fail('expected an LlmProviderError'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof LlmProviderError, `not an LlmProviderError: ${String(error)}`);
  return error;
}

/** Asserts that no part of the key that could identify it appears in `text`. */
export function assertNoKey(text: string, apiKey: string): void {
  assert.ok(!text.includes(apiKey), `the key is in: ${text}`);
  assert.ok(!text.includes(apiKey.slice(0, 12)), `the key's start is in: ${text}`);
  assert.ok(!text.includes(apiKey.slice(-6)), `the key's end is in: ${text}`);
}
