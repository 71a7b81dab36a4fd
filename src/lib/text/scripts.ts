// Character classes shared by the text helpers. Kept in one place so that the normaliser,
// the sentence splitter, the token estimator and the search segmenter agree on what "CJK" is.

/**
 * Characters of scripts written without spaces between words (Japanese and Chinese):
 * Han, Hiragana, Katakana, the prolonged sound mark ー and the iteration marks, plus the
 * CJK punctuation block (、。「」『』…). Hangul is deliberately absent: Korean puts spaces
 * between words, so those spaces are meaningful.
 */
export const CJK_CHAR_CLASS = String.raw`\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303F\u30FB\u30FC\u3005\u3006\u303B`;

const CJK_CHAR = new RegExp(`[${CJK_CHAR_CLASS}]`, 'u');

/** CJK letters only (no punctuation): the characters we index as bigrams. */
export const CJK_LETTER_CLASS = String.raw`\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30FC\u3005\u3006\u303B`;

/** True when the character (one code point) belongs to a space-less script. */
export function isCjkChar(char: string): boolean {
  return CJK_CHAR.test(char);
}

const FULL_WIDTH_FORM = /[\uFF01-\uFF60\uFFE0-\uFFE6]/u;

/**
 * Columns `text` takes on screen: CJK characters and full-width forms (Ａ, １, （) two, the rest one.
 * @example displayWidth('Ａ1あ') // 5
 */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += isCjkChar(char) || FULL_WIDTH_FORM.test(char) ? 2 : 1;
  return width;
}

/** The first code point of `text` (not the first UTF-16 unit), or '' for empty text. */
export function firstCodePoint(text: string): string {
  const code = text.codePointAt(0);
  return code === undefined ? '' : String.fromCodePoint(code);
}

/** The last code point of `text`, taking care of a trailing surrogate pair. */
export function lastCodePoint(text: string): string {
  if (text.length === 0) return '';
  const low = text.charCodeAt(text.length - 1);
  if (low >= 0xdc00 && low <= 0xdfff && text.length >= 2) return text.slice(-2);
  return text.slice(-1);
}
