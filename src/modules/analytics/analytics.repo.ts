import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import type { ChatChannel } from '../../db/enums.js';
import { questionKey } from '../../db/question-key.js';
import { HANDOFF_MODEL } from '../chat/chat.service.js';

export interface AnalyticsRange {
  /** First and last day, inclusive, in `timeZone`. */
  startDate: string;
  endDate: string;
  timeZone: string;
  channel?: ChatChannel;
}

export interface DayRow {
  date: string;
  channel: ChatChannel;
  questions: number;
  answered: number;
  up: number;
  down: number;
}

export interface TopRow {
  weekStart: string;
  question: string;
  count: number;
  unanswered: number;
  /** Rank in its week: by count, and by unanswered count. */
  rankAsked: number;
  rankUnanswered: number;
}

type Rows<T> = { rows: T[] };

/**
 * An answer counts as answered when it is complete, cites a source ("not found" answers cite none)
 * and does not say the documents lack it (the `not_found` signal of its confidence: a model refusing
 * in its own words while citing; answers stored before confidence existed count by their sources).
 */
const ANSWERED = sql`(a.status = 'completed' AND jsonb_array_length(coalesce(a.sources, '[]'::jsonb)) > 0 AND coalesce(a.confidence_signals->>'not_found', 'false') <> 'true')`;

/**
 * Every answer of the tenant in the range (its question's local day and week), with the question it
 * answered: the conversation's latest user message up to it (a turn's two rows share a timestamp).
 */
function answersIn(tenantId: string, range: AnalyticsRange): SQL {
  const from = sql`(${range.startDate}::date)::timestamp AT TIME ZONE ${range.timeZone}`;
  const to = sql`(${range.endDate}::date + 1)::timestamp AT TIME ZONE ${range.timeZone}`;
  return sql`
    SELECT a.id, a.conversation_id, a.created_at, a.feedback, c.channel, ${ANSWERED} AS answered,
      (a.created_at AT TIME ZONE ${range.timeZone})::date AS day
    FROM messages a JOIN conversations c ON c.id = a.conversation_id
    WHERE a.tenant_id = ${tenantId} AND c.tenant_id = ${tenantId} AND a.role = 'assistant'
      -- "Talk to a person" is no question of the documents: the handoff reply counts nowhere.
      AND a.model IS DISTINCT FROM ${HANDOFF_MODEL}
      AND a.created_at >= ${from} AND a.created_at < ${to}
      ${range.channel ? sql`AND c.channel = ${range.channel}` : sql``}`;
}

/** Tenant-scoped read-only counts over the conversations (src/modules/chat owns the writes). */
export function createAnalyticsRepo(db: Database) {
  return {
    async days(tenantId: string, range: AnalyticsRange): Promise<DayRow[]> {
      const result = (await db.execute(sql`
        SELECT to_char(day, 'YYYY-MM-DD') AS date, channel, count(*)::int AS questions,
          count(*) FILTER (WHERE answered)::int AS answered,
          count(*) FILTER (WHERE feedback = 'up')::int AS up, count(*) FILTER (WHERE feedback = 'down')::int AS down
        FROM (${answersIn(tenantId, range)}) answers
        GROUP BY day, channel ORDER BY day`)) as unknown as Rows<DayRow>;
      return result.rows;
    },

    /**
     * Each week's questions grouped by their words — NFKC, lower case, spaces and punctuation
     * removed, so 「有給休暇は何日？」 and 「有給休暇は何日 ?」 are one — ranked by how often they were asked
     * and how often unanswered; the `limit` best of each ranking.
     */
    async topQuestions(tenantId: string, range: AnalyticsRange, limit: number): Promise<TopRow[]> {
      const result = (await db.execute(sql`
        WITH asked AS (
          SELECT answers.*, q.content AS question,
            ${questionKey(sql`q.content`)} AS key
          FROM (${answersIn(tenantId, range)}) answers
          CROSS JOIN LATERAL (
            SELECT u.content FROM messages u
            WHERE u.conversation_id = answers.conversation_id AND u.role = 'user' AND u.created_at <= answers.created_at
            ORDER BY u.created_at DESC LIMIT 1
          ) q
        ), grouped AS (
          SELECT date_trunc('week', day)::date AS week, key, (array_agg(question ORDER BY created_at DESC))[1] AS question,
            count(*)::int AS count, count(*) FILTER (WHERE NOT answered)::int AS unanswered
          FROM asked WHERE key <> '' GROUP BY 1, 2
        ), ranked AS (
          SELECT *, row_number() OVER (PARTITION BY week ORDER BY count DESC, question)::int AS rank_asked,
            row_number() OVER (PARTITION BY week ORDER BY unanswered DESC, count DESC, question)::int AS rank_unanswered
          FROM grouped
        )
        SELECT to_char(week, 'YYYY-MM-DD') AS "weekStart", question, count, unanswered, rank_asked AS "rankAsked", rank_unanswered AS "rankUnanswered"
        FROM ranked WHERE rank_asked <= ${limit} OR (rank_unanswered <= ${limit} AND unanswered > 0)
        ORDER BY week, rank_asked`)) as unknown as Rows<TopRow>;
      return result.rows;
    },
  };
}
