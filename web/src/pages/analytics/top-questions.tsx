import type { Analytics } from '../../../../src/modules/analytics/analytics.schemas.js';
import { DataTable } from '../../components/data-table.js';
import { formatNumber } from '../../format.js';
import { useI18n } from '../../i18n/i18n.js';

type Week = Analytics['weeks'][number];
type Top = Week['top_questions'][number];

/** Week by week, newest first: the most asked questions and the ones the bot could not answer most often. */
export function TopQuestions({ weeks }: { weeks: Week[] }) {
  const { t, language } = useI18n();
  const shown = [...weeks].reverse().filter((w) => w.top_questions.length > 0);
  const table = (rows: Top[], unanswered: boolean) => (
    <DataTable
      rows={rows}
      rowKey={(r) => r.question}
      columns={[
        { label: t('analytics.question'), cell: (r) => r.question },
        { label: t('analytics.times'), className: 'number', cell: (r) => formatNumber(unanswered ? r.unanswered : r.count, language) },
        !unanswered && { label: t('analytics.unanswered'), className: 'number', cell: (r) => formatNumber(r.unanswered, language) },
      ]}
    />
  );
  if (shown.length === 0) return <p className="card muted">{t('analytics.noQuestions')}</p>;
  return (
    <>
      {shown.map((week) => (
        <div key={week.week_start} className="card">
          <h2>{t('analytics.weekOf', { date: week.week_start })}</h2>
          <h3>{t('analytics.topQuestions')}</h3>
          {table(week.top_questions, false)}
          <h3>{t('analytics.topUnanswered')}</h3>
          {week.top_unanswered.length > 0 ? table(week.top_unanswered, true) : <p className="muted">{t('analytics.allAnswered')}</p>}
        </div>
      ))}
    </>
  );
}
