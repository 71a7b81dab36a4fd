import type { Database } from '../../db/client.js';
import { notFound } from '../../http/errors.js';
import type { Principal } from '../../http/request-context.js';
import { createConversationsRepo } from './conversations.repo.js';
import type { FeedbackBody, ListConversationsQuery } from './conversations.schemas.js';

const DAY_MS = 86_400_000;
const dayStart = (date: string) => new Date(`${date}T00:00:00Z`);

/** What a 👎 tells whoever listens (the webhooks' answer.rated_down), handed in by src/services.ts. */
export type AnswerRatedDown = (tenantId: string, data: Record<string, unknown>) => Promise<unknown>;

/** Reviewing answers: every user of the tenant sees all its conversations (all channels) and rates answers. */
export function createConversationsService(deps: { db: Database; onRatedDown?: AnswerRatedDown }) {
  const conversations = createConversationsRepo(deps.db);
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

    async rate(principal: Principal, conversationId: string, messageId: string, body: FeedbackBody) {
      const updated = await conversations.setFeedback(principal.tenantId, conversationId, messageId, body.rating, body.comment || null);
      if (!updated) throw notFound('Answer');
      if (body.rating === 'down' && deps.onRatedDown) {
        const [conversation, turns] = await Promise.all([conversations.find(principal.tenantId, conversationId), conversations.messages(principal.tenantId, conversationId)]);
        const question = turns.slice(0, turns.findIndex((m) => m.id === messageId)).findLast((m) => m.role === 'user');
        await deps.onRatedDown(principal.tenantId, {
          conversation_id: conversationId,
          message_id: messageId,
          channel: conversation?.channel ?? null,
          question: question?.content ?? null,
          answer: updated.content,
          comment: updated.feedbackComment,
          rated_by: principal.userId,
          rated_at: updated.feedbackAt?.toISOString() ?? null,
        });
      }
      return updated;
    },
  };
}

export type ConversationsService = ReturnType<typeof createConversationsService>;
