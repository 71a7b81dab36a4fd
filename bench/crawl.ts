// Website crawl benchmark: the real app (in this process, PGlite unless DATABASE_URL is set) crawls
// a generated local site on 127.0.0.1 and indexes every page.
//   1. crawl: pages read per second (fetch + links + store + queue), from start to the crawl's end
//   2. time to searchable: from adding the site until every page's document is completed
//   3. re-sync with nothing changed: every page answers 304 to the conditional request
//   npm run bench:crawl                        # 200 pages
//   npx tsx bench/crawl.ts --pages 500 --concurrency 4
import { parseArgs } from 'node:util';
import { buildTestApp } from '../src/test/harness.js';
import { startLocalSite } from '../src/modules/sources/websites/test-support/local-site.js';
import { defaultCrawlLimits } from '../src/modules/sources/websites/crawl-limits.js';

const { values } = parseArgs({ options: { pages: { type: 'string', default: '200' }, concurrency: { type: 'string', default: String(defaultCrawlLimits.concurrency) }, workers: { type: 'string', default: '2' } } });
const pages = Number(values.pages);
// Pages of the generated site: most in the sitemap, a tenth reached only by links.
const site = await startLocalSite({ docs: Math.round(pages * 0.9), news: Math.round(pages * 0.1) });
const t = await buildTestApp({
  crawl: { ...defaultCrawlLimits, maxPages: pages * 2, maxDepth: 3, pageTimeoutMs: 2000, maxPageBytes: 512 * 1024, concurrency: Number(values.concurrency) },
  ingestion: { inline: true, concurrency: Number(values.workers), pollMs: 100, leaseSeconds: 60 },
});
const token = t.a.admin.accessToken;

async function until(id: string, after: Date, documentsDone: boolean) {
  for (;;) {
    const w = (await t.request('GET', `/api/v1/sources/websites/${id}`, { token })).json();
    if (w.last_crawl_finished_at && new Date(w.last_crawl_finished_at) >= after && w.status === 'idle' && (!documentsDone || w.documents.pending === 0)) return w;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const added = new Date();
const id = (await t.request('POST', '/api/v1/sources/websites', { token, body: { start_url: `${site.origin}/`, sync_interval_hours: 0 } })).json().id as string;
const crawled = await until(id, added, false);
const crawlSeconds = (new Date(crawled.last_crawl_finished_at).getTime() - new Date(crawled.last_crawl_started_at).getTime()) / 1000;
const searchable = await until(id, added, true);
const searchableSeconds = (Date.now() - added.getTime()) / 1000;
const resyncStarted = new Date();
await t.request('POST', `/api/v1/sources/websites/${id}/sync`, { token });
const resynced = await until(id, resyncStarted, true);
const resyncSeconds = (new Date(resynced.last_crawl_finished_at).getTime() - resyncStarted.getTime()) / 1000;

const indexed = searchable.pages.indexed as number;
console.log(`site: ${indexed} pages indexed, ${searchable.pages.failed} failed, ${searchable.pages.skipped} skipped (crawl concurrency ${values.concurrency}, ${values.workers} ingestion slots, ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`);
console.log(`crawl:            ${crawlSeconds.toFixed(1)} s, ${(crawled.progress.fetched / crawlSeconds).toFixed(1)} pages/s (the page that never answers waits out its 2 s)`);
console.log(`time to searchable: ${searchableSeconds.toFixed(1)} s for ${indexed} pages, ${(indexed / searchableSeconds).toFixed(1)} pages/s`);
console.log(`re-sync unchanged:  ${resyncSeconds.toFixed(1)} s, ${resynced.progress.unchanged} unchanged, ${resynced.progress.changed} changed`);
await t.close();
await site.close();
