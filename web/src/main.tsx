import { initialLanguage, loadDictionary } from './i18n/dictionaries.js';
import './styles.css';

// A small entry so that the reader's dictionary and the app chunk download at the same time
// (index.html also preloads the app chunk: vite.config.ts), not one after the other.
const root = document.getElementById('root')!;
const language = initialLanguage();
try {
  const [dictionary, { mount }] = await Promise.all([loadDictionary(language), import('./root.js')]);
  mount(root, language, dictionary);
} catch (error) {
  // Offline, or a deploy replaced the chunks this page names: say so (text only, no dictionary yet).
  root.textContent = 'Shiori could not be loaded: please reload the page. / Shiori を読み込めませんでした。ページを再読み込みしてください。';
  throw error;
}
