import { initialLanguage, loadDictionary } from './i18n/dictionaries.js';

// A second, tiny entry that index.html runs before the app (vite.config.ts adds it): it starts the
// reader's dictionary while the app's chunks are still downloading, instead of after them. main.tsx
// gets the same download from loadDictionary (it also reports a failure; here it is only started).
loadDictionary(initialLanguage()).catch(() => undefined);
