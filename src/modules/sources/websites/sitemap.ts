import { XMLParser } from 'fast-xml-parser';

export interface SitemapEntries {
  /** Page addresses of a <urlset>. */
  pages: string[];
  /** Sitemaps listed by a <sitemapindex>. */
  sitemaps: string[];
}

// Entities are not expanded (no billion laughs); attributes and namespaces are not needed.
const parser = new XMLParser({ ignoreAttributes: true, processEntities: false, removeNSPrefix: true, isArray: (name) => name === 'url' || name === 'sitemap' });

const locs = (items: unknown): string[] =>
  (Array.isArray(items) ? items : []).map((item) => (item as { loc?: unknown })?.loc).filter((loc): loc is string => typeof loc === 'string').map((loc) => loc.trim().replaceAll('&amp;', '&'));

/**
 * The addresses in a sitemap (sitemaps.org): a <urlset> of pages or a <sitemapindex> of sitemaps.
 * Anything that is not one of those gives nothing.
 */
export function readSitemap(xml: string): SitemapEntries {
  let doc: Record<string, { url?: unknown; sitemap?: unknown } | undefined>;
  try {
    doc = parser.parse(xml) as typeof doc;
  } catch {
    return { pages: [], sitemaps: [] };
  }
  return { pages: locs(doc.urlset?.url), sitemaps: locs(doc.sitemapindex?.sitemap) };
}
