import type { Database } from '../../../db/client.js';
import { createWebsiteSourcesRepo } from './website-sources.repo.js';

/**
 * The re-sync schedule: on the worker's poll, at most every `everyMs`, due sources get their crawl
 * job (website-sources.repo queueDue: one statement, safe with any number of workers). The schedule
 * lives in the database (`next_sync_at`), so it survives restarts.
 */
export function createCrawlScheduler(db: Database, everyMs = 15_000) {
  const sources = createWebsiteSourcesRepo(db);
  let last = 0;
  return async function queueDueCrawls(): Promise<number> {
    if (Date.now() - last < everyMs) return 0;
    last = Date.now();
    return sources.queueDue();
  };
}
