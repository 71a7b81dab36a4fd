import * as AnthropicErrors from '@anthropic-ai/sdk';
import * as OpenAIErrors from 'openai';
import { outboundRefusal } from '../../lib/outbound/outbound-fetch.js';

/**
 * The one place where an SDK error (OpenAI's or Anthropic's: both SDKs have the same error
 * classes) becomes a message we can show and store. Embeddings and chat both use it.
 */
export interface ProviderFailure {
  /** Says which server and what went wrong; never contains the key. */
  message: string;
  /** Unreachable, timeout, rate limit, 408/409, 5xx: may succeed later (the SDK already retried). */
  transient: boolean;
  status?: number;
}

export interface ProviderCallContext {
  apiKey: string;
  /** `describeEndpoint(…)`, the subject of every message. */
  where: string;
  timeoutMs: number;
}

/**
 * Host and path of an endpoint, for messages (no credentials are ever in it: the api-keys schema refuses them).
 * @example describeEndpoint('LLM', 'https://api.openai.com/v1') // 'The LLM provider (api.openai.com/v1)'
 */
export function describeEndpoint(kind: string, baseURL: string): string {
  const url = new URL(baseURL);
  return `The ${kind} provider (${url.host}${url.pathname.replace(/\/+$/, '')})`;
}

/** The caller's own abort, as either SDK reports it: not a provider failure. */
export function isSdkAbort(error: unknown): boolean {
  return error instanceof OpenAIErrors.APIUserAbortError || error instanceof AnthropicErrors.APIUserAbortError;
}

type SdkApiError = OpenAIErrors.APIError | AnthropicErrors.APIError;

const isConnectionTimeout = (e: unknown) => e instanceof OpenAIErrors.APIConnectionTimeoutError || e instanceof AnthropicErrors.APIConnectionTimeoutError;
const isConnectionError = (e: unknown) => e instanceof OpenAIErrors.APIConnectionError || e instanceof AnthropicErrors.APIConnectionError;
/** An error the provider answered (an HTTP status, or an error event in a stream). */
export const isApiError = (e: unknown): e is SdkApiError => e instanceof OpenAIErrors.APIError || e instanceof AnthropicErrors.APIError;

/** The SDK's error, reworded; the provider's own message is kept but scrubbed of anything key-like. */
export function describeProviderFailure(error: unknown, context: ProviderCallContext): ProviderFailure {
  const { apiKey, where, timeoutMs } = context;
  if (isConnectionTimeout(error)) return { message: `${where} did not answer within ${timeoutMs} ms`, transient: true };
  const refused = outboundRefusal(error);
  if (refused) return { message: `${where} is not allowed: ${refused.message}`, transient: false };
  if (isConnectionError(error)) return { message: `${where} could not be reached`, transient: true };
  if (!isApiError(error)) {
    return { message: `${where} failed: ${scrub(error instanceof Error ? error.message : String(error), apiKey)}`, transient: true };
  }
  const said = providerMessage(error, apiKey);
  const status = error.status;
  // No status: an error event inside a stream that had started well (e.g. Anthropic's overloaded_error).
  if (status === undefined) return { message: `${where} reported an error mid-answer${said}`, transient: true };
  if (status === 401) return { message: `${where} rejected the API key (401)${said}`, transient: false, status };
  if (status === 403) return { message: `${where} refused access (403)${said}`, transient: false, status };
  if (status === 404) return { message: `${where} does not know this model, or base_url is wrong (404)${said}`, transient: false, status };
  if (status === 429) {
    // OpenAI's "insufficient_quota" is a billing problem that waiting will not fix.
    const quota = 'code' in error && error.code === 'insufficient_quota';
    return { message: `${where} is rate limiting or out of quota (429)${said}`, transient: !quota, status };
  }
  return { message: `${where} answered ${status}${said}`, transient: status === 408 || status === 409 || status >= 500, status };
}

/** OpenAI's SDK keeps the body's `error` object ({message}); Anthropic's keeps the whole body ({error: {message}}). */
function providerMessage(error: SdkApiError, apiKey: string): string {
  const body = error.error as { message?: unknown; error?: { message?: unknown } } | undefined;
  const message = typeof body?.message === 'string' ? body.message : typeof body?.error?.message === 'string' ? body.error.message : '';
  return message ? `: ${scrub(message, apiKey).slice(0, 300)}` : '';
}

/**
 * Removes the key and anything key-shaped: OpenAI echoes a masked key in its 401 message, other
 * servers may echo it whole.
 * @example scrub('bad key sk-proj-abc123', 'x') // 'bad key [key]'
 */
export function scrub(text: string, apiKey: string): string {
  return text
    .split(apiKey)
    .join('[key]')
    .replace(/\b(?:sk|pk|rk|key|api[-_]?key)[-_][\w\-*.…]{3,}/gi, '[key]');
}
