import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { SessionProvider } from './auth/session.js';
import { initialLanguage, loadDictionary } from './i18n/dictionaries.js';
import { I18nProvider } from './i18n/i18n.js';
import { RouterProvider } from './router.js';
import './styles.css';

const root = document.getElementById('root')!;
const language = initialLanguage();
try {
  // Already on its way (boot.ts started it): the app renders once the reader's words are there.
  const dictionary = await loadDictionary(language);
  createRoot(root).render(
    <StrictMode>
      <I18nProvider initial={{ language, dictionary }}>
        <RouterProvider>
          <SessionProvider>
            <App />
          </SessionProvider>
        </RouterProvider>
      </I18nProvider>
    </StrictMode>,
  );
} catch (error) {
  // Offline, or a deploy replaced the chunks this page names: say so (text only, no dictionary yet).
  root.textContent = 'Shiori could not be loaded: please reload the page. / Shiori を読み込めませんでした。ページを再読み込みしてください。';
  throw error;
}
