import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { FileType } from '../../../db/enums.js';
import { AppError, validationFailed, type FieldError } from '../../../http/errors.js';
import { fieldMessage } from '../../../http/field-messages.js';
import { requestLanguage, textIn, type Language, type Text } from '../../../http/language.js';
import { failureReasonIn } from './failure-messages.js';
import { nulProblem } from '../../../http/validation.js';
import { errorResponses } from '../../../http/error-schema.js';
import type { RateLimitRule } from '../../../http/rate-limit.js';
import { principalOf, type Principal } from '../../../http/request-context.js';
import { messageResponseSchema, userSecurity } from '../../../http/route-helpers.js';
import type { ContentRow } from './contents.repo.js';
import {
  contentDetailSchema,
  contentIdParamsSchema,
  contentSummarySchema,
  duplicateContentErrorSchema,
  listContentsQuerySchema,
  updateContentBodySchema,
  uploadFieldsSchema,
} from './contents.schemas.js';
import { contentTextRoutes } from './content-text.routes.js';
import type { ContentDetailRow, ContentsService, UploadInput } from './contents.service.js';
import { dispositionSchema, fileResponseSchema, sendFile } from './send-file.js';
import type { StoredFile } from './storage/file-storage.js';

const tags = ['contents'];

export const toContentSummary = (c: ContentRow) => ({
  id: c.id,
  file_name: c.fileName,
  file_type: c.fileType,
  title: c.title,
  status: c.status,
  file_size: c.fileSize,
  created_at: c.createdAt.toISOString(),
});

const toContentDetail = ({ content: c, hasPageText, blankPages }: ContentDetailRow, language: Language) => ({
  ...toContentSummary(c),
  description: c.description,
  tags: c.tags,
  failure_code: c.failureCode,
  failure_reason: failureReasonIn(c, language),
  page_count: c.pageCount,
  chunk_count: c.chunkCount,
  encoding: c.encoding,
  warnings: c.warnings.map((warning) => textIn(warning, language)),
  has_page_text: hasPageText,
  pages_without_text: blankPages,
  ocr_pages: c.ocrPages,
  timings: c.timings,
  processing_started_at: c.processingStartedAt?.toISOString() ?? null,
  processed_at: c.processedAt?.toISOString() ?? null,
  updated_at: c.updatedAt.toISOString(),
});

export interface ContentsRoutesDeps {
  contents: ContentsService;
  uploadRateLimit: RateLimitRule;
}

const oneFile: Text = { ja: 'ファイルは 1 つだけ、"file" 欄で送ってください。', en: 'Send exactly one file, in the "file" field' };

