import { chatChannels, type ChatChannel } from '../../../../src/db/enums.js';
import { analyticsQuerySchema, type Analytics } from '../../../../src/modules/analytics/analytics.schemas.js';
import { useApi } from '../../api/use-api.js';
import { BarLineChart } from '../../components/bar-line-chart.js';
import { ErrorMessage } from '../../components/feedback.js';
import { DateRangeFilters, TotalsTiles, useRangeFilters } from '../../components/date-range-filters.js';
import { SelectField } from '../../components/fields.js';
import { fieldErrorsOf } from '../../components/form.js';
import { usePageTitle } from '../../components/shell.js';
import { formatNumber } from '../../format.js';
import { useI18n } from '../../i18n/i18n.js';
import { TopQuestions } from './top-questions.js';

/** Today in Japan, `days` from now: the page's dates are Tokyo's, as its users' are. */
const tokyoDate = (days = 0) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(new Date(Date.now() + days * 86_400_000));
const percent = (rate: number | null, language: string) => (rate === null ? '—' : new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 1 }).format(rate));

/** How the bot is doing: questions and answer rate per day, ratings, and what was asked most and answered least, week by week. */
export function AnalyticsPage() {
  const { t, language } = useI18n();
  usePageTitle(t('nav.analytics'));
  const filters = useRangeFilters(analyticsQuerySchema, { start_date: tokyoDate(-27), end_date: tokyoDate(), channel: '' as ChatChannel | '' });
  const stats = useApi<Analytics>('/api/v1/analytics', filters.query);
  const serverErrors = fieldErrorsOf(stats.error);
  const data = stats.data;
  const count = (v: number) => formatNumber(v, language);

  return (
    <section className="settings">
      <h1>{t('nav.analytics')}</h1>
      <p className="muted">{t('analytics.intro')}</p>
      <DateRangeFilters filters={filters} serverErrors={serverErrors}>
        <SelectField
          label={t('conversations.channel')}
          value={filters.form.channel}
          onChange={(e) => filters.set('channel', e.target.value as ChatChannel | '')}
          options={[{ value: '', label: t('analytics.allChannels') }, ...chatChannels.map((c) => ({ value: c, label: t(`conversations.channel.${c}`) }))]}
        />
      </DateRangeFilters>
      <p className="muted">{t('analytics.tokyoNote')}</p>
      <ErrorMessage error={stats.error} onRetry={() => void stats.reload()} />
      {data && (
        <>
          <TotalsTiles
            tiles={[
              ['questions', t('analytics.questions'), count(data.totals.questions)],
              ['answer-rate', t('analytics.answerRate'), percent(data.totals.answer_rate, language)],
              ['ratings', t('analytics.ratings'), t('analytics.ratingsValue', { up: count(data.totals.feedback_up), down: count(data.totals.feedback_down) })],
              ['helpful-rate', t('analytics.helpfulRate'), percent(data.totals.helpful_rate, language)],
            ]}
          />
          <div className="card">
            <h2>{t('analytics.perDay')}</h2>
            <BarLineChart
              testId="questions-chart"
              dates={data.days.map((d) => d.date)}
              bars={{ label: t('analytics.questions'), values: data.days.map((d) => d.questions), format: count, whole: true }}
              line={{ label: t('analytics.answerRate'), values: data.days.map((d) => (d.questions ? d.answered / d.questions : NaN)), format: (v) => percent(v, language), whole: false }}
              summary={t('analytics.chartSummary', { days: data.days.length, questions: count(data.totals.questions), rate: percent(data.totals.answer_rate, language) })}
            />
          </div>
          <TopQuestions weeks={data.weeks} />
        </>
      )}
    </section>
  );
}
