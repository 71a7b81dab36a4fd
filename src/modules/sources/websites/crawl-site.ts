import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Text } from '../../../http/language.js';
import type { OutboundFetch } from '../../../lib/outbound/outbound-fetch.js';
import { MAX_LINKS_PER_PAGE, MAX_SITEMAPS, type CrawlLimits } from './crawl-limits.js';
import { crawlFailures, pageFailures, type CrawlFailureCode, type CrawlLimitCode, type CrawlStop } from './page-failures.js';
import { fetchPage, type FetchOptions, type PageFailureCode } from './page-fetcher.js';
import { decodePage, readPage } from './page-reading.js';
import { readRobots, type SiteRules } from './robots.js';
import { readSitemap } from './sitemap.js';
import { isCandidatePage, normalizePageUrl, type SiteScope } from './site-scope.js';

/** What the last crawl kept of a page that has a current document. */
export interface KnownPage {
  etag: string | null;
  lastModified: string | null;
  sha256: string | null;
  links: string[];
}

export type PageResult =
  /** New or changed: its HTML is to be (re-)indexed. */
  | { kind: 'changed'; url: string; depth: number; body: Buffer; title: string | null; sha256: string; etag: string | null; lastModified: string | null; links: string[] }
  | { kind: 'unchanged'; url: string; depth: number; etag: string | null; lastModified: string | null; links: string[] }
  /** Could not be read (failed) or is left out on purpose (skipped); `gone` when the site says it no longer exists. */
  | { kind: 'failed' | 'skipped'; url: string; depth: number; code: PageFailureCode | 'ROBOTS' | 'NOINDEX' | 'REDIRECTED' | 'NO_TEXT'; reason: Text; gone: boolean };

export interface CrawlTarget {
  startUrl: string;
  isSitemap: boolean;
  scope: SiteScope;
}

export interface CrawlDeps {
  fetch: OutboundFetch;
  limits: CrawlLimits;
  signal: AbortSignal;
  /** The source's pages with a current document, by address. */
  known: Map<string, KnownPage>;
  /** Called once per address found in scope, in the order pages finish. */
  onPage(result: PageResult): Promise<void>;
}

export interface CrawlOutcome {
  /** The crawl could not run at all (robots.txt unreadable, the site's address refused). */
  failed?: CrawlStop<CrawlFailureCode>;
  /** A limit (pages, time) stopped it before it read everything it found: pages it did not reach are not "gone". */
  stopped?: CrawlStop<CrawlLimitCode>;
  /** Every address in scope the crawl found this time (the others the source had are gone from the site). */
  seen: Set<string>;
}

const HTML_TYPES = ['text/html', 'application/xhtml+xml'];
const XML_TYPES = ['application/xml', 'text/xml', 'application/rss+xml', 'text/plain'];

/**
 * Crawls one site: robots.txt first, then the sitemaps (the source's, or the ones robots.txt lists)
 * and the start page, then the links of each page read, breadth first, up to the depth limit,
 * `concurrency` requests at a time (one, with the site's Crawl-delay, if it sets one). Pages are
 * handed to `onPage` as they finish; the database is the caller's.
 */
