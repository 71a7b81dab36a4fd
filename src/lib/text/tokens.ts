// A cheap token estimator for Japanese and English, used to size chunks and prompt budgets
// without shipping a tokenizer (every provider tokenizes differently anyway).
//
// Calibrated on the eval corpora (shared/eval) against OpenAI's cl100k_base and o200k_base:
// English Wikipedia: estimate ≈ cl100k +0.4 %, o200k +1.8 %;
// Japanese Wikipedia: estimate ≈ cl100k −14 %, o200k +17 % — one Japanese character ≈ one
// token, the midpoint of the two. Reproduce with `npx tsx bench/calibrate-tokens.ts`.

/**
 * Weight of one CJK (Han/kana) character or full-width form (Ａ, １, （: stored text keeps them;
 * tokenizers cut them character by character), and of other symbols (emoji…).
 */
const CJK_CHAR_TOKENS = 1;
const SYMBOL_TOKENS = 1;
/** A Latin-script (or Cyrillic, Greek…) word: a base cost plus a little per character. */
const WORD_BASE_TOKENS = 0.8;
const WORD_CHAR_TOKENS = 0.084;
/** ASCII punctuation often merges with a neighbour in BPE vocabularies. */
const ASCII_PUNCT_TOKENS = 0.5;

// One alternation, tried left to right at each position: a space-less-script character,
// a run of word characters of other scripts, whitespace, ASCII punctuation, anything else.
const TOKEN_CLASSES =
  /([\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30FC\u3005\uFF01-\uFF60\uFFE0-\uFFE6])|((?:(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\uFF01-\uFF60])[\p{L}\p{N}\p{M}])+)|(\s+)|([!-/:-@[-`{-~])|([\s\S])/gu;

/**
 * Fractional token weight of `text`. Additive: for a split at whitespace or punctuation,
 * tokenWeight(a + b) === tokenWeight(a) + tokenWeight(b), which lets the chunker sum
 * sentence weights instead of re-measuring every candidate chunk.
 */
export function tokenWeight(text: string): number {
  let weight = 0;
  for (const match of text.matchAll(TOKEN_CLASSES)) {
    if (match[1] !== undefined) weight += CJK_CHAR_TOKENS;
    else if (match[2] !== undefined) weight += WORD_BASE_TOKENS + WORD_CHAR_TOKENS * match[2].length;
    else if (match[3] !== undefined) continue;
    else if (match[4] !== undefined) weight += ASCII_PUNCT_TOKENS;
    else weight += SYMBOL_TOKENS;
  }
  return weight;
}

/**
 * Estimated LLM tokens in `text`: about one per Japanese character and 1.3 per English word.
 * @example estimateTokens('日本語の文章') // 6
 * @example estimateTokens('The quick brown fox.') // 6
 */
export function estimateTokens(text: string): number {
  // The epsilon absorbs float noise from summing fractional weights; max() avoids -0.
  return Math.max(0, Math.ceil(tokenWeight(text) - 1e-9));
}
