/**
 * A re-sync never touches what a person curated: a crawled document an ADMIN renamed keeps its
 * title when its page changes (and is re-indexed under that title), a crawled document an ADMIN
 * deleted stays deleted (its page listed as removed, with the reason in ja and en), and an FAQ
 * entry and an uploaded file are left as they were.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { contents } from '../../../db/schema.js';
import { buildTestApp, expectError, type TestApp } from '../../../test/harness.js';
import { uploadAndProcess } from '../../../test/upload.js';
import { allPages, testCrawlLimits, testIngestion, waitForCrawl, WEBSITES } from './test-support/crawl-helpers.js';
import { startLocalSite, type LocalSite } from './test-support/local-site.js';

let t: TestApp;
let site: LocalSite;
let websiteId: string;
const admin = () => t.a.admin.accessToken;
const db = () => t.app.database.db;

const sync = async () => {
  const started = new Date();
  const res = await t.request('POST', `${WEBSITES}/${websiteId}/sync`, { token: admin() });
  assert.equal(res.statusCode, 202, res.body);
  return waitForCrawl(t, admin(), websiteId, started);
};
const documentsOfSite = async () => new Map((await db().select().from(contents).where(eq(contents.websiteSourceId, websiteId))).map((r) => [new URL(r.sourceUrl!).pathname, r]));
const pageAt = async (path: string, language: string) => (await allPages(t, admin(), websiteId, language)).find((p) => new URL(p.url).pathname === path);
const search = async (query: string) => (await t.request('POST', '/api/v1/search', { token: t.a.operator.accessToken, body: { query } })).json().results as Array<{ file_id: string; title: string | null; source_url: string | null; chunk_text: string }>;

before(async () => {
  site = await startLocalSite({ docs: 6, news: 2 });
  t = await buildTestApp({ crawl: testCrawlLimits, ingestion: testIngestion });
  const started = new Date();
  const res = await t.request('POST', WEBSITES, { token: admin(), body: { sitemap_url: `${site.origin}/sitemap.xml`, sync_interval_hours: 0 } });
  assert.equal(res.statusCode, 201, res.body);
  websiteId = res.json().id;
  await waitForCrawl(t, admin(), websiteId, started);
});
after(async () => {
  await t.close();
  await site.close();
});

describe('a re-sync keeps what a person curated', () => {
  test('an edited title is kept, a deleted page stays deleted, the FAQ entry and the upload are untouched', async () => {
    const crawled = await documentsOfSite();
    const renamed = crawled.get('/docs/p2')!;
    const deleted = crawled.get('/docs/p3')!;
    const untouchedPage = crawled.get('/docs/p4')!;
    assert.ok(renamed && deleted && untouchedPage, 'the pages were crawled');

    // What a person made: an FAQ entry, an upload, a new title, a deletion.
    const faq = await t.request('POST', '/api/v1/faq', { token: admin(), body: { question: '駐車場はありますか', answer: '本社ビル地下に 30 台分あります（PK300）。' } });
    assert.equal(faq.statusCode, 201, faq.body);
    const upload = await uploadAndProcess(t, admin(), '手順書.txt', '返品の手順書：受付番号 RT4242 を伝えてください。', { title: '返品の手順' });
    const [uploadBefore] = await db().select().from(contents).where(eq(contents.id, upload.id));
    const patched = await t.request('PATCH', `/api/v1/contents/${renamed.id}`, { token: admin(), body: { title: '保証のよくある質問 ZQ900' } });
    assert.equal(patched.statusCode, 200, patched.body);
    const removed = await t.request('DELETE', `/api/v1/contents/${deleted.id}`, { token: admin() });
    assert.equal(removed.statusCode, 200, removed.body);

    // The deleted page says why it has no document, in the reader's language.
    const listedJa = await pageAt('/docs/p3', 'ja');
    assert.deepEqual([listedJa?.status, listedJa?.failure_code, listedJa?.file_id], ['skipped', 'REMOVED', null]);
    assert.match(listedJa!.failure_reason!, /管理者が文書を削除したため/);
    assert.match((await pageAt('/docs/p3', 'en'))!.failure_reason!, /An admin deleted its document/);

    // The site changes all three pages; a re-sync reads them.
    for (const path of ['/docs/p2', '/docs/p3', '/docs/p4']) site.change(path, ` 改訂：受付は ${path.replace(/\W/g, '')}UPD 窓口へ。`);
    const done = await sync();
    assert.equal(done.progress.changed, 2, JSON.stringify(done.progress));
    assert.equal(done.progress.removed, 0);

    const after = await documentsOfSite();
    // Renamed: the same document, read again, under the ADMIN's title; found by its new text and by that title.
    const renamedNow = after.get('/docs/p2')!;
    assert.equal(renamedNow.id, renamed.id);
    assert.equal(renamedNow.title, '保証のよくある質問 ZQ900');
    assert.ok(renamedNow.processedAt! > renamed.processedAt!, 'the renamed page was re-indexed');
    assert.notEqual(renamedNow.sha256, renamed.sha256);
    const byText = await search('docsp2UPD 窓口');
    assert.equal(byText[0]?.file_id, renamed.id);
    assert.equal(byText[0]?.title, '保証のよくある質問 ZQ900');
    assert.equal((await search('ZQ900'))[0]?.file_id, renamed.id, 'its chunks are indexed under the kept title');
    // A page nobody edited takes the crawler's title as before.
    assert.equal(after.get('/docs/p4')!.title, untouchedPage.title);
    assert.ok(after.get('/docs/p4')!.processedAt! > untouchedPage.processedAt!);

    // Deleted: still no document, nothing of it found, still listed as removed.
    assert.equal(after.has('/docs/p3'), false);
    assert.equal((await db().select().from(contents).where(eq(contents.id, deleted.id))).length, 0);
    assert.deepEqual((await search('docsp3UPD')).filter((r) => r.source_url?.endsWith('/docs/p3')), []);
    const listedAfter = await pageAt('/docs/p3', 'en');
    assert.deepEqual([listedAfter?.status, listedAfter?.failure_code, listedAfter?.file_id], ['skipped', 'REMOVED', null]);

    // The FAQ entry and the upload are as they were.
    const faqNow = await t.request('GET', `/api/v1/faq/${faq.json().id}`, { token: admin() });
    assert.deepEqual(faqNow.json(), faq.json());
    const [uploadNow] = await db().select().from(contents).where(eq(contents.id, upload.id));
    assert.deepEqual(uploadNow, uploadBefore);
  });

  test('another tenant cannot delete or rename a crawled document', async () => {
    const doc = (await documentsOfSite()).get('/docs/p5')!;
    expectError(await t.request('DELETE', `/api/v1/contents/${doc.id}`, { token: t.b.admin.accessToken }), 404, 'RESOURCE_NOT_FOUND');
    expectError(await t.request('PATCH', `/api/v1/contents/${doc.id}`, { token: t.b.admin.accessToken, body: { title: 'x' } }), 404, 'RESOURCE_NOT_FOUND');
    const page = await pageAt('/docs/p5', 'en');
    assert.deepEqual([page?.status, page?.file_id], ['indexed', doc.id]);
  });
});