/** The documents routes (docs/decisions.md C3), plus detail and reprocess. */
export function contentsRoutes(deps: ContentsRoutesDeps): FastifyPluginAsyncZod {
  const { contents } = deps;

  /** Reads the multipart stream: the file goes straight to `store`, the text fields are collected and checked. */
  async function receiveUpload(request: FastifyRequest, store: (file: Readable) => Promise<StoredFile>): Promise<UploadInput> {
    let stored: StoredFile | undefined;
    let fileName = '';
    const fields: Record<string, string> = {};
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file' || stored) {
          part.file.resume();
          throw new AppError('VALIDATION_ERROR', oneFile, { errors: [{ field: part.fieldname, message: { ja: '想定していないファイルです', en: 'unexpected file' } }] });
        }
        fileName = part.filename;
        // Past the size limit the part just ends early: failing it stops the storing at once, rather
        // than sending all 100 MB to a bucket and deleting them.
        part.file.once('limit', () => part.file.destroy(new request.server.multipartErrors.RequestFileTooLargeError()));
        stored = await store(part.file);
      } else {
        fields[part.fieldname] = String(part.value);
      }
    }
    if (!stored) throw validationFailed([{ field: 'file', message: { ja: 'ファイルを選んでください', en: 'is required' } }]);
    const parsed = uploadFieldsSchema.safeParse(fields);
    const problems: FieldError[] = parsed.success ? [] : parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? 'body'), message: fieldMessage(i as never) }));
    const nul = nulProblem(fields, 'body');
    if (nul) problems.push(nul);
    if (stored.size === 0) problems.push({ field: 'file', message: { ja: 'ファイルが空です', en: 'is empty' } });
    if (problems.length || !parsed.success) throw validationFailed(problems);
    return { stored, fileName, ...parsed.data };
  }

  return async (app) => {
    app.get('/', {
      config: { auth: 'user' },
      schema: {
        operationId: 'listContents',
        tags,
        security: userSecurity,
        summary: 'List files, newest first',
        description: 'The total number of matching files is in the X-Total-Count header.',
        querystring: listContentsQuerySchema,
        response: { 200: z.array(contentSummarySchema), ...errorResponses(401, 422) },
      },
      handler: async (request, reply) => {
        const principal = principalOf(request);
        const { skip, limit, file_type, status, search } = request.query;
        const filter = { fileType: file_type, status, search: search || undefined };
        const [rows, total] = await Promise.all([contents.list(principal, filter, { skip, limit }), contents.count(principal, filter)]);
        reply.header('X-Total-Count', String(total));
        return rows.map(toContentSummary);
      },
    });

    app.post('/upload', {
      config: { auth: 'admin', rateLimit: deps.uploadRateLimit },
      schema: {
        operationId: 'uploadContent',
        tags,
        security: userSecurity,
        summary: 'Upload a PDF, DOCX, XLSX, PPTX, CSV, TXT, Markdown or HTML file (ADMIN); processing continues in the background',
        description:
          'multipart/form-data with `file` (required, at most 100 MB) and optional `title`, `description` and `tags` (comma-separated). ' +
          'The type is decided by the content, not the name. The same content uploaded twice to one tenant is refused with 409 CONFLICT naming the existing file, its id also as `existing_content_id`. ' +
          'Past the plan’s documents or storage limit (counted with this file’s size), 403 `QUOTA_EXCEEDED` and the file is not kept. ' +
          'Poll GET /api/v1/contents/{id} for pending → processing → completed | failed.',
        consumes: ['multipart/form-data'],
        response: { 201: contentSummarySchema, ...errorResponses(401, 403, 413, 415, 422, 429), 409: duplicateContentErrorSchema },
      },
      handler: async (request, reply) => {
        const principal = principalOf(request);
        if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', { ja: 'multipart/form-data で、文書を "file" 欄に入れて送ってください。', en: 'Send multipart/form-data with the document in a "file" field' });
        const content = await contents.upload(principal, (store) => receiveUpload(request, store));
        return reply.status(201).send(toContentSummary(content));
      },
    });

    app.get('/:file_id', {
      config: { auth: 'user' },
      schema: {
        operationId: 'getContent',
        tags,
        security: userSecurity,
        summary: 'A file’s processing status, failure reason, pages, chunks and timings',
        params: contentIdParamsSchema,
        response: { 200: contentDetailSchema, ...errorResponses(401, 404, 422) },
      },
      handler: async (request) => toContentDetail(await contents.detail(principalOf(request), request.params.file_id), requestLanguage(request)),
    });

    app.patch('/:file_id', {
      config: { auth: 'admin' },
      schema: {
        operationId: 'updateContent',
        tags,
        security: userSecurity,
        summary: 'Change a file’s title, description or tags (ADMIN)',
        description:
          'Only the fields sent change, with the rules of the upload. A new title is searchable at once and named in the sources of answers ' +
          '(the file is not read again); with an embedding key its vectors are recomputed in the background.',
        params: contentIdParamsSchema,
        body: updateContentBodySchema,
        response: { 200: contentDetailSchema, ...errorResponses(401, 403, 404, 422) },
      },
      handler: async (request) => {
        const principal = principalOf(request);
        await contents.update(principal, request.params.file_id, request.body);
        return toContentDetail(await contents.detail(principal, request.params.file_id), requestLanguage(request));
      },
    });

    await app.register(contentTextRoutes({ contents }));

    app.get('/:file_id/file', {
      config: { auth: 'user' },
      schema: {
        operationId: 'downloadContentFile',
        tags,
        security: userSecurity,
        summary: 'Download the original file, or open a PDF in the browser',
        description:
          'The bytes as uploaded under the displayed file name (RFC 6266: an ASCII fallback plus `filename*` in UTF-8), with `nosniff`. ' +
          'An attachment with a sandboxing CSP, so a hostile file is never rendered or run in our origin; only a PDF asked for with ' +
          '`disposition=inline` is shown by the browser’s PDF viewer (a citation’s `url` opens it at its page with `#page=N`).',
        params: contentIdParamsSchema,
        querystring: z.object({ disposition: dispositionSchema }),
        response: { 200: fileResponseSchema, ...errorResponses(401, 404, 422) },
      },
      handler: async (request, reply) => {
        const { content, bytes } = await contents.download(principalOf(request), request.params.file_id);
        return sendFile(reply, content, bytes, request.query.disposition);
      },
    });

    app.delete('/:file_id', {
      config: { auth: 'admin' },
      schema: {
        operationId: 'deleteContent',
        tags,
        security: userSecurity,
        summary: 'Delete a file with its chunks and vectors (ADMIN)',
        params: contentIdParamsSchema,
        response: { 200: messageResponseSchema, ...errorResponses(401, 403, 404, 422) },
      },
      handler: async (request) => {
        await contents.remove(principalOf(request), request.params.file_id);
        return { message: 'ファイルが削除されました' };
      },
    });

    app.post('/:file_id/reprocess', {
      config: { auth: 'admin' },
      schema: {
        operationId: 'reprocessContent',
        tags,
        security: userSecurity,
        summary: 'Process a file again (ADMIN)',
        params: contentIdParamsSchema,
        response: { 202: contentSummarySchema, ...errorResponses(401, 403, 404, 422) },
      },
      handler: async (request, reply) => reply.status(202).send(toContentSummary(await contents.reprocess(principalOf(request), request.params.file_id))),
    });
  };
}
