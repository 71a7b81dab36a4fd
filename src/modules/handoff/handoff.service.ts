import type { Database } from '../../db/client.js';
import type { ChatChannel, ContactRoute, WidgetSettings } from '../../db/schema.js';
import { AppError, notFound } from '../../http/errors.js';
import type { Language } from '../../http/language.js';
import type { Principal } from '../../http/request-context.js';
import { asksForPerson } from './asks-for-person.js';
import { availability } from './business-hours.js';
import { createHandoffRepo, type HandoffConversation } from './handoff.repo.js';
import type { HandoffOffer, HandoffReason, UpdateHandoffBody, WidgetHandoffBody } from './handoff.schemas.js';
import { closedNotice, defaultLabels, handoffAnswer, mailDraft } from './handoff-texts.js';

/** What the integrator's inbox and the `handoff.requested` webhook receive when a visitor asks for a person. */
export interface HandoffRequested {
  conversationId: string;
  question: string | null;
  channel: ChatChannel;
  requestedAt: Date;
}

export interface HandoffDeps {
  db: Database;
  /** The clock business hours are read against (tests fix it). */
  now: () => Date;
  /**
   * A conversation became `requested` (first time, or again after a close); not called for a
   * repeated click. Runs inside the transaction that marks the conversation (`tx`), so an inbox item
   * or a webhook delivery written with it is stored together with the mark, or not at all.
   */
  onHandoffRequested(tenantId: string, event: HandoffRequested, tx: Database): void | Promise<void>;
}

/** A widget visitor, as the widget guard identified them. */
export interface HandoffVisitor {
  tenantId: string;
  visitorId: string | null;
  widget: WidgetSettings;
}

const noRoute = new AppError('CONFLICT', {
  ja: 'このチャットには担当者への連絡先が設定されていません。',
  en: 'This chat has no way to reach a person set up.',
});

const notHandedOff = new AppError('CONFLICT', {
  ja: 'この会話は担当者に引き継がれていません。',
  en: 'This conversation was not handed off to a person.',
});

/** The state operators read, from the conversation's columns; null when it was never handed off. */
export function handoffStateOf(c: HandoffConversation) {
  if (!c.handoffStatus || !c.handoffRequestedAt) return null;
  return {
    status: c.handoffStatus,
    requested_at: c.handoffRequestedAt.toISOString(),
    message: c.handoffMessage,
    contact: c.handoffContact,
    note: c.handoffNote,
    handled_by: c.handoffHandledBy,
    handled_at: c.handoffHandledAt?.toISOString() ?? null,
  };
}

/**
 * Handing a widget conversation to a person: the offer under an answer (for the chat), the
 * visitor taking it (marks the conversation, returns what to open), operators' notes and closing.
 */
export function createHandoffService(deps: HandoffDeps) {
  const repo = createHandoffRepo(deps.db);

  const labelOf = (route: ContactRoute, language: Language) => route.label ?? defaultLabels[route.kind][language];

  function availabilityFields(route: ContactRoute, language: Language) {
    const available = availability(route, deps.now());
    return { open: available.open, next_open_at: available.nextOpenAt?.toISOString() ?? null, notice: closedNotice(language, available) };
  }

  function href(route: ContactRoute, language: Language, draft: { conversationId: string; question: string | null; message: string | null }): string {
    if (route.kind !== 'email') return route.target;
    const { subject, body } = mailDraft(language, draft);
    return `mailto:${route.target}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`;
  }

  return {
    asksForPerson,

    /** Whether the widget may answer "talk to a human" with a handoff: only when the tenant gave some way to reach a person (docs/decisions.md D23). */
    canHandOff: (widget: WidgetSettings) => Boolean(widget.contact_route || widget.contact),

    /** The button to offer under an answer; null when the tenant has no contact route. */
    offer(widget: WidgetSettings, reason: HandoffReason, language: Language): HandoffOffer | null {
      const route = widget.contact_route;
      if (!route) return null;
      return { reason, kind: route.kind, label: labelOf(route, language), ...availabilityFields(route, language) };
    },

    /** The answer to a visitor who asked for a person, in their language. */
    answerAsked: (widget: WidgetSettings, offer: HandoffOffer | null, language: Language) => handoffAnswer(language, { label: offer?.label ?? null, contact: widget.contact }),

    /** The visitor takes the offer: the conversation is marked `requested`, and the route to open comes back. */
    async request(visitor: HandoffVisitor, body: WidgetHandoffBody, language: Language) {
      const route = visitor.widget.contact_route;
      const conversation = await repo.find(visitor.tenantId, body.conversation_id);
      // Only the visitor's own widget conversation: anything else is not there for them.
      if (!conversation || conversation.channel !== 'widget' || conversation.visitorId !== visitor.visitorId) throw notFound('Conversation', 'conversation_id');
      if (!route) throw noRoute;
      const requestedAt = deps.now();
      const isNew = conversation.handoffStatus !== 'requested';
      const { marked, question } = await deps.db.transaction(async (tx) => {
        const inTx = createHandoffRepo(tx);
        const marked = await inTx.request(visitor.tenantId, conversation.id, { requestedAt: isNew ? requestedAt : conversation.handoffRequestedAt!, message: body.message || undefined, contact: body.contact || undefined, reopened: isNew });
        const question = await inTx.lastQuestion(visitor.tenantId, conversation.id);
        if (isNew) await deps.onHandoffRequested(visitor.tenantId, { conversationId: conversation.id, question, channel: conversation.channel, requestedAt }, tx);
        return { marked, question };
      });
      return {
        conversation_id: marked.id,
        status: marked.handoffStatus!,
        requested_at: marked.handoffRequestedAt!.toISOString(),
        route: { kind: route.kind, label: labelOf(route, language), href: href(route, language, { conversationId: marked.id, question, message: body.message || null }) },
        ...availabilityFields(route, language),
      };
    },

    /** An operator writes the reply note and/or closes (or reopens) the handoff. */
    async update(principal: Principal, conversationId: string, body: UpdateHandoffBody) {
      const conversation = await repo.find(principal.tenantId, conversationId);
      if (!conversation) throw notFound('Conversation');
      const updated = await repo.update(principal.tenantId, conversationId, { note: body.note === undefined ? undefined : body.note || null, status: body.status, handledBy: principal.userId, handledAt: deps.now() });
      if (!updated) throw notHandedOff;
      return handoffStateOf(updated)!;
    },
  };
}

export type HandoffService = ReturnType<typeof createHandoffService>;
