import { validationFailed } from '../http/errors.js';

const DAY_MS = 86_400_000;
export const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
/** Today's date where the reader is. */
export const today = (timeZone: string, now: Date) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);

/**
 * A range of whole days in a time zone, from optional ends: the end defaults to today, the start
 * to `defaultDays` - 1 days before it; at most `maxDays` long (analytics, the conversations export).
 */
export function dayRange(query: { start_date?: string; end_date?: string; time_zone: string }, now: Date, defaultDays: number, maxDays: number) {
  const endDate = query.end_date ?? today(query.time_zone, now);
  const startDate = query.start_date ?? addDays(endDate, -(defaultDays - 1));
  const length = (Date.parse(endDate) - Date.parse(startDate)) / DAY_MS + 1;
  // Only a default can produce these (an explicit pair is checked by the schema): say which field to send.
  if (length < 1) throw validationFailed([{ field: 'start_date', message: { ja: 'end_date 以前の日付にしてください', en: 'must not be after end_date' } }]);
  if (length > maxDays) throw validationFailed([{ field: 'start_date', message: { ja: `期間は最長 ${maxDays} 日です`, en: `the range may span at most ${maxDays} days` } }]);
  return { startDate, endDate, length };
}
