import { useI18n } from '../i18n/i18n.js';
import { Link } from '../router.js';
import { usePageTitle } from '../components/shell.js';

/** Any path of the app that matches no page. */
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
