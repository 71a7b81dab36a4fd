import { z } from 'zod';
import { providers, usageChannels, usageKinds } from '../../db/enums.js';

export const granularities = ['day', 'week', 'month'] as const;
export type Granularity = (typeof granularities)[number];

const MIN_DATE = '2000-01-01';
const MAX_DATE = '2999-12-31';
const isoDate = z.iso.date();
const isoDateTime = z.iso.datetime({ offset: true, local: true });

/** The UTC date of `YYYY-MM-DD` or of an ISO 8601 date-time (one without an offset is UTC, like every date here). */
function utcDateOf(value: string): string | undefined {
  if (isoDate.safeParse(value).success) return value;
  if (!isoDateTime.safeParse(value).success) return undefined;
  return new Date(/(?:Z|[+-]\d{2}:\d{2})$/i.test(value) ? value : `${value}Z`).toISOString().slice(0, 10);
}

const dateParam = z.string().transform((value, ctx) => {
  const date = utcDateOf(value);
  if (date === undefined) ctx.addIssue({ code: 'custom', message: 'must be a date (YYYY-MM-DD) or an ISO 8601 date-time' });
  // Usage cannot predate this software; the bound also keeps every day a valid PostgreSQL timestamp.
  else if (date < MIN_DATE || date > MAX_DATE) ctx.addIssue({ code: 'custom', message: `must be between ${MIN_DATE} and ${MAX_DATE}` });
  else return date;
  return z.NEVER;
});

export const usageQuerySchema = z.object({
  start_date: dateParam
    .optional()
    .describe('First day counted, inclusive: YYYY-MM-DD, or a date-time taken as its UTC date. Default: 29 days before end_date (30 days in all)')
    .meta({ example: '2025-01-01' }),
  end_date: dateParam.optional().describe('Last day counted, inclusive: YYYY-MM-DD, or a date-time taken as its UTC date. Default: today (UTC)').meta({ example: '2025-01-31' }),
  granularity: z
    .enum(granularities, { error: 'must be day, week or month' })
    .default('day')
    .describe('Size of the by_date buckets: day, ISO week (Monday to Sunday) or calendar month'),
});

export type UsageQuery = z.infer<typeof usageQuerySchema>;

const tokens = z.number().int().describe('Input + output tokens').meta({ example: 5000 });
const cost = z.number().describe('US dollars, rounded to 6 decimals').meta({ example: 0.5 });
const answers = z
  .number()
  .int()
  .describe('Answers given (not failed), with or without a model: extractive answers cost no tokens but count here')
  .meta({ example: 42 });

export const usageBucketSchema = z
  .object({
    date: z.iso.date().describe('The bucket’s first day: the date, the Monday of the week, or the 1st of the month').meta({ example: '2025-01-01' }),
    tokens,
    cost,
    answers,
  })
  .meta({ id: 'UsageBucket' });

export const usageStatsSchema = z
  .object({
    start_date: z.iso.date().describe('The range counted, after defaults'),
    end_date: z.iso.date(),
    granularity: z.enum(granularities),
    total_tokens: tokens.meta({ example: 100000 }),
    total_cost: cost.meta({ example: 10.5 }),
    total_answers: answers.meta({ example: 74 }),
    by_date: z.array(usageBucketSchema).describe('Every bucket of the range, oldest first, with zeros where nothing was used'),
    by_model: z
      .array(
        z.object({
          model: z.string().meta({ example: 'gpt-4o-mini' }),
          provider: z.enum(providers),
          tokens_in: z.number().int(),
          tokens_out: z.number().int(),
          tokens,
          cost,
          priced: z
            .boolean()
            .describe('Whether the server knows a price for this model now. Calls made while it had none are counted at cost 0 (set MODEL_PRICES)'),
        }),
      )
      .describe('Models used in the range, most expensive first'),
    by_channel: z
      .array(z.object({ channel: z.enum(usageChannels), tokens, cost, answers }))
      .describe('Every channel: dashboard, api, widget (chat and search) and ingestion (document embeddings)'),
    by_kind: z.array(z.object({ kind: z.enum(usageKinds), tokens, cost })).describe('Every kind: chat answers, query rewrites, embeddings'),
  })
  .meta({ id: 'UsageStats' });

export type UsageStats = z.infer<typeof usageStatsSchema>;
