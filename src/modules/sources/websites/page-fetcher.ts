import type { Text } from '../../../http/language.js';
import { outboundRefusal, type OutboundFetch } from '../../../lib/outbound/outbound-fetch.js';
import { USER_AGENT, type CrawlLimits } from './crawl-limits.js';
import { pageFailures } from './page-failures.js';

/** The validators of the copy we hold, sent so an unchanged page answers 304 without a body. */
export interface Validators {
  etag?: string | null;
  lastModified?: string | null;
}

export type PageFailureCode = 'PAGE_GONE' | 'HTTP_ERROR' | 'NOT_HTML' | 'PAGE_TOO_LARGE' | 'PAGE_TIMEOUT' | 'ADDRESS_REFUSED' | 'FETCH_FAILED';

export type FetchOutcome =
  | { kind: 'body'; status: number; body: Buffer; contentType: string; etag: string | null; lastModified: string | null }
  | { kind: 'not-modified'; etag: string | null; lastModified: string | null }
  /** One hop: the crawler judges the target (in scope? seen?) and fetches it as a page of its own. */
  | { kind: 'redirect'; location: string }
  | { kind: 'failed'; code: PageFailureCode; reason: Text; status?: number };

export interface FetchOptions {
  fetch: OutboundFetch;
  limits: Pick<CrawlLimits, 'maxPageBytes' | 'pageTimeoutMs'>;
  /** The crawl's own signal: aborting it (shutdown, lease lost) rejects instead of reporting the page. */
  signal: AbortSignal;
  validators?: Validators;
  /** Content types accepted (prefixes); anything else is reported as NOT_HTML. Empty: any. */
  accept: string[];
}

/**
 * One GET through the SSRF guard (src/lib/outbound/): redirects are returned, not followed, so each
 * hop is judged by the crawler; the body is read up to `maxPageBytes` and no further; the whole
 * request is aborted after `pageTimeoutMs`. Every way a page can fail becomes a reason, never a throw,
 * except the crawl's own abort.
 */
export async function fetchPage(url: string, options: FetchOptions): Promise<FetchOutcome> {
  const { limits, validators } = options;
  const timeout = AbortSignal.timeout(limits.pageTimeoutMs);
  const signal = AbortSignal.any([options.signal, timeout]);
  const headers: Record<string, string> = { 'user-agent': USER_AGENT, accept: options.accept.length ? `${options.accept.join(', ')};q=1, */*;q=0.1` : '*/*' };
  if (validators?.etag) headers['if-none-match'] = validators.etag;
  if (validators?.lastModified) headers['if-modified-since'] = validators.lastModified;
  try {
    const response = await options.fetch(url, { headers, signal });
    const etag = response.headers.get('etag');
    const lastModified = response.headers.get('last-modified');
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && response.status !== 304) {
      await response.body?.cancel();
      return location ? { kind: 'redirect', location } : { kind: 'failed', code: 'HTTP_ERROR', reason: pageFailures.httpError(response.status), status: response.status };
    }
    if (response.status === 304) return { kind: 'not-modified', etag, lastModified };
    if (response.status === 404 || response.status === 410) {
      await response.body?.cancel();
      return { kind: 'failed', code: 'PAGE_GONE', reason: pageFailures.gone(response.status), status: response.status };
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      return { kind: 'failed', code: 'HTTP_ERROR', reason: pageFailures.httpError(response.status), status: response.status };
    }
    const contentType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (options.accept.length && !options.accept.some((type) => contentType.startsWith(type))) {
      await response.body?.cancel();
      return { kind: 'failed', code: 'NOT_HTML', reason: pageFailures.notHtml(contentType) };
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (declared > limits.maxPageBytes) {
      await response.body?.cancel();
      return { kind: 'failed', code: 'PAGE_TOO_LARGE', reason: pageFailures.tooLarge(limits.maxPageBytes) };
    }
    const body = await readAtMost(response, limits.maxPageBytes);
    if (!body) return { kind: 'failed', code: 'PAGE_TOO_LARGE', reason: pageFailures.tooLarge(limits.maxPageBytes) };
    return { kind: 'body', status: response.status, body, contentType, etag, lastModified };
  } catch (error) {
    if (options.signal.aborted) throw options.signal.reason;
    if (timeout.aborted) return { kind: 'failed', code: 'PAGE_TIMEOUT', reason: pageFailures.timeout(Math.round(limits.pageTimeoutMs / 1000)) };
    const refusal = outboundRefusal(error);
    if (refusal) return { kind: 'failed', code: 'ADDRESS_REFUSED', reason: pageFailures.refused(refusal.message) };
    return { kind: 'failed', code: 'FETCH_FAILED', reason: pageFailures.unreachable(describe(error)) };
  }
}

/** The body, or null once it passes `max` bytes (the rest is never read: the stream is cancelled). */
async function readAtMost(response: Response, max: number): Promise<Buffer | null> {
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return null;
    }
    parts.push(value);
  }
  return Buffer.concat(parts);
}

/** A network error's own words, without a stack: the cause's code when fetch wraps it ("ECONNREFUSED"). */
function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return (cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error))).slice(0, 200);
}
