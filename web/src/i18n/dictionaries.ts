import type { MessageKey } from './en.js';

export const languages = ['ja', 'en'] as const;
export type Language = (typeof languages)[number];
export type Dictionary = Record<MessageKey, string>;

const STORAGE_KEY = 'shiori.language';

// One chunk per language (scripts/build-web.ts counts the larger one in the first visit): a reader
// downloads only the dictionary of the language in use. Only types may be imported from en.ts/ja.ts
// elsewhere in web/, or the dictionary would be pulled back into the first visit's chunks.
const importers: Record<Language, () => Promise<Dictionary>> = {
  ja: () => import('./ja.js').then((m) => m.ja),
  en: () => import('./en.js').then((m) => m.en),
};
const loading = new Map<Language, Promise<Dictionary>>();

/** The language's dictionary, fetched once; a failed fetch is forgotten so the next call tries again. */
export function loadDictionary(language: Language): Promise<Dictionary> {
  let dictionary = loading.get(language);
  if (!dictionary) {
    dictionary = importers[language]();
    dictionary.catch(() => loading.delete(language));
    loading.set(language, dictionary);
  }
  return dictionary;
}

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

export function rememberLanguage(language: Language): void {
  safeStorage()?.setItem(STORAGE_KEY, language);
}

function safeStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined; // storage disabled: the choice lasts for this page only
  }
}
