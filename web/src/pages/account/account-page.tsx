import { useSession } from '../../auth/session.js';
import { usePageTitle } from '../../components/shell.js';
import { useI18n } from '../../i18n/i18n.js';
import { PasswordForm } from './password-form.js';
import { TwoFactorSection } from './two-factor.js';

/** The signed-in user's own settings: password and two-factor authentication. */
export function AccountPage() {
  const { t } = useI18n();
  usePageTitle(t('nav.account'));
  const { user } = useSession();
  return (
    <section className="settings">
      <h1>{t('nav.account')}</h1>
      {user && (
        <dl className="facts card">
          <dt>{t('account.username')}</dt>
          <dd>{user.username}</dd>
          <dt>{t('account.email')}</dt>
          <dd>{user.email ?? '—'}</dd>
          <dt>{t('account.role')}</dt>
          <dd>{user.role}</dd>
        </dl>
      )}
      <PasswordForm />
      <TwoFactorSection />
    </section>
  );
}