export async function crawlSite(target: CrawlTarget, deps: CrawlDeps): Promise<CrawlOutcome> {
  const { limits, signal } = deps;
  const seen = new Set<string>();
  const queue: Array<{ url: string; depth: number }> = [];
  const deadline = Date.now() + limits.totalTimeMs;
  let stopped: CrawlStop<CrawlLimitCode> | undefined;
  /** True (and the reason kept) once the crawl's time is up: nothing new is requested after it. */
  const outOfTime = () => {
    if (Date.now() < deadline) return false;
    stopped ??= crawlFailures.timeLimit(limits.totalTimeMs);
    return true;
  };

  const rules = await readRobots(target.scope.origin, { fetch: deps.fetch, limits, signal });
  if ('failed' in rules) return { failed: rules.failed, seen };
  const site: SiteRules = rules;
  // Every later request (sitemaps and pages) waits for its turn: Crawl-delay seconds after the one before.
  const fetchOptions = { fetch: deps.fetch, limits, signal, pace: pacer(site.crawlDelaySeconds * 1000, signal) };

  const pending: Promise<void>[] = [];
  /** Records an address found in scope; robots-forbidden ones are reported at once. */
  const found = (raw: string, depth: number, base?: string) => {
    const url = normalizePageUrl(raw, base);
    if (!url || !isCandidatePage(url, target.scope) || seen.has(url)) return;
    if (seen.size >= limits.maxPages) {
      stopped ??= crawlFailures.pageLimit(limits.maxPages);
      return;
    }
    seen.add(url);
    if (!site.allowed(url)) pending.push(deps.onPage({ kind: 'skipped', url, depth, code: 'ROBOTS', reason: pageFailures.robots(), gone: false }));
    else queue.push({ url, depth });
  };

  const sitemaps = target.isSitemap ? [target.startUrl] : site.sitemaps.filter((s) => normalizePageUrl(s)?.startsWith(`${target.scope.origin}/`));
  if (!target.isSitemap) found(target.startUrl, 0);
  await readSitemaps(sitemaps, target, fetchOptions, outOfTime, (url) => found(url, 0));
  await Promise.all(pending.splice(0));

  async function visit(url: string, depth: number): Promise<void> {
    const known = deps.known.get(url);
    await fetchOptions.pace();
    const outcome = await fetchPage(url, { ...fetchOptions, accept: HTML_TYPES, validators: known ? { etag: known.etag, lastModified: known.lastModified } : undefined });
    const follow = (links: string[]) => {
      if (depth < limits.maxDepth) for (const link of links) found(link, depth + 1);
    };
    if (outcome.kind === 'redirect') {
      const to = normalizePageUrl(outcome.location, url);
      if (to && isCandidatePage(to, target.scope)) {
        found(to, depth);
        return deps.onPage({ kind: 'skipped', url, depth, code: 'REDIRECTED', reason: pageFailures.redirected(to), gone: true });
      }
      return deps.onPage({ kind: 'skipped', url, depth, code: 'REDIRECTED', reason: pageFailures.redirectOffSite((to ?? outcome.location).slice(0, 300)), gone: true });
    }
    if (outcome.kind === 'failed') {
      const gone = outcome.code === 'PAGE_GONE';
      // A passing failure (5xx, timeout) says nothing about the pages it links to: they stay "seen" through the links it had.
      if (!gone && known) follow(known.links);
      return deps.onPage({ kind: 'failed', url, depth, code: outcome.code, reason: outcome.reason, gone });
    }
    if (outcome.kind === 'not-modified' && known) {
      follow(known.links);
      return deps.onPage({ kind: 'unchanged', url, depth, etag: outcome.etag ?? known.etag, lastModified: outcome.lastModified ?? known.lastModified, links: known.links });
    }
    if (outcome.kind === 'not-modified') return deps.onPage({ kind: 'failed', url, depth, code: 'HTTP_ERROR', reason: pageFailures.httpError(304), gone: false });
    const page = readPage(decodePage(outcome.body), url);
    const links = page.nofollow ? [] : page.links.filter((link) => isCandidatePage(link, target.scope)).slice(0, MAX_LINKS_PER_PAGE);
    follow(links);
    if (page.noindex) return deps.onPage({ kind: 'skipped', url, depth, code: 'NOINDEX', reason: pageFailures.noindex(), gone: true });
    const sha256 = createHash('sha256').update(outcome.body).digest('hex');
    const base = { url, depth, etag: outcome.etag, lastModified: outcome.lastModified, links };
    if (known && known.sha256 === sha256) return deps.onPage({ kind: 'unchanged', ...base });
    return deps.onPage({ kind: 'changed', ...base, body: outcome.body, title: page.title, sha256 });
  }

  // Breadth first, a few at a time; one at a time when the site sets a Crawl-delay (the paced fetch spaces them).
  const concurrency = site.crawlDelaySeconds > 0 ? 1 : limits.concurrency;
  const active = new Set<Promise<void>>();
  while (queue.length > 0 || active.size > 0) {
    signal.throwIfAborted();
    while (queue.length > 0 && active.size < concurrency) {
      // Out of time: requests under way finish (each within pageTimeoutMs); none is started.
      if (outOfTime()) {
        queue.length = 0;
        break;
      }
      const next = queue.shift()!;
      const task: Promise<void> = visit(next.url, next.depth).finally(() => active.delete(task));
      active.add(task);
    }
    if (active.size > 0) await Promise.race(active);
    await Promise.all(pending.splice(0));
  }
  // Not reached before the time ran out: not gone, just unread; they keep their documents.
  return { stopped, seen };
}

/** Reads the sitemaps, following sitemap indexes, at most MAX_SITEMAPS of them; unreadable ones are skipped. */
async function readSitemaps(first: string[], target: CrawlTarget, options: Omit<FetchOptions, 'accept'> & { pace: () => Promise<void> }, outOfTime: () => boolean, onPage: (url: string) => void): Promise<void> {
  const queue = [...first];
  const read = new Set<string>();
  while (queue.length > 0 && read.size < MAX_SITEMAPS && !outOfTime()) {
    const url = queue.shift()!;
    if (read.has(url)) continue;
    read.add(url);
    await options.pace();
    const outcome = await fetchPage(url, { ...options, accept: XML_TYPES });
    if (outcome.kind !== 'body') continue;
    const entries = readSitemap(decodePage(outcome.body));
    for (const page of entries.pages) onPage(page);
    for (const sitemap of entries.sitemaps) {
      const next = normalizePageUrl(sitemap);
      if (next && new URL(next).origin === target.scope.origin) queue.push(next);
    }
  }
}

/**
 * Waits for the next request's turn: at least `delayMs` after the previous one started (the site's
 * Crawl-delay), before its own timeout starts. Each caller reserves its turn before waiting, so
 * callers at once still queue up.
 */
function pacer(delayMs: number, signal: AbortSignal): () => Promise<void> {
  let nextTurn = Date.now() + delayMs; // robots.txt was the first request
  return async () => {
    if (delayMs <= 0) return;
    const turn = Math.max(Date.now(), nextTurn);
    nextTurn = turn + delayMs;
    if (turn > Date.now()) await sleep(turn - Date.now(), undefined, { signal });
  };
}
