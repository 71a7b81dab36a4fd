import { parseHTML } from 'linkedom';
import { decodeWith, detectTextEncoding } from '../extract/txt/detect-encoding.js';
import { normalizePageUrl } from './site-scope.js';

export interface PageReading {
  title: string | null;
  /** Every link's absolute address (fragments dropped), in page order, without repeats. */
  links: string[];
  /** <meta name="robots" content="noindex">: not to be indexed. */
  noindex: boolean;
  /** <meta name="robots" content="nofollow">: its links are not followed. */
  nofollow: boolean;
}

/** A page's bytes as text: UTF-8, Shift_JIS, EUC-JP… detected as for uploaded files. */
export function decodePage(bytes: Buffer): string {
  const detected = detectTextEncoding(bytes);
  return detected ? decodeWith(bytes.subarray(detected.bomLength), detected.encoding) : bytes.toString('utf8');
}

/** What the crawler needs from a page: its title, its links (against <base href> if any), its robots meta. */
export function readPage(html: string, pageUrl: string): PageReading {
  const { document } = parseHTML(html);
  const base = normalizePageUrl(document.querySelector('base[href]')?.getAttribute('href') ?? '', pageUrl) ?? pageUrl;
  const robots = Array.from(document.querySelectorAll('meta[name="robots" i], meta[name="shioribot" i]') as ArrayLike<{ getAttribute(n: string): string | null }>)
    .map((m) => (m.getAttribute('content') ?? '').toLowerCase())
    .join(',');
  const links = new Set<string>();
  for (const a of Array.from(document.querySelectorAll('a[href]') as ArrayLike<{ getAttribute(n: string): string | null }>)) {
    if ((a.getAttribute('rel') ?? '').toLowerCase().includes('nofollow')) continue;
    const url = normalizePageUrl(a.getAttribute('href') ?? '', base);
    if (url) links.add(url);
  }
  const title = document.querySelector('title')?.textContent?.replace(/\s+/g, ' ').trim() || null;
  return { title: title?.slice(0, 500) ?? null, links: [...links], noindex: /\b(noindex|none)\b/.test(robots), nofollow: /\b(nofollow|none)\b/.test(robots) };
}
