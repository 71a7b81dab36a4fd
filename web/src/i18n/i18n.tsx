import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { setRequestLanguage } from '../api/client.js';
import { en, type MessageKey } from './en.js';
import { ja } from './ja.js';

export const languages = ['ja', 'en'] as const;
export type Language = (typeof languages)[number];
export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

const dictionaries: Record<Language, Record<MessageKey, string>> = { ja, en };
const STORAGE_KEY = 'shiori.language';

/** The remembered choice, else the browser's first language we have, else Japanese (most users). */
export function initialLanguage(): Language {
  const stored = safeStorage()?.getItem(STORAGE_KEY);
  if (stored === 'ja' || stored === 'en') return stored;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'ja' || base === 'en') return base;
  }
  return 'ja';
}

/** `{name}` placeholders filled from values; a missing key shows itself, so it is noticed. */
export function translate(language: Language, key: MessageKey, values?: Record<string, string | number>): string {
  const text = dictionaries[language][key] ?? key;
  return values ? text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole)) : text;
}

interface I18n {
  language: Language;
  setLanguage(language: Language): void;
  t: Translate;
}

const I18nContext = createContext<I18n | undefined>(undefined);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  // During render, not in an effect: the page's first requests (fired by effects below) already carry it.
  setRequestLanguage(language);
  const setLanguage = useCallback((next: Language) => {
    safeStorage()?.setItem(STORAGE_KEY, next);
    setLanguageState(next);
  }, []);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const value = useMemo<I18n>(() => ({ language, setLanguage, t: (key, values) => translate(language, key, values) }), [language, setLanguage]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n outside <I18nProvider>');
  return i18n;
}

function safeStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined; // storage disabled: the choice lasts for this page only
  }
}
