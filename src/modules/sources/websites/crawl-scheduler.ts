import type { Database } from '../../../db/client.js';
import type { CrawlScheduleOptions } from './crawl-limits.js';
import { createWebsiteSourcesRepo } from './website-sources.repo.js';

/**
 * The re-sync schedule: on the worker's poll, at most every `checkEveryMs`, due sources get their
 * crawl job (website-sources.repo queueDue: one statement, safe with any number of workers). The
 * schedule lives in the database (`next_sync_at`), so it survives restarts; "due" is read against
 * the app's clock (`createApp(config, { now })`).
 */
export function createCrawlScheduler(db: Database, options: CrawlScheduleOptions, now: () => Date = () => new Date()) {
  const sources = createWebsiteSourcesRepo(db);
  let last = -Infinity;
  return async function queueDueCrawls(): Promise<number> {
    if (Date.now() - last < options.checkEveryMs) return 0;
    last = Date.now();
    return sources.queueDue(now());
  };
}
