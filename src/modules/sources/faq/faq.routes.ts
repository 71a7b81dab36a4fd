import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../../http/error-schema.js';
import { AppError, validationFailed } from '../../../http/errors.js';
import { requestLanguage } from '../../../http/language.js';
import { principalOf } from '../../../http/request-context.js';
import { messageResponseSchema, userSecurity } from '../../../http/route-helpers.js';
import { ALTERNATIVES_DELIMITER, MAX_CSV_BYTES, MAX_CSV_ROWS } from './faq-csv.js';
import type { FaqRow } from './faq.repo.js';
import { createFaqBodySchema, exportFaqQuerySchema, faqEntrySchema, faqIdParamsSchema, faqImportResultSchema, listFaqQuerySchema, MAX_FAQ_ENTRIES, updateFaqBodySchema } from './faq.schemas.js';
import type { FaqService } from './faq.service.js';

const tags = ['faq'];

const toEntry = (e: FaqRow) => ({
  id: e.id,
  question: e.question,
  answer: e.answer,
  alternatives: e.alternatives,
  created_at: e.createdAt.toISOString(),
  updated_at: e.updatedAt.toISOString(),
});

const sendCsvAsFile = { ja: 'multipart/form-data で、CSV ファイルを "file" 欄に入れて送ってください。', en: 'Send multipart/form-data with the CSV file in a "file" field' };
const tooLarge = { ja: `CSV ファイルが上限の ${MAX_CSV_BYTES / 1024 / 1024} MB を超えています。分けて取り込んでください。`, en: `The CSV file is larger than the ${MAX_CSV_BYTES / 1024 / 1024} MB limit: import it in parts.` };

/** The one CSV file of the request, read up to MAX_CSV_BYTES. */
async function receiveCsv(request: FastifyRequest): Promise<Buffer> {
  if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', sendCsvAsFile);
  let bytes: Buffer | undefined;
  for await (const part of request.parts({ limits: { fileSize: MAX_CSV_BYTES, files: 1 } })) {
    if (part.type !== 'file') continue;
    if (part.fieldname !== 'file') {
      part.file.resume();
      continue;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of part.file) chunks.push(chunk as Buffer);
    if (part.file.truncated) throw new AppError('PAYLOAD_TOO_LARGE', tooLarge);
    bytes = Buffer.concat(chunks);
  }
  if (!bytes) throw validationFailed([{ field: 'file', message: { ja: 'ファイルを選んでください', en: 'is required' } }]);
  return bytes;
}

