import { weekdays, type Weekday } from '../../db/enums.js';
import type { ContactRoute } from '../../db/schema.js';

/** Whether a person is there now, in the route's time zone, and if not, when one next is. */
export interface Availability {
  open: boolean;
  /** The next opening as an instant; null when open, or when no day has hours. */
  nextOpenAt: Date | null;
  /** The same in the route's zone: today, tomorrow or a weekday, and its HH:MM. */
  nextOpen: { day: 'today' | 'tomorrow' | Weekday; time: string } | null;
  timeZone: string;
}

interface LocalTime {
  year: number;
  month: number;
  day: number;
  weekday: number;
  minutes: number;
}

const weekdayIndex: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', weekday: 'short', hour: 'numeric', minute: 'numeric' });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock date and time of an instant in a zone (weekday 0 = Monday). */
function localTime(instant: Date, timeZone: string): LocalTime {
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(instant).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: weekdayIndex[parts.weekday!]!,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The instant a wall-clock time of a zone names (the zone's offset read at that time: right across DST changes). */
function instantOf(year: number, month: number, day: number, minutes: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, day, 0, minutes);
  let guess = wall;
  for (let i = 0; i < 2; i++) {
    const seen = localTime(new Date(guess), timeZone);
    const seenWall = Date.UTC(seen.year, seen.month - 1, seen.day, 0, seen.minutes);
    guess += wall - seenWall;
  }
  return new Date(guess);
}

/**
 * Is a person there at `now`? Hours are per weekday in the route's zone, start inclusive, end
 * exclusive; a route without hours is always open. When closed, the next opening within a week.
 */
export function availability(route: Pick<ContactRoute, 'hours' | 'time_zone'>, now: Date): Availability {
  const timeZone = route.time_zone;
  if (!route.hours) return { open: true, nextOpenAt: null, nextOpen: null, timeZone };
  const local = localTime(now, timeZone);
  const today = route.hours[weekdays[local.weekday]!];
  if (today && toMinutes(today.start) <= local.minutes && local.minutes < toMinutes(today.end)) return { open: true, nextOpenAt: null, nextOpen: null, timeZone };
  for (let ahead = 0; ahead <= 7; ahead++) {
    const weekday = weekdays[(local.weekday + ahead) % 7]!;
    const opening = route.hours[weekday];
    if (!opening || (ahead === 0 && toMinutes(opening.start) <= local.minutes)) continue;
    // The calendar date `ahead` days on, computed at noon UTC so no zone shifts it.
    const date = new Date(Date.UTC(local.year, local.month - 1, local.day + ahead, 12));
    return {
      open: false,
      nextOpenAt: instantOf(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), toMinutes(opening.start), timeZone),
      nextOpen: { day: ahead === 0 ? 'today' : ahead === 1 ? 'tomorrow' : weekday, time: opening.start.replace(/^0(?=\d:)/, '') },
      timeZone,
    };
  }
  return { open: false, nextOpenAt: null, nextOpen: null, timeZone };
}
