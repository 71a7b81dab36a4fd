/**
 * The crawl's limits against small local sites: the path prefix (nothing outside it is requested),
 * the page limit (the crawl says it stopped, and pages it did not reach keep their documents until a
 * complete crawl no longer finds them), a passing outage (removes nothing), the time budget, the
 * number of requests at once, and robots.txt's Crawl-delay.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { contents, ingestionJobs } from '../../../db/schema.js';
import { buildTestApp, expectError, type TestApp } from '../../../test/harness.js';
import { addWebsite, allPages, sync, testCrawlLimits, testIngestion, waitForCrawl, WEBSITES } from './test-support/crawl-helpers.js';
import { startLocalSite, type LocalSite } from './test-support/local-site.js';

const MAX_PAGES = 8;
const CONCURRENCY = 3;

let t: TestApp;
const sites: LocalSite[] = [];
const site = async (options: Parameters<typeof startLocalSite>[0]) => {
  const started = await startLocalSite(options);
  sites.push(started);
  return started;
};
before(async () => {
  t = await buildTestApp({ crawl: { ...testCrawlLimits, maxPages: MAX_PAGES, concurrency: CONCURRENCY }, ingestion: testIngestion });
});
after(async () => {
  await t.close();
  await Promise.all(sites.map((s) => s.close()));
});

const admin = () => t.a.admin.accessToken;
const paths = (pages: Array<{ url: string }>) => pages.map((p) => new URL(p.url).pathname).sort();
const documentsOf = async (id: string) => new Map((await t.app.database.db.select().from(contents).where(eq(contents.websiteSourceId, id))).map((r) => [new URL(r.sourceUrl!).pathname, r.id]));

describe('path_prefix', () => {
  test('a source with a prefix crawls only the pages under it: links outside it are never requested', async () => {
    const docsSite = await site({ docs: 4, news: 2 });
    const done = await addWebsite(t, admin(), { start_url: `${docsSite.origin}/docs/p1`, path_prefix: '/docs/' });
    assert.equal(done.status, 'idle', JSON.stringify(done));
    assert.equal(done.progress.stopped, null);
    const pages = await allPages(t, admin(), done.id);
    assert.deepEqual(paths(pages), ['/docs/level1', '/docs/level2', '/docs/level3', '/docs/p1', '/docs/p2', '/docs/p3', '/docs/p4']);
    assert.ok(pages.every((p) => p.status === 'indexed'));
    // Only robots.txt, the sitemaps and pages under /docs/ were asked for: not the home page, the news, nor any trap outside the prefix.
    const asked = new Set(docsSite.requests.map((r) => r.path));
    for (const path of asked) assert.ok(path === '/robots.txt' || path.startsWith('/sitemap') || path.startsWith('/docs/'), `${path} is outside /docs/ and was requested`);
    for (const path of ['/', '/about', '/news/n1', '/hang', '/missing', '/moved']) assert.ok(!asked.has(path), `${path} was not requested`);
  });

  test('a start address outside the prefix, a prefix that is not a path, a non-web address: clear 422s in ja and en', async () => {
    const origin = 'http://127.0.0.1:9';
    const post = (body: object, language: string) => t.request('POST', WEBSITES, { token: admin(), body, headers: { 'accept-language': language } });
    const outside = { start_url: `${origin}/about`, path_prefix: '/docs/' };
    assert.match(expectError(await post(outside, 'en'), 422, 'VALIDATION_ERROR').detail, /path_prefix: the start address's path \(\/about\) is outside \/docs\/: start from a page under \/docs\/, or change path_prefix/);
    assert.match(expectError(await post(outside, 'ja'), 422, 'VALIDATION_ERROR').detail, /開始 URL のパス（\/about）が対象範囲 \/docs\/ の外にあります/);
    assert.match(expectError(await post({ start_url: `${origin}/docs/`, path_prefix: 'docs' }, 'en'), 422, 'VALIDATION_ERROR').detail, /must be a path starting with \//);
    assert.match(expectError(await post({ start_url: `${origin}/docs/`, path_prefix: 'docs' }, 'ja'), 422, 'VALIDATION_ERROR').detail, /\/ で始まるパスにしてください/);
    assert.match(expectError(await post({ start_url: 'ftp://example.com/docs/' }, 'en'), 422, 'VALIDATION_ERROR').detail, /must be an http:\/\/ or https:\/\/ address/);
    assert.match(expectError(await post({ start_url: 'ftp://example.com/docs/' }, 'ja'), 422, 'VALIDATION_ERROR').detail, /http:\/\/ か https:\/\/ で始まるアドレスを入力してください/);
  });
});

describe('the page limit', () => {
  test('a crawl stops at the limit and says why; pages it did not reach keep their documents until a complete crawl no longer finds them', async () => {
    // 6 pages: the sitemaps' p1…p4 and /about, and the home page, linked from every page's menu.
    const growing = await site({ docs: 4, news: 0, traps: false });
    const first = await addWebsite(t, admin(), { sitemap_url: `${growing.origin}/sitemap.xml`, sync_interval_hours: 0 });
    assert.equal(first.progress.stopped, null, JSON.stringify(first.progress));
    const original = await documentsOf(first.id);
    assert.deepEqual([...original.keys()].sort(), ['/', '/about', '/docs/p1', '/docs/p2', '/docs/p3', '/docs/p4']);

    // Five new pages listed first: the next crawl reaches its 8 pages before p4, /about and the home page.
    const fresh = ['/docs/new1', '/docs/new2', '/docs/new3', '/docs/new4', '/docs/new5'];
    growing.publish(fresh);
    const from = growing.requests.length;
    const limited = await sync(t, admin(), first.id);
    assert.equal(limited.status, 'idle');
    assert.equal(limited.progress.discovered, MAX_PAGES);
    assert.equal(limited.progress.stopped_code, 'PAGE_LIMIT');
    assert.match(String(limited.progress.stopped), /Stopped at the page limit \(8\); the remaining pages were not read, and their documents are kept/);
    const ja = (await t.request('GET', `${WEBSITES}/${first.id}`, { token: admin(), headers: { 'accept-language': 'ja' } })).json();
    assert.match(ja.progress.stopped, /ページ数の上限（8）に達したため/);
    assert.equal(limited.progress.removed, 0);
    const asked = new Set(growing.requests.slice(from).map((r) => r.path));
    for (const path of ['/docs/p4', '/about', '/']) assert.ok(!asked.has(path), `${path} was not reached`);
    // Not reached is not gone: the same documents, and the new pages beside them.
    const afterLimited = await documentsOf(first.id);
    for (const [path, id] of original) assert.equal(afterLimited.get(path), id, `${path} keeps its document`);
    assert.deepEqual([...afterLimited.keys()].filter((p) => !original.has(p)).sort(), fresh);

    // The new pages go again (off the sitemap, 404): a complete crawl no longer finds them and removes them; the others stay.
    growing.publish([]);
    const complete = await sync(t, admin(), first.id);
    assert.equal(complete.progress.stopped, null);
    assert.equal(complete.progress.stopped_code, null);
    assert.equal(complete.progress.removed, fresh.length);
    assert.deepEqual(new Map(await documentsOf(first.id)), original);
  });

  test('a passing outage (503) removes nothing, not even the pages linked only from the failing pages', async () => {
    // /news/n1 is linked only from the home page and /docs/p1.
    const flaky = await site({ docs: 2, news: 1, traps: false });
    const first = await addWebsite(t, admin(), { start_url: `${flaky.origin}/`, sync_interval_hours: 0 });
    const original = await documentsOf(first.id);
    assert.ok(original.has('/news/n1'));
    flaky.fail('/', 503);
    flaky.fail('/docs/p1', 503);
    const outage = await sync(t, admin(), first.id);
    assert.equal(outage.progress.failed, 2, JSON.stringify(outage.progress));
    assert.equal(outage.progress.removed, 0);
    assert.deepEqual(await documentsOf(first.id), original);
    const pages = new Map((await allPages(t, admin(), first.id)).map((p) => [new URL(p.url).pathname, p]));
    assert.equal(pages.get('/')?.failure_code, 'HTTP_ERROR');
    assert.equal(pages.get('/')?.file_id, original.get('/'), 'the last good document stays searchable');

    // Back again: asked conditionally like any page with a document (304), not re-indexed.
    flaky.fail('/', undefined);
    flaky.fail('/docs/p1', undefined);
    const from = flaky.requests.length;
    const recovered = await sync(t, admin(), first.id);
    assert.equal(recovered.progress.changed, 0, JSON.stringify(recovered.progress));
    assert.deepEqual(flaky.requests.slice(from).filter((r) => r.path === '/' || r.path === '/docs/p1').map((r) => r.status), [304, 304]);
    assert.equal(recovered.pages.failed, 0);
  });
});

describe('politeness', () => {
  test('never more requests at once than the configured concurrency', async () => {
    const slow = await site({ docs: 5, news: 0, traps: false, pageDelayMs: 250 });
    const done = await addWebsite(t, admin(), { start_url: `${slow.origin}/` });
    assert.equal(done.status, 'idle');
    assert.equal(done.pages.indexed, 7);
    assert.equal(slow.peakConcurrency(), CONCURRENCY, `peak ${slow.peakConcurrency()} requests at once`);
  });

  test('robots.txt Crawl-delay: one request at a time, each at least the delay after the one before', async () => {
    const delaySeconds = 0.3;
    const polite = await site({ docs: 3, news: 0, traps: false, crawlDelaySeconds: delaySeconds });
    const done = await addWebsite(t, admin(), { start_url: `${polite.origin}/` });
    assert.equal(done.pages.indexed, 5);
    assert.equal(polite.peakConcurrency(), 1);
    const arrivals = polite.requests.map((r) => r.at);
    assert.ok(arrivals.length >= 8, `${arrivals.length} requests`);
    // Measured where they arrive: timer and loopback jitter either way (tens of ms on a loaded CI machine).
    for (let i = 1; i < arrivals.length; i++) {
      const gap = arrivals[i]! - arrivals[i - 1]!;
      assert.ok(gap >= delaySeconds * 1000 - 60, `${polite.requests[i]!.path} came ${gap} ms after ${polite.requests[i - 1]!.path}`);
    }
  });
});

describe('the time budget', () => {
  let timed: TestApp;
  before(async () => {
    timed = await buildTestApp({ crawl: { ...testCrawlLimits, totalTimeMs: 1000, concurrency: 1 }, ingestion: testIngestion });
  });
  after(() => timed.close());

  test('a crawl whose time runs out stops cleanly: idle, the reason in ja and en, nothing requested after it', async () => {
    const slow = await site({ docs: 10, news: 0, traps: false, pageDelayMs: 200 });
    const done = await addWebsite(timed, timed.a.admin.accessToken, { sitemap_url: `${slow.origin}/sitemap.xml` });
    assert.equal(done.status, 'idle', JSON.stringify(done));
    assert.equal(done.last_error, null);
    assert.equal(done.progress.stopped_code, 'TIME_LIMIT');
    assert.match(String(done.progress.stopped), /Stopped at the time limit \(1 s\); the remaining pages are read at the next sync/);
    const ja = (await timed.request('GET', `${WEBSITES}/${done.id}`, { token: timed.a.admin.accessToken, headers: { 'accept-language': 'ja' } })).json();
    assert.match(ja.progress.stopped, /時間の上限（1 秒）に達したため/);
    assert.ok(done.pages.indexed > 0 && done.pages.indexed < 11, `${done.pages.indexed} pages read in the budget`);
    assert.equal(done.pages.failed, 0, 'no page was cut off half-read');
    const started = new Date(done.last_crawl_started_at!).getTime();
    for (const r of slow.requests) assert.ok(r.at <= started + 1000 + 150, `${r.path} was requested ${r.at - started} ms into a 1000 ms budget`);
    const jobs = await timed.app.database.db.select().from(ingestionJobs).where(and(eq(ingestionJobs.websiteSourceId, done.id), eq(ingestionJobs.kind, 'crawl')));
    assert.deepEqual(jobs.map((j) => `${j.status} ${j.attempts}`), ['done 1']);
  });
});
