import robotsParserModule from 'robots-parser';
import { MAX_CRAWL_DELAY_SECONDS, MAX_ROBOTS_REDIRECTS, USER_AGENT_TOKEN } from './crawl-limits.js';
import { crawlFailures, type CrawlFailureCode, type CrawlStop } from './page-failures.js';
import { fetchPage, type FetchOptions } from './page-fetcher.js';
import { normalizePageUrl } from './site-scope.js';

interface ParsedRobots {
  isAllowed(url: string, ua?: string): boolean | undefined;
  getCrawlDelay(ua?: string): number | undefined;
  getSitemaps(): string[];
}
// A CommonJS module whose typings declare an ES default export: at run time the default import is the function.
const robotsParser = robotsParserModule as unknown as (url: string, contents: string) => ParsedRobots;

export interface SiteRules {
  allowed(url: string): boolean;
  /** Seconds to wait between requests, as the site asks (at most MAX_CRAWL_DELAY_SECONDS); 0 if it does not. */
  crawlDelaySeconds: number;
  /** Sitemaps the site lists. */
  sitemaps: string[];
}

const allowEverything: SiteRules = { allowed: () => true, crawlDelaySeconds: 0, sitemaps: [] };

/**
 * The site's robots.txt for ShioriBot (RFC 9309 §2.3.1): redirects are followed, up to five hops,
 * each through the outbound policy like any request; none (4xx, or more than five redirects)
 * allows everything; one that cannot be read (5xx, 429, timeout, refused, unreachable) forbids
 * everything, so the crawl stops with the reason.
 */
export async function readRobots(origin: string, options: Omit<FetchOptions, 'accept' | 'validators'>): Promise<SiteRules | { failed: CrawlStop<CrawlFailureCode> }> {
  const robotsUrl = `${origin}/robots.txt`;
  let url = robotsUrl;
  // `hop`: redirects followed so far.
  for (let hop = 0; ; hop++) {
    const outcome = await fetchPage(url, { ...options, accept: [] });
    if (outcome.kind === 'redirect') {
      const next = normalizePageUrl(outcome.location, url);
      // Too many hops or nowhere to go: RFC 9309 counts it as unavailable, like a 404.
      if (!next || hop >= MAX_ROBOTS_REDIRECTS) return allowEverything;
      url = next;
      continue;
    }
    if (outcome.kind === 'body') {
      // The rules are about this site's addresses, wherever the file was served from.
      const robots = robotsParser(robotsUrl, outcome.body.toString('utf8'));
      return {
        allowed: (page) => robots.isAllowed(page, USER_AGENT_TOKEN) !== false,
        crawlDelaySeconds: Math.min(MAX_CRAWL_DELAY_SECONDS, robots.getCrawlDelay(USER_AGENT_TOKEN) ?? 0),
        sitemaps: robots.getSitemaps(),
      };
    }
    const status = outcome.kind === 'failed' ? outcome.status : undefined;
    // 429 is a request to slow down, not an absence: treated like a server error.
    if (status !== undefined && status >= 400 && status < 500 && status !== 429) return allowEverything;
    if (outcome.kind === 'failed' && outcome.code === 'ADDRESS_REFUSED') return { failed: crawlFailures.addressRefused(outcome.reason) };
    return { failed: crawlFailures.robotsUnavailable(outcome.kind === 'failed' ? outcome.reason : { ja: '応答がありません', en: 'no answer' }) };
  }
}
