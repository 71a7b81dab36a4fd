import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../db/client.js';
import type { ChatChannel, ConfidenceLevel } from '../../db/schema.js';
import { AppError, notFound } from '../../http/errors.js';
import { estimateTokens } from '../../lib/text/tokens.js';
import { LlmProviderError, type ChatModel, type ChatTurn, type ChatUsage } from '../llm/chat-model.js';
import type { HandoffService } from '../handoff/handoff.service.js';
import { DEFAULT_TOP_K, type RetrievalService, type RetrievedChunk } from '../retrieval/retrieval.service.js';
import type { TenantCache } from '../tenants/tenant-cache.js';
import { widgetSettingsOf } from '../tenants/widget-settings.js';
import type { PricedUsage, UsageRecorder } from '../usage/usage-recorder.js';
import type { ChatModels } from './chat-models.js';
import { DEFAULT_MAX_TOKENS, DEFAULT_TEMPERATURE, type ChatRequest, type ChatResponse, type ChatSource } from './chat.schemas.js';
import { insertUsageEvents } from '../usage/usage.repo.js';
import { createConversationsRepo, type ConversationRow, type MessageRow, type TurnConversation } from './conversations.repo.js';
import { assessConfidence, type Confidence } from './confidence.js';
import { NOT_IN_DOCUMENTS } from './not-found.js';
import { EXTRACTIVE_MODEL, extractiveAnswer } from './extractive.js';
import { retrieveFollowUp } from './follow-up.js';
import { leansOnConversation } from './leans-on-conversation.js';
import { questionLanguage } from './language.js';
import { buildSystemPrompt, fitHistory } from './prompt.js';
import { fileUrl } from '../sources/contents/file-url.js';

/** Who is asking. Dashboard and API users have a userId; widget visitors may have a visitorId. */
export interface ChatCaller {
  tenantId: string;
  userId: string | null;
  visitorId: string | null;
  channel: ChatChannel;
}

export interface ChatDeps {
  db: Database;
  /** The tenant's name and settings (cached: src/modules/tenants/tenant-cache.ts). */
  tenants: Pick<TenantCache, 'ofCaller'>;
  retrieval: RetrievalService;
  /**
   * The FAQ entry a question IS (src/modules/sources/faq), if any: its answer is given verbatim,
   * cited as the entry, without a model call.
   */
  faqAnswer?: (tenantId: string, question: string) => Promise<FaqAnswer | null>;
  models: ChatModels;
  usage: UsageRecorder;
  /** An answer that counts against the plan's monthly messages was stored (src/modules/billing). */
  onAnswered(tenantId: string): void;
  /**
   * An answer the bot could not give well (nothing found, or low confidence) is being stored: the
   * inbox records it (src/modules/inbox) in the same transaction as the answer.
   */
  onGap?: (tx: Database, tenantId: string, gap: AnswerGap) => Promise<void>;
  /**
   * Handing widget visitors to a person (src/modules/handoff): a visitor who asks for one is answered
   * with the offer instead of a search, and an answer the documents do not hold carries the offer.
   */
  handoff?: Pick<HandoffService, 'asksForPerson' | 'canHandOff' | 'offer' | 'answerAsked'>;
  log: FastifyBaseLogger;
}

/** An answer the documents did not support well, as the inbox records it. */
export interface AnswerGap {
  question: string;
  channel: ChatChannel;
  reason: 'unanswered' | 'low_confidence';
  conversationId: string;
  messageId: string;
  confidence: ConfidenceLevel;
  sources: ChatSource[];
}

/** What the bot answers now, without storing a conversation (the inbox's re-ask). */
export interface PreviewAnswer {
  answer: string;
  sources: ChatSource[];
  model: string;
  confidence: Confidence;
}

/** An FAQ entry that answers a question word for word. */
export interface FaqAnswer {
  id: string;
  question: string;
  answer: string;
  score: number;
}

/** The stored and returned `model` of an answer that is an FAQ entry's: no model was called. */
export const FAQ_MODEL = 'faq';

/** The stored and returned `model` of the answer to a visitor who asked for a person: no search, no model call. */
export const HANDOFF_MODEL = 'handoff';

