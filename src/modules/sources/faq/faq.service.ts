import type { Database } from '../../../db/client.js';
import { AppError, validationFailed, type FieldError } from '../../../http/errors.js';
import { fieldMessage } from '../../../http/field-messages.js';
import type { Language } from '../../../http/language.js';
import type { Principal } from '../../../http/request-context.js';
import { createTtlCache } from '../../../lib/ttl-cache.js';
import { readFaqCsv, writeFaqCsv, type FaqCsvEncoding } from './faq-csv.js';
import { ANSWER_THRESHOLD, matchForm, PASSAGE_THRESHOLD, similarity, type MatchForm } from './faq-match.js';
import { createFaqRepo, type FaqRow, type FaqValues } from './faq.repo.js';
import { createFaqBodySchema, MAX_FAQ_ENTRIES, type CreateFaqBody, type FaqImportResult, type UpdateFaqBody } from './faq.schemas.js';

export interface FaqDeps {
  db: Database;
  /** How long this process may answer from a tenant's entries after another instance changed them. */
  ttlMs: number;
}

/** An entry found for a question, with how close the question came to it (0–1). */
export interface FaqHit {
  entry: FaqRow;
  score: number;
}

interface Compiled {
  entry: FaqRow;
  forms: MatchForm[];
}

const entryNotFound = () => new AppError('RESOURCE_NOT_FOUND', { ja: 'FAQ が見つかりません。', en: 'FAQ entry not found' });
const tooMany = () =>
  new AppError('CONFLICT', { ja: `FAQ は ${MAX_FAQ_ENTRIES} 件までです。不要なものを削除してから追加してください。`, en: `A tenant can keep at most ${MAX_FAQ_ENTRIES} FAQ entries: delete some before adding more.` });

export function createFaqService(deps: FaqDeps) {
  const repo = createFaqRepo(deps.db);
  // Every question is compared with every entry: the entries and their matching forms are kept per
  // tenant, dropped by every write here (other instances see it within ttlMs).
  const compiled = createTtlCache<string, Compiled[]>({ ttlMs: deps.ttlMs, maxEntries: 1000 });
  const entriesOf = (tenantId: string) =>
    compiled.get(tenantId, async () => (await repo.all(tenantId)).map((entry) => ({ entry, forms: [entry.question, ...entry.alternatives].map(matchForm) })));

  /** The tenant's entries closest to a question, best first, down to `minScore`. */
  async function ranked(tenantId: string, question: string, minScore: number, limit: number): Promise<FaqHit[]> {
    const form = matchForm(question);
    if (form.words.size === 0) return [];
    const hits: FaqHit[] = [];
    for (const { entry, forms } of await entriesOf(tenantId)) {
      const score = Math.max(...forms.map((f) => similarity(form, f)));
      if (score >= minScore) hits.push({ entry, score });
    }
    return hits.sort((a, b) => b.score - a.score).slice(0, limit);
  }

  /** Adds entries in one transaction, within the tenant's MAX_FAQ_ENTRIES. */
  async function insert(tenantId: string, values: FaqValues[]): Promise<FaqRow[]> {
    const rows = await deps.db.transaction(async (tx) => {
      const txRepo = createFaqRepo(tx);
      await txRepo.lockTenant(tenantId);
      if ((await txRepo.count(tenantId)) + values.length > MAX_FAQ_ENTRIES) throw tooMany();
      return txRepo.insert(tenantId, values);
    });
    compiled.forget(tenantId);
    return rows;
  }

  return {
    list: (principal: Principal, search: string | undefined, page: { skip: number; limit: number }) => repo.list(principal.tenantId, search, page),
    count: (principal: Principal, search: string | undefined) => repo.count(principal.tenantId, search),
    async get(principal: Principal, id: string): Promise<FaqRow> {
      const entry = await repo.find(principal.tenantId, id);
      if (!entry) throw entryNotFound();
      return entry;
    },
    async create(principal: Principal, body: CreateFaqBody): Promise<FaqRow> {
      return (await insert(principal.tenantId, [{ ...body, createdBy: principal.userId }]))[0]!;
    },
    async update(principal: Principal, id: string, body: UpdateFaqBody): Promise<FaqRow> {
      const entry = await repo.update(principal.tenantId, id, body);
      if (!entry) throw entryNotFound();
      compiled.forget(principal.tenantId);
      return entry;
    },
    async remove(principal: Principal, id: string): Promise<void> {
      if (!(await repo.delete(principal.tenantId, id))) throw entryNotFound();
      compiled.forget(principal.tenantId);
    },

    /** Imports a CSV file (faq-csv.ts): the valid rows are added, the others reported with their reasons. */
    async importCsv(principal: Principal, bytes: Buffer, language: Language): Promise<FaqImportResult> {
      if (bytes.length === 0) throw validationFailed([{ field: 'file', message: { ja: 'ファイルが空です', en: 'is empty' } }]);
      const { records, encoding } = readFaqCsv(bytes);
      const valid: FaqValues[] = [];
      const failed: FaqImportResult['failed'] = [];
      for (const record of records) {
        const parsed = createFaqBodySchema.safeParse({ question: record.question, answer: record.answer, alternatives: record.alternatives });
        if (parsed.success) valid.push({ ...parsed.data, createdBy: principal.userId });
        else {
          const errors: FieldError[] = parsed.error.issues.map((issue) => ({ field: String(issue.path[0] ?? 'row'), message: fieldMessage(issue as never) }));
          failed.push({ row: record.row, errors: errors.map((e) => ({ field: e.field, message: e.message[language] })) });
        }
      }
      await insert(principal.tenantId, valid);
      return { imported: valid.length, encoding, failed };
    },
    /** Every entry, oldest first, as a CSV file (UTF-8 with BOM, or Shift_JIS). */
    exportCsv: async (principal: Principal, encoding: FaqCsvEncoding): Promise<Buffer> => writeFaqCsv(await repo.all(principal.tenantId), encoding),

    /** The entry a question IS (at or above ANSWER_THRESHOLD), to be answered verbatim; null when none is close enough. */
    match: async (tenantId: string, question: string): Promise<FaqHit | null> => (await ranked(tenantId, question, ANSWER_THRESHOLD, 1))[0] ?? null,
    /** Entries close enough to offer as passages beside the documents' (search, the chat's sources). */
    passages: (tenantId: string, question: string, limit: number): Promise<FaqHit[]> => ranked(tenantId, question, PASSAGE_THRESHOLD, limit),
  };
}

export type FaqService = ReturnType<typeof createFaqService>;
