import { useEffect, useRef, useState, type ReactNode } from 'react';
import { navItems } from '../nav.js';
import { useSession } from '../auth/session.js';
import { languages, useI18n, type Language } from '../i18n/i18n.js';
import { Link, useRouter } from '../router.js';

/** Sets document.title; on navigation moves focus to the page's heading for screen readers. */
export function usePageTitle(title: string): void {
  const { t } = useI18n();
  useEffect(() => {
    document.title = `${title} · ${t('app.name')}`;
  }, [title, t]);
}

export function LanguageSwitch() {
  const { language, setLanguage, t } = useI18n();
  return (
    <label className="language">
      <span>{t('language.label')}</span>
      <select value={language} onChange={(e) => setLanguage(e.target.value as Language)}>
        {languages.map((l) => (
          <option key={l} value={l} lang={l}>
            {t(`language.${l}`)}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Header, navigation to every page, language, who is signed in, logout; the page in <main>. */
export function Shell({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const { path } = useRouter();
  const { user, logout } = useSession();
  const [menuOpen, setMenuOpen] = useState(false);
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  // After a navigation, focus goes to <main> so keyboard and screen-reader users start at the page.
  useEffect(() => {
    setMenuOpen(false);
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [path]);

  return (
    <div className="shell">
      <a className="skip" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="topbar">
        <Link to="/documents" className="brand">
          <img src="/favicon.svg" alt="" width="24" height="24" /> {t('app.name')}
        </Link>
        <button type="button" className="menu-button" aria-expanded={menuOpen} aria-controls="main-nav" onClick={() => setMenuOpen((open) => !open)}>
          {t('nav.menu')}
        </button>
        <div className="topbar-end">
          <LanguageSwitch />
          {user && (
            <span className="who" title={user.email ?? undefined}>
              {t('nav.signedInAs', { name: user.username, role: user.role })}
            </span>
          )}
          <button type="button" onClick={() => void logout()}>
            {t('nav.logout')}
          </button>
        </div>
      </header>
      <div className="body">
        <nav id="main-nav" className={menuOpen ? 'nav open' : 'nav'} aria-label={t('nav.label')}>
          <ul>
            {navItems.map((item) => {
              const active = path === item.path || path.startsWith(`${item.path}/`);
              return (
                <li key={item.path}>
                  <Link to={item.path} aria-current={active ? 'page' : undefined}>
                    {t(item.label)}
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
        <main id="main" ref={main} tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}
