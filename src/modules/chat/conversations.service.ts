import type { Database } from '../../db/client.js';
import type { ChatChannel, ConfidenceLevel } from '../../db/schema.js';
import { notFound } from '../../http/errors.js';
import type { Principal } from '../../http/request-context.js';
import type { ChatSource } from './chat.schemas.js';
import { createConversationsRepo } from './conversations.repo.js';
import {
  EXPORT_DEFAULT_DAYS,
  EXPORT_MAX_DAYS,
  MAX_EXPORT_PAIRS,
  type ExportConversationsQuery,
  type FeedbackBody,
  type ListConversationsQuery,
  type WidgetFeedbackBody,
} from './conversations.schemas.js';
import { conversationsCsv } from './conversations-csv.js';
import type { Language } from '../../http/language.js';
import { dayRange } from '../../lib/day-range.js';

const DAY_MS = 86_400_000;
const dayStart = (date: string) => new Date(`${date}T00:00:00Z`);

/** An answer rated 👎, as the inbox records it and the `answer.rated_down` webhook tells it. */
export interface RatedDown {
  question: string;
  channel: ChatChannel;
  reason: 'downvoted';
  conversationId: string;
  messageId: string;
  confidence: ConfidenceLevel | null;
  sources: ChatSource[];
  answer: string;
  comment: string | null;
  /** The dashboard user who rated it; null for a website visitor in the widget (channel `widget`). */
  ratedBy: string | null;
  ratedAt: Date | null;
}

export interface ConversationsDeps {
  db: Database;
  /** An answer was rated 👎 (not on a change of comment alone): the inbox records it and the webhook is queued, in the rating's transaction. */
  onRatedDown?: (tx: Database, tenantId: string, rated: RatedDown) => Promise<void>;
}

/** A widget visitor, as the widget guard identified them. */
export interface RatingVisitor {
  tenantId: string;
  visitorId: string | null;
}

/** Reviewing answers: every user of the tenant sees all its conversations (all channels) and rates answers; widget visitors rate their own. */
export function createConversationsService(deps: ConversationsDeps) {
  const conversations = createConversationsRepo(deps.db);

  /** The one rating path (dashboard and widget): sets the rating, and a new 👎 goes to `onRatedDown` in the same transaction. */
  async function rateAnswer(tenantId: string, conversationId: string, messageId: string, body: FeedbackBody, ratedBy: string | null) {
    const { onRatedDown } = deps;
    const updated = await deps.db.transaction(async (tx) => {
      const repo = createConversationsRepo(tx);
      const before = body.rating === 'down' && onRatedDown ? await repo.findAnswer(tenantId, conversationId, messageId) : undefined;
      const row = await repo.setFeedback(tenantId, conversationId, messageId, body.rating, body.comment || null);
      // Only a new 👎 goes to the inbox: editing the comment of one already there adds nothing.
      if (row && before && before.feedback !== 'down' && onRatedDown) {
        const conversation = await repo.find(tenantId, conversationId);
        const question = await repo.questionOf(tenantId, row);
        if (conversation && question !== undefined) {
          await onRatedDown(tx, tenantId, {
            question,
            channel: conversation.channel,
            reason: 'downvoted',
            conversationId,
            messageId,
            confidence: row.confidence,
            sources: row.sources ?? [],
            answer: row.content,
            comment: row.feedbackComment,
            ratedBy,
            ratedAt: row.feedbackAt,
          });
        }
      }
      return row;
    });
    if (!updated) throw notFound('Answer');
    return updated;
  }

  return {
    list: (principal: Principal, query: ListConversationsQuery) =>
      conversations.list(principal.tenantId, {
        channel: query.channel,
        feedback: query.feedback,
        handoff: query.handoff,
        // Dates are whole UTC days, both inclusive.
        from: query.start_date ? dayStart(query.start_date) : undefined,
        until: query.end_date ? new Date(dayStart(query.end_date).getTime() + DAY_MS) : undefined,
        skip: query.skip,
        limit: query.limit,
      }),

    async get(principal: Principal, id: string) {
      const conversation = await conversations.find(principal.tenantId, id);
      if (!conversation) throw notFound('Conversation');
      const messages = await conversations.messages(principal.tenantId, id);
      const rated = (rating: 'up' | 'down') => messages.filter((m) => m.feedback === rating).length;
      return { conversation: { ...conversation, feedbackUp: rated('up'), feedbackDown: rated('down') }, messages };
    },

    /** One row per question and answer of the range, as a CSV file (conversations-csv.ts). */
    async exportCsv(principal: Principal, query: ExportConversationsQuery, language: Language): Promise<Buffer> {
      const { startDate, endDate } = dayRange(query, new Date(), EXPORT_DEFAULT_DAYS, EXPORT_MAX_DAYS);
      const pairs = await conversations.exportPairs(principal.tenantId, { startDate, endDate, timeZone: query.time_zone, channel: query.channel }, MAX_EXPORT_PAIRS);
      return conversationsCsv(pairs, language, query.time_zone);
    },

    rate: (principal: Principal, conversationId: string, messageId: string, body: FeedbackBody) =>
      rateAnswer(principal.tenantId, conversationId, messageId, body, principal.userId),

    /** A website visitor rates an answer in the widget: only in their own widget conversation (same visitor id), anything else is 404. */
    async rateAsVisitor(visitor: RatingVisitor, body: WidgetFeedbackBody) {
      const conversation = await conversations.find(visitor.tenantId, body.conversation_id);
      if (!conversation || conversation.channel !== 'widget' || conversation.visitorId !== visitor.visitorId) throw notFound('Conversation', 'conversation_id');
      const { conversation_id, message_id, ...rating } = body;
      return rateAnswer(visitor.tenantId, conversation_id, message_id, rating, null);
    },
  };
}

export type ConversationsService = ReturnType<typeof createConversationsService>;
