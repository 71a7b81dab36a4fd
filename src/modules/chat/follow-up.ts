import { normalizeText } from '../../lib/text/normalize.js';
import { LlmProviderError, type ChatModel, type ChatTurn, type ChatUsage } from '../llm/chat-model.js';
import type { RetrievedChunk } from '../retrieval/retrieval.service.js';
import { contentWords, leansOnConversation } from './leans-on-conversation.js';

const REWRITE_INSTRUCTIONS = [
  'You turn the last question of a conversation into a standalone search query for a document search engine.',
  'Resolve pronouns and references ("it", "that plan", 「それ」「その場合」) using the conversation.',
  'Keep the language of the question. Output only the query: no quotes, no explanation, no answer.',
].join('\n');

const MAX_QUERY_CHARS = 1000;

export interface FollowUpInput {
  question: string;
  /** Earlier turns, oldest first (the rewrite reads them). */
  history: ChatTurn[];
  /** What the previous answer was retrieved with: the topic a follow-up leans on. Undefined for a first question. */
  previousQuery: string | undefined;
  model: ChatModel | null;
  signal?: AbortSignal;
}

export interface FollowUpDeps {
  /** The tenant's passages for a query, with earlier turns' terms as weaker context when given. */
  retrieve(query: string, context?: string): Promise<RetrievedChunk[]>;
  /** A rewrite is a billed model call. */
  recordRewrite(model: ChatModel, usage: ChatUsage): Promise<void>;
  log: { warn(details: object, message: string): void };
}

/** What retrieval searched (stored as the answer's retrieval_query) and what it found. */
export interface Retrieved {
  query: string;
  passages: RetrievedChunk[];
  /** The earlier turn's query when it joined the search (rule 1): quoting weighs its words too. */
  context?: string;
}

/**
 * Retrieval for a question in a conversation. The question alone decides unless it leans on
 * the conversation (leans-on-conversation.ts) or retrieves nothing by itself; only then does a
 * model rewrite it into a standalone query, and without a model — or when the rewrite fails or
 * drifts from the question's own words — the previous turn's terms join it, weighted below its own.
 */
export async function retrieveFollowUp(deps: FollowUpDeps, input: FollowUpInput): Promise<Retrieved> {
  const { question, previousQuery } = input;
  if (previousQuery === undefined || !leansOnConversation(question)) {
    const passages = await deps.retrieve(question);
    if (passages.length > 0 || previousQuery === undefined) return { query: question, passages };
  }
  const rewritten = input.model ? await rewrite(deps, input, input.model) : null;
  if (rewritten !== null && !driftsFrom(question, rewritten)) return { query: rewritten, passages: await deps.retrieve(rewritten) };
  return { query: `${question} (${previousQuery})`.slice(0, MAX_QUERY_CHARS), passages: await deps.retrieve(question, previousQuery), context: previousQuery };
}

/** The model's standalone query, or null when it gave none or failed: the answer never fails for a rewrite. */
async function rewrite(deps: FollowUpDeps, input: FollowUpInput, model: ChatModel): Promise<string | null> {
  const transcript = input.history.map((t) => `${t.role === 'user' ? 'User' : 'Assistant'}: ${t.content}`).join('\n');
  try {
    const generator = model.stream({
      system: REWRITE_INSTRUCTIONS,
      messages: [{ role: 'user', content: `Conversation:\n${transcript}\n\nLast question: ${input.question}\n\nStandalone query:` }],
      temperature: 0,
      maxTokens: 200,
      signal: input.signal,
    });
    let step = await generator.next();
    while (!step.done) step = await generator.next();
    await deps.recordRewrite(model, step.value.usage);
    const query = step.value.text.trim().replace(/^["'「『]+|["'」』]+$/g, '').trim();
    return query && query.length <= MAX_QUERY_CHARS ? query : null;
  } catch (error) {
    if (!(error instanceof LlmProviderError)) throw error;
    deps.log.warn({ err: error }, 'follow-up rewrite failed: retrieving with the conversation’s terms');
    return null;
  }
}

/**
 * A rewrite must keep what the question itself names: one that loses half of its words has
 * answered a different question (or the previous one) and is not used.
 * @example driftsFrom('料金は？', 'PROプランの料金') // false
 */
export function driftsFrom(question: string, rewritten: string): boolean {
  const own = contentWords(question);
  if (own.length === 0) return false;
  const words = new Set(contentWords(rewritten));
  const text = normalizeText(rewritten).toLowerCase();
  const kept = own.filter((w) => words.has(w) || text.includes(w)).length;
  return kept * 2 < own.length;
}
