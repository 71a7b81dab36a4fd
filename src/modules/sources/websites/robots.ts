import robotsParserModule from 'robots-parser';
import type { Text } from '../../../http/language.js';
import { MAX_CRAWL_DELAY_SECONDS, USER_AGENT_TOKEN } from './crawl-limits.js';
import { crawlFailures } from './page-failures.js';
import { fetchPage, type FetchOptions } from './page-fetcher.js';

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

/**
 * The site's robots.txt for ShioriBot (RFC 9309): none (4xx) allows everything; one that cannot be
 * read (5xx, timeout, refused) forbids everything, so the crawl stops with the reason.
 */
export async function readRobots(origin: string, options: Omit<FetchOptions, 'accept' | 'validators'>): Promise<SiteRules | { failed: Text }> {
  const robotsUrl = `${origin}/robots.txt`;
  const outcome = await fetchPage(robotsUrl, { ...options, accept: [] });
  if (outcome.kind === 'failed' && outcome.status !== undefined && outcome.status >= 400 && outcome.status < 500) return { allowed: () => true, crawlDelaySeconds: 0, sitemaps: [] };
  if (outcome.kind === 'redirect') return { allowed: () => true, crawlDelaySeconds: 0, sitemaps: [] };
  if (outcome.kind !== 'body') return { failed: crawlFailures.robotsUnavailable(outcome.kind === 'failed' ? outcome.reason.en : 'no answer') };
  const robots = robotsParser(robotsUrl, outcome.body.toString('utf8'));
  return {
    allowed: (url) => robots.isAllowed(url, USER_AGENT_TOKEN) !== false,
    crawlDelaySeconds: Math.min(MAX_CRAWL_DELAY_SECONDS, robots.getCrawlDelay(USER_AGENT_TOKEN) ?? 0),
    sitemaps: robots.getSitemaps(),
  };
}
