import type { CheckoutBody } from '../../../../src/modules/billing/billing.schemas.js';
import { useI18n } from '../../i18n/i18n.js';
import type { BillingOverview } from './billing-page.js';
import { formatBytes } from './limits.js';

/** Every plan with its limits; paid plans have a button per cycle this server can sell. */
export function PlanCards({ overview, canBuy, busy, onBuy }: { overview: BillingOverview; canBuy: boolean; busy: boolean; onBuy(body: CheckoutBody): void }) {
  const { t, language } = useI18n();
  const num = (v: number | null, bytes = false) => (v === null ? t('billing.unlimited') : bytes ? formatBytes(v, language) : new Intl.NumberFormat(language).format(v));
  return (
    <div>
      <h2>{t('billing.plans')}</h2>
      {overview.has_subscription && <p className="muted">{t('billing.changeInPortal')}</p>}
      <div className="plans">
        {overview.plans.map((p) => (
          <div key={p.plan} className={p.plan === overview.plan ? 'card plan current' : 'card plan'}>
            <h3>
              {p.plan} {p.plan === overview.plan && <span className="badge">{t('billing.currentBadge')}</span>}
            </h3>
            <ul>
              <li>{t('billing.planDocuments', { n: num(p.limits.documents) })}</li>
              <li>{t('billing.planStorage', { n: num(p.limits.storage_bytes, true) })}</li>
              <li>{t('billing.planMessages', { n: num(p.limits.messages_per_month) })}</li>
              <li>{t('billing.planMembers', { n: num(p.limits.members) })}</li>
            </ul>
            {canBuy && p.plan !== 'FREE' && p.plan !== overview.plan && (
              <div className="actions start">
                {p.billing_cycles.map((cycle) => (
                  <button key={cycle} type="button" className="primary" disabled={busy} onClick={() => onBuy({ plan: p.plan as CheckoutBody['plan'], billing_cycle: cycle })}>
                    {t('billing.upgrade', { plan: p.plan, cycle: t(`billing.cycle.${cycle}`) })}
                  </button>
                ))}
                {p.billing_cycles.length === 0 && <p className="muted">{t('billing.notForSale')}</p>}
              </div>
            )}
          </div>
        ))}
      </div>
    </div>
  );
}
