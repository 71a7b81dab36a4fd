/**
 * A time as a spreadsheet reads it, in a time zone: `2026-12-02 09:05:00`.
 * @example localTime(new Date('2026-12-02T00:05:00Z'), 'Asia/Tokyo') // '2026-12-02 09:05:00'
 */
export function localTime(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')}`;
}
