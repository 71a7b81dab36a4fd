import { MAX_URL_LENGTH } from './crawl-limits.js';

/** Where a website source may go: one origin (scheme, host, port) and the paths under a prefix. */
export interface SiteScope {
  origin: string;
  pathPrefix: string;
}

/** Files a link may point to that are never web pages: not fetched at all. */
const NOT_PAGES = /\.(?:jpe?g|png|gif|webp|svg|ico|bmp|tiff?|mp[34]|m4a|wav|avi|mov|webm|zip|gz|tgz|rar|7z|exe|dmg|iso|css|js|mjs|json|woff2?|ttf|eot|pdf|docx?|xlsx?|pptx?)$/i;

/**
 * The address a page is known by: absolute, http(s), without its #fragment; null for anything
 * else (mailto:, javascript:, too long, unparsable).
 * Example: normalizePageUrl('../faq?x=1#top', 'https://example.jp/help/a') → 'https://example.jp/faq?x=1'
 */
export function normalizePageUrl(raw: string, base?: string): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim(), base);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password) return null;
  url.hash = '';
  const href = url.href;
  return href.length > MAX_URL_LENGTH ? null : href;
}

/** The scope of a source from its start address and optional prefix ('/docs' → '/docs'; default '/'). */
export function scopeOf(startUrl: string, pathPrefix: string): SiteScope {
  return { origin: new URL(startUrl).origin, pathPrefix: pathPrefix || '/' };
}

export function inScope(url: string, scope: SiteScope): boolean {
  const parsed = new URL(url);
  return parsed.origin === scope.origin && parsed.pathname.startsWith(scope.pathPrefix);
}

/** A link worth fetching as a page: in scope and not an image, archive, script or office file. */
export const isCandidatePage = (url: string, scope: SiteScope) => inScope(url, scope) && !NOT_PAGES.test(new URL(url).pathname);
