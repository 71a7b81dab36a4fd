/**
 * robots.txt as RFC 9309 §2.3.1 reads it, against a local site: redirects followed up to five hops
 * (to another authority too), more than five = no robots.txt; 4xx = everything allowed; 5xx, 429,
 * no answer and no connection = nothing crawled, with the reason. And the outbound policy at crawl
 * time: a name that resolved to a public address when the site was added and to loopback when it is
 * crawled (DNS rebinding) is refused before a byte is sent, the reason in ja and en.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, expectError, type TestApp } from '../../../test/harness.js';
import { addWebsite, allPages, testCrawlLimits, testIngestion, WEBSITES, type WebsiteBody } from './test-support/crawl-helpers.js';
import { startLocalSite, type LocalSite, type RobotsMode } from './test-support/local-site.js';

let t: TestApp;
let site: LocalSite;
before(async () => {
  // /, /docs/p1, /docs/p2, /about; the final file of a redirect chain disallows /docs/p2.
  site = await startLocalSite({ docs: 2, news: 0, traps: false });
  t = await buildTestApp({ crawl: { ...testCrawlLimits, pageTimeoutMs: 800 }, ingestion: testIngestion });
});
after(async () => {
  await t.close();
  await site.close();
});

const admin = () => t.a.admin.accessToken;

/** Crawls the site afresh with robots.txt in `mode`: the source when done, its pages, and the requests this crawl made. */
async function crawlWith(mode: RobotsMode) {
  site.setRobots(mode);
  const from = site.requests.length;
  const done = await addWebsite(t, admin(), { start_url: `${site.origin}/` });
  const pages = new Map((await allPages(t, admin(), done.id)).map((p) => [new URL(p.url).pathname, p]));
  return { done, pages, requests: site.requests.slice(from) };
}

const ja = async (done: WebsiteBody) => (await t.request('GET', `${WEBSITES}/${done.id}`, { token: admin(), headers: { 'accept-language': 'ja' } })).json() as WebsiteBody;

describe('robots.txt redirects', () => {
  test('one redirect: the rules of the file it leads to apply', async () => {
    const { done, pages, requests } = await crawlWith({ hops: 1 });
    assert.equal(done.status, 'idle');
    assert.equal(pages.get('/docs/p2')?.failure_code, 'ROBOTS');
    assert.ok(!requests.some((r) => r.path === '/docs/p2'), 'the disallowed page was not requested');
    assert.equal(pages.get('/docs/p1')?.status, 'indexed');
  });

  test('five redirects, the last to another authority: followed, and its rules apply to this site', async () => {
    const { pages, requests } = await crawlWith({ hops: 5, via: 'localhost' });
    const final = requests.find((r) => r.path === '/robots-final.txt');
    assert.ok(final, 'the end of the chain was read');
    assert.match(final.host, /^localhost:/);
    assert.equal(pages.get('/docs/p2')?.failure_code, 'ROBOTS');
    assert.ok(!requests.some((r) => r.path === '/docs/p2'));
  });

  test('six redirects: there is no robots.txt, so everything is allowed; the sixth hop is not followed', async () => {
    const { done, pages, requests } = await crawlWith({ hops: 6 });
    assert.equal(done.status, 'idle');
    assert.ok(requests.some((r) => r.path === '/robots-hop/5'), 'five redirects were followed');
    assert.ok(!requests.some((r) => r.path === '/robots-final.txt'), 'the sixth was not');
    assert.equal(pages.get('/docs/p2')?.status, 'indexed');
  });
});

