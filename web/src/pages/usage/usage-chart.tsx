import type { UsageStats } from '../../../../src/modules/usage/usage.schemas.js';
import { useI18n } from '../../i18n/i18n.js';
import { formatCost, formatNumber } from './format.js';

const W = 640;
const H = 240;
const PAD = { left: 56, right: 64, top: 16, bottom: 36 };

/** The nicest round number at or above `max` (1, 2, 5 × 10ⁿ), so the axis reads easily. */
function niceCeiling(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return ([1, 2, 5, 10].find((m) => m * power >= max) ?? 10) * power;
}

/**
 * Tokens as bars (left axis) and cost as a line (right axis), drawn as inline SVG: a chart
 * library would add tens of kB for one chart, and SVG presentation attributes are not the inline
 * styles the CSP forbids. Screen readers get a summary; the numbers are in the table beside it.
 */
export function UsageChart({ stats }: { stats: UsageStats }) {
  const { t, language } = useI18n();
  const buckets = stats.by_date;
  const maxTokens = niceCeiling(Math.max(...buckets.map((b) => b.tokens), 0));
  const maxCost = niceCeiling(Math.max(...buckets.map((b) => b.cost), 0));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const step = plotW / Math.max(buckets.length, 1);
  const x = (i: number) => PAD.left + step * i + step / 2;
  const yTokens = (v: number) => PAD.top + plotH - (v / maxTokens) * plotH;
  const yCost = (v: number) => PAD.top + plotH - (v / maxCost) * plotH;
  const labelEvery = Math.ceil(buckets.length / 6);
  const summary = t('usage.chartSummary', { buckets: buckets.length, tokens: formatNumber(stats.total_tokens, language), cost: formatCost(stats.total_cost, language) });

  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary} data-testid="usage-chart">
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={PAD.left} x2={W - PAD.right} y1={PAD.top + plotH * (1 - f)} y2={PAD.top + plotH * (1 - f)} className="chart-grid" />
            <text x={PAD.left - 6} y={PAD.top + plotH * (1 - f) + 4} textAnchor="end" className="chart-axis">
              {formatNumber(maxTokens * f, language)}
            </text>
            <text x={W - PAD.right + 6} y={PAD.top + plotH * (1 - f) + 4} className="chart-axis">
              {formatCost(maxCost * f, language)}
            </text>
          </g>
        ))}
        {buckets.map((b, i) => (
          <g key={b.date}>
            <rect x={x(i) - step * 0.35} width={step * 0.7} y={yTokens(b.tokens)} height={PAD.top + plotH - yTokens(b.tokens)} className="chart-bar">
              <title>{`${b.date}: ${formatNumber(b.tokens, language)} ${t('usage.tokens')}, ${formatCost(b.cost, language)}`}</title>
            </rect>
            {i % labelEvery === 0 && (
              <text x={x(i)} y={H - PAD.bottom + 16} textAnchor="middle" className="chart-axis">
                {b.date.slice(5)}
              </text>
            )}
          </g>
        ))}
        <polyline points={buckets.map((b, i) => `${x(i)},${yCost(b.cost)}`).join(' ')} className="chart-line" />
        {buckets.map((b, i) => (
          <circle key={b.date} cx={x(i)} cy={yCost(b.cost)} r={2.5} className="chart-dot" />
        ))}
      </svg>
      <figcaption className="chart-legend">
        <span className="legend-bar" aria-hidden="true" /> {t('usage.tokens')} <span className="legend-line" aria-hidden="true" /> {t('usage.costUsd')}
      </figcaption>
    </figure>
  );
}
