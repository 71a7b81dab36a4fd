import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../../db/client.js';
import type { CrawlProgress } from '../../../db/schema.js';
import type { OutboundFetch } from '../../../lib/outbound/outbound-fetch.js';
import type { CrawlLimits } from './crawl-limits.js';
import { crawlSite, type KnownPage, type PageResult } from './crawl-site.js';
import { crawlFailures, pageFailures } from './page-failures.js';
import type { PageDocuments } from './page-documents.js';
import { scopeOf } from './site-scope.js';
import { createWebsitePagesRepo, type WebsitePageRow } from './website-pages.repo.js';
import { createWebsiteSourcesRepo, type WebsiteSourceRow } from './website-sources.repo.js';

export interface CrawlJobDeps {
  db: Database;
  fetch: OutboundFetch;
  limits: CrawlLimits;
  documents: PageDocuments;
  log: FastifyBaseLogger;
  /** The clock the schedule (`next_sync_at`) is counted on: the app's (`createApp(config, { now })`). */
  now?: () => Date;
  /** Told when a crawl has finished (the webhooks' website.synced), handed in by src/services.ts. */
  onFinished?: (tenantId: string, data: Record<string, unknown>) => Promise<unknown>;
}

/** What the runner needs of the queue's job: whose source to crawl. */
export interface CrawlJob {
  tenantId: string;
  websiteSourceId: string | null;
}

type Counts = Required<Omit<CrawlProgress, 'stopped' | 'stoppedCode' | 'errorCode'>>;

/** Progress is written at most this often while a crawl runs (and once at its end). */
const PROGRESS_EVERY_MS = 1000;

/**
 * Runs one crawl job (kind 'crawl', subject a website source): crawls the site, writes each page's
 * row and (for a new or changed page) its document, then removes the pages the site no longer has,
 * unless a limit stopped the crawl early. Run again after a restart, it starts over; the pages
 * already read answer 304 or hash the same, so only what is left costs anything.
 */
