import { useState, type FormEvent } from 'react';
import { granularities, usageQuerySchema, type Granularity, type UsageStats } from '../../../../src/modules/usage/usage.schemas.js';
import { useApi } from '../../api/use-api.js';
import { ErrorMessage } from '../../components/feedback.js';
import { SelectField } from '../../components/fields.js';
import { Field, fieldErrorsOf, validate, type FieldErrors } from '../../components/form.js';
import { usePageTitle } from '../../components/shell.js';
import { useI18n } from '../../i18n/i18n.js';
import { formatCost, formatNumber, utcDate } from './format.js';
import { UsageCharts } from './usage-charts.js';
import { UsageTables } from './usage-tables.js';

/** Tokens and cost over a range of UTC days: a chart, totals, and tables by model, channel and kind. */
export function UsagePage() {
  const { t, language } = useI18n();
  usePageTitle(t('nav.usage'));
  const [form, setForm] = useState({ start_date: utcDate(-29), end_date: utcDate(), granularity: 'day' as Granularity });
  const [query, setQuery] = useState(form);
  const [errors, setErrors] = useState<FieldErrors>({});
  const stats = useApi<UsageStats>('/api/v1/stats/usage', query);

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = validate(usageQuerySchema, form);
    if (!parsed.ok) return setErrors(parsed.errors);
    setErrors({});
    setQuery({ ...form });
  }
  const serverErrors = fieldErrorsOf(stats.error);

  return (
    <section className="settings">
      <h1>{t('nav.usage')}</h1>
      <p className="muted">{t('usage.intro')}</p>
      <form className="card filters" onSubmit={submit} noValidate>
        <Field label={t('usage.from')} type="date" value={form.start_date} onChange={(e) => setForm((f) => ({ ...f, start_date: e.target.value }))} error={errors.start_date ?? serverErrors.start_date} />
        <Field label={t('usage.to')} type="date" value={form.end_date} onChange={(e) => setForm((f) => ({ ...f, end_date: e.target.value }))} error={errors.end_date ?? serverErrors.end_date} />
        <SelectField
          label={t('usage.granularity')}
          value={form.granularity}
          onChange={(e) => setForm((f) => ({ ...f, granularity: e.target.value as Granularity }))}
          options={granularities.map((g) => ({ value: g, label: t(`usage.granularity.${g}`) }))}
        />
        <button type="submit" className="primary">
          {t('usage.show')}
        </button>
      </form>
      <p className="muted">{t('usage.utcNote')}</p>
      <ErrorMessage error={stats.error} onRetry={() => void stats.reload()} />
      {stats.data && (
        <>
          <div className="totals" role="group" aria-label={t('usage.totals')}>
            {(
              [
                ['total-answers', t('usage.totalAnswers'), formatNumber(stats.data.total_answers, language)],
                ['total-tokens', t('usage.totalTokens'), formatNumber(stats.data.total_tokens, language)],
                ['total-cost', t('usage.totalCost'), formatCost(stats.data.total_cost, language)],
              ] as const
            ).map(([testId, label, value]) => (
              <div key={testId} className="card total">
                <span className="muted">{label}</span>
                <strong data-testid={testId}>{value}</strong>
              </div>
            ))}
            <div className="card total">
              <span className="muted">{t('usage.range')}</span>
              <strong className="range">
                {stats.data.start_date} – {stats.data.end_date}
              </strong>
            </div>
          </div>
          <UsageCharts stats={stats.data} />
          <UsageTables stats={stats.data} />
        </>
      )}
    </section>
  );
}
