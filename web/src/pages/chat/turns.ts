import type { ChatSource } from '../../../../src/modules/chat/chat.schemas.js';
import type { Message } from './chat-api.js';

/** A question and its answer, as the playground shows them. */
export interface Turn {
  key: string;
  question: string;
  answer: string;
  sources: ChatSource[] | null;
  status: 'streaming' | Message['status'];
  messageId?: string;
  model?: string | null;
  latencyMs?: number | null;
  feedback?: Message['feedback'];
  feedbackComment?: string | null;
  error?: unknown;
}

/** A stored conversation's messages (oldest first, user then assistant) as turns. */
export function turnsOf(messages: Message[]): Turn[] {
  const turns: Turn[] = [];
  for (const message of messages) {
    if (message.role === 'user') {
      turns.push({ key: message.id, question: message.content, answer: '', sources: null, status: 'completed' });
      continue;
    }
    const last = turns.at(-1);
    const answer = {
      answer: message.content,
      sources: message.sources,
      status: message.status,
      messageId: message.id,
      model: message.model,
      latencyMs: message.latency_ms,
      feedback: message.feedback,
      feedbackComment: message.feedback_comment,
    };
    if (last && !last.messageId) Object.assign(last, answer);
    else turns.push({ key: message.id, question: '', ...answer });
  }
  return turns;
}
