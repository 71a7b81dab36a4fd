import type { z } from 'zod';
import type { apiKeySchema } from '../../../../src/modules/api-keys/api-keys.schemas.js';
import type { ChatRequest, ChatResponse, ChatSource } from '../../../../src/modules/chat/chat.schemas.js';
import type { conversationDetailSchema, conversationSchema, FeedbackBody } from '../../../../src/modules/chat/conversations.schemas.js';
import { api, apiFetch, ApiError, type ApiErrorBody } from '../../api/client.js';
import { readEvents } from '../../api/sse.js';

export type Conversation = z.infer<typeof conversationSchema>;
export type ConversationDetail = z.infer<typeof conversationDetailSchema>;
export type Message = ConversationDetail['messages'][number];
type ApiKey = z.infer<typeof apiKeySchema>;

export interface StreamHandlers {
  onDelta(text: string): void;
  onSources(sources: ChatSource[]): void;
  onMetadata(metadata: Pick<ChatResponse, 'conversation_id' | 'message_id' | 'metadata'>): void;
}

/**
 * POST /api/v1/chats/rag as Server-Sent Events. Errors before the stream are thrown as ApiError
 * (validation, model, quota…); an `error` event after it is thrown the same way.
 */
export async function streamAnswer(request: Partial<ChatRequest> & { query: string }, handlers: StreamHandlers, signal: AbortSignal): Promise<void> {
  const res = await apiFetch('/api/v1/chats/rag', { method: 'POST', body: request, accept: 'text/event-stream', signal });
  if (!res.body) throw new ApiError(res.status, { detail: 'Empty answer', error_code: 'INTERNAL_ERROR' });
  for await (const event of readEvents(res.body)) {
    if (event.event === 'delta') handlers.onDelta((event.data as { text: string }).text);
    else if (event.event === 'sources') handlers.onSources((event.data as { sources: ChatSource[] }).sources);
    else if (event.event === 'metadata') handlers.onMetadata(event.data as Pick<ChatResponse, 'conversation_id' | 'message_id' | 'metadata'>);
    else if (event.event === 'error') throw new ApiError(500, event.data as ApiErrorBody);
    else if (event.event === 'done') return;
  }
}

export const listConversations = (query: Record<string, string | number | undefined>, signal?: AbortSignal) => apiFetch('/api/v1/conversations', { query, signal });
export const getConversation = (id: string, signal?: AbortSignal) => api<ConversationDetail>(`/api/v1/conversations/${encodeURIComponent(id)}`, { signal });
/** Rates an answer (rating null clears it); a comment is kept only with a rating. */
export const rateAnswer = (conversationId: string, messageId: string, body: FeedbackBody) =>
  api<Message>(`/api/v1/conversations/${encodeURIComponent(conversationId)}/messages/${encodeURIComponent(messageId)}/feedback`, { method: 'PUT', body });

/** The models the tenant's active provider keys offer (ADMINs may list keys; others get none). */
export async function availableModels(): Promise<string[]> {
  const keys = await api<ApiKey[]>('/api/v1/api-keys');
  return [...new Set(keys.filter((k) => k.is_active).map((k) => k.model))];
}
