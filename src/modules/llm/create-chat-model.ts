import type { Provider } from '../../db/schema.js';
import type { OutboundFetch } from '../../lib/outbound/outbound-fetch.js';
import { createAnthropicChatModel, verifyAnthropicKey } from './anthropic-chat-model.js';
import type { ChatModel } from './chat-model.js';
import { createOpenAIChatModel, verifyOpenAIKey } from './openai-chat-model.js';

export interface ChatModelOptions {
  provider: Provider;
  model: string;
  apiKey: string;
  /** The API root of an openai-compatible server; the provider's own when omitted. */
  baseUrl?: string | null;
  /** The SSRF-guarded fetch when `baseUrl` is the tenant's own (see provider-endpoints.ts). */
  fetch?: OutboundFetch;
  /** Per HTTP request until the headers arrive, and the longest silence within a streamed answer. */
  timeoutMs: number;
  /** The SDK's retries of a request (connection errors, timeouts, 408/409/429, 5xx); never mid-answer. */
  maxRetries: number;
}

/**
 * A tenant's chat model behind the official SDK of its provider.
 * @example
 * const model = createChatModel({ provider: 'openai', model: 'gpt-4o-mini', apiKey, timeoutMs: 60_000, maxRetries: 2 });
 * const answer = model.stream({ system, messages, temperature: 0.2, maxTokens: 800, signal });
 */
export function createChatModel(options: ChatModelOptions): ChatModel {
  return options.provider === 'anthropic' ? createAnthropicChatModel(options) : createOpenAIChatModel(options);
}

/**
 * A cheap check that the key and the model work, before a key is stored: resolves, or throws
 * LlmProviderError (or the abort reason when `signal` fired).
 */
export function verifyProviderKey(options: ChatModelOptions, signal?: AbortSignal): Promise<void> {
  return options.provider === 'anthropic' ? verifyAnthropicKey(options, signal) : verifyOpenAIKey(options, signal);
}
