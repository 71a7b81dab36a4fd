import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { SessionProvider } from './auth/session.js';
import type { Dictionary, Language } from './i18n/dictionaries.js';
import { I18nProvider } from './i18n/i18n.js';
import { RouterProvider } from './router.js';

/** The whole app, rendered once main.tsx has both this chunk and the reader's dictionary. */
export function mount(element: HTMLElement, language: Language, dictionary: Dictionary): void {
  createRoot(element).render(
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
}
