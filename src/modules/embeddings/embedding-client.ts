import type OpenAI from 'openai';
import { estimateTokens } from '../../lib/text/tokens.js';
import { describeEndpoint, describeProviderFailure, isSdkAbort } from '../llm/provider-errors.js';
import { createOpenAISdk, OPENAI_BASE_URL, type SdkOptions } from '../llm/sdk-clients.js';
import { defaultBatchLimits, planBatches, type BatchLimits } from './batching.js';

export interface EmbeddingClientOptions {
  apiKey: string;
  /** API root of an OpenAI-compatible server; OpenAI's own when omitted. */
  baseUrl?: string | null;
  model: string;
  /** Per HTTP request, in milliseconds. */
  timeoutMs: number;
  /** Retries of one request on connection errors, timeouts, 408/409/429 and 5xx (the SDK's own). */
  maxRetries: number;
  fetch?: SdkOptions['fetch'];
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
  const where = describeEndpoint('embedding', options.baseUrl ?? OPENAI_BASE_URL);
  const sdk = createOpenAISdk(options);

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

/** The SDK's error as an EmbeddingError (the llm module's wording); an abort is passed through as is. */
export function toEmbeddingError(error: unknown, apiKey: string, where: string, timeoutMs: number): Error {
  if (isSdkAbort(error)) return error as Error;
  const failure = describeProviderFailure(error, { apiKey, where, timeoutMs });
  return new EmbeddingError(failure.message, failure.transient, failure.status);
}
