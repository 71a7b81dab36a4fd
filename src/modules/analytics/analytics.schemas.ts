import { z } from 'zod';
import { chatChannels } from '../../db/enums.js';
import { timeZoneSchema } from '../../lib/time-zone.js';

/** Longest range one request counts: a year and a day, so a leap year's same day is in. */
export const MAX_RANGE_DAYS = 366;
export const DEFAULT_RANGE_DAYS = 28;
/** Questions listed per week in each of the two tops. */
export const TOP_QUESTIONS = 10;

export const analyticsQuerySchema = z
  .object({
    start_date: z.iso.date('must be a date (YYYY-MM-DD)').optional().describe(`First day counted, inclusive, in time_zone. Default: ${DEFAULT_RANGE_DAYS - 1} days before end_date`),
    end_date: z.iso.date('must be a date (YYYY-MM-DD)').optional().describe('Last day counted, inclusive, in time_zone. Default: today'),
    time_zone: timeZoneSchema.describe('Where days and weeks start and end'),
    channel: z.enum(chatChannels, { error: `must be one of: ${chatChannels.join(', ')}` }).optional().describe('Only this channel'),
  })
  .refine((q) => !q.start_date || !q.end_date || q.start_date <= q.end_date, { path: ['end_date'], message: 'must not be before start_date' });

const channelCounts = z.object(Object.fromEntries(chatChannels.map((c) => [c, z.number().int()])) as Record<(typeof chatChannels)[number], z.ZodNumber>);

const rate = z.number().min(0).max(1).nullable();

export const topQuestionSchema = z.object({
  question: z.string().describe('The latest wording of the question, as a visitor asked it'),
  count: z.number().int().describe('How often it was asked (the same words, letter case, width and punctuation aside)'),
  unanswered: z.number().int().describe('How often of those the bot found nothing to answer from'),
});

export const analyticsSchema = z
  .object({
    start_date: z.iso.date(),
    end_date: z.iso.date(),
    time_zone: z.string(),
    totals: z.object({
      questions: z.number().int(),
      answered: z.number().int().describe('Answers that cited a source (the bot found something to answer from)'),
      answer_rate: rate.describe('answered / questions; null without questions'),
      feedback_up: z.number().int(),
      feedback_down: z.number().int(),
      helpful_rate: rate.describe('👍 / (👍 + 👎); null without ratings'),
    }),
    days: z
      .array(
        z.object({
          date: z.iso.date(),
          questions: z.number().int(),
          answered: z.number().int(),
          feedback_up: z.number().int(),
          feedback_down: z.number().int(),
          by_channel: channelCounts.describe('Questions per channel'),
        }),
      )
      .describe('Every day of the range, oldest first, days without questions included'),
    weeks: z
      .array(
        z.object({
          week_start: z.iso.date().describe('The Monday'),
          top_questions: z.array(topQuestionSchema),
          top_unanswered: z.array(topQuestionSchema),
        }),
      )
      .describe(`Each week (Monday to Sunday) the range touches, oldest first, with its ${TOP_QUESTIONS} most asked and most unanswered questions`),
  })
  .meta({ id: 'Analytics' });

export type AnalyticsQuery = z.infer<typeof analyticsQuerySchema>;
export type Analytics = z.infer<typeof analyticsSchema>;
