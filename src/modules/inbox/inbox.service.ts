import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../db/client.js';
import type { ChatChannel, ConfidenceLevel, InboxReason } from '../../db/schema.js';
import { notFound } from '../../http/errors.js';
import type { Language } from '../../http/language.js';
import type { Principal } from '../../http/request-context.js';
import { writeCsv } from '../../lib/csv/csv-writer.js';
import { localTime } from '../../lib/csv/local-time.js';
import type { ChatSource } from '../chat/chat.schemas.js';
import type { PreviewAnswer } from '../chat/chat.service.js';
import { createFaqBodySchema, MAX_QUESTION_CHARS, type CreateFaqBody } from '../sources/faq/faq.schemas.js';
import { closestItem, storedTermsOf } from './inbox-grouping.js';
import { createInboxRepo, type InboxItemRow } from './inbox.repo.js';
import {
  DETAIL_OCCURRENCES,
  DETAIL_PASSAGES,
  DETAIL_PHRASINGS,
  MAX_EXPORT_ROWS,
  type AnswerInboxBody,
  type ExportInboxQuery,
  type ListInboxQuery,
} from './inbox.schemas.js';

/** One time a question failed (or was rated 👎, or handed to a person), as the chat and the handoff report it. */
export interface InboxOccurrence {
  question: string;
  channel: ChatChannel;
  reason: InboxReason;
  conversationId?: string | null;
  messageId?: string | null;
  confidence?: ConfidenceLevel | null;
  /** The passages the search found, with their scores. */
  sources?: ChatSource[];
}

export interface InboxDeps {
  db: Database;
  /** Adds an FAQ entry as the caller (src/modules/sources/faq: its permission, limits and cache). */
  createFaq(principal: Principal, body: CreateFaqBody): Promise<{ id: string }>;
  /** What the chat answers a question now, storing no conversation (chat.service.ts: preview). */
  preview(principal: Principal, question: string): Promise<PreviewAnswer>;
  /**
   * A new item was created (not on a further occurrence of one), inside the recording's transaction
   * `tx`: what it queues there is stored with the item or not at all.
   */
  onItemCreated(tx: Database, tenantId: string, item: InboxItemRow): void | Promise<void>;
  log: FastifyBaseLogger;
}



