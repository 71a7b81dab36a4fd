import Negotiator from 'negotiator';
import type { FastifyRequest } from 'fastify';

/** The languages every message a person reads is written in (docs/decisions.md D13). */
export const languages = ['en', 'ja'] as const;
export type Language = (typeof languages)[number];

/**
 * A message in both languages. Every error detail, field message and failure reason is one, so
 * TypeScript asks for the Japanese and the English at every site; the error handler picks one.
 */
export interface Text {
  ja: string;
  en: string;
}

/** A text as stored: rows written before a message existed in both languages hold its English alone. */
export type StoredText = string | Text;

export const textIn = (text: StoredText, language: Language): string => (typeof text === 'string' ? text : text[language]);

/**
 * The caller's language from `Accept-Language`, honouring q-values (`en;q=0.5, ja` → ja; `ja-JP` → ja).
 * English when the header is absent or names neither language: callers without one are programs
 * (the dashboard, the widget and every browser send theirs).
 */
export function requestLanguage(request: Pick<FastifyRequest, 'headers'>): Language {
  return languageOf(request.headers['accept-language']);
}

/** `text` in the caller's language: for the texts of successful answers (`{"message": …}`). */
export const inRequestLanguage = (request: Pick<FastifyRequest, 'headers'>, text: Text): string => text[requestLanguage(request)];

export function languageOf(acceptLanguage: string | undefined): Language {
  if (!acceptLanguage) return 'en';
  const best = new Negotiator({ headers: { 'accept-language': acceptLanguage } }).language([...languages]);
  return (best as Language | undefined) ?? 'en';
}
