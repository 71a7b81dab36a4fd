/** The limits of one crawl of one website source (CRAWL_* in .env.example; src/config.ts). */
export interface CrawlLimits {
  /** Addresses in scope recorded per crawl; past it the crawl stops finding more and says so. */
  maxPages: number;
  /** Link hops from the start page or a sitemap entry (0: those pages only). */
  maxDepth: number;
  /** Bytes read of one page or sitemap; reading stops past it and the page is reported as too large. */
  maxPageBytes: number;
  /** One request, headers and body; a page that never answers is aborted and reported. */
  pageTimeoutMs: number;
  /** The whole crawl; past it the pages not yet read wait for the next one. */
  totalTimeMs: number;
  /** Requests to the site at once: small, to stay polite. */
  concurrency: number;
}

export const defaultCrawlLimits: CrawlLimits = {
  maxPages: 500,
  maxDepth: 5,
  maxPageBytes: 5 * 1024 * 1024,
  pageTimeoutMs: 20_000,
  totalTimeMs: 60 * 60_000,
  concurrency: 2,
};

/** The re-sync schedule's own setting (not an env variable: tests shorten it). */
export interface CrawlScheduleOptions {
  /** How often due sources are looked for (on the worker's poll, at most this often). */
  checkEveryMs: number;
}

export const defaultCrawlScheduleOptions: CrawlScheduleOptions = { checkEveryMs: 15_000 };

/** What the crawler calls itself, in requests and when reading robots.txt. */
export const USER_AGENT_TOKEN = 'ShioriBot';
export const USER_AGENT = `${USER_AGENT_TOKEN}/1.0 (+https://github.com/shiori; knowledge crawler)`;

/** Redirect targets, sitemaps and links longer than this are not followed. */
export const MAX_URL_LENGTH = 2048;
/** Sitemaps read per crawl (an index and the sitemaps it lists). */
export const MAX_SITEMAPS = 50;
/** Links kept per page for the next crawl's walk. */
export const MAX_LINKS_PER_PAGE = 1000;
/** A robots.txt Crawl-delay above this is honoured as this (seconds). */
export const MAX_CRAWL_DELAY_SECONDS = 10;
/** Redirects followed to reach robots.txt (RFC 9309 §2.3.1.2: at least five); past them there is none. */
export const MAX_ROBOTS_REDIRECTS = 5;
