import { createHash } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A website on 127.0.0.1 for the crawler's tests and bench: a sitemap index with two sitemaps,
 * robots.txt exclusions, pages linking to pages (some reachable only by links), a redirect, a
 * broken link (404), a page past the size limit, a page that never answers, an off-site link and
 * non-page files. Pages answer with an ETag (304 when it matches) or only a Last-Modified.
 * Every request is recorded, so a test can tell what was fetched, and how.
 */
export interface LocalSite {
  origin: string;
  /** Request log: path and status, in order. */
  requests: Array<{ path: string; status: number }>;
  /** Changes a page's text (its ETag and hash change with it). */
  change(path: string, extra: string): void;
  /** Takes a page off the site (404 from now on) and out of the sitemap. */
  remove(path: string): void;
  /** Takes a page out of the sitemap and every link; it still answers if asked. */
  hide(path: string): void;
  /** Sitemap pages, by path: /docs/p1 … */
  docs: string[];
  /** Pages found only through links: /news/n1 … */
  news: string[];
  close(): Promise<void>;
}

export interface LocalSiteOptions {
  docs?: number;
  news?: number;
  /** Bytes of the page past the size limit. */
  hugeBytes?: number;
}

/** The distinctive words of each page, so a search finds exactly it. */
export const docCode = (i: number) => `KX${1000 + i}`;
export const docText = (i: number) => `製品 ${docCode(i)} の保証期間は ${i} か月です。修理の受付は第${i}営業部が担当します。`;

export async function startLocalSite(options: LocalSiteOptions = {}): Promise<LocalSite> {
  const docCount = options.docs ?? 45;
  const newsCount = options.news ?? 10;
  const docs = Array.from({ length: docCount }, (_, i) => `/docs/p${i + 1}`);
  const news = Array.from({ length: newsCount }, (_, i) => `/news/n${i + 1}`);
  const extras = new Map<string, string>();
  const removed = new Set<string>();
  const hidden = new Set<string>();
  const requests: LocalSite['requests'] = [];
  const lastModified = new Date(Date.UTC(2026, 0, 1)).toUTCString();
  const hanging = new Set<ServerResponse>();

  const page = (title: string, body: string, links: string[]) =>
    `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>${title}</title></head><body>` +
    `<header><nav><a href="/">ホーム</a> <a href="/docs/p1">製品一覧</a> <a href="/about">会社案内</a></nav></header>` +
    `<main><article><h1>${title}</h1><p>${body}</p><ul>${links.filter((l) => !hidden.has(l)).map((l) => `<li><a href="${l}">${l}</a></li>`).join('')}</ul></article></main>` +
    `<footer>© 2026 ローカル株式会社 サイトマップ 個人情報保護方針</footer></body></html>`;

  function render(path: string): string | undefined {
    if (removed.has(path)) return undefined;
    const extra = extras.get(path) ?? '';
    const doc = docs.indexOf(path);
    if (doc >= 0) {
      const i = doc + 1;
      const links = [docs[(doc + 1) % docs.length]!, i <= newsCount ? news[doc]! : '/docs/p1', '/private/secret', '/missing', '/moved', 'https://elsewhere.example.com/x', '/logo.png', 'mailto:info@example.jp', '#top'];
      if (i === 1) links.push('/huge', '/hang', '/docs/level1');
      return page(`製品 ${docCode(i)} のご案内`, `${docText(i)}${extra}`, links);
    }
    const n = news.indexOf(path);
    if (n >= 0) return page(`お知らせ ${n + 1}`, `お知らせ NW${500 + n + 1}：営業時間の変更について（${n + 1} 件目）。${extra}`, ['/docs/p2']);
    // A chain of links deeper than the crawl's depth limit.
    const level = /^\/docs\/level(\d+)$/.exec(path);
    if (level) {
      const k = Number(level[1]);
      return page(`階層 ${k}`, `階層 LV${k} のページです。${extra}`, k < 9 ? [`/docs/level${k + 1}`] : []);
    }
    if (path === '/docs/moved-here') return page('移転先', `移転後のページ MV777 です。${extra}`, []);
    if (path === '/') return page('ホーム', `ローカル株式会社のサイト HM001 です。${extra}`, ['/docs/p1', '/news/n1']);
    if (path === '/about') return page('会社案内', `会社案内 AB001。${extra}`, []);
    if (path === '/private/secret') return page('社外秘', '社外秘 SECRET999', []);
    return undefined;
  }

  const sitemap = (paths: string[], origin: string) =>
    `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${paths
      .filter((p) => !removed.has(p) && !hidden.has(p))
      .map((p) => `<url><loc>${origin}${p}</loc></url>`)
      .join('')}</urlset>`;

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const send = (status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}) => {
      requests.push({ path, status });
      res.writeHead(status, { 'content-type': type, ...headers });
      res.end(body);
    };
    const origin = `http://${req.headers.host}`;
    if (path === '/robots.txt') return send(200, 'text/plain', `User-agent: *\nDisallow: /private/\n\nUser-agent: ShioriBot\nDisallow: /private/\nAllow: /\n\nSitemap: ${origin}/sitemap.xml\n`);
    if (path === '/sitemap.xml')
      return send(200, 'application/xml', `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>${origin}/sitemap-docs.xml</loc></sitemap><sitemap><loc>${origin}/sitemap-more.xml</loc></sitemap></sitemapindex>`);
    if (path === '/sitemap-docs.xml') return send(200, 'application/xml', sitemap(docs.slice(0, Math.ceil(docs.length / 2)), origin));
    if (path === '/sitemap-more.xml') return send(200, 'application/xml', sitemap([...docs.slice(Math.ceil(docs.length / 2)), '/about'], origin));
    if (path === '/moved') return send(301, 'text/html', '', { location: '/docs/moved-here' });
    if (path === '/hang') {
      requests.push({ path, status: 0 });
      hanging.add(res); // never answers
      return;
    }
    if (path === '/huge') {
      requests.push({ path, status: 200 });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      const block = Buffer.from(`<p>${'巨大なページ '.repeat(500)}</p>`);
      let sent = 0;
      const total = options.hugeBytes ?? 3 * 1024 * 1024;
      const write = () => {
        while (sent < total) {
          sent += block.length;
          if (!res.write(block)) return void res.once('drain', write);
        }
        res.end();
      };
      res.on('error', () => {});
      return write();
    }
    const html = render(path);
    if (html === undefined) return send(404, 'text/html', '<h1>404</h1>');
    const etag = `"${createHash('sha1').update(html).digest('hex').slice(0, 16)}"`;
    // News pages carry only Last-Modified (changed with their text), the others an ETag.
    if (path.startsWith('/news/')) {
      const modified = extras.has(path) ? new Date(Date.UTC(2026, 1, 1)).toUTCString() : lastModified;
      if (req.headers['if-modified-since'] === modified) return send(304, 'text/html', '');
      return send(200, 'text/html; charset=utf-8', html, { 'last-modified': modified });
    }
    if (req.headers['if-none-match'] === etag) return send(304, 'text/html', '', { etag });
    return send(200, 'text/html; charset=utf-8', html, { etag });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    docs,
    news,
    change: (path, extra) => void extras.set(path, extra),
    remove: (path) => void removed.add(path),
    hide: (path) => void hidden.add(path),
    close: () =>
      new Promise((resolve) => {
        for (const res of hanging) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
