import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { billingOverviewSchema, CheckoutBody } from '../../../../src/modules/billing/billing.schemas.js';
import { api, ApiError } from '../../api/client.js';
import { useApi } from '../../api/use-api.js';
import { useSession } from '../../auth/session.js';
import { ErrorMessage, StatusMessage } from '../../components/feedback.js';
import { usePageTitle } from '../../components/shell.js';
import { useI18n } from '../../i18n/i18n.js';
import { useRouter } from '../../router.js';
import { LimitsTable } from './limits.js';
import { PlanCards } from './plan-cards.js';

export type BillingOverview = z.infer<typeof billingOverviewSchema>;

/** Plan, status and limits vs use; upgrades through Stripe Checkout, changes through its portal. */
export function BillingPage() {
  const { t, language } = useI18n();
  usePageTitle(t('nav.billing'));
  const { user } = useSession();
  const { query, navigate } = useRouter();
  const overview = useApi<BillingOverview>('/api/v1/billing');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const isAdmin = user?.role === 'ADMIN';
  const returned = query.get('checkout');

  // Back from Checkout: say how it went, then drop the parameters so a reload does not repeat it.
  const [checkoutResult] = useState(returned === 'success' || returned === 'canceled' ? returned : undefined);
  useEffect(() => {
    if (returned) navigate('/billing', { replace: true });
  }, [returned, navigate]);

  async function go(path: string, body?: CheckoutBody) {
    setError(undefined);
    setBusy(true);
    try {
      const { url } = await api<{ url: string }>(path, { method: 'POST', body });
      window.location.assign(url);
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  }

  const data = overview.data;
  const notConfigured = (error instanceof ApiError && error.body.error_code === 'BILLING_NOT_CONFIGURED') || (data && !data.billing_configured);
  return (
    <section className="settings">
      <h1>{t('nav.billing')}</h1>
      {checkoutResult === 'success' && <StatusMessage>{t('billing.checkoutSuccess')}</StatusMessage>}
      {checkoutResult === 'canceled' && <p className="notice">{t('billing.checkoutCanceled')}</p>}
      <ErrorMessage error={overview.error} onRetry={() => void overview.reload()} />
      {data && (
        <>
          <div className="card">
            <h2>{t('billing.current')}</h2>
            <dl className="facts">
              <dt>{t('billing.plan')}</dt>
              <dd data-testid="billing-plan">{data.plan}</dd>
              <dt>{t('billing.status')}</dt>
              <dd>{t(`billing.status.${data.status}`)}</dd>
              <dt>{t('billing.cycle')}</dt>
              <dd>{data.billing_cycle ? t(`billing.cycle.${data.billing_cycle}`) : '—'}</dd>
              <dt>{t('billing.periodEnd')}</dt>
              <dd>{data.current_period_end ? new Date(data.current_period_end).toLocaleDateString(language) : '—'}</dd>
            </dl>
            {data.warning && (
              <p className="notice warn" role="alert">
                {data.warning}
              </p>
            )}
            {data.effective_plan !== data.plan && <p className="notice">{t('billing.effective', { plan: data.effective_plan })}</p>}
            {isAdmin && data.has_subscription && (
              <button type="button" disabled={busy} onClick={() => void go('/api/v1/billing/portal')}>
                {t('billing.manage')}
              </button>
            )}
          </div>
          {!data.limits_apply && (
            <p className="notice" role="status" data-testid="billing-no-limits">
              {t('billing.noLimits')}
            </p>
          )}
          <LimitsTable overview={data} />
          {data.limits_apply && (
            <>
              {notConfigured && (
                <p className="notice" role="status">
                  {t('billing.notConfigured')}
                </p>
              )}
              <ErrorMessage error={notConfigured ? undefined : error} />
              <PlanCards overview={data} canBuy={isAdmin && !data.has_subscription && !notConfigured} busy={busy} onBuy={(body) => void go('/api/v1/billing/checkout', body)} />
              {!isAdmin && <p className="muted">{t('billing.adminOnly')}</p>}
            </>
          )}
        </>
      )}
    </section>
  );
}
