/**
 * A crawl of a local site of 60+ pages over HTTP: what is indexed (sitemap pages, pages found by
 * links, the redirect's target) and what is reported with its reason (robots.txt, the redirect,
 * 404, the huge page, the page that never answers); then found by search and cited with the page's
 * URL by the chat. The site runs on 127.0.0.1, which the test app's outbound policy allows.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { contents, ingestionJobs, websitePages } from '../../../db/schema.js';
import { buildTestApp, type TestApp } from '../../../test/harness.js';
import { allPages, testCrawlLimits, testIngestion, waitForCrawl, WEBSITES } from './test-support/crawl-helpers.js';
import { docCode, startLocalSite, type LocalSite } from './test-support/local-site.js';

let t: TestApp;
let site: LocalSite;
let websiteId: string;
before(async () => {
  site = await startLocalSite();
  t = await buildTestApp({ crawl: testCrawlLimits, ingestion: testIngestion });
});
after(async () => {
  await t.close();
  await site.close();
});

const db = () => t.app.database.db;

describe('crawling a local website', () => {
  test('an ADMIN adds the site by its start page; the crawl indexes what it should and reports the rest with reasons', async () => {
    const started = new Date();
    const res = await t.request('POST', WEBSITES, { token: t.a.admin.accessToken, body: { start_url: `${site.origin}/` } });
    assert.equal(res.statusCode, 201, res.body);
    websiteId = res.json().id;
    assert.equal(res.json().status, 'queued');
    assert.equal(res.json().sync_interval_hours, 24);

    const done = await waitForCrawl(t, t.a.admin.accessToken, websiteId, started);
    assert.equal(done.status, 'idle', JSON.stringify(done));
    const pages = await allPages(t, t.a.admin.accessToken, websiteId);
    const byPath = new Map(pages.map((p) => [new URL(p.url).pathname, p]));

    // Indexed: the home page, every sitemap page, pages reached only by links, the redirect's target, the depth chain to its limit.
    const indexed = pages.filter((p) => p.status === 'indexed').map((p) => new URL(p.url).pathname);
    const expected = ['/', '/about', ...site.docs, ...site.news, '/docs/moved-here', '/docs/level1', '/docs/level2', '/docs/level3'];
    assert.deepEqual(indexed.sort(), expected.sort());
    assert.ok(indexed.length >= 50, `${indexed.length} pages indexed`);
    assert.equal(done.documents.completed, expected.length);
    assert.equal(done.documents.failed, 0);

    // Reported, each with its reason.
    const reported = Object.fromEntries(pages.filter((p) => p.status !== 'indexed').map((p) => [new URL(p.url).pathname, `${p.status} ${p.failure_code}`]));
    assert.deepEqual(reported, {
      '/private/secret': 'skipped ROBOTS',
      '/moved': 'skipped REDIRECTED',
      '/missing': 'failed PAGE_GONE',
      '/huge': 'failed PAGE_TOO_LARGE',
      '/hang': 'failed PAGE_TIMEOUT',
    });
    assert.match(byPath.get('/hang')!.failure_reason!, /did not answer within 2 s/);
    assert.match(byPath.get('/huge')!.failure_reason!, /too large \(limit 0\.3 MB\)/);
    assert.match(byPath.get('/moved')!.failure_reason!, /moved-here/);

    // Never asked for: robots-excluded, off-site, not a page, past the depth limit.
    const asked = new Set(site.requests.map((r) => r.path));
    for (const path of ['/private/secret', '/logo.png', '/docs/level4']) assert.ok(!asked.has(path), `${path} was not requested`);
    assert.ok(asked.has('/sitemap-docs.xml') && asked.has('/sitemap-more.xml'), 'both sitemaps of the index were read');

    // Stored: each indexed page is an html document with its URL and the page's title; navigation and footer are not its text.
    const rows = await db().select().from(contents).where(eq(contents.websiteSourceId, websiteId));
    assert.equal(rows.length, expected.length);
    const p7 = rows.find((r) => r.sourceUrl === `${site.origin}/docs/p7`)!;
    assert.equal(p7.fileType, 'html');
    assert.equal(p7.title, `製品 ${docCode(7)} のご案内`);
    assert.equal(p7.status, 'completed');
    const jobs = await db().select().from(ingestionJobs).where(eq(ingestionJobs.websiteSourceId, websiteId));
    assert.deepEqual(jobs.map((j) => `${j.kind} ${j.status}`), ['crawl done']);
  });

  test('failure reasons follow the reader’s language', async () => {
    const ja = new Map((await allPages(t, t.a.admin.accessToken, websiteId, 'ja')).map((p) => [new URL(p.url).pathname, p.failure_reason]));
    assert.match(ja.get('/hang')!, /2 秒以内に応答がありませんでした/);
    assert.match(ja.get('/private/secret')!, /robots\.txt/);
    assert.match(ja.get('/missing')!, /ページが見つかりません（HTTP 404）/);
  });

  test('crawled pages are found by POST /api/v1/search with their URL, main content only', async () => {
    const res = await t.request('POST', '/api/v1/search', { token: t.a.operator.accessToken, body: { query: `製品 ${docCode(7)} の保証期間` } });
    assert.equal(res.statusCode, 200, res.body);
    const top = res.json().results[0];
    assert.equal(top.source_url, `${site.origin}/docs/p7`);
    assert.match(top.chunk_text, /保証期間は 7 か月です/);
    assert.doesNotMatch(top.chunk_text, /個人情報保護方針|会社案内/, 'the footer and the menu are not indexed');
    const none = await t.request('POST', '/api/v1/search', { token: t.a.operator.accessToken, body: { query: 'SECRET999' } });
    assert.equal(none.json().results.length, 0, 'the robots-excluded page is not indexed');
  });

  test('POST /api/v1/chats/rag cites the page with its URL', async () => {
    const res = await t.request('POST', '/api/v1/chats/rag', { token: t.a.operator.accessToken, body: { query: `${docCode(12)} の保証期間は何か月ですか？` } });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.sources[0].source_url, `${site.origin}/docs/p12`);
    assert.match(body.answer, /12 か月/);
  });

  test('the page rows are the tenant’s only', async () => {
    const rows = await db().select().from(websitePages).where(eq(websitePages.sourceId, websiteId));
    assert.ok(rows.every((r) => r.tenantId === t.a.id));
  });
});
