/** The languages answers are written in. Anything that is not Japanese is answered in English's framing. */
export type AnswerLanguage = 'ja' | 'en';

const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;
const HAN = /\p{Script=Han}/gu;
const LATIN_WORD = /\p{Script=Latin}{2,}/gu;

/**
 * The language to answer in: Japanese when the question has kana, or more kanji than Latin
 * words (a kanji-only question such as 「有給休暇 日数」); English otherwise.
 * @example questionLanguage('How many days of 有給休暇?') // 'en'
 */
export function questionLanguage(question: string): AnswerLanguage {
  if (KANA.test(question)) return 'ja';
  const han = question.match(HAN)?.length ?? 0;
  const latin = question.match(LATIN_WORD)?.length ?? 0;
  return han > 0 && han >= latin ? 'ja' : 'en';
}
