import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RateLimitRule } from '../../http/rate-limit.js';
import { errorResponses } from '../../http/error-schema.js';
import { requestLanguage } from '../../http/language.js';
import { principalOf } from '../../http/request-context.js';
import { userSecurity } from '../../http/route-helpers.js';
import type { InboxItemRow, InboxOccurrenceRow } from './inbox.repo.js';
import {
  answerInboxBodySchema,
  exportInboxQuerySchema,
  inboxIdParamsSchema,
  inboxItemDetailSchema,
  inboxItemSchema,
  inboxListSchema,
  listInboxQuerySchema,
  MAX_EXPORT_ROWS,
  reaskResultSchema,
} from './inbox.schemas.js';
import type { InboxService } from './inbox.service.js';

const tags = ['inbox'];

const toItem = (i: InboxItemRow) => ({
  id: i.id,
  status: i.status,
  question: i.question,
  count: i.count,
  channels: i.channels as Array<'dashboard' | 'api' | 'widget'>,
  reasons: i.reasons as Array<'unanswered' | 'low_confidence' | 'downvoted' | 'handoff'>,
  first_seen_at: i.firstSeenAt.toISOString(),
  last_seen_at: i.lastSeenAt.toISOString(),
  faq_id: i.faqId,
  resolved_at: i.resolvedAt?.toISOString() ?? null,
});

const toOccurrence = (o: InboxOccurrenceRow) => ({
  id: o.id,
  question: o.question,
  channel: o.channel,
  reason: o.reason,
  confidence: o.confidence,
  conversation_id: o.conversationId,
  message_id: o.messageId,
  created_at: o.createdAt.toISOString(),
});

const toDetail = (d: Awaited<ReturnType<InboxService['get']>>) => ({
  ...toItem(d.item),
  phrasings: d.phrasings,
  occurrences: d.occurrences.map(toOccurrence),
  passages: d.passages,
});

/** The knowledge-gap inbox (README.md): every member reviews it; answering with an FAQ entry is for ADMINs, as FAQ writes are. */
export function inboxRoutes(deps: { inbox: InboxService; reaskRateLimit: RateLimitRule }): FastifyPluginAsyncZod {
  const { inbox } = deps;
  return async (app) => {
    app.get('/', {
      config: { auth: 'user' },
      schema: {
        operationId: 'listInboxItems',
        tags,
        security: userSecurity,
        summary: 'Questions the bot could not answer well, grouped, most recently seen first',
        description: 'Unanswered questions, low-confidence answers, answers rated 👎 and handoffs, each group of one question’s wordings one item. `counts` gives the items per status.',
        querystring: listInboxQuerySchema,
        response: { 200: inboxListSchema, ...errorResponses(401, 422) },
      },
      handler: async (request) => {
        const { items, total, counts } = await inbox.list(principalOf(request), request.query);
        return { items: items.map(toItem), total, counts };
      },
    });

    app.get('/export.csv', {
      config: { auth: 'user' },
      schema: {
        operationId: 'exportInboxItems',
        tags,
        security: userSecurity,
        summary: 'The inbox as a CSV file (UTF-8 with BOM, for Excel)',
        description: `One row per item (at most ${MAX_EXPORT_ROWS}, most recently seen first); headers in the caller’s language (Accept-Language), times in \`time_zone\`.`,
        querystring: exportInboxQuerySchema,
        response: { 200: z.custom<Buffer>().meta({ type: 'string', format: 'binary', description: 'CSV, UTF-8 with BOM' }), ...errorResponses(401, 422) },
      },
      handler: async (request, reply) => {
        const csv = await inbox.exportCsv(principalOf(request), request.query, requestLanguage(request));
        return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="inbox.csv"').send(csv);
      },
    });

    app.get('/:item_id', {
      config: { auth: 'user' },
      schema: {
        operationId: 'getInboxItem',
        tags,
        security: userSecurity,
        summary: 'An inbox item: its wordings, when and where it was asked, and the passages found',
        params: inboxIdParamsSchema,
        response: { 200: inboxItemDetailSchema, ...errorResponses(401, 404, 422) },
      },
      handler: async (request) => toDetail(await inbox.get(principalOf(request), request.params.item_id)),
    });

    app.post('/:item_id/answer', {
      config: { auth: 'admin' },
      schema: {
        operationId: 'answerInboxItem',
        tags,
        security: userSecurity,
        summary: 'Answer it: add an FAQ entry for the question (ADMIN); the item is resolved',
        description: 'The entry’s question is the representative question and its alternatives the other wordings asked, unless given. From then on the question is answered with the entry.',
        params: inboxIdParamsSchema,
        body: answerInboxBodySchema,
        response: { 200: inboxItemDetailSchema, ...errorResponses(401, 403, 404, 409, 415, 422) },
      },
      handler: async (request) => toDetail(await inbox.answer(principalOf(request), request.params.item_id, request.body)),
    });

    for (const [action, summary] of [
      ['resolve', 'Mark the item resolved (it comes back if the question fails again)'],
      ['ignore', 'Ignore the item (it stays ignored when the question fails again)'],
      ['reopen', 'Open the item again'],
    ] as const) {
      app.post(`/:item_id/${action}`, {
        config: { auth: 'user' },
        schema: {
          operationId: `${action}InboxItem`,
          tags,
          security: userSecurity,
          summary,
          params: inboxIdParamsSchema,
          response: { 200: inboxItemSchema, ...errorResponses(401, 404, 422) },
        },
        handler: async (request) => toItem(await inbox[action](principalOf(request), request.params.item_id)),
      });
    }

    app.post('/:item_id/reask', {
      config: { auth: 'user', rateLimit: deps.reaskRateLimit },
      schema: {
        operationId: 'reaskInboxItem',
        tags,
        security: userSecurity,
        summary: 'What the bot answers the question now, with sources and confidence',
        description: 'Runs the question through the chat’s answer path. No conversation is stored and nothing is added to the inbox; a model call is billed as usage.',
        params: inboxIdParamsSchema,
        response: { 200: reaskResultSchema, ...errorResponses(401, 404, 422, 429, 502) },
      },
      handler: async (request) => inbox.reask(principalOf(request), request.params.item_id),
    });
  };
}
