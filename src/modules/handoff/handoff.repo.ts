import { and, desc, eq, isNotNull } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { conversations, messages, type HandoffStatus } from '../../db/schema.js';

export type HandoffConversation = typeof conversations.$inferSelect;

/** The handoff columns of the chat's conversations (src/db/schema.ts); every query names the tenant. */
export function createHandoffRepo(db: Database) {
  return {
    find: async (tenantId: string, id: string): Promise<HandoffConversation | undefined> =>
      (await db.select().from(conversations).where(and(eq(conversations.tenantId, tenantId), eq(conversations.id, id))))[0],

    /** The conversation's latest question, for the operator's notification and the mail draft. */
    lastQuestion: async (tenantId: string, conversationId: string): Promise<string | null> =>
      (
        await db
          .select({ content: messages.content })
          .from(messages)
          .where(and(eq(messages.tenantId, tenantId), eq(messages.conversationId, conversationId), eq(messages.role, 'user')))
          .orderBy(desc(messages.createdAt))
          .limit(1)
      )[0]?.content ?? null,

    /** The visitor asks (again): requested, with what they wrote; a new request after a close clears who handled it. */
    request: async (tenantId: string, id: string, change: { requestedAt: Date; message?: string; contact?: string; reopened: boolean }) =>
      (
        await db
          .update(conversations)
          .set({
            handoffStatus: 'requested',
            handoffRequestedAt: change.requestedAt,
            ...(change.message ? { handoffMessage: change.message } : {}),
            ...(change.contact ? { handoffContact: change.contact } : {}),
            ...(change.reopened ? { handoffHandledBy: null, handoffHandledAt: null } : {}),
          })
          .where(and(eq(conversations.tenantId, tenantId), eq(conversations.id, id)))
          .returning()
      )[0]!,

    /** An operator's note or status; undefined when the conversation was never handed off. */
    update: async (tenantId: string, id: string, change: { note?: string | null; status?: HandoffStatus; handledBy: string; handledAt: Date }) =>
      (
        await db
          .update(conversations)
          .set({
            ...(change.note !== undefined ? { handoffNote: change.note } : {}),
            ...(change.status ? { handoffStatus: change.status } : {}),
            handoffHandledBy: change.handledBy,
            handoffHandledAt: change.handledAt,
          })
          .where(and(eq(conversations.tenantId, tenantId), eq(conversations.id, id), isNotNull(conversations.handoffStatus)))
          .returning()
      )[0],
  };
}
