import { useI18n } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/en.js';
import { Link } from '../router.js';
import { usePageTitle } from '../components/shell.js';

/** A page of the navigation that is not built yet: says so, and points at the API that exists. */
export function PlaceholderPage({ label }: { label: MessageKey }) {
  const { t } = useI18n();
  usePageTitle(t(label));
  return (
    <section className="placeholder">
      <h1>{t('placeholder.title', { page: t(label) })}</h1>
      <p>{t('placeholder.body')}</p>
      <p>
        <a href="/docs">{t('placeholder.docs')}</a>
      </p>
    </section>
  );
}

export function NotFoundPage() {
  const { t } = useI18n();
  usePageTitle(t('notFound.title'));
  return (
    <section>
      <h1>{t('notFound.title')}</h1>
      <Link to="/documents">{t('notFound.home')}</Link>
    </section>
  );
}
