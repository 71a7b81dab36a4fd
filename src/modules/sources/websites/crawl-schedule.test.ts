/**
 * The re-sync schedule through the worker's own polling loop: the app's clock (createApp(config,
 * { now })) is moved past a source's next_sync_at, and the worker — nothing in the test — queues and
 * runs its crawl. Before the clock gets there, the same loop queues nothing.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { ingestionJobs } from '../../../db/schema.js';
import { buildTestApp, type TestApp } from '../../../test/harness.js';
import { addWebsite, testCrawlLimits, testIngestion, waitForCrawl, type WebsiteBody } from './test-support/crawl-helpers.js';
import { startLocalSite, type LocalSite } from './test-support/local-site.js';

const CHECK_EVERY_MS = 100;
const HOUR = 3_600_000;

let t: TestApp;
let site: LocalSite;
let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);
before(async () => {
  site = await startLocalSite({ docs: 2, news: 0, traps: false });
  t = await buildTestApp({ crawl: testCrawlLimits, ingestion: testIngestion, crawlSchedule: { checkEveryMs: CHECK_EVERY_MS } }, { now: clock });
});
after(async () => {
  await t.close();
  await site.close();
});

const crawlJobs = async (id: string) => (await t.app.database.db.select().from(ingestionJobs).where(eq(ingestionJobs.websiteSourceId, id))).map((j) => j.status);
/** How long after the crawl ended (on the real clock) its next sync is set: an hour plus the app clock's offset. */
const nextSyncAfter = (source: WebsiteBody) => new Date(source.next_sync_at!).getTime() - new Date(source.last_crawl_finished_at!).getTime();
const robotsReads = () => site.requests.filter((r) => r.path === '/robots.txt').length;

describe('the re-sync schedule', () => {
  test('a source whose sync is due is crawled again by the worker’s polling loop, on the app’s clock', async () => {
    const first = await addWebsite(t, t.a.admin.accessToken, { start_url: `${site.origin}/`, sync_interval_hours: 1 });
    assert.equal(first.status, 'idle');
    assert.ok(Math.abs(nextSyncAfter(first) - HOUR) < 1000, 'next sync an hour after the crawl');
    assert.equal(robotsReads(), 1);

    // Many scheduler checks go by; not due yet, so nothing is queued.
    await sleep(CHECK_EVERY_MS * 8);
    assert.deepEqual(await crawlJobs(first.id), ['done']);
    assert.equal(robotsReads(), 1);

    // An hour and a minute later on the app's clock: the worker queues the crawl and runs it.
    offsetMs = HOUR + 60_000;
    const moved = new Date();
    const again = await waitForCrawl(t, t.a.admin.accessToken, first.id, moved, 30_000);
    assert.equal(again.status, 'idle');
    assert.equal(again.progress.unchanged, 4, JSON.stringify(again.progress));
    assert.deepEqual(await crawlJobs(first.id), ['done', 'done']);
    assert.equal(robotsReads(), 2);
    // The next one is an hour after this crawl, on the same clock: not due again at once.
    assert.ok(Math.abs(nextSyncAfter(again) - (offsetMs + HOUR)) < 1000, 'an hour after the crawl on the moved clock');
    await sleep(CHECK_EVERY_MS * 5);
    assert.equal((await crawlJobs(first.id)).length, 2);
  });
});