/** FAQ entries: questions answered verbatim (README.md). ADMIN writes, every member reads. */
export function faqRoutes(deps: { faq: FaqService }): FastifyPluginAsyncZod {
  const { faq } = deps;
  return async (app) => {
    app.get('/', {
      config: { auth: 'user' },
      schema: {
        operationId: 'listFaqEntries',
        tags,
        security: userSecurity,
        summary: 'List FAQ entries, newest first',
        description: 'The total number of matching entries is in the X-Total-Count header.',
        querystring: listFaqQuerySchema,
        response: { 200: z.array(faqEntrySchema), ...errorResponses(401, 422) },
      },
      handler: async (request, reply) => {
        const principal = principalOf(request);
        const { skip, limit, search } = request.query;
        const [rows, total] = await Promise.all([faq.list(principal, search || undefined, { skip, limit }), faq.count(principal, search || undefined)]);
        reply.header('X-Total-Count', String(total));
        return rows.map(toEntry);
      },
    });

    app.post('/', {
      config: { auth: 'admin' },
      schema: {
        operationId: 'createFaqEntry',
        tags,
        security: userSecurity,
        summary: 'Add an FAQ entry (ADMIN)',
        description: `A question close enough to the entry's question or one of its alternatives is answered with the answer verbatim. At most ${MAX_FAQ_ENTRIES} entries per tenant (409 CONFLICT beyond).`,
        body: createFaqBodySchema,
        response: { 201: faqEntrySchema, ...errorResponses(401, 403, 409, 415, 422) },
      },
      handler: async (request, reply) => reply.status(201).send(toEntry(await faq.create(principalOf(request), request.body))),
    });

    app.post('/import', {
      config: { auth: 'admin' },
      schema: {
        operationId: 'importFaqEntries',
        tags,
        security: userSecurity,
        summary: 'Import FAQ entries from a CSV file (ADMIN)',
        description:
          `multipart/form-data with \`file\`: a CSV of at most ${MAX_CSV_BYTES / 1024 / 1024} MB and ${MAX_CSV_ROWS} rows, UTF-8 (with or without BOM) or Shift_JIS. ` +
          `Header row: question, answer, alternatives (or 質問, 回答, 言い換え); alternatives in one cell separated by "${ALTERNATIVES_DELIMITER}" or line breaks. ` +
          'The valid rows are added; the others are listed in `failed` with the reasons in the caller’s language.',
        consumes: ['multipart/form-data'],
        response: { 200: faqImportResultSchema, ...errorResponses(401, 403, 409, 413, 415, 422) },
      },
      handler: async (request) => faq.importCsv(principalOf(request), await receiveCsv(request), requestLanguage(request)),
    });

    app.get('/export', {
      config: { auth: 'user' },
      schema: {
        operationId: 'exportFaqEntries',
        tags,
        security: userSecurity,
        summary: 'All FAQ entries as a CSV file (UTF-8 with BOM, or Shift_JIS, for Excel)',
        description: `Columns question, answer, alternatives (joined by " ${ALTERNATIVES_DELIMITER} "): the format POST /api/v1/faq/import reads (in either encoding).`,
        querystring: exportFaqQuerySchema,
        response: {
          200: z.custom<Buffer>().meta({ type: 'string', format: 'binary', description: 'CSV: UTF-8 with BOM (charset=utf-8), or Shift_JIS/CP932 without BOM (charset=shift_jis)' }),
          ...errorResponses(401, 422),
        },
      },
      handler: async (request, reply) => {
        const { encoding } = request.query;
        const csv = await faq.exportCsv(principalOf(request), encoding);
        return reply.type(`text/csv; charset=${encoding}`).header('content-disposition', 'attachment; filename="faq.csv"').send(csv);
      },
    });

    app.get('/:faq_id', {
      config: { auth: 'user' },
      schema: {
        operationId: 'getFaqEntry',
        tags,
        security: userSecurity,
        summary: 'One FAQ entry',
        params: faqIdParamsSchema,
        response: { 200: faqEntrySchema, ...errorResponses(401, 404, 422) },
      },
      handler: async (request) => toEntry(await faq.get(principalOf(request), request.params.faq_id)),
    });

    app.patch('/:faq_id', {
      config: { auth: 'admin' },
      schema: {
        operationId: 'updateFaqEntry',
        tags,
        security: userSecurity,
        summary: 'Change an FAQ entry’s question, answer or alternatives (ADMIN)',
        params: faqIdParamsSchema,
        body: updateFaqBodySchema,
        response: { 200: faqEntrySchema, ...errorResponses(401, 403, 404, 415, 422) },
      },
      handler: async (request) => toEntry(await faq.update(principalOf(request), request.params.faq_id, request.body)),
    });

    app.delete('/:faq_id', {
      config: { auth: 'admin' },
      schema: {
        operationId: 'deleteFaqEntry',
        tags,
        security: userSecurity,
        summary: 'Delete an FAQ entry (ADMIN)',
        params: faqIdParamsSchema,
        response: { 200: messageResponseSchema, ...errorResponses(401, 403, 404, 422) },
      },
      handler: async (request) => {
        await faq.remove(principalOf(request), request.params.faq_id);
        return { message: 'FAQ を削除しました' };
      },
    });
  };
}
