const W = 640;
const H = 240;
const PAD = { left: 56, right: 64, top: 16, bottom: 36 };

/** The nicest round number at or above `max` (1, 2, 5 × 10ⁿ), so the axis reads easily. */
function niceCeiling(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return ([1, 2, 5, 10].find((m) => m * power >= max) ?? 10) * power;
}

/** Axis ticks as fractions of the maximum; counts get no half tick that is not a whole number (0, 1, 1 read as nonsense). */
const ticksOf = (max: number, whole: boolean) => (whole && !Number.isInteger(max / 2) ? [0, 1] : [0, 0.5, 1]);

export interface ChartSeries {
  label: string;
  /** NaN: no value that period (the line skips it). */
  values: number[];
  format: (value: number) => string;
  /** Counts (answers, tokens): only whole numbers on the axis. */
  whole: boolean;
}

/**
 * One value per period as bars (left axis) and optionally a second as a line (right axis), drawn
 * as inline SVG: a chart library would add tens of kB for two charts, and SVG presentation
 * attributes are not the inline styles the CSP forbids. Screen readers get `summary`; the numbers
 * are in the tables below.
 */
export function BarLineChart({ dates, bars, line, summary, testId }: { dates: string[]; bars: ChartSeries; line?: ChartSeries; summary: string; testId: string }) {
  const maxBar = niceCeiling(Math.max(...bars.values, 0));
  const maxLine = niceCeiling(Math.max(...(line?.values ?? []).filter(Number.isFinite), 0));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const step = plotW / Math.max(dates.length, 1);
  const x = (i: number) => PAD.left + step * i + step / 2;
  const yBar = (v: number) => PAD.top + plotH - (v / maxBar) * plotH;
  const yLine = (v: number) => PAD.top + plotH - (v / maxLine) * plotH;
  const labelEvery = Math.ceil(dates.length / 6);

  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary} data-testid={testId}>
        {ticksOf(maxBar, bars.whole).map((f) => (
          <g key={f}>
            <line x1={PAD.left} x2={W - PAD.right} y1={PAD.top + plotH * (1 - f)} y2={PAD.top + plotH * (1 - f)} className="chart-grid" />
            <text x={PAD.left - 6} y={PAD.top + plotH * (1 - f) + 4} textAnchor="end" className="chart-axis">
              {bars.format(maxBar * f)}
            </text>
          </g>
        ))}
        {line &&
          ticksOf(maxLine, line.whole).map((f) => (
            <text key={f} x={W - PAD.right + 6} y={PAD.top + plotH * (1 - f) + 4} className="chart-axis">
              {line.format(maxLine * f)}
            </text>
          ))}
        {dates.map((date, i) => (
          <g key={date}>
            <rect x={x(i) - step * 0.35} width={step * 0.7} y={yBar(bars.values[i]!)} height={PAD.top + plotH - yBar(bars.values[i]!)} className="chart-bar">
              <title>{`${date}: ${bars.format(bars.values[i]!)} ${bars.label}${line && Number.isFinite(line.values[i]) ? `, ${line.format(line.values[i]!)}` : ''}`}</title>
            </rect>
            {i % labelEvery === 0 && (
              <text x={x(i)} y={H - PAD.bottom + 16} textAnchor="middle" className="chart-axis">
                {date.slice(5)}
              </text>
            )}
          </g>
        ))}
        {line && (
          <>
            <polyline points={line.values.flatMap((v, i) => (Number.isFinite(v) ? [`${x(i)},${yLine(v)}`] : [])).join(' ')} className="chart-line" />
            {line.values.map((v, i) => Number.isFinite(v) && <circle key={dates[i]} cx={x(i)} cy={yLine(v)} r={2.5} className="chart-dot" />)}
          </>
        )}
      </svg>
      <figcaption className="chart-legend">
        <span className="legend-bar" aria-hidden="true" /> {bars.label}
        {line && (
          <>
            {' '}
            <span className="legend-line" aria-hidden="true" /> {line.label}
          </>
        )}
      </figcaption>
    </figure>
  );
}

