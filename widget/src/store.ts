import type { ChatSource } from '../../src/modules/chat/chat.schemas.js';
import type { HandoffOffer } from '../../src/modules/handoff/handoff.schemas.js';

export type Rating = 'up' | 'down';

export interface StoredMessage {
  role: 'user' | 'bot';
  text: string;
  sources?: ChatSource[];
  /** The offer to reach a person shown under the answer; its hours notice is as it was then. */
  handoff?: HandoffOffer;
  /** An answer the visitor can rate (not the reply to "talk to a person"): its id on the server. */
  messageId?: string;
  /** What the visitor chose, and whether they sent a comment with their 👎. */
  rating?: Rating;
  commented?: boolean;
}

/** What survives a page load, per widget key: who the visitor is, the conversation, what they saw. */
export interface WidgetState {
  visitorId: string;
  conversationId: string | null;
  messages: StoredMessage[];
}

export interface Store {
  state: WidgetState;
  save(): void;
}

const MAX_MESSAGES = 40;
const MAX_SOURCE_CHARS = 400;

/** 32 hex characters from the browser's CSPRNG (crypto.randomUUID needs a secure context; this does not). */
function newVisitorId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `v_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function isState(value: unknown): value is WidgetState {
  const state = value as WidgetState | null;
  return (
    typeof state === 'object' &&
    state !== null &&
    typeof state.visitorId === 'string' &&
    /^[\w-]{8,64}$/.test(state.visitorId) &&
    (state.conversationId === null || typeof state.conversationId === 'string') &&
    Array.isArray(state.messages) &&
    state.messages.every((m) => (m.role === 'user' || m.role === 'bot') && typeof m.text === 'string' && (m.sources === undefined || Array.isArray(m.sources)))
  );
}

/**
 * The widget's state in localStorage under `shiori-widget:<key>`, so two widgets (two tenants) on
 * one site never mix. Without storage (blocked cookies, a sandboxed frame) it lives in memory for
 * the page's life. Old messages and long passages are trimmed to keep the entry small.
 */
export function openStore(key: string): Store {
  const name = `shiori-widget:${key}`;
  let state: WidgetState | undefined;
  try {
    const saved: unknown = JSON.parse(localStorage.getItem(name) ?? 'null');
    if (isState(saved)) state = saved;
  } catch {
    // Unreadable or blocked: start afresh.
  }
  const store: Store = {
    state: state ?? { visitorId: newVisitorId(), conversationId: null, messages: [] },
    save() {
      const { state: current } = store;
      current.messages = current.messages.slice(-MAX_MESSAGES);
      const trimmed = {
        ...current,
        messages: current.messages.map((m) => (m.sources ? { ...m, sources: m.sources.map((s) => ({ ...s, chunk_text: s.chunk_text.slice(0, MAX_SOURCE_CHARS) })) } : m)),
      };
      try {
        localStorage.setItem(name, JSON.stringify(trimmed));
      } catch {
        // Full or blocked: the conversation still works for this page.
      }
    },
  };
  return store;
}
