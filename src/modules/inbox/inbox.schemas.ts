import { z } from 'zod';
import { chatChannels, inboxReasons, inboxStatuses } from '../../db/enums.js';
import { timeZoneSchema } from '../../lib/time-zone.js';
import { chatSourceSchema, confidenceSchema } from '../chat/chat.schemas.js';
import { MAX_ALTERNATIVES, MAX_ANSWER_CHARS, MAX_QUESTION_CHARS } from '../sources/faq/faq.schemas.js';

/** Occurrences and phrasings an item's detail lists (the latest / the most asked). */
export const DETAIL_OCCURRENCES = 50;
export const DETAIL_PHRASINGS = 20;
/** Passages an item's detail lists: the best found over its occurrences. */
export const DETAIL_PASSAGES = 10;
/** Rows of one CSV export. */
export const MAX_EXPORT_ROWS = 10_000;

const statusSchema = z.enum(inboxStatuses, { error: `must be one of: ${inboxStatuses.join(', ')}` });
const reasonSchema = z.enum(inboxReasons, { error: `must be one of: ${inboxReasons.join(', ')}` });

export const listInboxQuerySchema = z.object({
  status: statusSchema.default('open').describe('open (default), resolved or ignored'),
  reason: reasonSchema.optional().describe('Only items with this reason among theirs'),
  skip: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(0, 'must be 0 or more').default(0),
  limit: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(200, 'must be at most 200').default(50),
});

export const exportInboxQuerySchema = z.object({
  status: statusSchema.optional().describe('Only this status (default: all)'),
  reason: reasonSchema.optional(),
  time_zone: timeZoneSchema.describe('Where the exported times are written'),
});

export const inboxItemSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(inboxStatuses).describe('`open`: waiting; `resolved`: dealt with (it comes back if the question fails again); `ignored`: stays set aside'),
    question: z.string().describe('The representative question: its first wording').meta({ example: '社長の好きな食べ物は何ですか' }),
    count: z.number().int().describe('How often it was asked (or rated 👎, or handed off)'),
    channels: z.array(z.enum(chatChannels)),
    reasons: z.array(z.enum(inboxReasons)).describe('`unanswered`: nothing found; `low_confidence`: weakly supported answer; `downvoted`: rated 👎; `handoff`: handed to a person'),
    first_seen_at: z.iso.datetime(),
    last_seen_at: z.iso.datetime(),
    faq_id: z.uuid().nullable().describe('The FAQ entry that answers it, once answered'),
    resolved_at: z.iso.datetime().nullable(),
  })
  .meta({ id: 'InboxItem' });

export const inboxListSchema = z
  .object({
    items: z.array(inboxItemSchema).describe('Most recently seen first'),
    total: z.number().int().describe('Items matching the filters'),
    counts: z.object(Object.fromEntries(inboxStatuses.map((s) => [s, z.number().int()])) as Record<(typeof inboxStatuses)[number], z.ZodNumber>).describe('Items per status (under the reason filter)'),
  })
  .meta({ id: 'InboxList' });

export const inboxItemDetailSchema = inboxItemSchema
  .extend({
    phrasings: z.array(z.object({ question: z.string(), count: z.number().int() })).describe(`The wordings asked, the most asked first (at most ${DETAIL_PHRASINGS})`),
    occurrences: z
      .array(
        z.object({
          id: z.uuid(),
          question: z.string(),
          channel: z.enum(chatChannels),
          reason: z.enum(inboxReasons),
          confidence: z.string().nullable(),
          conversation_id: z.uuid().nullable().describe('GET /api/v1/conversations/{id}'),
          message_id: z.uuid().nullable(),
          created_at: z.iso.datetime(),
        }),
      )
      .describe(`The latest times it was asked (at most ${DETAIL_OCCURRENCES})`),
    passages: z.array(chatSourceSchema).describe(`What the search found when it was asked, with scores: the best ${DETAIL_PASSAGES} over its occurrences`),
  })
  .meta({ id: 'InboxItemDetail' });

export const inboxIdParamsSchema = z.object({ item_id: z.uuid('must be a UUID') });

const phrasing = z.string().trim().min(1, 'must not be empty').max(MAX_QUESTION_CHARS, `must be at most ${MAX_QUESTION_CHARS} characters`);

export const answerInboxBodySchema = z
  .strictObject({
    answer: z.string().trim().min(1, 'must not be empty').max(MAX_ANSWER_CHARS, `must be at most ${MAX_ANSWER_CHARS} characters`).describe('The FAQ entry’s answer'),
    question: phrasing.optional().describe('The FAQ entry’s question; default the representative question'),
    alternatives: z.array(phrasing).max(MAX_ALTERNATIVES, `at most ${MAX_ALTERNATIVES} alternatives`).optional().describe('Default: the other wordings asked (up to 20)'),
  })
  .meta({ id: 'AnswerInboxItemRequest' });

export const reaskResultSchema = z
  .object({
    answer: z.string(),
    sources: z.array(chatSourceSchema),
    model: z.string(),
    confidence: confidenceSchema,
  })
  .meta({ id: 'InboxReaskResult' });

export type ListInboxQuery = z.infer<typeof listInboxQuerySchema>;
export type ExportInboxQuery = z.infer<typeof exportInboxQuerySchema>;
export type AnswerInboxBody = z.infer<typeof answerInboxBodySchema>;
export type InboxItemDetail = z.infer<typeof inboxItemDetailSchema>;
