import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { estimateTokens } from '../../lib/text/tokens.js';
import { defaultBatchLimits, planBatches, type BatchLimits } from './batching.js';

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';

export interface EmbeddingClientOptions {
  apiKey: string;
  /** API root of an OpenAI-compatible server; OpenAI's own when omitted. */
  baseUrl?: string | null;
  model: string;
  /** Per HTTP request, in milliseconds. */
  timeoutMs: number;
  /** Retries of one request on connection errors, timeouts, 408/409/429 and 5xx (the SDK's own). */
  maxRetries: number;
  batch?: BatchLimits;
}

export interface EmbeddingClient {
  readonly model: string;
  /**
   * One vector per text, in order. Throws EmbeddingError (or the abort reason). `onUsage` hears
   * the tokens of each request the provider answered, even if a later one fails: those are billed.
   */
  embed(texts: readonly string[], options?: { signal?: AbortSignal; onUsage?: (tokens: number) => void }): Promise<number[][]>;
}

/**
 * Why embedding failed, safe to show and store: it never contains the key. `transient` errors
 * (unreachable, timeout, rate limit, 5xx) may succeed later; the others need a person (wrong key,
 * unknown model, wrong base_url).
 */
export class EmbeddingError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'EmbeddingError';
  }
}

/** Talks to `/v1/embeddings` through the official SDK, in batches. */
export function createEmbeddingClient(options: EmbeddingClientOptions): EmbeddingClient {
  const baseURL = options.baseUrl ?? OPENAI_BASE_URL;
  const where = describeEndpoint(baseURL);
  const sdk = new OpenAI({
    apiKey: options.apiKey,
    // Explicit values, so OPENAI_* variables of the server's environment never mix into a tenant's requests.
    baseURL,
    organization: null,
    project: null,
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries,
    logLevel: 'off',
  });

  async function embedBatch(input: string[], signal: AbortSignal | undefined, onUsage: ((tokens: number) => void) | undefined): Promise<number[][]> {
    let response: OpenAI.Embeddings.CreateEmbeddingResponse;
    try {
      // `float`, not the SDK's default base64: many OpenAI-compatible servers only speak float.
      response = await sdk.embeddings.create({ model: options.model, input, encoding_format: 'float' }, { signal });
    } catch (error) {
      throw toEmbeddingError(error, options.apiKey, where, options.timeoutMs);
    }
    onUsage?.(promptTokens(response, input));
    return readVectors(response, input.length, where);
  }

  return {
    model: options.model,
    async embed(texts, { signal, onUsage } = {}) {
      // Providers refuse empty strings; a lone space embeds as "nothing" instead.
      const inputs = texts.map((t) => (t.trim() ? t : ' '));
      const vectors: number[][] = [];
      for (const [start, end] of planBatches(inputs, options.batch ?? defaultBatchLimits)) {
        signal?.throwIfAborted();
        vectors.push(...(await embedBatch(inputs.slice(start, end), signal, onUsage)));
      }
      const dims = vectors[0]?.length;
      if (vectors.some((v) => v.length !== dims)) throw new EmbeddingError(`${where} returned vectors of different lengths`, false);
      return vectors;
    },
  };
}

/** The provider's count of the request's tokens; estimated when it reports none (some OpenAI-compatible servers). */
function promptTokens(response: OpenAI.Embeddings.CreateEmbeddingResponse, input: string[]): number {
  const reported = response?.usage?.prompt_tokens;
  return typeof reported === 'number' && Number.isFinite(reported) && reported > 0 ? reported : input.reduce((sum, text) => sum + estimateTokens(text), 0);
}

function readVectors(response: OpenAI.Embeddings.CreateEmbeddingResponse, expected: number, where: string): number[][] {
  const data = Array.isArray(response?.data) ? response.data : [];
  const vectors = new Array<number[] | undefined>(expected);
  for (const item of data) {
    if (Number.isInteger(item?.index) && item.index >= 0 && item.index < expected) vectors[item.index] = item.embedding;
  }
  const malformed = vectors.findIndex((v) => !Array.isArray(v) || v.length === 0 || !v.every(Number.isFinite));
  if (data.length !== expected || malformed !== -1) {
    throw new EmbeddingError(`${where} returned ${data.length} embeddings for ${expected} inputs, or an invalid one`, false);
  }
  return vectors as number[][];
}

/** Host and path of the endpoint, for messages (no credentials are ever in it: the schema refuses them). */
function describeEndpoint(baseURL: string): string {
  const url = new URL(baseURL);
  return `The embedding provider (${url.host}${url.pathname.replace(/\/+$/, '')})`;
}

/** The SDK's error, reworded; the provider's own message is kept but scrubbed of anything key-like. */
export function toEmbeddingError(error: unknown, apiKey: string, where: string, timeoutMs: number): Error {
  if (error instanceof APIUserAbortError) return error;
  if (error instanceof APIConnectionTimeoutError) return new EmbeddingError(`${where} did not answer within ${timeoutMs} ms`, true);
  if (error instanceof APIConnectionError) return new EmbeddingError(`${where} could not be reached`, true);
  if (!(error instanceof APIError) || error.status === undefined) {
    return new EmbeddingError(`${where} failed: ${scrub(error instanceof Error ? error.message : String(error), apiKey)}`, true);
  }
  const status = error.status;
  const said = providerMessage(error, apiKey);
  if (status === 401) return new EmbeddingError(`${where} rejected the API key (401)${said}`, false, status);
  if (status === 403) return new EmbeddingError(`${where} refused access (403)${said}`, false, status);
  if (status === 404) return new EmbeddingError(`${where} does not know this model, or base_url is wrong (404)${said}`, false, status);
  // "insufficient_quota" is a billing problem that waiting will not fix.
  if (status === 429) return new EmbeddingError(`${where} is rate limiting or out of quota (429)${said}`, error.code !== 'insufficient_quota', status);
  const transient = status === 408 || status === 409 || status >= 500;
  return new EmbeddingError(`${where} answered ${status}${said}`, transient, status);
}

function providerMessage(error: APIError, apiKey: string): string {
  const body = error.error as { message?: unknown } | undefined;
  const message = typeof body?.message === 'string' ? body.message : '';
  return message ? `: ${scrub(message, apiKey).slice(0, 300)}` : '';
}

/** OpenAI echoes a masked key in its 401 message; other servers may echo it whole. */
function scrub(text: string, apiKey: string): string {
  return text
    .split(apiKey)
    .join('[key]')
    .replace(/\b(?:sk|pk|rk|key|api[-_]?key)[-_][\w\-*.…]{3,}/gi, '[key]');
}
