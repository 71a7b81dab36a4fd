import type { ChatModel, ChatTurn, ChatUsage } from '../llm/chat-model.js';

const REWRITE_INSTRUCTIONS = [
  'You turn the last question of a conversation into a standalone search query for a document search engine.',
  'Resolve pronouns and references ("it", "that plan", 「それ」「その場合」) using the conversation.',
  'Keep the language of the question. Output only the query: no quotes, no explanation, no answer.',
].join('\n');

const MAX_QUERY_CHARS = 1000;

export interface StandaloneQuery {
  query: string;
  /** Set when a model rewrote the question (its tokens are billed like any call). */
  usage?: ChatUsage;
}

/**
 * A follow-up ("What about part-timers?") means nothing to retrieval on its own. With a model, it
 * is rewritten into a standalone query; without one (or if the rewrite fails) the previous
 * question's words are added to it, which is what full-text search needs to find the topic again.
 */
export async function standaloneQuery(question: string, history: ChatTurn[], model: ChatModel | null, signal?: AbortSignal): Promise<StandaloneQuery> {
  const previous = history.filter((t) => t.role === 'user').at(-1)?.content;
  if (!previous) return { query: question };
  const fallback = { query: `${previous} ${question}`.slice(0, MAX_QUERY_CHARS) };
  if (!model) return fallback;
  const transcript = history.map((t) => `${t.role === 'user' ? 'User' : 'Assistant'}: ${t.content}`).join('\n');
  const generator = model.stream({
    system: REWRITE_INSTRUCTIONS,
    messages: [{ role: 'user', content: `Conversation:\n${transcript}\n\nLast question: ${question}\n\nStandalone query:` }],
    temperature: 0,
    maxTokens: 200,
    signal,
  });
  let step = await generator.next();
  while (!step.done) step = await generator.next();
  const query = step.value.text.trim().replace(/^["'「『]+|["'」』]+$/g, '').trim();
  return query && query.length <= MAX_QUERY_CHARS ? { query, usage: step.value.usage } : { ...fallback, usage: step.value.usage };
}
