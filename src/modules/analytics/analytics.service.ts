import type { Database } from '../../db/client.js';
import { chatChannels, type ChatChannel } from '../../db/enums.js';
import { createAnalyticsRepo } from './analytics.repo.js';
import { DEFAULT_RANGE_DAYS, MAX_RANGE_DAYS, TOP_QUESTIONS, type Analytics, type AnalyticsQuery } from './analytics.schemas.js';
import { addDays, dayRange } from '../../lib/day-range.js';

const ratio = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);
const noChannels = (): Record<ChatChannel, number> => Object.fromEntries(chatChannels.map((c) => [c, 0])) as Record<ChatChannel, number>;

export function createAnalyticsService(deps: { db: Database; now?: () => Date }) {
  const repo = createAnalyticsRepo(deps.db);
  const now = deps.now ?? (() => new Date());

  return {
    /** Questions, answers and ratings per day, and each week's most asked and most unanswered questions. */
    async summary(tenantId: string, query: AnalyticsQuery): Promise<Analytics> {
      const { startDate, endDate, length } = dayRange(query, now(), DEFAULT_RANGE_DAYS, MAX_RANGE_DAYS);
      const range = { startDate, endDate, timeZone: query.time_zone, channel: query.channel };
      const [dayRows, topRows] = await Promise.all([repo.days(tenantId, range), repo.topQuestions(tenantId, range, TOP_QUESTIONS)]);

      const days = Array.from({ length }, (_, i) => ({ date: addDays(startDate, i), questions: 0, answered: 0, feedback_up: 0, feedback_down: 0, by_channel: noChannels() }));
      const dayOf = new Map(days.map((d) => [d.date, d]));
      for (const row of dayRows) {
        const day = dayOf.get(row.date);
        if (!day) continue;
        day.questions += row.questions;
        day.answered += row.answered;
        day.feedback_up += row.up;
        day.feedback_down += row.down;
        day.by_channel[row.channel] += row.questions;
      }
      const sum = (pick: (d: (typeof days)[number]) => number) => days.reduce((n, d) => n + pick(d), 0);
      const totals = { questions: sum((d) => d.questions), answered: sum((d) => d.answered), feedback_up: sum((d) => d.feedback_up), feedback_down: sum((d) => d.feedback_down) };

      const weeks = new Map<string, Analytics['weeks'][number]>();
      for (let monday = mondayOf(startDate); monday <= endDate; monday = addDays(monday, 7)) weeks.set(monday, { week_start: monday, top_questions: [], top_unanswered: [] });
      for (const row of topRows) {
        const week = weeks.get(row.weekStart);
        if (!week) continue;
        const entry = { question: row.question, count: row.count, unanswered: row.unanswered };
        if (row.rankAsked <= TOP_QUESTIONS) week.top_questions.push(entry);
        if (row.rankUnanswered <= TOP_QUESTIONS && row.unanswered > 0) week.top_unanswered.push(entry);
      }
      for (const week of weeks.values()) week.top_unanswered.sort((a, b) => b.unanswered - a.unanswered || b.count - a.count);

      return {
        start_date: startDate,
        end_date: endDate,
        time_zone: query.time_zone,
        totals: { ...totals, answer_rate: ratio(totals.answered, totals.questions), helpful_rate: ratio(totals.feedback_up, totals.feedback_up + totals.feedback_down) },
        days,
        weeks: [...weeks.values()],
      };
    },
  };
}

/** The Monday of a date's ISO week. */
function mondayOf(date: string): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, -((weekday + 6) % 7));
}

export type AnalyticsService = ReturnType<typeof createAnalyticsService>;
