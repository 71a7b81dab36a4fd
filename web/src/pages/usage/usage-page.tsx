import { granularities, usageQuerySchema, type Granularity, type UsageStats } from '../../../../src/modules/usage/usage.schemas.js';
import { useApi } from '../../api/use-api.js';
import { ErrorMessage } from '../../components/feedback.js';
import { DateRangeFilters, TotalsTiles, useRangeFilters } from '../../components/date-range-filters.js';
import { SelectField } from '../../components/fields.js';
import { fieldErrorsOf } from '../../components/form.js';
import { usePageTitle } from '../../components/shell.js';
import { useI18n } from '../../i18n/i18n.js';
import { formatCost, formatNumber, utcDate } from './format.js';
import { UsageCharts } from './usage-charts.js';
import { UsageTables } from './usage-tables.js';

/** Tokens and cost over a range of UTC days: a chart, totals, and tables by model, channel and kind. */
export function UsagePage() {
  const { t, language } = useI18n();
  usePageTitle(t('nav.usage'));
  const filters = useRangeFilters(usageQuerySchema, { start_date: utcDate(-29), end_date: utcDate(), granularity: 'day' as Granularity });
  const stats = useApi<UsageStats>('/api/v1/stats/usage', filters.query);
  const serverErrors = fieldErrorsOf(stats.error);

  return (
    <section className="settings">
      <h1>{t('nav.usage')}</h1>
      <p className="muted">{t('usage.intro')}</p>
      <DateRangeFilters filters={filters} serverErrors={serverErrors}>
        <SelectField
          label={t('usage.granularity')}
          value={filters.form.granularity}
          onChange={(e) => filters.set('granularity', e.target.value as Granularity)}
          options={granularities.map((g) => ({ value: g, label: t(`usage.granularity.${g}`) }))}
        />
      </DateRangeFilters>
      <p className="muted">{t('usage.utcNote')}</p>
      <ErrorMessage error={stats.error} onRetry={() => void stats.reload()} />
      {stats.data && (
        <>
          <TotalsTiles
            tiles={[
              ['total-answers', t('usage.totalAnswers'), formatNumber(stats.data.total_answers, language)],
              ['total-tokens', t('usage.totalTokens'), formatNumber(stats.data.total_tokens, language)],
              ['total-cost', t('usage.totalCost'), formatCost(stats.data.total_cost, language)],
            ]}
          >
            <div className="card total">
              <span className="muted">{t('usage.range')}</span>
              <strong className="range">
                {stats.data.start_date} – {stats.data.end_date}
              </strong>
            </div>
          </TotalsTiles>
          <UsageCharts stats={stats.data} />
          <UsageTables stats={stats.data} />
        </>
      )}
    </section>
  );
}
