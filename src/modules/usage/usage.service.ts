import type { Database } from '../../db/client.js';
import { usageChannels, usageKinds } from '../../db/schema.js';
import { validationFailed } from '../../http/errors.js';
import type { Text } from '../../http/language.js';
import type { PriceTable } from './prices.js';
import { createUsageRepo } from './usage.repo.js';
import type { Granularity, UsageQuery, UsageStats } from './usage.schemas.js';
import type { UsageRecord, UsageRecorder } from './usage-recorder.js';

export interface UsageServiceDeps {
  db: Database;
  log: { warn(details: object, message: string): void; error(details: object, message: string): void };
  prices: PriceTable;
  /** The clock that decides "today" for the default range; tests pin it. */
  now?: () => Date;
}

/** Days in the default range, ending today (UTC). */
export const DEFAULT_RANGE_DAYS = 30;
/** Longest range per granularity, in days (both ends counted): a year of days, five years of weeks or months. */
export const MAX_RANGE_DAYS: Record<Granularity, number> = { day: 366, week: 5 * 365 + 2, month: 5 * 365 + 2 };

const DAY_MS = 86_400_000;
/** Days since 1970-01-01 of a YYYY-MM-DD date, and back. */
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const dateOfDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** micro-USD (integers, summed in SQL) to US dollars: one division, so at most 6 decimals. */
const usd = (microUsd: number) => Math.round(microUsd) / 1_000_000;
/** Providers' counts are trusted but not blindly: a missing or odd number counts as 0. */
const tokenCount = (n: number) => (Number.isFinite(n) && n > 0 ? Math.min(Math.round(n), 2_147_483_647) : 0);

const invalid = (field: string, message: Text) => validationFailed([{ field, message }]);

/** The range a query asks for, with its defaults, checked: both ends inclusive, YYYY-MM-DD in UTC. */
export function resolveRange(query: Pick<UsageQuery, 'start_date' | 'end_date' | 'granularity'>, now: Date): { start: string; end: string } {
  const end = query.end_date ?? now.toISOString().slice(0, 10);
  const start = query.start_date ?? dateOfDay(dayNumber(end) - (DEFAULT_RANGE_DAYS - 1));
  if (start > end) throw invalid('start_date', { ja: `終了日（${end}）より後の日付にはできません`, en: `must not be after end_date (${end})` });
  const days = dayNumber(end) - dayNumber(start) + 1;
  const max = MAX_RANGE_DAYS[query.granularity];
  if (days > max) {
    const hint = query.granularity === 'day' ? '; use granularity=week or month for longer ranges' : '';
    const jaHint = query.granularity === 'day' ? '。それより長い期間は週または月単位で表示してください' : '';
    throw invalid('start_date', {
      ja: `期間が ${days} 日あります。granularity=${query.granularity} では ${max} 日までです${jaHint}`,
      en: `the range is ${days} days; at most ${max} with granularity=${query.granularity}${hint}`,
    });
  }
  return { start, end };
}

/**
 * First day of every bucket from the one containing `start` to the one containing `end`: each
 * date, the Monday of each ISO week, or the 1st of each month.
 * @example bucketStarts('2025-01-30', '2025-03-02', 'month') // ['2025-01-01', '2025-02-01', '2025-03-01']
 */
export function bucketStarts(start: string, end: string, granularity: Granularity): string[] {
  const starts: string[] = [];
  if (granularity === 'month') {
    const [year, month] = start.split('-').map(Number) as [number, number];
    // Months counted from year 0, so December rolls over into the next year by itself.
    for (let m = year * 12 + month - 1; ; m++) {
      const date = `${String(Math.floor(m / 12)).padStart(4, '0')}-${String((m % 12) + 1).padStart(2, '0')}-01`;
      if (date > end) return starts;
      starts.push(date);
    }
  }
  const step = granularity === 'week' ? 7 : 1;
  // getUTCDay: 0 = Sunday; ISO weeks start on Monday.
  const first = granularity === 'week' ? dayNumber(start) - ((new Date(`${start}T00:00:00Z`).getUTCDay() + 6) % 7) : dayNumber(start);
  for (let day = first; day <= dayNumber(end); day += step) starts.push(dateOfDay(day));
  return starts;
}

