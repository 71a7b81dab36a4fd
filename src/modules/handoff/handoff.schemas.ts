import { z } from 'zod';
import { contactRouteKinds, handoffStatuses } from '../../db/enums.js';

export const handoffReasons = ['not_found', 'asked'] as const;
export type HandoffReason = (typeof handoffReasons)[number];

const availabilityFields = {
  open: z.boolean().describe('A person is there now (within the business hours, in the tenant’s time zone; always, without hours)'),
  next_open_at: z.iso.datetime().nullable().describe('When closed: the next opening'),
  notice: z.string().nullable().describe('When closed: what the visitor reads, e.g. 「受付時間外です。明日の 9:00 以降に担当者が対応します。」'),
};

/** In a widget answer's metadata: offer the contact route as a button under this answer. */
export const handoffOfferSchema = z
  .object({
    reason: z.enum(handoffReasons).describe('`not_found`: the documents do not hold the answer; `asked`: the visitor asked for a person'),
    kind: z.enum(contactRouteKinds),
    label: z.string().describe('The button’s text'),
    ...availabilityFields,
  })
  .meta({ id: 'HandoffOffer' });

export const widgetHandoffBodySchema = z
  .strictObject({
    conversation_id: z.uuid('must be a UUID').describe('The widget conversation to hand to a person (the visitor’s own: same X-Visitor-Id)'),
    message: z.string().trim().max(1000, 'must be at most 1000 characters').optional().describe('What the visitor wants the person to know'),
    contact: z.string().trim().max(200, 'must be at most 200 characters').optional().describe('How the person can reach the visitor (a mail address, a phone number)'),
  })
  .meta({ id: 'WidgetHandoffRequest' });

export const widgetHandoffResponseSchema = z
  .object({
    conversation_id: z.uuid(),
    status: z.enum(handoffStatuses),
    requested_at: z.iso.datetime(),
    route: z.object({
      kind: z.enum(contactRouteKinds),
      label: z.string(),
      href: z.string().describe('What the widget opens: the URL or link, or a `mailto:` with the conversation named in its subject'),
    }),
    ...availabilityFields,
  })
  .meta({ id: 'WidgetHandoff' });

/** The handoff state of a conversation, as operators read it (without an OpenAPI id: a nullable $ref is not valid OpenAPI 3.0, so `Conversation` inlines it). */
export const handoffStateFields = z
  .object({
    status: z.enum(handoffStatuses).describe('`requested`: the visitor asked for a person; `closed`: an operator finished it'),
    requested_at: z.iso.datetime(),
    message: z.string().nullable().describe('What the visitor wrote for the person'),
    contact: z.string().nullable().describe('How to reach the visitor, as they gave it'),
    note: z.string().nullable().describe('The operator’s reply note'),
    handled_by: z.uuid().nullable().describe('The user who last wrote the note or closed it'),
    handled_at: z.iso.datetime().nullable(),
  });
export const handoffStateSchema = handoffStateFields.meta({ id: 'HandoffState' });

export const updateHandoffBodySchema = z
  .strictObject({
    note: z.string().trim().max(2000, 'must be at most 2000 characters').nullable().optional().describe('The reply note (what was answered, and how); null or empty clears it'),
    status: z.enum(handoffStatuses, { error: 'must be requested or closed' }).optional().describe('`closed` finishes the handoff; `requested` opens it again'),
  })
  .refine((body) => body.note !== undefined || body.status !== undefined, 'send a note or a status')
  .meta({ id: 'UpdateHandoffRequest' });

export type HandoffOffer = z.infer<typeof handoffOfferSchema>;
export type WidgetHandoffBody = z.infer<typeof widgetHandoffBodySchema>;
export type UpdateHandoffBody = z.infer<typeof updateHandoffBodySchema>;
