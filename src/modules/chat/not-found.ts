import type { AnswerLanguage } from './language.js';

export const NOT_IN_DOCUMENTS: Record<AnswerLanguage, string> = {
  ja: '申し訳ありませんが、ご提供いただいた資料にはこの質問への回答が見つかりませんでした。',
  en: 'Sorry, the documents provided do not contain the answer to this question.',
};

const REPHRASE: Record<AnswerLanguage, string> = {
  ja: '別の言葉で言い換えるか、もう少し具体的にお尋ねください。',
  en: 'Try asking again in other words, or with more detail.',
};

const CONTACT: Record<AnswerLanguage, (contact: string) => string> = {
  ja: (contact) => `担当者へのお問い合わせはこちら: ${contact}`,
  en: (contact) => `To reach a person: ${contact}`,
};

/**
 * The answer when no passage passes min_score, in every mode and channel: it says so, suggests
 * rephrasing, and gives the tenant's contact line when there is one. Never a quote: a passage
 * below the cut is about something else.
 */
export function notFoundAnswer(language: AnswerLanguage, contact: string | null = null): string {
  return [NOT_IN_DOCUMENTS[language], REPHRASE[language], ...(contact ? [CONTACT[language](contact)] : [])].join('\n');
}
