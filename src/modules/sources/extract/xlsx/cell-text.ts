import type { CellValue } from 'exceljs';

/**
 * A cell's value as text, as a reader of the sheet would see it: a formula shows its cached
 * result (what Excel computed when it last saved; we never evaluate formulas), rich text its
 * characters, a link its text, a date its calendar date (and time, if any), an error its code.
 * Example: cellText({ formula: 'B2*C2', result: 360 }) → '360'
 */
export function cellText(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return formatDate(value);
  if ('error' in value) return String(value.error);
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('hyperlink' in value) return typeof value.text === 'string' ? value.text : cellText(value.text as CellValue);
  if ('formula' in value || 'sharedFormula' in value) return cellText((value.result ?? null) as CellValue);
  return '';
}

/** Binary floating point noise (0.1 + 0.2) is cut at 15 significant digits, as Excel shows it. */
function formatNumber(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(15))) : '';
}

/** exceljs gives dates in UTC as they were typed: 2024-04-01, or 2024-04-01 09:30 with a time. */
function formatDate(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  const iso = date.toISOString();
  const day = iso.slice(0, 10);
  const time = iso.slice(11, 16);
  return time === '00:00' ? day : `${day} ${time}`;
}
