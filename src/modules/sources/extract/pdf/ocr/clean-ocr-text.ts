/**
 * Tesseract writes Japanese with a space between every character or word (就業 規則 の 第 十 二 条),
 * which breaks phrase search and quotes. Spaces are removed only where both neighbours are CJK
 * (Han, kana, CJK punctuation, full-width forms); English words keep theirs. Lines are trimmed
 * and empty ones dropped.
 */
const CJK = '\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}\\u3000-\\u303f\\u30fc\\uff01-\\uff60';
const SPACE_BETWEEN_CJK = new RegExp(`(?<=[${CJK}])[ \\t\\u3000]+(?=[${CJK}])`, 'gu');
/** A line with nothing but symbols is speckle or a ruled line read as | _ — not text. */
const HAS_WORD_CHARACTER = /[\p{L}\p{N}]/u;

export function cleanOcrText(text: string): string {
  return text
    .normalize('NFC')
    .split('\n')
    .map((line) => line.replace(SPACE_BETWEEN_CJK, '').replace(/[ \t]+/g, ' ').trim())
    .filter((line) => HAS_WORD_CHARACTER.test(line))
    .join('\n');
}
