import { and, asc, count, desc, eq, exists, gte, inArray, isNotNull, lt, lte, notExists, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { conversations, messages, type ChatChannel, type FeedbackRating, type HandoffStatus } from '../../db/schema.js';
import { insertUsageEvents } from '../usage/usage.repo.js';
import type { PricedUsage } from '../usage/usage-recorder.js';
import type { ChatSource } from './chat.schemas.js';
import type { Confidence } from './confidence.js';

export type ConversationRow = typeof conversations.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;

/** How many of a conversation's answers are rated up and down. */
export interface FeedbackCounts {
  feedbackUp: number;
  feedbackDown: number;
}

export interface NewTurn {
  question: string;
  answer: string;
  sources: ChatSource[];
  /** Completed answers: how far they can be trusted (confidence.ts). */
  confidence?: Confidence;
  /** Null when nothing was searched (the answer to a visitor who asked for a person). */
  retrievalQuery: string | null;
  model: string;
  tokensIn: number;
  tokensOut: number;
  latencyMs: number;
  status: MessageRow['status'];
  /** What the answer cost (the model call, the question's embedding…), stored in the same transaction: an answer is never kept without its usage. */
  usage: PricedUsage[];
}

/** The conversation a turn belongs to: an existing one, or a new one stored with its first turn. */
export type TurnConversation = { id: string; create?: undefined } | { id: string; create: { channel: ChatChannel; userId: string | null; visitorId: string | null; title: string } };

export interface ConversationFilters {
  channel?: ChatChannel;
  /** Created at or after / before (UTC). */
  from?: Date;
  until?: Date;
  /** Conversations with at least one answer rated so (`any`: rated at all), or none rated (`none`). */
  feedback?: FeedbackRating | 'any' | 'none';
  /** Handed to a person and still so (`requested`), closed, or either. */
  handoff?: HandoffStatus | 'any';
  skip: number;
  limit: number;
}

/** Whole days in a time zone, both inclusive (the export's range). */
export interface LocalDayRange {
  startDate: string;
  endDate: string;
  timeZone: string;
  channel?: ChatChannel;
}

/** One question and its answer, as the export writes them. */
export interface ExportedPair {
  answeredAt: Date;
  channel: ChatChannel;
  conversationId: string;
  question: string;
  answer: string;
  sources: ChatSource[] | null;
  confidence: string | null;
  feedback: FeedbackRating | null;
  feedbackComment: string | null;
}

/** Every query names the tenant: another tenant's conversations are never found. */
export function createConversationsRepo(db: Database) {
  const ratedAnswer = (rating?: FeedbackRating) =>
    db
      .select({ one: sql`1` })
      .from(messages)
      .where(and(eq(messages.conversationId, conversations.id), rating ? eq(messages.feedback, rating) : isNotNull(messages.feedback)));

  return {
    find: async (tenantId: string, id: string) =>
      (await db.select().from(conversations).where(and(eq(conversations.tenantId, tenantId), eq(conversations.id, id))))[0],

    /** The conversation's last `limit` completed messages, oldest first. */
    recentMessages: async (tenantId: string, conversationId: string, limit: number) =>
      (
        await db
          .select()
          .from(messages)
          .where(and(eq(messages.tenantId, tenantId), eq(messages.conversationId, conversationId), eq(messages.status, 'completed')))
          .orderBy(desc(messages.createdAt), desc(messages.role))
          .limit(limit)
      ).reverse(),

    /**
     * Stores a question and its answer together, with their usage and (for a first question) the
     * conversation itself or (for a follow-up) its new message count: one statement, whose
     * data-modifying CTEs make it one atomic write with no BEGIN/COMMIT round trips. Returns the answer's row.
     */
    saveTurn: async (tenantId: string, conversation: TurnConversation, turn: NewTurn): Promise<MessageRow> => {
      const now = Date.now();
      const conversationId = conversation.id;
      const stored = db
        .$with('turn_conversation')
        .as(
          conversation.create
            ? db.insert(conversations).values({ id: conversationId, tenantId, ...conversation.create, messageCount: 2 })
            : db
                .update(conversations)
                .set({ messageCount: sql`${conversations.messageCount} + 2`, updatedAt: new Date(now) })
                .where(and(eq(conversations.tenantId, tenantId), eq(conversations.id, conversationId))),
        );
      const costs = turn.usage.length ? [db.$with('turn_usage').as(insertUsageEvents(db, turn.usage))] : [];
      const rows = await db
        .with(stored, ...costs)
        .insert(messages)
        .values([
          // Distinct timestamps keep question-before-answer order without relying on insertion order.
          { tenantId, conversationId, role: 'user', content: turn.question, status: turn.status, createdAt: new Date(now - 1) },
          {
            tenantId,
            conversationId,
            role: 'assistant',
            content: turn.answer,
            sources: turn.sources,
            confidence: turn.confidence?.level ?? null,
            confidenceSignals: turn.confidence?.signals ?? null,
            retrievalQuery: turn.retrievalQuery,
            model: turn.model,
            tokensIn: turn.tokensIn,
            tokensOut: turn.tokensOut,
            latencyMs: turn.latencyMs,
            status: turn.status,
            createdAt: new Date(now),
          },
        ])
        .returning();
      return rows.find((row) => row.role === 'assistant')!;
    },

    /** The page of conversations, each with its answers' feedback counts. */
    list: async (tenantId: string, filters: ConversationFilters): Promise<Array<ConversationRow & FeedbackCounts>> => {
      const conditions: Array<SQL | undefined> = [
        eq(conversations.tenantId, tenantId),
        filters.channel && eq(conversations.channel, filters.channel),
        filters.from && gte(conversations.createdAt, filters.from),
        filters.until && lt(conversations.createdAt, filters.until),
        filters.handoff === 'any' ? isNotNull(conversations.handoffStatus) : filters.handoff && eq(conversations.handoffStatus, filters.handoff),
      ];
      if (filters.feedback === 'none') conditions.push(notExists(ratedAnswer()));
      else if (filters.feedback) conditions.push(exists(ratedAnswer(filters.feedback === 'any' ? undefined : filters.feedback)));
      const page = await db
        .select()
        .from(conversations)
        .where(and(...conditions))
        // Waiting visitors first come first served; every other list by latest activity.
        .orderBy(...(filters.handoff === 'requested' ? [asc(conversations.handoffRequestedAt), asc(conversations.id)] : [desc(conversations.updatedAt), desc(conversations.id)]))
        .offset(filters.skip)
        .limit(filters.limit);
      // Counted for this page only, in one more query, rather than for every conversation the filters match.
      const counts =
        page.length === 0
          ? []
          : await db
              .select({ conversationId: messages.conversationId, feedback: messages.feedback, count: count() })
              .from(messages)
              .where(and(eq(messages.tenantId, tenantId), inArray(messages.conversationId, page.map((c) => c.id)), isNotNull(messages.feedback)))
              .groupBy(messages.conversationId, messages.feedback);
      const rated = (id: string, rating: FeedbackRating) => counts.find((c) => c.conversationId === id && c.feedback === rating)?.count ?? 0;
      return page.map((c) => ({ ...c, feedbackUp: rated(c.id, 'up'), feedbackDown: rated(c.id, 'down') }));
    },

    messages: (tenantId: string, conversationId: string) =>
      db
        .select()
        .from(messages)
        .where(and(eq(messages.tenantId, tenantId), eq(messages.conversationId, conversationId)))
        .orderBy(asc(messages.createdAt), asc(messages.id)),

    /** One answer of a conversation. */
    findAnswer: async (tenantId: string, conversationId: string, messageId: string) =>
      (
        await db
          .select()
          .from(messages)
          .where(and(eq(messages.tenantId, tenantId), eq(messages.conversationId, conversationId), eq(messages.id, messageId), eq(messages.role, 'assistant')))
      )[0],

    /** The question an answer answered: its conversation's latest user message up to it. */
    questionOf: async (tenantId: string, answer: MessageRow): Promise<string | undefined> =>
      (
        await db
          .select({ content: messages.content })
          .from(messages)
          .where(and(eq(messages.tenantId, tenantId), eq(messages.conversationId, answer.conversationId), eq(messages.role, 'user'), lte(messages.createdAt, answer.createdAt)))
          .orderBy(desc(messages.createdAt))
          .limit(1)
      )[0]?.content,

    /** The range's answers with their questions, oldest first, at most `limit`. */
    exportPairs: async (tenantId: string, range: LocalDayRange, limit: number): Promise<ExportedPair[]> => {
      const from = sql`(${range.startDate}::date)::timestamp AT TIME ZONE ${range.timeZone}`;
      const to = sql`(${range.endDate}::date + 1)::timestamp AT TIME ZONE ${range.timeZone}`;
      const result = (await db.execute(sql`
        SELECT a.created_at AS "answeredAt", c.channel, a.conversation_id AS "conversationId", q.content AS question, a.content AS answer,
          a.sources, a.confidence, a.feedback, a.feedback_comment AS "feedbackComment"
        FROM messages a JOIN conversations c ON c.id = a.conversation_id AND c.tenant_id = ${tenantId}
        CROSS JOIN LATERAL (
          SELECT u.content FROM messages u
          WHERE u.tenant_id = ${tenantId} AND u.conversation_id = a.conversation_id AND u.role = 'user' AND u.created_at <= a.created_at
          ORDER BY u.created_at DESC LIMIT 1
        ) q
        WHERE a.tenant_id = ${tenantId} AND a.role = 'assistant' AND a.created_at >= ${from} AND a.created_at < ${to}
          ${range.channel ? sql`AND c.channel = ${range.channel}` : sql``}
        ORDER BY a.created_at, a.id
        LIMIT ${limit}`)) as unknown as { rows: Array<Omit<ExportedPair, 'answeredAt'> & { answeredAt: Date | string }> };
      return result.rows.map((row) => ({ ...row, answeredAt: new Date(row.answeredAt) }));
    },

    /** Sets (or, with rating null, clears) the feedback of an answer; undefined when there is no such answer. */
    setFeedback: async (tenantId: string, conversationId: string, messageId: string, rating: FeedbackRating | null, comment: string | null) =>
      (
        await db
          .update(messages)
          .set({ feedback: rating, feedbackComment: rating ? comment : null, feedbackAt: rating ? new Date() : null })
          .where(and(eq(messages.tenantId, tenantId), eq(messages.conversationId, conversationId), eq(messages.id, messageId), eq(messages.role, 'assistant')))
          .returning()
      )[0],
  };
}

export type ConversationsRepo = ReturnType<typeof createConversationsRepo>;
