import { z } from 'zod';
import { websitePageStatuses, websiteStatuses } from '../../../db/enums.js';
import { MAX_URL_LENGTH } from './crawl-limits.js';
import { crawlFailureCodes, crawlLimitCodes } from './page-failures.js';

const webUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// address' })
  .max(MAX_URL_LENGTH, `must be at most ${MAX_URL_LENGTH} characters`);

const syncIntervalHours = z
  .number()
  .int('must be a whole number')
  .min(0, 'must be 0 (on demand only) or more')
  .max(24 * 90, 'must be at most 2160 (90 days)')
  .describe('Hours between automatic re-syncs; 0 syncs only on demand. Default 24 (daily)');

const pathPrefix = z
  .string()
  .trim()
  .max(500, 'must be at most 500 characters')
  .regex(/^\/[^\s?#]*$/, 'must be a path starting with / (no query or #)')
  .describe('Only pages whose path starts with this are crawled; default `/`, the whole site');

export const createWebsiteBodySchema = z
  .strictObject({
    start_url: webUrl.optional().describe('A page to start from; links are followed from it'),
    sitemap_url: webUrl.optional().describe('A sitemap (or sitemap index) listing the pages; their links are followed too'),
    path_prefix: pathPrefix.optional(),
    sync_interval_hours: syncIntervalHours.default(24),
  })
  .refine((b) => (b.start_url === undefined) !== (b.sitemap_url === undefined), { message: 'send either start_url or sitemap_url', path: ['start_url'] });
export type CreateWebsiteBody = z.infer<typeof createWebsiteBodySchema>;

export const updateWebsiteBodySchema = z.strictObject({ sync_interval_hours: syncIntervalHours });

export const websiteIdParamsSchema = z.object({ website_id: z.uuid('must be a UUID') });

const paging = {
  skip: z.coerce.number().int('must be a whole number').min(0, 'must be 0 or more').default(0),
  limit: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(500, 'must be at most 500').default(100),
};
export const listWebsitesQuerySchema = z.object(paging);
export const listWebsitePagesQuerySchema = z.object({ ...paging, status: z.enum(websitePageStatuses).optional() });

const progressSchema = z.object({
  discovered: z.number().int().describe('Addresses in scope found by the current or last crawl'),
  fetched: z.number().int().describe('Pages read (changed + unchanged)'),
  changed: z.number().int().describe('New or changed pages handed to indexing'),
  unchanged: z.number().int().describe('Pages unchanged since the previous crawl (304, or the same content)'),
  failed: z.number().int(),
  skipped: z.number().int().describe('Left out on purpose: robots.txt, noindex, redirects'),
  removed: z.number().int().describe('Pages gone from the site whose documents were removed'),
  stopped: z.string().nullable().describe('Why the crawl stopped early (a limit), in the caller’s language'),
  stopped_code: z.enum(crawlLimitCodes).nullable().describe('Which limit stopped it: PAGE_LIMIT (pages per crawl), TIME_LIMIT (time per crawl); the pages not reached keep their documents'),
});

export const websiteSchema = z
  .object({
    id: z.uuid(),
    start_url: z.string(),
    is_sitemap: z.boolean(),
    path_prefix: z.string(),
    sync_interval_hours: z.number().int(),
    status: z.enum(websiteStatuses).describe('queued → crawling → idle, or failed (see last_error)'),
    progress: progressSchema,
    pages: z.object({ indexed: z.number().int(), failed: z.number().int(), skipped: z.number().int() }).describe('The source’s pages now, by status'),
    documents: z.object({ pending: z.number().int(), completed: z.number().int(), failed: z.number().int() }).describe('Its pages’ documents by indexing status: searchable once completed'),
    last_error: z.string().nullable().describe('Why the last crawl could not run, in the caller’s language'),
    last_error_code: z
      .enum(crawlFailureCodes)
      .nullable()
      .describe('The same as a code: ROBOTS_UNAVAILABLE (robots.txt answered 5xx/429 or not at all), ADDRESS_REFUSED (the outbound policy refused the site’s address), UNEXPECTED (retried)'),
    last_crawl_started_at: z.iso.datetime().nullable(),
    last_crawl_finished_at: z.iso.datetime().nullable(),
    next_sync_at: z.iso.datetime().nullable(),
    created_at: z.iso.datetime(),
  })
  .meta({ id: 'Website' });

export const websitePageSchema = z
  .object({
    url: z.string(),
    status: z.enum(websitePageStatuses),
    file_id: z.uuid().nullable().describe('Its document (GET /api/v1/contents/{id}) while it has one'),
    failure_code: z.string().nullable().describe('ROBOTS, NOINDEX, REDIRECTED, PAGE_GONE, HTTP_ERROR, NOT_HTML, PAGE_TOO_LARGE, PAGE_TIMEOUT, ADDRESS_REFUSED, FETCH_FAILED, QUOTA_EXCEEDED, REMOVED (an admin deleted its document: re-syncs leave it out)'),
    failure_reason: z.string().nullable().describe('Why, in the caller’s language'),
    depth: z.number().int(),
    fetched_at: z.iso.datetime().nullable(),
    changed_at: z.iso.datetime().nullable().describe('When its content last changed and was re-indexed'),
  })
  .meta({ id: 'WebsitePage' });
