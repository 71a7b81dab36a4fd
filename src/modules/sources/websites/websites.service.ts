import type { Database } from '../../../db/client.js';
import type { ContentStatus } from '../../../db/schema.js';
import { notFound, validationFailed } from '../../../http/errors.js';
import type { Principal } from '../../../http/request-context.js';
import { checkOutboundUrl, outboundRefusal, type OutboundOptions } from '../../../lib/outbound/outbound-fetch.js';
import type { PageDocuments } from './page-documents.js';
import { pageFailures } from './page-failures.js';
import { normalizePageUrl } from './site-scope.js';
import type { CreateWebsiteBody } from './websites.schemas.js';
import { createWebsitePagesRepo, type WebsitePageRow } from './website-pages.repo.js';
import { createWebsiteSourcesRepo, type WebsiteSourceRow } from './website-sources.repo.js';
import type { WebsitePageStatus } from '../../../db/enums.js';

/** How website sources hand crawls to the job queue (built by ingestion/ingestion-queue.ts). */
export interface CrawlQueue {
  /** Queues a crawl unless one is live; false when one already is. In the caller's transaction. */
  enqueueCrawl(tx: Database, tenantId: string, sourceId: string): Promise<boolean>;
  cancelCrawl(tx: Database, tenantId: string, sourceId: string): Promise<unknown>;
  wake(): void;
}

export interface WebsitesDeps {
  db: Database;
  queue: CrawlQueue;
  documents: PageDocuments;
  /** The SSRF policy: a site on a private or metadata address is refused when it is added. */
  outbound: OutboundOptions;
}

export interface WebsiteDetail {
  source: WebsiteSourceRow;
  pages: Partial<Record<WebsitePageStatus, number>>;
  documents: Partial<Record<ContentStatus, number>>;
}

export function createWebsitesService(deps: WebsitesDeps) {
  const { db, queue } = deps;
  const sources = createWebsiteSourcesRepo(db);
  const pages = createWebsitePagesRepo(db);

  async function get(principal: Principal, id: string): Promise<WebsiteSourceRow> {
    const source = await sources.find(principal.tenantId, id);
    if (!source) throw notFound('Website');
    return source;
  }

  async function detail(principal: Principal, source: WebsiteSourceRow): Promise<WebsiteDetail> {
    const [pageCounts, documents] = await Promise.all([pages.countsByStatus(principal.tenantId, source.id), sources.documentCounts(principal.tenantId, source.id)]);
    return { source, pages: pageCounts, documents };
  }

  return {
    async list(principal: Principal, page: { skip: number; limit: number }): Promise<{ rows: WebsiteDetail[]; total: number }> {
      const [rows, total] = await Promise.all([sources.list(principal.tenantId, page), sources.count(principal.tenantId)]);
      return { rows: await Promise.all(rows.map((row) => detail(principal, row))), total };
    },

    get: async (principal: Principal, id: string) => detail(principal, await get(principal, id)),

    /**
     * Adds a site and queues its first crawl. The address must be one this server may reach (the
     * outbound policy, checked again at every connection), and inside the path prefix if one is given.
     */
    async create(principal: Principal, body: CreateWebsiteBody): Promise<WebsiteDetail> {
      const field = body.sitemap_url ? 'sitemap_url' : 'start_url';
      const startUrl = normalizePageUrl((body.sitemap_url ?? body.start_url)!);
      if (!startUrl) throw validationFailed([{ field, message: { ja: 'http:// か https:// で始まるアドレスを入力してください', en: 'must be an http:// or https:// address' } }]);
      const pathPrefix = body.path_prefix || '/';
      const startPath = new URL(startUrl).pathname;
      if (!body.sitemap_url && !startPath.startsWith(pathPrefix)) {
        throw validationFailed([
          {
            field: 'path_prefix',
            message: {
              ja: `開始 URL のパス（${startPath}）が対象範囲 ${pathPrefix} の外にあります。${pathPrefix} で始まるページを開始 URL にするか、path_prefix を変えてください`,
              en: `the start address's path (${startPath}) is outside ${pathPrefix}: start from a page under ${pathPrefix}, or change path_prefix`,
            },
          },
        ]);
      }
      try {
        await checkOutboundUrl(startUrl, deps.outbound);
      } catch (error) {
        const refusal = outboundRefusal(error);
        const why = refusal?.message ?? 'the host name does not resolve';
        throw validationFailed([{ field, message: { ja: `このサーバーから接続できないアドレスです（${why}）`, en: `this server cannot reach it (${why})` } }]);
      }
      const created = await db.transaction(async (tx) => {
        const row = await createWebsiteSourcesRepo(tx).insert({
          tenantId: principal.tenantId,
          startUrl,
          isSitemap: Boolean(body.sitemap_url),
          pathPrefix,
          syncIntervalHours: body.sync_interval_hours,
          status: 'queued',
          createdBy: principal.userId,
        });
        await queue.enqueueCrawl(tx, principal.tenantId, row.id);
        return row;
      });
      queue.wake();
      return detail(principal, created);
    },

    /** Changes the schedule; the next sync is counted from the last crawl (or now). */
    async update(principal: Principal, id: string, patch: { sync_interval_hours: number }): Promise<WebsiteDetail> {
      const source = await get(principal, id);
      const from = source.lastCrawlFinishedAt ?? new Date();
      const nextSyncAt = patch.sync_interval_hours > 0 ? new Date(from.getTime() + patch.sync_interval_hours * 3_600_000) : null;
      await sources.update(principal.tenantId, id, { syncIntervalHours: patch.sync_interval_hours, nextSyncAt });
      return detail(principal, await get(principal, id));
    },

    /** Re-sync now: queues a crawl unless one is already queued or running (then that one serves). */
    async sync(principal: Principal, id: string): Promise<WebsiteDetail> {
      const source = await get(principal, id);
      const queued = await db.transaction(async (tx) => {
        const added = await queue.enqueueCrawl(tx, principal.tenantId, id);
        if (added) await createWebsiteSourcesRepo(tx).update(principal.tenantId, id, { status: 'queued' });
        return added;
      });
      if (queued) queue.wake();
      return detail(principal, queued ? await get(principal, id) : source);
    },

    /** Removes the site, its pages and their documents; uploaded files and other sources are never touched. */
    async remove(principal: Principal, id: string): Promise<void> {
      await get(principal, id);
      await queue.cancelCrawl(db, principal.tenantId, id);
      for (const contentId of await sources.documentIds(principal.tenantId, id)) await deps.documents.remove(principal.tenantId, contentId);
      if (!(await sources.delete(principal.tenantId, id))) throw notFound('Website');
    },

    async pages(principal: Principal, id: string, filter: { status?: WebsitePageStatus }, page: { skip: number; limit: number }): Promise<{ rows: WebsitePageRow[]; total: number }> {
      await get(principal, id);
      const [rows, total] = await Promise.all([pages.list(principal.tenantId, id, filter, page), pages.count(principal.tenantId, id, filter)]);
      return { rows, total };
    },

    /** A person deleted a page's document (DELETE on contents), in that transaction: the page is left out of every re-sync. */
    documentRemovedByPerson: (tx: Database, tenantId: string, contentId: string) => createWebsitePagesRepo(tx).markRemoved(tenantId, contentId, pageFailures.removed()),
  };
}

export type WebsitesService = ReturnType<typeof createWebsitesService>;
