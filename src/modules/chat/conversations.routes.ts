import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../http/error-schema.js';
import { principalOf } from '../../http/request-context.js';
import { userSecurity } from '../../http/route-helpers.js';
import { handoffStateOf } from '../handoff/handoff.service.js';
import type { ConversationRow, FeedbackCounts, MessageRow } from './conversations.repo.js';
import { requestLanguage } from '../../http/language.js';
import {
  EXPORT_DEFAULT_DAYS,
  EXPORT_MAX_DAYS,
  exportConversationsQuerySchema,
  MAX_EXPORT_PAIRS,
  conversationDetailSchema,
  conversationIdParamsSchema,
  conversationSchema,
  feedbackBodySchema,
  listConversationsQuerySchema,
  messageIdParamsSchema,
  messageSchema,
} from './conversations.schemas.js';
import type { ConversationsService } from './conversations.service.js';

const tags = ['conversations'];

const toConversation = (c: ConversationRow & FeedbackCounts) => ({
  id: c.id,
  channel: c.channel,
  user_id: c.userId,
  visitor_id: c.visitorId,
  title: c.title,
  message_count: c.messageCount,
  feedback_up: c.feedbackUp,
  feedback_down: c.feedbackDown,
  created_at: c.createdAt.toISOString(),
  updated_at: c.updatedAt.toISOString(),
  handoff: handoffStateOf(c),
});

const toMessage = (m: MessageRow) => ({
  id: m.id,
  role: m.role,
  content: m.content,
  sources: m.sources,
  retrieval_query: m.retrievalQuery,
  model: m.model,
  tokens_in: m.tokensIn,
  tokens_out: m.tokensOut,
  latency_ms: m.latencyMs,
  status: m.status,
  feedback: m.feedback,
  feedback_comment: m.feedbackComment,
  confidence: m.confidence && m.confidenceSignals ? { level: m.confidence, signals: m.confidenceSignals } : null,
  created_at: m.createdAt.toISOString(),
});

/** Every user of the tenant reviews its conversations (all channels) and rates answers. */
export function conversationsRoutes(deps: { conversations: ConversationsService }): FastifyPluginAsyncZod {
  const { conversations } = deps;
  return async (app) => {
    app.get('/', {
      config: { auth: 'user' },
      schema: {
        operationId: 'listConversations',
        tags,
        security: userSecurity,
        summary: 'List the tenant’s conversations, most recently active first',
        querystring: listConversationsQuerySchema,
        response: { 200: z.array(conversationSchema), ...errorResponses(401, 422) },
      },
      handler: async (request) => (await conversations.list(principalOf(request), request.query)).map(toConversation),
    });

    app.get('/export.csv', {
      config: { auth: 'user' },
      schema: {
        operationId: 'exportConversations',
        tags,
        security: userSecurity,
        summary: 'The conversations as a CSV file: one row per question and answer (UTF-8 with BOM, for Excel)',
        description:
          `Answers of a range of days (default the last ${EXPORT_DEFAULT_DAYS}, at most ${EXPORT_MAX_DAYS}; at most ${MAX_EXPORT_PAIRS} rows, oldest first) in \`time_zone\` (default Asia/Tokyo): ` +
          'time, channel, conversation id, question, answer, sources ([n] file p.N), confidence, rating and comment. Headers in the caller’s language (Accept-Language).',
        querystring: exportConversationsQuerySchema,
        response: { 200: z.custom<Buffer>().meta({ type: 'string', format: 'binary', description: 'CSV, UTF-8 with BOM' }), ...errorResponses(401, 422) },
      },
      handler: async (request, reply) => {
        const csv = await conversations.exportCsv(principalOf(request), request.query, requestLanguage(request));
        return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="conversations.csv"').send(csv);
      },
    });

    app.get('/:conversation_id', {
      config: { auth: 'user' },
      schema: {
        operationId: 'getConversation',
        tags,
        security: userSecurity,
        summary: 'A conversation with all its messages, oldest first',
        params: conversationIdParamsSchema,
        response: { 200: conversationDetailSchema, ...errorResponses(401, 404, 422) },
      },
      handler: async (request) => {
        const { conversation, messages } = await conversations.get(principalOf(request), request.params.conversation_id);
        return { ...toConversation(conversation), messages: messages.map(toMessage) };
      },
    });

    app.put('/:conversation_id/messages/:message_id/feedback', {
      config: { auth: 'user' },
      schema: {
        operationId: 'setMessageFeedback',
        tags,
        security: userSecurity,
        summary: 'Rate an answer up or down, with an optional comment (null clears the rating)',
        params: messageIdParamsSchema,
        body: feedbackBodySchema,
        response: { 200: messageSchema, ...errorResponses(400, 401, 404, 415, 422) },
      },
      handler: async (request) => toMessage(await conversations.rate(principalOf(request), request.params.conversation_id, request.params.message_id, request.body)),
    });
  };
}
