import type { TestApp } from '../../../../test/harness.js';

/** Test limits: small enough that the huge page and the hanging page fail fast, deep enough for the site. */
export const testCrawlLimits = { maxPages: 200, maxDepth: 3, maxPageBytes: 256 * 1024, pageTimeoutMs: 1500, totalTimeMs: 120_000, concurrency: 4 };

/** One crawl and two documents at once: 60 pages are indexed in a reasonable time on a busy machine. */
export const testIngestion = { inline: true, concurrency: 3, pollMs: 100, leaseSeconds: 60 };

export const WEBSITES = '/api/v1/sources/websites';

export interface WebsiteBody {
  id: string;
  status: string;
  progress: Record<string, number | string | null>;
  pages: { indexed: number; failed: number; skipped: number };
  documents: { pending: number; completed: number; failed: number };
  last_error: string | null;
  last_error_code: string | null;
  last_crawl_started_at: string | null;
  last_crawl_finished_at: string | null;
  next_sync_at: string | null;
}

/**
 * Waits until the source's crawl has finished after `after` and every document of it is indexed
 * (searchable): what "the crawl is done" means to a user.
 */
export async function waitForCrawl(t: TestApp, token: string, id: string, after: Date, timeoutMs = 420_000): Promise<WebsiteBody> {
  const deadline = Date.now() + timeoutMs;
  let last: WebsiteBody | undefined;
  while (Date.now() < deadline) {
    const res = await t.request('GET', `${WEBSITES}/${id}`, { token });
    if (res.statusCode !== 200) throw new Error(`GET website: ${res.statusCode} ${res.body}`);
    last = res.json() as WebsiteBody;
    const finished = last.last_crawl_finished_at && new Date(last.last_crawl_finished_at) >= after;
    if (finished && (last.status === 'idle' || last.status === 'failed') && last.documents.pending === 0) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`crawl did not finish: ${JSON.stringify(last)}`);
}

/** Adds a website as an ADMIN (201 expected) and waits for its first crawl to be done. */
export async function addWebsite(t: TestApp, token: string, body: Record<string, unknown>): Promise<WebsiteBody> {
  const started = new Date();
  const res = await t.request('POST', WEBSITES, { token, body });
  if (res.statusCode !== 201) throw new Error(`POST website: ${res.statusCode} ${res.body}`);
  return waitForCrawl(t, token, res.json().id, started);
}

/** Re-syncs now (202 expected) and waits for that crawl to be done. */
export async function sync(t: TestApp, token: string, id: string): Promise<WebsiteBody> {
  const started = new Date();
  const res = await t.request('POST', `${WEBSITES}/${id}/sync`, { token });
  if (res.statusCode !== 202) throw new Error(`POST sync: ${res.statusCode} ${res.body}`);
  return waitForCrawl(t, token, id, started);
}

export async function allPages(t: TestApp, token: string, id: string, language = 'en'): Promise<Array<{ url: string; status: string; failure_code: string | null; failure_reason: string | null; file_id: string | null; changed_at: string | null }>> {
  const res = await t.request('GET', `${WEBSITES}/${id}/pages`, { token, query: { limit: '500' }, headers: { 'accept-language': language } });
  if (res.statusCode !== 200) throw new Error(`GET pages: ${res.statusCode} ${res.body}`);
  return res.json();
}
