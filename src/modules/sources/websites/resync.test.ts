/**
 * Re-sync: after 3 pages change, a sync re-indexes exactly those 3 (the others answer 304 to the
 * conditional request and keep their documents untouched); a page that is gone (404) or no longer
 * in the sitemap or any link loses its document; an uploaded file is never touched. The schedule
 * queues due sources from the database, once, whatever the number of workers; another tenant's
 * source is 404; an OPERATOR cannot add one; an address the server may not reach is refused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { and, eq, inArray } from 'drizzle-orm';
import { contents, ingestionJobs, websiteSources } from '../../../db/schema.js';
import { buildTestApp, expectError, type TestApp } from '../../../test/harness.js';
import { uploadAndProcess } from '../../../test/upload.js';
import { allPages, testCrawlLimits, testIngestion, waitForCrawl, WEBSITES } from './test-support/crawl-helpers.js';
import { startLocalSite, type LocalSite } from './test-support/local-site.js';
import { createWebsiteSourcesRepo } from './website-sources.repo.js';

let t: TestApp;
let site: LocalSite;
let websiteId: string;
let uploadId: string;
before(async () => {
  site = await startLocalSite();
  t = await buildTestApp({ crawl: testCrawlLimits, ingestion: testIngestion });
  uploadId = (await uploadAndProcess(t, t.a.admin.accessToken, '手順書.txt', '返品の手順書：受付番号 RT4242 を伝えてください。')).id;
  const started = new Date();
  const res = await t.request('POST', WEBSITES, { token: t.a.admin.accessToken, body: { sitemap_url: `${site.origin}/sitemap.xml`, sync_interval_hours: 0 } });
  assert.equal(res.statusCode, 201, res.body);
  websiteId = res.json().id;
  await waitForCrawl(t, t.a.admin.accessToken, websiteId, started);
});
after(async () => {
  await t.close();
  await site.close();
});

const db = () => t.app.database.db;
const documentsOfSite = async () => new Map((await db().select().from(contents).where(eq(contents.websiteSourceId, websiteId))).map((r) => [new URL(r.sourceUrl!).pathname, r]));
const sync = async () => {
  const started = new Date();
  const res = await t.request('POST', `${WEBSITES}/${websiteId}/sync`, { token: t.a.admin.accessToken });
  assert.equal(res.statusCode, 202, res.body);
  return waitForCrawl(t, t.a.admin.accessToken, websiteId, started);
};

describe('re-syncing a website', () => {
  test('after 3 pages change, a sync re-indexes exactly those 3', async () => {
    const before = await documentsOfSite();
    const pagesBefore = new Map((await allPages(t, t.a.admin.accessToken, websiteId)).map((p) => [new URL(p.url).pathname, p]));
    const changed = ['/docs/p3', '/docs/p20', '/news/n4']; // two answer with an ETag, the news page with Last-Modified only
    for (const path of changed) site.change(path, ` 改訂：受付は ${path.replace(/\W/g, '')}UPD 窓口へ。`);
    const requestsBefore = site.requests.length;

    const done = await sync();
    assert.equal(done.progress.changed, 3, JSON.stringify(done.progress));
    assert.equal(done.progress.unchanged, before.size - 3);
    assert.equal(done.progress.removed, 0);

    // Asked conditionally: every unchanged page answered 304; only the 3 changed ones sent a body.
    const pageRequests = site.requests.slice(requestsBefore).filter((r) => before.has(r.path));
    assert.deepEqual(pageRequests.filter((r) => r.status === 200).map((r) => r.path).sort(), [...changed].sort());
    assert.equal(pageRequests.filter((r) => r.status === 304).length, before.size - 3);

    // Stored: exactly those 3 documents were read again (same rows, new file, new processing time); the others are untouched.
    const after = await documentsOfSite();
    assert.equal(after.size, before.size);
    for (const [path, row] of after) {
      const old = before.get(path)!;
      assert.equal(row.id, old.id, `${path} keeps its document`);
      if (changed.includes(path)) {
        assert.ok(row.processedAt! > old.processedAt!, `${path} was re-indexed`);
        assert.notEqual(row.sha256, old.sha256);
      } else {
        assert.deepEqual([row.processedAt, row.updatedAt, row.storageKey], [old.processedAt, old.updatedAt, old.storageKey], `${path} untouched`);
      }
    }
    const pagesAfter = await allPages(t, t.a.admin.accessToken, websiteId);
    const rechanged = pagesAfter.filter((p) => p.changed_at !== pagesBefore.get(new URL(p.url).pathname)?.changed_at).map((p) => new URL(p.url).pathname);
    assert.deepEqual(rechanged.sort(), [...changed].sort());

    const found = await t.request('POST', '/api/v1/search', { token: t.a.operator.accessToken, body: { query: 'docsp20UPD 窓口' } });
    assert.equal(found.json().results[0]?.source_url, `${site.origin}/docs/p20`);
  });

  test('a page that is gone (404) or no longer in the sitemap or any link loses its document; uploads stay', async () => {
    site.remove('/docs/p30');
    site.hide('/news/n10');
    const before = await documentsOfSite();
    const done = await sync();
    assert.equal(done.progress.removed, 1, JSON.stringify(done.progress));
    const after = await documentsOfSite();
    assert.deepEqual([...before.keys()].filter((p) => !after.has(p)).sort(), ['/docs/p30', '/news/n10']);
    const stored = await db().select().from(contents).where(inArray(contents.id, [before.get('/docs/p30')!.id, before.get('/news/n10')!.id]));
    assert.equal(stored.length, 0);
    const pages = new Map((await allPages(t, t.a.admin.accessToken, websiteId, 'ja')).map((p) => [new URL(p.url).pathname, p]));
    assert.equal(pages.get('/docs/p30')?.failure_code, 'PAGE_GONE');
    assert.equal(pages.get('/docs/p30')?.file_id, null);
    assert.match(pages.get('/docs/p30')!.failure_reason!, /登録済みの文書は削除しました/);
    assert.equal(pages.has('/news/n10'), false);
    const upload = await t.request('GET', `/api/v1/contents/${uploadId}`, { token: t.a.admin.accessToken });
    assert.equal(upload.json().status, 'completed');
    const none = await t.request('POST', '/api/v1/search', { token: t.a.operator.accessToken, body: { query: 'NW510' } });
    assert.equal(none.json().results.length, 0, 'the vanished page is no longer found');
  });

  test('the schedule: a due source gets one crawl, however many schedulers ask at once; the worker runs it', async () => {
    const patched = await t.request('PATCH', `${WEBSITES}/${websiteId}`, { token: t.a.admin.accessToken, body: { sync_interval_hours: 6 } });
    assert.equal(patched.statusCode, 200, patched.body);
    const nextSync = new Date(patched.json().next_sync_at).getTime();
    assert.ok(Math.abs(nextSync - (new Date(patched.json().last_crawl_finished_at).getTime() + 6 * 3_600_000)) < 1000);

    // Due now: two schedulers (two workers) at once queue one crawl between them.
    await db().update(websiteSources).set({ nextSyncAt: new Date(Date.now() - 1000) }).where(eq(websiteSources.id, websiteId));
    const before = new Date();
    const [one, two] = await Promise.all([createWebsiteSourcesRepo(db()).queueDue(new Date()), createWebsiteSourcesRepo(db()).queueDue(new Date())]);
    assert.equal(one + two, 1);
    const live = await db().select().from(ingestionJobs).where(and(eq(ingestionJobs.websiteSourceId, websiteId), inArray(ingestionJobs.status, ['queued', 'running'])));
    assert.ok(live.length <= 1);
    const done = await waitForCrawl(t, t.a.admin.accessToken, websiteId, before);
    assert.ok(new Date(done.next_sync_at!).getTime() > Date.now() + 5 * 3_600_000, 'the next sync is 6 hours on');
    assert.equal(done.progress.changed, 0);
  });

  test('a crawl whose worker died mid-way is taken over once its lease runs out, and finishes', async () => {
    // As a worker killed during the crawl leaves it: running, claimed by it, its lease over.
    const [dead] = await db()
      .insert(ingestionJobs)
      .values({ tenantId: t.a.id, websiteSourceId: websiteId, kind: 'crawl', status: 'running', workerId: 'dead-host:1:abc', attempts: 1, leaseExpiresAt: new Date(Date.now() - 1000) })
      .returning();
    const before = new Date();
    const done = await waitForCrawl(t, t.a.admin.accessToken, websiteId, before);
    assert.equal(done.status, 'idle');
    const [job] = await db().select().from(ingestionJobs).where(eq(ingestionJobs.id, dead!.id));
    assert.equal(job!.status, 'done');
    assert.notEqual(job!.workerId, 'dead-host:1:abc');
    assert.equal(job!.attempts, 2);
  });

  test('another tenant’s ADMIN gets 404 on every route of the source; an OPERATOR cannot add or sync; unreachable addresses are refused', async () => {
    for (const [method, path] of [['GET', ''], ['GET', '/pages'], ['POST', '/sync'], ['DELETE', '']] as const) {
      expectError(await t.request(method, `${WEBSITES}/${websiteId}${path}`, { token: t.b.admin.accessToken }), 404, 'RESOURCE_NOT_FOUND');
    }
    expectError(await t.request('PATCH', `${WEBSITES}/${websiteId}`, { token: t.b.admin.accessToken, body: { sync_interval_hours: 1 } }), 404, 'RESOURCE_NOT_FOUND');
    assert.equal((await t.request('GET', WEBSITES, { token: t.b.admin.accessToken })).json().length, 0);
    expectError(await t.request('POST', WEBSITES, { token: t.a.operator.accessToken, body: { start_url: `${site.origin}/` } }), 403, 'PERMISSION_DENIED');
    expectError(await t.request('POST', `${WEBSITES}/${websiteId}/sync`, { token: t.a.operator.accessToken }), 403, 'PERMISSION_DENIED');
    const metadata = expectError(await t.request('POST', WEBSITES, { token: t.a.admin.accessToken, body: { start_url: 'http://169.254.169.254/latest/' }, headers: { 'accept-language': 'ja' } }), 422, 'VALIDATION_ERROR');
    assert.match(metadata.detail, /このサーバーから接続できないアドレスです/);
    expectError(await t.request('POST', WEBSITES, { token: t.a.admin.accessToken, body: { start_url: 'ftp://example.com/' } }), 422, 'VALIDATION_ERROR');
    expectError(await t.request('POST', WEBSITES, { token: t.a.admin.accessToken, body: { start_url: `${site.origin}/a`, sitemap_url: `${site.origin}/s.xml` } }), 422, 'VALIDATION_ERROR');
  });

  test('deleting the source removes its pages’ documents and nothing else', async () => {
    const res = await t.request('DELETE', `${WEBSITES}/${websiteId}`, { token: t.a.admin.accessToken });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal((await documentsOfSite()).size, 0);
    assert.equal((await t.request('GET', `/api/v1/contents/${uploadId}`, { token: t.a.admin.accessToken })).json().status, 'completed');
    expectError(await t.request('GET', `${WEBSITES}/${websiteId}`, { token: t.a.admin.accessToken }), 404, 'RESOURCE_NOT_FOUND');
  });
});