export function createInboxService(deps: InboxDeps) {
  const repo = createInboxRepo(deps.db);

  async function found(tenantId: string, id: string): Promise<InboxItemRow> {
    const item = await repo.find(tenantId, id);
    if (!item) throw notFound('Inbox item');
    return item;
  }

  async function recordIn(tx: Database, tenantId: string, occurrence: InboxOccurrence): Promise<InboxItemRow | null> {
    const txRepo = createInboxRepo(tx);
    // Stored as an FAQ entry's question may be, so "answer it" can take any wording as it is.
    const question = occurrence.question.trim().slice(0, MAX_QUESTION_CHARS);
    if (!question) return null;
    // One writer per tenant at a time, so two failures of one question cannot make two items.
    await txRepo.lock(tx, tenantId);
    if (occurrence.messageId && (await txRepo.hasOccurrence(tenantId, occurrence.messageId, occurrence.reason))) return null;
    const at = new Date();
    let item = (await txRepo.byKey(tenantId, question)) ?? closestItem(question, await txRepo.candidates(tenantId));
    const created = !item;
    if (!item) item = await txRepo.create(tenantId, question, storedTermsOf(question), at);
    const updated = await txRepo.addOccurrence(
      tenantId,
      item.id,
      {
        question,
        channel: occurrence.channel,
        reason: occurrence.reason,
        conversationId: occurrence.conversationId ?? null,
        messageId: occurrence.messageId ?? null,
        confidence: occurrence.confidence ?? null,
        sources: occurrence.sources ?? [],
      },
      at,
    );
    if (created) await deps.onItemCreated(tx, tenantId, updated);
    return updated;
  }

  /**
   * Records a failed question: it joins the item asking the same thing (a resolved one opens again,
   * an ignored one stays ignored) or starts a new item. Given `tx`, it is part of that transaction
   * (the chat stores the answer in it); otherwise it opens its own. Returns the item, or null when
   * this answer was already recorded for this reason.
   */
  async function record(tx: Database | undefined, tenantId: string, occurrence: InboxOccurrence): Promise<InboxItemRow | null> {
    return tx ? recordIn(tx, tenantId, occurrence) : deps.db.transaction((own) => recordIn(own, tenantId, occurrence));
  }

  async function detail(tenantId: string, item: InboxItemRow) {
    const [occurrences, phrasings] = await Promise.all([repo.occurrences(tenantId, [item.id], DETAIL_OCCURRENCES), repo.phrasings(tenantId, item.id, DETAIL_PHRASINGS)]);
    // The best passages over its occurrences, each once (the same passage found again keeps its best score).
    const passages = new Map<string, ChatSource>();
    for (const source of occurrences.flatMap((o) => o.sources)) {
      const key = `${source.file_id}:${source.chunk_index}`;
      const seen = passages.get(key);
      if (!seen || seen.score < source.score) passages.set(key, source);
    }
    return { item, occurrences, phrasings, passages: [...passages.values()].sort((a, b) => b.score - a.score).slice(0, DETAIL_PASSAGES) };
  }

  const setStatus = async (principal: Principal, id: string, status: InboxItemRow['status']) => {
    await found(principal.tenantId, id);
    return (await repo.setStatus(principal.tenantId, id, status, principal.userId))!;
  };

  return {
    record,

    async list(principal: Principal, query: ListInboxQuery) {
      const filters = { status: query.status, reason: query.reason };
      const [items, total, counts] = await Promise.all([
        repo.list(principal.tenantId, filters, { skip: query.skip, limit: query.limit }),
        repo.total(principal.tenantId, filters),
        repo.countsByStatus(principal.tenantId, query.reason),
      ]);
      const countOf = (status: InboxItemRow['status']) => counts.find((c) => c.status === status)?.n ?? 0;
      return { items, total, counts: { open: countOf('open'), resolved: countOf('resolved'), ignored: countOf('ignored') } };
    },

    get: async (principal: Principal, id: string) => detail(principal.tenantId, await found(principal.tenantId, id)),

    /** Answers the question with a new FAQ entry (its question the representative, its alternatives the other wordings); the item is resolved and links to it. */
    async answer(principal: Principal, id: string, body: AnswerInboxBody) {
      const item = await found(principal.tenantId, id);
      const phrasings = await repo.phrasings(principal.tenantId, id, DETAIL_PHRASINGS + 1);
      const question = body.question ?? item.question;
      const alternatives = body.alternatives ?? phrasings.map((p) => p.question).filter((q) => q !== question).slice(0, 20);
      const entry = await deps.createFaq(principal, createFaqBodySchema.parse({ question, answer: body.answer, alternatives }));
      await repo.setStatus(principal.tenantId, id, 'resolved', principal.userId, entry.id);
      return detail(principal.tenantId, (await repo.find(principal.tenantId, id))!);
    },

    resolve: (principal: Principal, id: string) => setStatus(principal, id, 'resolved'),
    ignore: (principal: Principal, id: string) => setStatus(principal, id, 'ignored'),
    reopen: (principal: Principal, id: string) => setStatus(principal, id, 'open'),

    /** What the bot answers the item's question now: nothing is recorded (no conversation, no inbox occurrence). */
    async reask(principal: Principal, id: string): Promise<PreviewAnswer> {
      const item = await found(principal.tenantId, id);
      return deps.preview(principal, item.question);
    },

    /** The items as a CSV file (UTF-8 with BOM), headers in the caller's language, times in `time_zone`. */
    async exportCsv(principal: Principal, query: ExportInboxQuery, language: Language): Promise<Buffer> {
      const items = await repo.list(principal.tenantId, { status: query.status, reason: query.reason }, { skip: 0, limit: MAX_EXPORT_ROWS });
      const wordings = await repo.wordingsOf(principal.tenantId, items.map((i) => i.id));
      const header = HEADERS[language];
      const rows = items.map((item) => [
        STATUS[language][item.status],
        item.question,
        (wordings.get(item.id) ?? []).filter((q) => q !== item.question).join('\n'),
        String(item.count),
        localTime(item.firstSeenAt, query.time_zone),
        localTime(item.lastSeenAt, query.time_zone),
        item.channels.join(', '),
        item.reasons.map((r) => REASON[language][r as InboxReason] ?? r).join(', '),
        item.faqId ?? '',
      ]);
      return writeCsv([header, ...rows]);
    },
  };
}

const HEADERS: Record<Language, string[]> = {
  ja: ['状態', '質問', '別の聞き方', '回数', '初回', '最終', 'チャネル', '理由', 'FAQ ID'],
  en: ['status', 'question', 'other phrasings', 'count', 'first seen', 'last seen', 'channels', 'reasons', 'FAQ id'],
};
const STATUS: Record<Language, Record<InboxItemRow['status'], string>> = {
  ja: { open: '未対応', resolved: '解決済み', ignored: '無視' },
  en: { open: 'open', resolved: 'resolved', ignored: 'ignored' },
};
const REASON: Record<Language, Record<InboxReason, string>> = {
  ja: { unanswered: '回答なし', low_confidence: '確信度が低い', downvoted: '低評価', handoff: '担当者へ引き継ぎ' },
  en: { unanswered: 'unanswered', low_confidence: 'low confidence', downvoted: 'rated not helpful', handoff: 'handed off' },
};

export type InboxService = ReturnType<typeof createInboxService>;
