import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../../http/error-schema.js';
import { principalOf } from '../../../http/request-context.js';
import { userSecurity } from '../../../http/route-helpers.js';
import { readByOcr } from '../../../lib/ocr-pages.js';
import { contentChunkSchema, contentChunksQuerySchema, contentIdParamsSchema, contentPageSchema, contentPagesQuerySchema } from './contents.schemas.js';
import type { ContentsService } from './contents.service.js';

const tags = ['contents'];

/** Reading a document back: its text page by page and its passages, paged like the list of files. */
export function contentTextRoutes({ contents }: { contents: ContentsService }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/:file_id/pages', {
      config: { auth: 'user' },
      schema: {
        operationId: 'listContentPages',
        tags,
        security: userSecurity,
        summary: 'A file’s extracted text, page by page',
        description:
          'Pages in order, `skip` + `limit` as in the list of files, the number of pages in the X-Total-Count header. Every page from 1 ' +
          'to `page_count` is there (`skip=N-1&limit=1` is page N); a page without text (a scan) has "". Files processed before page ' +
          'texts were stored have none (`has_page_text` false) until they are reprocessed; their passages are in …/chunks.',
        params: contentIdParamsSchema,
        querystring: contentPagesQuerySchema,
        response: { 200: z.array(contentPageSchema), ...errorResponses(401, 404, 422) },
      },
      handler: async (request, reply) => {
        const { rows, total } = await contents.pages(principalOf(request), request.params.file_id, request.query);
        reply.header('X-Total-Count', String(total));
        return rows;
      },
    });

    app.get('/:file_id/chunks', {
      config: { auth: 'user' },
      schema: {
        operationId: 'listContentChunks',
        tags,
        security: userSecurity,
        summary: 'A file’s passages (the chunks search and answers cite), in order',
        description: '`skip` + `limit` as in the list of files; the number of passages in the X-Total-Count header.',
        params: contentIdParamsSchema,
        querystring: contentChunksQuerySchema,
        response: { 200: z.array(contentChunkSchema), ...errorResponses(401, 404, 422) },
      },
      handler: async (request, reply) => {
        const { rows, total, ocrPages } = await contents.chunks(principalOf(request), request.params.file_id, request.query);
        reply.header('X-Total-Count', String(total));
        return rows.map((c) => ({
          id: c.id,
          chunk_index: c.chunkIndex,
          text: c.text,
          page_start: c.pageStart,
          page_end: c.pageEnd,
          token_count: c.tokenCount,
          ocr: readByOcr(c.pageStart, c.pageEnd, ocrPages),
        }));
      },
    });
  };
}
