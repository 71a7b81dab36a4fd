import type { UsageStats } from '../../../../src/modules/usage/usage.schemas.js';
import { BarLineChart } from '../../components/bar-line-chart.js';
import { useI18n } from '../../i18n/i18n.js';
import { formatCost, formatNumber } from './format.js';

/** The page's two charts: answers per period, and tokens with their cost. */
export function UsageCharts({ stats }: { stats: UsageStats }) {
  const { t, language } = useI18n();
  const dates = stats.by_date.map((b) => b.date);
  const count = (v: number) => formatNumber(v, language);
  const cost = (v: number) => formatCost(v, language);
  return (
    <>
      <div className="card">
        <h2>{t('usage.answersOverTime')}</h2>
        <BarLineChart
          testId="answers-chart"
          dates={dates}
          bars={{ label: t('usage.answers'), values: stats.by_date.map((b) => b.answers), format: count, whole: true }}
          summary={t('usage.answersChartSummary', { buckets: dates.length, answers: count(stats.total_answers) })}
        />
      </div>
      <div className="card">
        <h2>{t('usage.overTime')}</h2>
        <BarLineChart
          testId="usage-chart"
          dates={dates}
          bars={{ label: t('usage.tokens'), values: stats.by_date.map((b) => b.tokens), format: count, whole: true }}
          line={{ label: t('usage.costUsd'), values: stats.by_date.map((b) => b.cost), format: cost, whole: false }}
          summary={t('usage.chartSummary', { buckets: dates.length, tokens: count(stats.total_tokens), cost: cost(stats.total_cost) })}
        />
      </div>
    </>
  );
}
