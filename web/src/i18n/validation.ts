import { japaneseFieldMessage } from '../../../src/http/field-messages.js';
import type { Language } from './i18n.js';

// The shared Zod schemas speak English; their Japanese is the server's own table (the same one
// renders the server's validation errors). Server messages arrive already in the UI's language.
export function localizeValidation(message: string, language: Language): string {
  return language === 'ja' ? (japaneseFieldMessage(message) ?? message) : message;
}