/** Records model calls (priced on the way in) and reads them back as the usage statistics. */
export function createUsageService(deps: UsageServiceDeps) {
  const { log, prices } = deps;
  const repo = createUsageRepo(deps.db);
  const now = deps.now ?? (() => new Date());
  /** Models already warned about, so a busy unpriced model does not flood the log. */
  const unpriced = new Set<string>();

  const priced: UsageRecorder['priced'] = (event) => {
    const tokensIn = tokenCount(event.tokensIn);
    const tokensOut = tokenCount(event.tokensOut);
    if (prices.priceOf(event.model) === null && !unpriced.has(event.model)) {
      unpriced.add(event.model);
      log.warn({ model: event.model, provider: event.provider }, 'no price known for this model: its usage is counted at cost 0 (set MODEL_PRICES)');
    }
    const { tenantId, userId, channel, kind, provider, model } = event;
    return { tenantId, userId, channel, kind, provider, model, tokensIn, tokensOut, costMicroUsd: prices.costMicroUsd(model, tokensIn, tokensOut) };
  };

  const record: UsageRecorder['record'] = async (event: UsageRecord) => {
    try {
      await repo.insert(priced(event));
    } catch (error) {
      // Accounting must never fail the answer it accounts for.
      log.error({ err: error, tenantId: event.tenantId, model: event.model, kind: event.kind }, 'usage event not recorded');
    }
  };

  /** The tenant's usage in the range: totals, every bucket (zeros included), and breakdowns. */
  async function stats(caller: { tenantId: string }, query: UsageQuery): Promise<UsageStats> {
    const { start, end } = resolveRange(query, now());
    const range = { from: new Date(`${start}T00:00:00Z`), until: new Date((dayNumber(end) + 1) * DAY_MS) };
    const { tenantId } = caller;
    const [buckets, models, channels, kinds, answerRows] = await Promise.all([
      repo.byBucket(tenantId, range, query.granularity),
      repo.byModel(tenantId, range),
      repo.byChannel(tenantId, range),
      repo.byKind(tenantId, range),
      repo.answers(tenantId, range, query.granularity),
    ]);
    const answersBy = (key: (row: (typeof answerRows)[number]) => string) => {
      const counts = new Map<string, number>();
      for (const row of answerRows) counts.set(key(row), (counts.get(key(row)) ?? 0) + row.answers);
      return counts;
    };
    const answersByDate = answersBy((row) => row.bucket);
    const answersByChannel = answersBy((row) => row.channel);
    const used = new Map(buckets.map((b) => [b.bucket, b]));
    const byChannel = new Map(channels.map((c) => [c.channel, c]));
    const byKind = new Map(kinds.map((k) => [k.kind, k]));
    return {
      start_date: start,
      end_date: end,
      granularity: query.granularity,
      total_tokens: buckets.reduce((sum, b) => sum + b.tokens, 0),
      total_cost: usd(buckets.reduce((sum, b) => sum + b.costMicroUsd, 0)),
      total_answers: answerRows.reduce((sum, row) => sum + row.answers, 0),
      by_date: bucketStarts(start, end, query.granularity).map((date) => ({
        date,
        tokens: used.get(date)?.tokens ?? 0,
        cost: usd(used.get(date)?.costMicroUsd ?? 0),
        answers: answersByDate.get(date) ?? 0,
      })),
      by_model: models.map((m) => ({
        model: m.model,
        provider: m.provider,
        tokens_in: m.tokensIn,
        tokens_out: m.tokensOut,
        tokens: m.tokensIn + m.tokensOut,
        cost: usd(m.costMicroUsd),
        priced: prices.priceOf(m.model) !== null,
      })),
      by_channel: usageChannels.map((channel) => ({
        channel,
        tokens: byChannel.get(channel)?.tokens ?? 0,
        cost: usd(byChannel.get(channel)?.costMicroUsd ?? 0),
        answers: answersByChannel.get(channel) ?? 0,
      })),
      by_kind: usageKinds.map((kind) => ({ kind, tokens: byKind.get(kind)?.tokens ?? 0, cost: usd(byKind.get(kind)?.costMicroUsd ?? 0) })),
    };
  }

  return { record, priced, stats };
}

export type UsageService = ReturnType<typeof createUsageService>;
