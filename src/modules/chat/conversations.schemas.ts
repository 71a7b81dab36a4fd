import { z } from 'zod';
import { chatChannels, feedbackRatings, handoffStatuses, messageStatuses } from '../../db/enums.js';
import { timeZoneSchema } from '../../lib/time-zone.js';
import { handoffStateFields } from '../handoff/handoff.schemas.js';
import { chatSourceSchema, nullableConfidenceSchema } from './chat.schemas.js';

const utcDate = z.iso.date('must be a date (YYYY-MM-DD)');

export const listConversationsQuerySchema = z
  .object({
    channel: z.enum(chatChannels, { error: `must be one of: ${chatChannels.join(', ')}` }).optional().describe('dashboard (signed-in browser), api (bearer token) or widget'),
    start_date: utcDate.optional().describe('Started on or after this day (UTC)'),
    end_date: utcDate.optional().describe('Started on or before this day (UTC)'),
    feedback: z
      .enum([...feedbackRatings, 'any', 'none'], { error: 'must be one of: up, down, any, none' })
      .optional()
      .describe('Conversations with an answer rated `up` / `down`, rated at all (`any`), or not rated (`none`)'),
    handoff: z
      .enum([...handoffStatuses, 'any'], { error: 'must be one of: requested, closed, any' })
      .optional()
      .describe('Conversations handed to a person: still `requested`, `closed` by an operator, or either (`any`); requested ones are listed by when they were requested, oldest first'),
    skip: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(0, 'must be 0 or more').default(0),
    limit: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(200, 'must be at most 200').default(50),
  })
  .refine((q) => !q.start_date || !q.end_date || q.start_date <= q.end_date, { path: ['end_date'], message: 'must not be before start_date' });

/** Rows of one conversations export. */
export const MAX_EXPORT_PAIRS = 50_000;
export const EXPORT_DEFAULT_DAYS = 28;
export const EXPORT_MAX_DAYS = 366;

export const exportConversationsQuerySchema = z
  .object({
    start_date: utcDate.optional().describe(`First day, inclusive, in time_zone. Default: ${EXPORT_DEFAULT_DAYS - 1} days before end_date`),
    end_date: utcDate.optional().describe('Last day, inclusive, in time_zone. Default: today'),
    time_zone: timeZoneSchema.describe('Where days start and end, and the times are written'),
    channel: z.enum(chatChannels, { error: `must be one of: ${chatChannels.join(', ')}` }).optional(),
  })
  .refine((q) => !q.start_date || !q.end_date || q.start_date <= q.end_date, { path: ['end_date'], message: 'must not be before start_date' });

export const conversationSchema = z
  .object({
    id: z.uuid(),
    channel: z.enum(chatChannels),
    user_id: z.uuid().nullable().describe('Who asked (dashboard and API); null for the widget'),
    visitor_id: z.string().nullable().describe('The widget visitor’s anonymous id, if the widget sent one'),
    title: z.string().describe('The first question'),
    message_count: z.number().int(),
    feedback_up: z.number().int().describe('Answers rated up'),
    feedback_down: z.number().int().describe('Answers rated down'),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime().describe('Time of the last message'),
    handoff: handoffStateFields.nullable().describe('When the visitor handed the conversation to a person; null: never'),
  })
  .meta({ id: 'Conversation' });

export const messageSchema = z
  .object({
    id: z.uuid(),
    role: z.enum(['user', 'assistant']),
    content: z.string(),
    sources: z.array(chatSourceSchema).nullable().describe('Answers: the passages cited as [n]'),
    retrieval_query: z.string().nullable().describe('Answers: what retrieval searched for (a follow-up rewritten as a standalone query)'),
    model: z.string().nullable(),
    tokens_in: z.number().int(),
    tokens_out: z.number().int(),
    latency_ms: z.number().int().nullable(),
    status: z.enum(messageStatuses).describe('`cancelled`: the client left mid-answer; `failed`: the model provider failed'),
    feedback: z.enum(feedbackRatings).nullable(),
    feedback_comment: z.string().nullable(),
    confidence: nullableConfidenceSchema.describe('Completed answers: how far they can be trusted; null for questions, unfinished answers and answers stored before confidence was kept'),
    created_at: z.iso.datetime(),
  })
  .meta({ id: 'ConversationMessage' });

export const conversationDetailSchema = conversationSchema.extend({ messages: z.array(messageSchema) }).meta({ id: 'ConversationDetail' });

export const conversationIdParamsSchema = z.object({ conversation_id: z.uuid('must be a UUID') });
export const messageIdParamsSchema = conversationIdParamsSchema.extend({ message_id: z.uuid('must be a UUID') });

export const feedbackBodySchema = z
  .strictObject({
    rating: z.enum(feedbackRatings, { error: 'must be up or down (or null to clear)' }).nullable(),
    comment: z.string().trim().max(2000, 'must be at most 2000 characters').optional().describe('Why; kept only with a rating'),
  })
  .meta({ id: 'FeedbackRequest' });

/** A website visitor rating an answer in the widget: the dashboard's rating, plus which answer of which conversation. */
export const widgetFeedbackBodySchema = feedbackBodySchema
  .extend({
    conversation_id: z.uuid('must be a UUID').describe('The widget conversation (the visitor’s own: same X-Visitor-Id)'),
    message_id: z.uuid('must be a UUID').describe('The answer’s `message_id` (from the chat’s `metadata` event or JSON answer)'),
  })
  .meta({ id: 'WidgetFeedbackRequest' });

/** What the widget learns back: the answer's rating as stored. */
export const widgetFeedbackResponseSchema = z
  .object({
    message_id: z.uuid(),
    feedback: z.enum(feedbackRatings).nullable(),
    feedback_comment: z.string().nullable(),
  })
  .meta({ id: 'WidgetFeedback' });

export type ExportConversationsQuery = z.infer<typeof exportConversationsQuerySchema>;
export type ListConversationsQuery = z.infer<typeof listConversationsQuerySchema>;
export type FeedbackBody = z.infer<typeof feedbackBodySchema>;
export type WidgetFeedbackBody = z.infer<typeof widgetFeedbackBodySchema>;
