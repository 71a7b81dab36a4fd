/** 12,345 (en) / 12,345 (ja): whole numbers with the language's grouping. */
export const formatNumber = (value: number, language: string) => new Intl.NumberFormat(language, { maximumFractionDigits: 0 }).format(value);

/** US dollars, with more decimals for the small amounts token prices give ($0.000123). */
export const formatCost = (value: number, language: string) =>
  new Intl.NumberFormat(language, { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: value !== 0 && Math.abs(value) < 1 ? 6 : 2 }).format(value);

/** Today in UTC, as YYYY-MM-DD, moved by `days`. */
export function utcDate(days = 0): string {
  const date = new Date();
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
