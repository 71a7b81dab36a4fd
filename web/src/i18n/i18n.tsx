import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { setRequestLanguage } from '../api/client.js';
import { loadDictionary, rememberLanguage, type Dictionary, type Language } from './dictionaries.js';
import type { MessageKey } from './en.js';

export { languages, type Language } from './dictionaries.js';
export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

/** `{name}` placeholders filled from values; a missing key shows itself, so it is noticed. */
export function translate(dictionary: Dictionary, key: MessageKey, values?: Record<string, string | number>): string {
  const text = dictionary[key] ?? key;
  return values ? text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole)) : text;
}

interface I18n {
  language: Language;
  setLanguage(language: Language): void;
  t: Translate;
}

const I18nContext = createContext<I18n | undefined>(undefined);

/**
 * The UI language and its dictionary, always together: main.tsx renders only once the first one has
 * arrived, and a switch keeps showing the current language until the new dictionary is loaded (no
 * keys, no empty page in between).
 */
export function I18nProvider({ initial, children }: { initial: { language: Language; dictionary: Dictionary }; children: ReactNode }) {
  const [shown, setShown] = useState(initial);
  const { language, dictionary } = shown;
  const wanted = useRef(language);
  // During render, not in an effect: the page's first requests (fired by effects below) already carry it.
  setRequestLanguage(language);
  const setLanguage = useCallback((next: Language) => {
    rememberLanguage(next);
    wanted.current = next;
    loadDictionary(next).then(
      // Only the last choice wins when the reader switches again before a dictionary arrived.
      (loaded) => wanted.current === next && setShown({ language: next, dictionary: loaded }),
      (error: unknown) => console.warn(`The ${next} dictionary did not load; the page stays as it is`, error),
    );
  }, []);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const value = useMemo<I18n>(() => ({ language, setLanguage, t: (key, values) => translate(dictionary, key, values) }), [language, dictionary, setLanguage]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n outside <I18nProvider>');
  return i18n;
}
