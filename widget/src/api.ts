// Types only from the server (erased from the bundle): the API's own shapes, never a hand-kept copy.
import type { ChatResponse, ChatSource } from '../../src/modules/chat/chat.schemas.js';
import type { HandoffOffer } from '../../src/modules/handoff/handoff.schemas.js';
import type { Language } from './i18n.js';
import { createSseParser } from './sse.js';

/** GET /api/v1/chats/widget/config (src/modules/widget/widget.routes.ts: WidgetConfig). */
export interface WidgetConfig {
  tenant_name: string;
  title: string | null;
  greeting: string | null;
  placeholder: string | null;
  accent_color: string;
  position: 'bottom-right' | 'bottom-left';
  language: 'auto' | Language;
  show_sources: boolean;
}

export interface Answer {
  text: string;
  /** `[n]` in the answer is sources[n - 1]. */
  sources: ChatSource[];
  conversationId: string;
  /** This answer, for its rating. */
  messageId: string;
  /** Who wrote it: `handoff` for the reply to "talk to a person", which is not rated. */
  model: string;
  /** Offer the tenant's contact route under this answer (the documents did not hold it, or the visitor asked for a person). */
  handoff?: HandoffOffer;
}

/** POST /api/v1/chats/widget/handoff (src/modules/handoff/handoff.schemas.ts: WidgetHandoff). */
export interface Handoff {
  route: { kind: string; label: string; href: string };
  open: boolean;
  notice: string | null;
}

/**
 * Why a call failed: `network` (no answer at all), `http` (a refusal before the answer: the
 * server's `{detail, error_code}` and Retry-After), or `stream` (an `error` event, or the stream
 * ended early, after part of the answer was shown).
 */
export class WidgetApiError extends Error {
  constructor(
    readonly kind: 'network' | 'http' | 'stream',
    readonly status = 0,
    readonly detail?: string,
    readonly code?: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(detail ?? kind);
  }
}

export interface WidgetApi {
  config(signal?: AbortSignal): Promise<WidgetConfig>;
  /** Asks a question; `onText` gets the answer so far each time more of it arrives. */
  ask(query: string, sessionId: string | null, onText: (text: string) => void, signal: AbortSignal): Promise<Answer>;
  /** Hands the conversation to a person: marks it and returns the route to open. */
  handoff(conversationId: string, details: { contact?: string }): Promise<Handoff>;
  /** Rates an answer 👍/👎 (null takes it back), with an optional comment. */
  feedback(conversationId: string, messageId: string, rating: 'up' | 'down' | null, comment?: string): Promise<void>;
}

/** The only requests the widget makes: to the server its script came from, without cookies. */
export function createApi(options: { origin: string; key: string; visitorId: string; language: () => Language }): WidgetApi {
  const base = `${options.origin}/api/v1/chats/widget`;
  const headers = (extra: Record<string, string> = {}) => ({
    'X-API-Key': options.key,
    'X-Visitor-Id': options.visitorId,
    // Every message the server words (refusals, errors) comes back in the visitor's language.
    'Accept-Language': options.language(),
    ...extra,
  });

  async function call(path: string, init: RequestInit): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, { ...init, mode: 'cors', credentials: 'omit', cache: 'no-store' });
    } catch (error) {
      if (init.signal?.aborted) throw error;
      throw new WidgetApiError('network');
    }
    if (response.ok) return response;
    let body: { detail?: unknown; error_code?: unknown } = {};
    try {
      body = await response.json();
    } catch {
      // Not our JSON (a proxy's error page): the status alone says enough.
    }
    const retryAfter = Number(response.headers.get('Retry-After'));
    throw new WidgetApiError(
      'http',
      response.status,
      typeof body.detail === 'string' ? body.detail : undefined,
      typeof body.error_code === 'string' ? body.error_code : undefined,
      retryAfter > 0 ? retryAfter : undefined,
    );
  }

  return {
    async config(signal) {
      return (await call('/config', { headers: headers(), signal })).json();
    },

    async ask(query, sessionId, onText, signal) {
      const response = await call('/chat', {
        method: 'POST',
        headers: headers({ 'Content-Type': 'application/json', Accept: 'text/event-stream' }),
        body: JSON.stringify(sessionId ? { query, session_id: sessionId } : { query }),
        signal,
      });
      if (!/text\/event-stream/.test(response.headers.get('Content-Type') ?? '') || !response.body) {
        const whole: ChatResponse = await response.json();
        onText(whole.answer);
        return { text: whole.answer, sources: whole.sources, conversationId: whole.conversation_id, messageId: whole.message_id, model: whole.metadata.model, handoff: whole.metadata.handoff };
      }
      return readAnswer(response.body, onText);
    },

    async handoff(conversationId, details) {
      const response = await call('/handoff', {
        method: 'POST',
        headers: headers({ 'Content-Type': 'application/json' }),
        body: JSON.stringify({ conversation_id: conversationId, ...(details.contact ? { contact: details.contact } : {}) }),
      });
      return response.json();
    },

    async feedback(conversationId, messageId, rating, comment) {
      await call('/feedback', {
        method: 'PUT',
        headers: headers({ 'Content-Type': 'application/json' }),
        body: JSON.stringify({ conversation_id: conversationId, message_id: messageId, rating, ...(comment ? { comment } : {}) }),
      });
    },
  };
}

/** Reads the SSE answer as it arrives: `delta` … `sources`, `metadata`, `done` (or `error`). */
async function readAnswer(body: ReadableStream<Uint8Array>, onText: (text: string) => void): Promise<Answer> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = createSseParser();
  let text = '';
  let sources: ChatSource[] = [];
  let conversationId = '';
  let messageId = '';
  let model = '';
  let handoff: HandoffOffer | undefined;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw new WidgetApiError('stream');
    }
    for (const event of parser.push(chunk.done ? decoder.decode() : decoder.decode(chunk.value, { stream: true }))) {
      const data = JSON.parse(event.data);
      if (event.event === 'delta') {
        text += data.text;
        onText(text);
      } else if (event.event === 'sources') sources = data.sources;
      else if (event.event === 'metadata') {
        conversationId = data.conversation_id;
        messageId = data.message_id;
        model = data.metadata?.model ?? '';
        handoff = data.metadata?.handoff;
      }
      else if (event.event === 'error') throw new WidgetApiError('stream', 0, data.detail, data.error_code);
      else if (event.event === 'done') return { text, sources, conversationId, messageId, model, ...(handoff ? { handoff } : {}) };
    }
    if (chunk.done) throw new WidgetApiError('stream');
  }
}