describe('robots.txt that is not there or cannot be read', () => {
  test('404: everything is allowed', async () => {
    const { done, pages } = await crawlWith({ status: 404 });
    assert.equal(done.status, 'idle');
    assert.deepEqual([...pages.values()].map((p) => p.status), ['indexed', 'indexed', 'indexed', 'indexed']);
  });

  for (const [mode, en, jaReason] of [
    [{ status: 503 }, /robots\.txt could not be read \(The server answered with an error \(HTTP 503\)/, /robots\.txt を読めませんでした（サーバーがエラーを返しました（HTTP 503）/],
    [{ status: 429 }, /robots\.txt could not be read \(The server answered with an error \(HTTP 429\)/, /HTTP 429/],
    ['hang', /robots\.txt could not be read \(The page did not answer within 1 s\.\)/, /1 秒以内に応答がありませんでした/],
  ] as const) {
    test(`${JSON.stringify(mode)}: nothing is crawled, and the source says why in ja and en`, async () => {
      const { done, pages, requests } = await crawlWith(mode);
      assert.equal(done.status, 'failed');
      assert.equal(done.last_error_code, 'ROBOTS_UNAVAILABLE');
      assert.match(done.last_error!, en);
      assert.match(done.last_error!, /without the site's permission nothing was crawled/);
      assert.match((await ja(done)).last_error!, jaReason);
      assert.equal(pages.size, 0);
      assert.deepEqual(requests.map((r) => r.path), ['/robots.txt'], 'nothing but robots.txt was requested');
    });
  }

  test('no connection (nothing listens): nothing is crawled, with the reason', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const done = await addWebsite(t, admin(), { start_url: `http://127.0.0.1:${port}/` });
    assert.equal(done.status, 'failed');
    assert.equal(done.last_error_code, 'ROBOTS_UNAVAILABLE');
    assert.match(done.last_error!, /robots\.txt could not be read \(The page could not be fetched \(ECONNREFUSED\)/);
  });
});

describe('private networks not allowed', () => {
  let strict: TestApp;
  let lookups = 0;
  before(async () => {
    // shop.example.test resolves to a public address once (when the site is added), to loopback after that.
    strict = await buildTestApp({
      crawl: testCrawlLimits,
      ingestion: testIngestion,
      outbound: { allowPrivateNetworks: false, resolve: async (host) => (host === 'shop.example.test' && lookups++ === 0 ? ['93.184.216.34'] : ['127.0.0.1']) },
    });
  });
  after(() => strict?.close());

  test('the site on loopback is refused when it is added, in ja and en', async () => {
    const post = (language: string) => strict.request('POST', WEBSITES, { token: strict.a.admin.accessToken, body: { start_url: `${site.origin}/` }, headers: { 'accept-language': language } });
    assert.match(expectError(await post('en'), 422, 'VALIDATION_ERROR').detail, /start_url: this server cannot reach it \(127\.0\.0\.1 is a loopback address/);
    assert.match(expectError(await post('ja'), 422, 'VALIDATION_ERROR').detail, /このサーバーから接続できないアドレスです（127\.0\.0\.1 is a loopback address/);
  });

  test('a name that resolves to loopback by the time it is crawled is refused then: ADDRESS_REFUSED, nothing sent', async () => {
    const from = site.requests.length;
    const port = new URL(site.origin).port;
    const done = await addWebsite(strict, strict.a.admin.accessToken, { start_url: `http://shop.example.test:${port}/` });
    assert.equal(done.status, 'failed');
    assert.equal(done.last_error_code, 'ADDRESS_REFUSED');
    assert.match(done.last_error!, /The address is not allowed \(shop\.example\.test resolves to 127\.0\.0\.1 is a loopback address.*\)\. This server may not connect to it, so nothing was crawled/);
    const japanese = (await strict.request('GET', `${WEBSITES}/${done.id}`, { token: strict.a.admin.accessToken, headers: { 'accept-language': 'ja' } })).json();
    assert.match(japanese.last_error, /接続先のアドレスが許可されていません（shop\.example\.test resolves to 127\.0\.0\.1/);
    assert.match(japanese.last_error, /このサーバーから接続できないため、クロールしていません/);
    assert.equal(site.requests.length, from, 'not one request reached the site');
    assert.ok(lookups >= 2, 'the name was resolved again at crawl time');
  });
});
