import type { ReactNode } from 'react';
import type { UsageStats } from '../../../../src/modules/usage/usage.schemas.js';
import { useI18n } from '../../i18n/i18n.js';
import { formatCost, formatNumber } from './format.js';

/** `empty`: said inside the card when there are no rows. */
function Table({ caption, head, rows, empty }: { caption: string; head: string[]; rows: ReactNode[][]; empty?: string }) {
  return (
    <div className="card table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {head.map((h, i) => (
              <th key={h} scope="col" className={i > 0 ? 'num' : undefined}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, r) => (
            <tr key={r}>
              {row.map((cell, i) => (
                <td key={i} className={i > 0 ? 'num' : undefined}>
                  {cell}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && empty && <p className="muted">{empty}</p>}
    </div>
  );
}

/** By model (with unpriced models flagged), by channel, by kind, and the buckets of the chart. */
export function UsageTables({ stats }: { stats: UsageStats }) {
  const { t, language } = useI18n();
  const n = (v: number) => formatNumber(v, language);
  const c = (v: number) => formatCost(v, language);
  return (
    <div className="usage-tables">
      <Table
        caption={t('usage.byModel')}
        head={[t('usage.model'), t('usage.tokensIn'), t('usage.tokensOut'), t('usage.tokens'), t('usage.costUsd')]}
        rows={stats.by_model.map((m) => [
          <>
            {m.model} <span className="muted">({m.provider})</span>
            {!m.priced && <span className="badge warn">{t('usage.unpriced')}</span>}
          </>,
          n(m.tokens_in),
          n(m.tokens_out),
          n(m.tokens),
          c(m.cost),
        ])}
        empty={t('usage.noModels')}
      />
      <Table
        caption={t('usage.byChannel')}
        head={[t('usage.channel'), t('usage.answers'), t('usage.tokens'), t('usage.costUsd')]}
        rows={stats.by_channel.map((r) => [t(`usage.channel.${r.channel}`), r.channel === 'ingestion' ? '—' : n(r.answers), n(r.tokens), c(r.cost)])}
      />
      <Table caption={t('usage.byKind')} head={[t('usage.kind'), t('usage.tokens'), t('usage.costUsd')]} rows={stats.by_kind.map((r) => [t(`usage.kind.${r.kind}`), n(r.tokens), c(r.cost)])} />
      <details className="card">
        <summary>{t('usage.byDate')}</summary>
        <Table
          caption={t('usage.byDate')}
          head={[t('usage.date'), t('usage.answers'), t('usage.tokens'), t('usage.costUsd')]}
          rows={stats.by_date.map((b) => [b.date, n(b.answers), n(b.tokens), c(b.cost)])}
        />
      </details>
    </div>
  );
}
