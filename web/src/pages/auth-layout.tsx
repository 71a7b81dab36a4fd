import type { ReactNode } from 'react';
import { LanguageSwitch, usePageTitle } from '../components/shell.js';
import { useI18n } from '../i18n/i18n.js';

/** The signed-out pages: a centred card, the language switch above it. */
export function AuthLayout({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useI18n();
  usePageTitle(title);
  return (
    <div className="auth">
      <header className="auth-header">
        <span className="brand">
          <img src="/favicon.svg" alt="" width="24" height="24" /> {t('app.name')}
        </span>
        <LanguageSwitch />
      </header>
      <main id="main" className="auth-card">
        <h1>{title}</h1>
        {children}
      </main>
    </div>
  );
}
