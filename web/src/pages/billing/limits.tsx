import { useI18n } from '../../i18n/i18n.js';
import type { BillingOverview } from './billing-page.js';

type Limit = keyof BillingOverview['limits'];
const usedOf: Record<Limit, keyof BillingOverview['usage']> = { documents: 'documents', storage_bytes: 'storage_bytes', messages_per_month: 'messages_this_month', members: 'members' };

export const formatBytes = (bytes: number, language: string) => {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${new Intl.NumberFormat(language, { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value)} ${units[unit]}`;
};

/** Use against each limit, as native <meter>s (no inline styles under the CSP); 80 % and over is flagged. */
export function LimitsTable({ overview }: { overview: BillingOverview }) {
  const { t, language } = useI18n();
  const show = (limit: Limit, value: number) => (limit === 'storage_bytes' ? formatBytes(value, language) : new Intl.NumberFormat(language).format(value));
  return (
    <div className="card">
      <h2>{t('billing.limits')}</h2>
      <ul className="limits">
        {(Object.keys(usedOf) as Limit[]).map((limit) => {
          const max = overview.limits[limit];
          const used = overview.usage[usedOf[limit]];
          const label = t(`billing.limit.${limit}`);
          return (
            <li key={limit}>
              <span className="limit-label" id={`limit-${limit}`}>
                {label}
              </span>
              <span className="limit-value">{max === null ? t('billing.usedUnlimited', { used: show(limit, used) }) : t('billing.usedOf', { used: show(limit, used), max: show(limit, max) })}</span>
              {max !== null && <meter aria-labelledby={`limit-${limit}`} min={0} max={Math.max(max, 1)} low={max * 0.8} high={max * 0.95} optimum={0} value={Math.min(used, max)} />}
            </li>
          );
        })}
      </ul>
      <p className="muted">{t('billing.messagesReset', { date: new Date(overview.messages_reset_at).toLocaleDateString(language, { timeZone: 'UTC' }) })}</p>
    </div>
  );
}
