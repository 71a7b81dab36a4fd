import { estimateTokens } from '../../lib/text/tokens.js';

export interface BatchLimits {
  /** Inputs per request (OpenAI accepts up to 2048; smaller batches fail and retry cheaper). */
  maxInputs: number;
  /** Estimated tokens per request; OpenAI caps a request at 300k, other servers far lower. */
  maxTokens: number;
}

export const defaultBatchLimits: BatchLimits = { maxInputs: 96, maxTokens: 60_000 };

/**
 * Splits inputs into consecutive [start, end) ranges that respect both limits. An input larger
 * than the token budget travels alone: the provider, not us, decides whether it is too long.
 * @example planBatches(['a', 'b', 'c'], { maxInputs: 2, maxTokens: 100 }) // [[0, 2], [2, 3]]
 */
export function planBatches(texts: readonly string[], limits: BatchLimits = defaultBatchLimits): Array<[number, number]> {
  const batches: Array<[number, number]> = [];
  let start = 0;
  let tokens = 0;
  texts.forEach((text, i) => {
    const cost = Math.max(1, estimateTokens(text));
    if (i > start && (i - start >= limits.maxInputs || tokens + cost > limits.maxTokens)) {
      batches.push([start, i]);
      start = i;
      tokens = 0;
    }
    tokens += cost;
  });
  if (start < texts.length) batches.push([start, texts.length]);
  return batches;
}
