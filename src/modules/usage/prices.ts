/** List price of a model in US dollars per 1 million tokens (1 USD per 1M tokens = 1 micro-USD per token). */
export interface ModelPrice {
  input: number;
  output: number;
}

/**
 * Standard (non-batch, uncached) list prices. Taken on 2026-11-21 from the providers' pricing
 * pages (openai.com/api/pricing, docs.anthropic.com/en/docs/about-claude/pricing) as quoted by
 * secondary copies dated 2026-03 to 2026-10; the server cannot reach them to check. Deployments
 * with other prices (discounts, Azure, a newer price list) set MODEL_PRICES.
 */
export const defaultModelPrices: Readonly<Record<string, ModelPrice>> = {
  // OpenAI chat
  'gpt-5': { input: 1.25, output: 10 },
  'gpt-5-mini': { input: 0.25, output: 2 },
  'gpt-5-nano': { input: 0.05, output: 0.4 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4-turbo': { input: 10, output: 30 },
  // The GPT-4 Turbo previews are named after gpt-4 but priced as Turbo.
  'gpt-4-1106-preview': { input: 10, output: 30 },
  'gpt-4-0125-preview': { input: 10, output: 30 },
  'gpt-4': { input: 30, output: 60 },
  'gpt-4-32k': { input: 60, output: 120 },
  'gpt-3.5-turbo': { input: 0.5, output: 1.5 },
  o1: { input: 15, output: 60 },
  'o1-mini': { input: 1.1, output: 4.4 },
  o3: { input: 2, output: 8 },
  'o3-mini': { input: 1.1, output: 4.4 },
  'o4-mini': { input: 1.1, output: 4.4 },
  // OpenAI embeddings (input only)
  'text-embedding-3-small': { input: 0.02, output: 0 },
  'text-embedding-3-large': { input: 0.13, output: 0 },
  'text-embedding-ada-002': { input: 0.1, output: 0 },
  // Anthropic
  'claude-3-haiku': { input: 0.25, output: 1.25 },
  'claude-3-sonnet': { input: 3, output: 15 },
  'claude-3-opus': { input: 15, output: 75 },
  'claude-3-5-haiku': { input: 0.8, output: 4 },
  'claude-3-5-sonnet': { input: 3, output: 15 },
  'claude-3-7-sonnet': { input: 3, output: 15 },
  'claude-sonnet-4': { input: 3, output: 15 },
  'claude-sonnet-4-5': { input: 3, output: 15 },
  'claude-opus-4': { input: 15, output: 75 },
  'claude-opus-4-1': { input: 15, output: 75 },
  'claude-opus-4-5': { input: 5, output: 25 },
  'claude-haiku-4-5': { input: 1, output: 5 },
};

export interface PriceTable {
  /** The price of `model`, or null when it is not known (its usage then costs 0). */
  priceOf(model: string): ModelPrice | null;
  /** Cost of one call in micro-USD, rounded to a whole number; 0 for an unknown model. */
  costMicroUsd(model: string, tokensIn: number, tokensOut: number): number;
}

/**
 * The default prices with `overrides` (config's MODEL_PRICES) laid over them. A model is found by
 * its exact name, else by the longest known name it starts with followed by "-": dated snapshots
 * and aliases (`gpt-4o-2024-08-06`, `claude-3-5-sonnet-latest`) price as their family, while
 * `gpt-4o-mini` stays itself and `gpt-4.5-preview` is not mistaken for `gpt-4`. Case is ignored.
 * @example createPriceTable().priceOf('gpt-4o-2024-08-06') // { input: 2.5, output: 10 }
 */
export function createPriceTable(overrides: Readonly<Record<string, ModelPrice>> = {}): PriceTable {
  const prices = new Map<string, ModelPrice>();
  for (const [name, price] of [...Object.entries(defaultModelPrices), ...Object.entries(overrides)]) prices.set(name.trim().toLowerCase(), price);

  function priceOf(model: string): ModelPrice | null {
    const name = model.trim().toLowerCase();
    const exact = prices.get(name);
    if (exact) return exact;
    let best: string | undefined;
    for (const known of prices.keys()) {
      if (name.startsWith(`${known}-`) && known.length > (best?.length ?? 0)) best = known;
    }
    return best === undefined ? null : prices.get(best)!;
  }

  return {
    priceOf,
    costMicroUsd(model, tokensIn, tokensOut) {
      const price = priceOf(model);
      // USD per 1M tokens is micro-USD per token.
      return price ? Math.round(tokensIn * price.input + tokensOut * price.output) : 0;
    },
  };
}
