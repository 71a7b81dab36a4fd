import { useApi } from '../../api/use-api.js';
import { useSession } from '../../auth/session.js';
import { ErrorMessage } from '../../components/feedback.js';
import { usePageTitle } from '../../components/shell.js';
import { useI18n } from '../../i18n/i18n.js';
import { Link } from '../../router.js';
import type { ApiKey } from '../api-keys/api-keys-page.js';
import type { Tenant } from '../widget/types.js';
import { OrganisationForm } from './organisation-form.js';

/** The organisation: name, models, chunking and the chat's instructions (ADMIN edits, OPERATOR reads); plan and status from billing. */
export function SettingsPage() {
  const { t } = useI18n();
  usePageTitle(t('org.title'));
  const { user } = useSession();
  const isAdmin = user?.role === 'ADMIN';
  const tenant = useApi<Tenant>(user ? `/api/v1/tenants/${user.tenant_id}` : null);
  // The keys are ADMIN-only in the API; an OPERATOR's select offers just the current model.
  const keys = useApi<ApiKey[]>(isAdmin ? '/api/v1/api-keys' : null);
  const keyModels = [...new Set((keys.data ?? []).filter((k) => k.is_active).map((k) => k.model))];
  // The form starts once the keys are in (or failed), so its model select holds the full list from
  // the first render and nothing typed is lost to a later rebuild.
  const keysSettled = !isAdmin || !keys.loading;

  return (
    <section className="settings">
      <h1>{t('org.title')}</h1>
      <p className="muted">{t('org.intro')}</p>
      {!isAdmin && <p className="notice">{t('settings.adminOnly')}</p>}
      <ErrorMessage error={tenant.error} onRetry={() => void tenant.reload()} />
      {tenant.data && keysSettled && (
        <>
          <OrganisationForm tenant={tenant.data} keyModels={keyModels} readOnly={!isAdmin} onSaved={tenant.setData} />
          <div className="card">
            <h2>{t('org.plan')}</h2>
            <dl className="facts">
              <dt>{t('billing.plan')}</dt>
              <dd data-testid="org-plan">{tenant.data.plan}</dd>
              <dt>{t('billing.status')}</dt>
              <dd>{t(`billing.status.${tenant.data.status}`)}</dd>
            </dl>
            <p>
              <Link to="/billing">{t('org.toBilling')}</Link>
            </p>
          </div>
        </>
      )}
    </section>
  );
}