/** Messages read back to rebuild the history; fitHistory then trims them to its token budget. */
const HISTORY_MESSAGES = 20;
const TITLE_CHARS = 80;

/** A retrieved passage as an answer cites it. */
export const toSource = (chunk: RetrievedChunk): ChatSource => ({
  kind: chunk.kind,
  file_id: chunk.file_id,
  file_name: chunk.file_name,
  file_type: chunk.file_type,
  title: chunk.title,
  sheet_name: chunk.sheet_name,
  url: chunk.source_url ?? (chunk.file_type === null ? null : fileUrl(chunk.file_id, chunk.file_type, chunk.page_start)),
  source_url: chunk.source_url,
  chunk_index: chunk.chunk_index,
  chunk_text: chunk.chunk_text,
  page: chunk.page_start,
  score: chunk.score,
  ...(chunk.ocr ? { ocr: true } : {}),
});

const faqSource = (entry: FaqAnswer): ChatSource => ({
  kind: 'faq',
  file_id: entry.id,
  file_name: 'FAQ',
  file_type: null,
  title: entry.question,
  sheet_name: null,
  url: null,
  chunk_index: 0,
  chunk_text: `${entry.question}\n${entry.answer}`,
  page: null,
  score: Math.round(entry.score * 10_000) / 10_000,
});

const toTurn = (m: MessageRow): ChatTurn => ({ role: m.role, content: m.content });

/**
 * What the conversation's last answer was retrieved with (its question, for answers stored without
 * one). A handoff reply searched nothing: the topic is that of the turn before it.
 */
function previousQuery(recent: MessageRow[]): string | undefined {
  const searched = recent.filter((m, i) => m.model !== HANDOFF_MODEL && !(m.role === 'user' && recent[i + 1]?.model === HANDOFF_MODEL));
  const last = searched.findLast((m) => m.role === 'assistant');
  return last?.retrievalQuery ?? searched.findLast((m) => m.role === 'user')?.content;
}

export const providerFailure = (error: LlmProviderError) => new AppError('LLM_PROVIDER_ERROR', { ja: `言語モデルが回答できませんでした: ${error.message}`, en: `The language model could not answer: ${error.message}` });

