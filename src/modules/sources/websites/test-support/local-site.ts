import { createHash } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A website on 127.0.0.1 for the crawler's tests and bench: a sitemap index with two sitemaps,
 * robots.txt exclusions, pages linking to pages (some reachable only by links), a redirect, a
 * broken link (404), a page past the size limit, a page that never answers, an off-site link and
 * non-page files. Pages answer with an ETag (304 when it matches) or only a Last-Modified.
 * Every request is recorded (when it arrived, which host it named), and the most requests ever open
 * at once, so a test can tell what was fetched, how, and how politely.
 */
export interface LocalSite {
  origin: string;
  /** Request log: path, status (0: never answered), arrival (ms, Date.now()) and Host header, in order of arrival. */
  requests: Array<{ path: string; status: number; at: number; host: string }>;
  /** The most requests the site was answering at the same time. */
  peakConcurrency(): number;
  /** What /robots.txt does from now on (see RobotsMode). */
  setRobots(mode: RobotsMode): void;
  /** Lists new pages first in the first sitemap (each a small page linking nowhere); `[]` takes them off the site again (404). */
  publish(paths: string[]): void;
  /** Makes a page answer with this status (a passing outage) until set back to undefined. */
  fail(path: string, status: number | undefined): void;
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
  /**
   * false: pages link only to pages that answer (no robots-excluded, missing, redirected, huge or
   * hanging page, nothing off-site): a small, quick site for the limits' tests. Default true.
   */
  traps?: boolean;
  /** Every page (not robots.txt or sitemaps) answers after this many ms: requests overlap visibly. */
  pageDelayMs?: number;
  /** A `Crawl-delay` (seconds, fractions allowed) in robots.txt's ShioriBot group. */
  crawlDelaySeconds?: number;
}

/**
 * robots.txt: `rules` (the normal file), a status (404, 503…), `hang` (never answers), or a chain
 * of `hops` redirects (301) ending at a file that disallows /docs/p2 for ShioriBot; `via` sends the
 * last hop to another authority (http://localhost:port) of the same server.
 */
export type RobotsMode = 'rules' | 'hang' | { status: number } | { hops: number; via?: 'localhost' };

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
  const traps = options.traps ?? true;
  let robots: RobotsMode = 'rules';
  let published: string[] = [];
  const failing = new Map<string, number>();
  let open = 0;
  let peak = 0;

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
      const links = [docs[(doc + 1) % docs.length]!, i <= newsCount ? news[doc]! : '/docs/p1'];
      if (traps) links.push('/private/secret', '/missing', '/moved', 'https://elsewhere.example.com/x', '/logo.png', 'mailto:info@example.jp', '#top');
      if (traps && i === 1) links.push('/huge', '/hang', '/docs/level1');
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
    if (published.includes(path)) return page(`新着 ${path}`, `新しいページ ${path.replace(/\W/g, '')} です。${extra}`, []);
    if (path === '/docs/moved-here') return page('移転先', `移転後のページ MV777 です。${extra}`, []);
    if (path === '/') return page('ホーム', `ローカル株式会社のサイト HM001 です。${extra}`, newsCount > 0 ? ['/docs/p1', '/news/n1'] : ['/docs/p1']);
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
    const entry = { path, status: 0, at: Date.now(), host: req.headers.host ?? '' };
    requests.push(entry);
    peak = Math.max(peak, ++open);
    res.on('close', () => open--);
    const answer = (status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}) => {
      entry.status = status;
      res.writeHead(status, { 'content-type': type, ...headers });
      res.end(body);
    };
    const isPage = !path.startsWith('/robots') && !path.startsWith('/sitemap');
    const send: typeof answer = (...args) => (isPage && options.pageDelayMs ? void setTimeout(() => answer(...args), options.pageDelayMs) : answer(...args));
    const origin = `http://${req.headers.host}`;
    const port = (server.address() as AddressInfo).port;
    if (path === '/robots.txt' && robots !== 'rules') {
      if (robots === 'hang') return void hanging.add(res);
      if ('status' in robots) return send(robots.status, 'text/plain', 'unavailable');
      return send(301, 'text/plain', '', { location: robots.hops > 1 ? '/robots-hop/1' : robotsFinal(port) });
    }
    const hop = /^\/robots-hop\/(\d+)$/.exec(path);
    if (hop && typeof robots === 'object' && 'hops' in robots) {
      const k = Number(hop[1]);
      return send(301, 'text/plain', '', { location: k + 1 < robots.hops ? `/robots-hop/${k + 1}` : robotsFinal(port) });
    }
    if (path === '/robots-final.txt') return send(200, 'text/plain', `User-agent: ShioriBot\nDisallow: /docs/p2\n\nSitemap: ${site.origin}/sitemap.xml\n`);
    if (path === '/robots.txt') {
      const delay = options.crawlDelaySeconds ? `Crawl-delay: ${options.crawlDelaySeconds}\n` : '';
      return send(200, 'text/plain', `User-agent: *\nDisallow: /private/\n\nUser-agent: ShioriBot\nDisallow: /private/\nAllow: /\n${delay}\nSitemap: ${origin}/sitemap.xml\n`);
    }
    const failure = failing.get(path);
    if (failure) return send(failure, 'text/html', `<h1>${failure}</h1>`);
    if (path === '/sitemap.xml')
      return send(200, 'application/xml', `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>${origin}/sitemap-docs.xml</loc></sitemap><sitemap><loc>${origin}/sitemap-more.xml</loc></sitemap></sitemapindex>`);
    if (path === '/sitemap-docs.xml') return send(200, 'application/xml', sitemap([...published, ...docs.slice(0, Math.ceil(docs.length / 2))], origin));
    if (path === '/sitemap-more.xml') return send(200, 'application/xml', sitemap([...docs.slice(Math.ceil(docs.length / 2)), '/about'], origin));
    if (path === '/moved') return send(301, 'text/html', '', { location: '/docs/moved-here' });
    if (path === '/hang') return void hanging.add(res); // never answers
    if (path === '/huge') {
      entry.status = 200;
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
  /** The end of a robots.txt redirect chain: on this authority, or on `localhost` (another one, the same server). */
  const robotsFinal = (port: number) => (typeof robots === 'object' && 'via' in robots && robots.via === 'localhost' ? `http://localhost:${port}/robots-final.txt` : '/robots-final.txt');
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const site: LocalSite = {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    docs,
    news,
    peakConcurrency: () => peak,
    setRobots: (mode) => void (robots = mode),
    publish: (paths) => {
      for (const path of published) if (!paths.includes(path)) removed.add(path);
      published = paths;
    },
    fail: (path, status) => void (status === undefined ? failing.delete(path) : failing.set(path, status)),
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
  return site;
}