export function createCrawlRunner(deps: CrawlJobDeps) {
  const { db, documents, log } = deps;
  const now = deps.now ?? (() => new Date());
  const sources = createWebsiteSourcesRepo(db);
  const pages = createWebsitePagesRepo(db);

  return async function runCrawl(job: CrawlJob, signal: AbortSignal): Promise<void> {
    const source = job.websiteSourceId ? await sources.find(job.tenantId, job.websiteSourceId) : undefined;
    if (!source) return; // deleted meanwhile
    const started = new Date();
    const progress: Counts & Pick<CrawlProgress, 'stopped' | 'stoppedCode' | 'errorCode'> = { discovered: 0, fetched: 0, changed: 0, unchanged: 0, failed: 0, skipped: 0, removed: 0, stopped: null, stoppedCode: null, errorCode: null };
    await sources.update(source.tenantId, source.id, { status: 'crawling', progress, lastError: null, lastCrawlStartedAt: started });

    const rows = new Map<string, WebsitePageRow>((await pages.all(source.tenantId, source.id)).map((row) => [row.url, row]));
    const known = new Map<string, KnownPage>();
    // Pages with a current document, also those whose last fetch failed in passing (they kept it): asked conditionally.
    for (const row of rows.values()) if (row.contentId && (row.status === 'indexed' || row.status === 'failed')) known.set(row.url, { etag: row.etag, lastModified: row.lastModified, sha256: row.sha256, links: row.links });

    let lastWrite = 0;
    const saveProgress = async (force = false) => {
      if (!force && Date.now() - lastWrite < PROGRESS_EVERY_MS) return;
      lastWrite = Date.now();
      await sources.update(source.tenantId, source.id, { progress });
    };

    const onPage = async (result: PageResult) => {
      progress.discovered++;
      if (result.kind === 'changed' || result.kind === 'unchanged') progress.fetched++;
      await recordPage(source, rows.get(result.url), result, progress);
      await saveProgress();
    };

    let outcome: Awaited<ReturnType<typeof crawlSite>>;
    try {
      outcome = await crawlSite(
        { startUrl: source.startUrl, isSitemap: source.isSitemap, scope: scopeOf(source.startUrl, source.pathPrefix) },
        { fetch: deps.fetch, limits: deps.limits, signal, known, onPage },
      );
    } catch (error) {
      // Shutdown or a lost lease: the job runs again and says so itself. Anything else is retried
      // by the worker; meanwhile the source says the crawl failed, not that it is still running.
      const unexpected = crawlFailures.unexpected();
      if (!signal.aborted) await sources.update(source.tenantId, source.id, { status: 'failed', lastError: unexpected.reason, progress: { ...progress, errorCode: unexpected.code } }).catch(() => {});
      throw error;
    }
    progress.stopped = outcome.stopped?.reason ?? null;
    progress.stoppedCode = outcome.stopped?.code ?? null;
    progress.errorCode = outcome.failed?.code ?? null;
    // Only a crawl that read everything it found knows which pages are gone.
    if (!outcome.failed && !outcome.stopped) {
      for (const row of await pages.notSeenSince(source.tenantId, source.id, started)) {
        if (row.contentId) await documents.remove(source.tenantId, row.contentId);
        await pages.deleteMany(source.tenantId, [row.id]);
        progress.removed++;
      }
    }
    const finished = new Date();
    const lastError = outcome.failed?.reason ?? null;
    await sources.update(source.tenantId, source.id, {
      status: outcome.failed ? 'failed' : 'idle',
      lastError,
      progress,
      lastCrawlFinishedAt: finished,
      nextSyncAt: source.syncIntervalHours > 0 ? new Date(now().getTime() + source.syncIntervalHours * 3_600_000) : null,
    });
    log.info({ sourceId: source.id, tenantId: source.tenantId, ...progress, ms: finished.getTime() - started.getTime() }, 'website crawled');
    await deps.onFinished?.(source.tenantId, {
      website: {
        id: source.id,
        start_url: source.startUrl,
        status: outcome.failed ? 'failed' : 'idle',
        progress,
        last_error: lastError,
        last_crawl_started_at: started.toISOString(),
        last_crawl_finished_at: finished.toISOString(),
      },
    });
  };

  /** One page's row, and its document: stored when new or changed, removed when the site says it is gone. */
  async function recordPage(source: WebsiteSourceRow, known: WebsitePageRow | undefined, result: PageResult, progress: Counts) {
    const now = new Date();
    const base = { depth: result.depth, seenAt: now, fetchedAt: now };
    // About to write or remove its document: read the row again, a person may have deleted that document during this crawl.
    const row = known && result.kind !== 'unchanged' ? await pages.find(source.tenantId, source.id, result.url) : known;
    // A person deleted its document: still seen (its links still count), never a document again.
    if (row?.removedAt) {
      progress.skipped++;
      return pages.upsert(source.tenantId, source.id, result.url, {
        ...base,
        status: 'skipped',
        failureCode: 'REMOVED',
        failureMessage: pageFailures.removed(),
        ...('links' in result ? { links: result.links } : {}),
      });
    }
    if (result.kind === 'unchanged') {
      progress.unchanged++;
      return pages.upsert(source.tenantId, source.id, result.url, { ...base, status: 'indexed', etag: result.etag, lastModified: result.lastModified, links: result.links, failureCode: null, failureMessage: null });
    }
    if (result.kind === 'changed') {
      const stored = await documents.store(source, { url: result.url, title: result.title, body: result.body }, row?.contentId ?? null);
      if ('refused' in stored) {
        progress.failed++;
        return pages.upsert(source.tenantId, source.id, result.url, { ...base, status: 'failed', failureCode: 'QUOTA_EXCEEDED', failureMessage: stored.refused, links: result.links });
      }
      progress.changed++;
      return pages.upsert(source.tenantId, source.id, result.url, {
        ...base,
        status: 'indexed',
        contentId: stored.contentId,
        etag: result.etag,
        lastModified: result.lastModified,
        sha256: result.sha256,
        links: result.links,
        changedAt: now,
        failureCode: null,
        failureMessage: null,
      });
    }
    progress[result.kind]++;
    // Gone (404/410, now a redirect or noindex): its document goes. A passing error keeps it searchable.
    const removeDocument = result.gone && row?.contentId;
    if (removeDocument) await documents.remove(source.tenantId, row.contentId!);
    return pages.upsert(source.tenantId, source.id, result.url, {
      ...base,
      status: result.kind,
      failureCode: result.code,
      failureMessage: result.reason,
      ...(removeDocument || !row ? { contentId: null, sha256: null, etag: null, lastModified: null } : {}),
    });
  }
}