export function createChatService(deps: ChatDeps) {
  const { log } = deps;
  const conversations = createConversationsRepo(deps.db);

  /** A conversation is continued only by whoever started it: its user, or its widget visitor. */
  async function continued(caller: ChatCaller, id: string): Promise<ConversationRow> {
    const conversation = await conversations.find(caller.tenantId, id);
    const owner =
      conversation &&
      (caller.channel === 'widget'
        ? conversation.channel === 'widget' && conversation.visitorId === caller.visitorId
        : conversation.channel !== 'widget' && conversation.userId === caller.userId);
    if (!owner) throw notFound('Conversation', 'session_id');
    return conversation;
  }

  const usageOf = (caller: ChatCaller, model: ChatModel, kind: 'chat' | 'rewrite', usage: ChatUsage) => ({
    tenantId: caller.tenantId,
    userId: caller.userId,
    channel: caller.channel,
    kind,
    provider: model.provider,
    model: model.model,
    tokensIn: usage.tokensIn,
    tokensOut: usage.tokensOut,
  });

  /**
   * Answers a question. Yields the answer's text as it is generated and returns the full response.
   * Everything that can refuse the request (model, session, the provider accepting the call)
   * happens before the first delta, so callers can still answer with a plain HTTP error then.
   * Aborting `signal` cancels the provider call; the partial answer is kept as `cancelled`.
   */
  async function* ask(caller: ChatCaller, question: ChatRequest, signal?: AbortSignal): AsyncGenerator<string, ChatResponse, undefined> {
    const { response } = yield* answer(caller, question, signal, true);
    return response!;
  }

  /**
   * The answer path, stored as a turn (`store`) or only computed (`preview`: the inbox's re-ask,
   * whose model and embedding calls are still billed as usage, but which is no conversation and no
   * message of the plan's month).
   */
  async function* answer(
    caller: ChatCaller,
    question: ChatRequest,
    signal: AbortSignal | undefined,
    store: boolean,
  ): AsyncGenerator<string, { response?: ChatResponse; preview: PreviewAnswer }, undefined> {
    const started = performance.now();
    const tenant = await deps.tenants.ofCaller(caller.tenantId);
    const model = await deps.models.resolve(caller.tenantId, question.model, tenant.settings.llm_model);
    const existing = question.session_id ? await continued(caller, question.session_id) : undefined;
    const recent = existing ? await conversations.recentMessages(caller.tenantId, existing.id, HISTORY_MESSAGES) : [];
    const history = fitHistory(recent.map(toTurn));
    // What the question's embedding and a follow-up's rewrite cost is stored with the answer, in its transaction.
    const costs: PricedUsage[] = [];
    const defer = (row: PricedUsage) => void costs.push(row);
    // A follow-up that leans on the conversation (「それはいつまで？」) is never an FAQ question by itself.
    const previous = previousQuery(recent);
    const leans = previous !== undefined && leansOnConversation(question.query);
    const language = questionLanguage(question.query);
    // Widget visitors asking for a person (「担当者と話したい」) get the handoff offer, not a search — when the tenant gave a way to reach one.
    const widget = caller.channel === 'widget' ? widgetSettingsOf(tenant.settings) : null;
    const handoff = widget && deps.handoff ? { ...deps.handoff, widget } : null;
    const asked = handoff !== null && handoff.canHandOff(handoff.widget) && handoff.asksForPerson(question.query);
    // The button under the answer (null when the tenant has no contact route), worded in the question's language.
    const offerFor = (reason: 'asked' | 'not_found') => (handoff ? handoff.offer(handoff.widget, reason, language) : null);
    const faq = deps.faqAnswer && !leans && !asked ? await deps.faqAnswer(caller.tenantId, question.query) : null;
    const { query, passages, context } = faq || asked ? { query: question.query, passages: [], context: undefined } : await retrieveFollowUp(
      {
        retrieve: (query, context) => deps.retrieval.retrieve(caller.tenantId, { query, context, topK: question.top_k, usage: { channel: caller.channel, userId: caller.userId, defer } }),
        recordRewrite: async (rewriter, usage) => defer(deps.usage.priced(usageOf(caller, rewriter, 'rewrite', usage))),
        log: log.child({ tenantId: caller.tenantId }),
      },
      { question: question.query, history, previousQuery: previous, model, signal },
    );
    const sources = faq ? [faqSource(faq)] : passages.map(toSource);
    const answeredBy = asked ? HANDOFF_MODEL : faq ? FAQ_MODEL : (model?.model ?? EXTRACTIVE_MODEL);
    // A new conversation is stored with its first turn; nobody learns its id before that.
    const conversation: TurnConversation = existing
      ? { id: existing.id }
      : { id: randomUUID(), create: { channel: caller.channel, userId: caller.userId, visitorId: caller.visitorId, title: question.query.slice(0, TITLE_CHARS) } };

    // Visitors of the website are offered the tenant's contact when nothing matches.
    const contact = widget?.contact ?? null;
    const system = buildSystemPrompt({ assistantOf: tenant.name, language, sources, botInstructions: tenant.settings.bot_instructions, contact });
    const messages: ChatTurn[] = [...history, { role: 'user', content: question.query }];
    let text = '';
    let usage: ChatUsage = { tokensIn: 0, tokensOut: 0, estimated: false };
    let confidence: Confidence | undefined;
    const billed = () => (model && (usage.tokensIn || usage.tokensOut) ? [...costs, deps.usage.priced(usageOf(caller, model, 'chat', usage))] : costs);
    const save = async (status: MessageRow['status']) => {
      if (!store) {
        const rows = billed();
        if (rows.length) await insertUsageEvents(deps.db, rows);
        return null;
      }
      const turn = {
        question: question.query,
        answer: text,
        sources,
        confidence: status === 'completed' ? confidence : undefined,
        // Nothing was searched for a visitor who asked for a person.
        retrievalQuery: asked ? null : query,
        model: answeredBy,
        tokensIn: usage.tokensIn,
        tokensOut: usage.tokensOut,
        latencyMs: Math.round(performance.now() - started),
        status,
        // Billed tokens only: a call that failed before generating anything costs nothing.
        usage: billed(),
      };
      // A visitor who asked for a person was not answered from the documents: no gap (the handoff reports itself).
      const gap = status === 'completed' && !asked && confidence && (confidence.level === 'none' || confidence.level === 'low') ? confidence.level : null;
      const { onGap } = deps;
      // A gap is recorded with the answer, in one transaction; a good answer stays one statement.
      const saved =
        gap && onGap
          ? await deps.db.transaction(async (tx) => {
              const row = await createConversationsRepo(tx).saveTurn(caller.tenantId, conversation, turn);
              await onGap(tx, caller.tenantId, {
                question: question.query,
                channel: caller.channel,
                reason: gap === 'none' ? 'unanswered' : 'low_confidence',
                conversationId: conversation.id,
                messageId: row.id,
                confidence: gap,
                sources,
              });
              return row;
            })
          : await conversations.saveTurn(caller.tenantId, conversation, turn);
      if (status !== 'failed') deps.onAnswered(caller.tenantId);
      return saved;
    };

    try {
      if (asked) {
        text = handoff!.answerAsked(handoff!.widget, offerFor('asked'), language);
        yield text;
      } else if (faq) {
        text = faq.answer;
        yield text;
      } else if (model) {
        const stream = model.stream({ system, messages, temperature: question.temperature, maxTokens: question.max_tokens, signal });
        let step = await stream.next();
        for (; !step.done; step = await stream.next()) {
          text += step.value;
          yield step.value;
        }
        usage = step.value.usage;
      } else {
        text = extractiveAnswer(question.query, sources, language, { conversation: context, contact });
        // Line by line, so a streaming client shows it the same way as a model's answer.
        for (const line of text.split(/(?<=\n)/)) yield line;
      }
    } catch (error) {
      const cancelled = signal?.aborted === true;
      if (model && (cancelled || text)) {
        // The provider bills what it generated before the stream ended: estimate it.
        usage = { tokensIn: estimateTokens(system) + messages.reduce((n, m) => n + estimateTokens(m.content), 0), tokensOut: estimateTokens(text), estimated: true };
      }
      await save(cancelled ? 'cancelled' : 'failed').catch((saveError: unknown) => log.error({ err: saveError }, 'could not store an unfinished answer'));
      throw error instanceof LlmProviderError ? providerFailure(error) : error;
    }

    confidence = assessConfidence({ question: question.query, answer: text, passages, cut: deps.retrieval.defaultMinScore, faqAnswer: faq !== null });
    const stored = await save('completed');
    const preview: PreviewAnswer = { answer: text, sources, model: answeredBy, confidence };
    if (!stored) return { preview };
    // The documents did not hold it (nothing passed the cut, the not-found answer, or a model saying so): offer a person.
    const notFound = !faq && !asked && (sources.length === 0 || text.startsWith(NOT_IN_DOCUMENTS[language]) || confidence.level === 'none');
    const offer = asked ? offerFor('asked') : notFound ? offerFor('not_found') : null;
    return {
      preview,
      response: {
        answer: text,
        sources,
        conversation_id: conversation.id,
        message_id: stored.id,
        metadata: { model: answeredBy, tokens_in: usage.tokensIn, tokens_out: usage.tokensOut, latency_ms: stored.latencyMs ?? 0, confidence, ...(offer ? { handoff: offer } : {}) },
      },
    };
  }

  /** What the bot answers a question now, with its sources and confidence; nothing is stored but the usage it cost. */
  async function preview(caller: ChatCaller, query: string): Promise<PreviewAnswer> {
    const generator = answer(caller, { query, top_k: DEFAULT_TOP_K, temperature: DEFAULT_TEMPERATURE, max_tokens: DEFAULT_MAX_TOKENS }, undefined, false);
    let step = await generator.next();
    while (!step.done) step = await generator.next();
    return step.value.preview;
  }

  return { ask, preview };
}

export type ChatService = ReturnType<typeof createChatService>;
