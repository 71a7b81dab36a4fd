import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../../http/error-schema.js';
import { requestLanguage, textIn, type Language } from '../../../http/language.js';
import { principalOf } from '../../../http/request-context.js';
import { messageResponseSchema, userSecurity } from '../../../http/route-helpers.js';
import {
  createWebsiteBodySchema,
  listWebsitePagesQuerySchema,
  listWebsitesQuerySchema,
  updateWebsiteBodySchema,
  websiteIdParamsSchema,
  websitePageSchema,
  websiteSchema,
} from './websites.schemas.js';
import type { WebsiteDetail, WebsitesService } from './websites.service.js';
import type { WebsitePageRow } from './website-pages.repo.js';

const tags = ['websites'];

const toWebsite = ({ source: s, pages, documents }: WebsiteDetail, language: Language) => ({
  id: s.id,
  start_url: s.startUrl,
  is_sitemap: s.isSitemap,
  path_prefix: s.pathPrefix,
  sync_interval_hours: s.syncIntervalHours,
  status: s.status,
  progress: {
    discovered: s.progress.discovered ?? 0,
    fetched: s.progress.fetched ?? 0,
    changed: s.progress.changed ?? 0,
    unchanged: s.progress.unchanged ?? 0,
    failed: s.progress.failed ?? 0,
    skipped: s.progress.skipped ?? 0,
    removed: s.progress.removed ?? 0,
    stopped: s.progress.stopped ? textIn(s.progress.stopped, language) : null,
    stopped_code: s.progress.stopped ? (s.progress.stoppedCode ?? null) : null,
  },
  pages: { indexed: pages.indexed ?? 0, failed: pages.failed ?? 0, skipped: pages.skipped ?? 0 },
  documents: { pending: (documents.pending ?? 0) + (documents.processing ?? 0), completed: documents.completed ?? 0, failed: documents.failed ?? 0 },
  last_error: s.lastError ? textIn(s.lastError, language) : null,
  last_error_code: s.lastError ? (s.progress.errorCode ?? null) : null,
  last_crawl_started_at: s.lastCrawlStartedAt?.toISOString() ?? null,
  last_crawl_finished_at: s.lastCrawlFinishedAt?.toISOString() ?? null,
  next_sync_at: s.nextSyncAt?.toISOString() ?? null,
  created_at: s.createdAt.toISOString(),
});

const toPage = (p: WebsitePageRow, language: Language) => ({
  url: p.url,
  status: p.status,
  file_id: p.contentId,
  failure_code: p.failureCode,
  failure_reason: p.failureMessage ? textIn(p.failureMessage, language) : null,
  depth: p.depth,
  fetched_at: p.fetchedAt?.toISOString() ?? null,
  changed_at: p.changedAt?.toISOString() ?? null,
});

/** Website sources (src/modules/sources/websites/README.md): add, list, progress, schedule, re-sync, pages, delete. */
export function websitesRoutes(deps: { websites: WebsitesService }): FastifyPluginAsyncZod {
  const { websites } = deps;
  return async (app) => {
    app.get('/', {
      config: { auth: 'user' },
      schema: {
        operationId: 'listWebsites',
        tags,
        security: userSecurity,
        summary: 'List website sources with their crawl progress, newest first',
        description: 'The total is in the X-Total-Count header.',
        querystring: listWebsitesQuerySchema,
        response: { 200: z.array(websiteSchema), ...errorResponses(401, 422) },
      },
      handler: async (request, reply) => {
        const { rows, total } = await websites.list(principalOf(request), request.query);
        reply.header('X-Total-Count', String(total));
        return rows.map((row) => toWebsite(row, requestLanguage(request)));
      },
    });

    app.post('/', {
      config: { auth: 'admin' },
      schema: {
        operationId: 'createWebsite',
        tags,
        security: userSecurity,
        summary: 'Add a website by its start page or sitemap (ADMIN); the first crawl starts in the background',
        description:
          'Send `start_url` or `sitemap_url`. The crawler stays on that origin and under `path_prefix`, obeys robots.txt (ShioriBot), ' +
          'and makes each page a document of type html whose citations link to its URL. An address this server may not reach ' +
          '(private networks unless the operator allows them, metadata addresses never) is refused with 422.',
        body: createWebsiteBodySchema,
        response: { 201: websiteSchema, ...errorResponses(401, 403, 422) },
      },
      handler: async (request, reply) => reply.status(201).send(toWebsite(await websites.create(principalOf(request), request.body), requestLanguage(request))),
    });

    app.get('/:website_id', {
      config: { auth: 'user' },
      schema: {
        operationId: 'getWebsite',
        tags,
        security: userSecurity,
        summary: 'A website source with its crawl progress',
        params: websiteIdParamsSchema,
        response: { 200: websiteSchema, ...errorResponses(401, 404, 422) },
      },
      handler: async (request) => toWebsite(await websites.get(principalOf(request), request.params.website_id), requestLanguage(request)),
    });

    app.patch('/:website_id', {
      config: { auth: 'admin' },
      schema: {
        operationId: 'updateWebsite',
        tags,
        security: userSecurity,
        summary: 'Change how often a website is re-synced (ADMIN)',
        params: websiteIdParamsSchema,
        body: updateWebsiteBodySchema,
        response: { 200: websiteSchema, ...errorResponses(401, 403, 404, 422) },
      },
      handler: async (request) => toWebsite(await websites.update(principalOf(request), request.params.website_id, request.body), requestLanguage(request)),
    });

    app.post('/:website_id/sync', {
      config: { auth: 'admin' },
      schema: {
        operationId: 'syncWebsite',
        tags,
        security: userSecurity,
        summary: 'Re-sync a website now (ADMIN)',
        description: 'Fetches each page conditionally (ETag / Last-Modified, then a content hash), re-indexes only what changed and removes pages the site no longer has. A crawl already queued or running serves instead of a second one.',
        params: websiteIdParamsSchema,
        response: { 202: websiteSchema, ...errorResponses(401, 403, 404, 422) },
      },
      handler: async (request, reply) => reply.status(202).send(toWebsite(await websites.sync(principalOf(request), request.params.website_id), requestLanguage(request))),
    });

    app.get('/:website_id/pages', {
      config: { auth: 'user' },
      schema: {
        operationId: 'listWebsitePages',
        tags,
        security: userSecurity,
        summary: 'A website’s pages with their status and, for failed or skipped ones, the reason in the caller’s language',
        description: 'By address; the total is in the X-Total-Count header.',
        params: websiteIdParamsSchema,
        querystring: listWebsitePagesQuerySchema,
        response: { 200: z.array(websitePageSchema), ...errorResponses(401, 404, 422) },
      },
      handler: async (request, reply) => {
        const { skip, limit, status } = request.query;
        const { rows, total } = await websites.pages(principalOf(request), request.params.website_id, { status }, { skip, limit });
        reply.header('X-Total-Count', String(total));
        return rows.map((row) => toPage(row, requestLanguage(request)));
      },
    });

    app.delete('/:website_id', {
      config: { auth: 'admin' },
      schema: {
        operationId: 'deleteWebsite',
        tags,
        security: userSecurity,
        summary: 'Delete a website source with its pages and their documents (ADMIN)',
        params: websiteIdParamsSchema,
        response: { 200: messageResponseSchema, ...errorResponses(401, 403, 404, 422) },
      },
      handler: async (request) => {
        await websites.remove(principalOf(request), request.params.website_id);
        return { message: 'ウェブサイトを削除しました' };
      },
    });
  };
}
