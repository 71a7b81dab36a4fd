import type { Provider } from '../../db/schema.js';

/** One earlier turn of a conversation, or the question itself (the last turn). */
export interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  /** Instructions and the numbered sources; sent as the system prompt (Anthropic: `system`). */
  system: string;
  /** Earlier turns, oldest first, ending with the user's question. */
  messages: ChatTurn[];
  temperature: number;
  maxTokens: number;
  /** Aborting cancels the provider request (the client went away). */
  signal?: AbortSignal;
}

export interface ChatUsage {
  tokensIn: number;
  tokensOut: number;
  /** True when the provider reported no usage and the counts were estimated from the text. */
  estimated: boolean;
}

export interface ChatCompletion {
  text: string;
  usage: ChatUsage;
  /** The provider's reason, e.g. `stop`, `length` / `end_turn`, `max_tokens`; null if it sent none. */
  finishReason: string | null;
}

/**
 * A tenant's chat model behind one of the official SDKs. `stream` yields the answer's text deltas
 * as they arrive and returns the completion. The provider request starts with the first `next()`,
 * and a refusal (bad key, unknown model, unreachable) is thrown from that first `next()`, before
 * any delta: callers can still answer with a plain HTTP error then. Errors are LlmProviderError
 * (or the abort reason when the signal fired).
 */
export interface ChatModel {
  readonly provider: Provider;
  readonly model: string;
  stream(request: ChatRequest): AsyncGenerator<string, ChatCompletion, undefined>;
}

/**
 * Why a provider call failed, safe to show: it never contains the key. `transient` errors
 * (unreachable, timeout, rate limit, 5xx) were already retried by the SDK.
 */
export class LlmProviderError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'LlmProviderError';
  }
}
