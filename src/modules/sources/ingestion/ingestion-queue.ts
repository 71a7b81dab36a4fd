import type { Database } from '../../../db/client.js';
import type { IngestionPort } from '../contents/ingestion-port.js';
import type { CrawlQueue } from '../websites/websites.service.js';
import type { WebhookQueue } from '../../webhooks/webhook-events.js';
import { createSearchIndex } from '../../retrieval/search-index.js';
import { inspectFileType } from '../extract/index.js';
import { createJobsRepo } from './jobs.repo.js';
import { prepareTitleIndex } from './title-index.js';

/** The one door documents hand work through: the file-type check, the job queue, chunk writes, and the worker's wake-up. */
export const ingestionQueue = (wake: () => void): IngestionPort => ({
  fileType: inspectFileType,
  enqueue: (tx: Database, tenantId: string, contentId: string) => createJobsRepo(tx).enqueue(tenantId, contentId),
  cancel: (tx: Database, tenantId: string, contentId: string) => createJobsRepo(tx).cancelFor(tenantId, contentId),
  unindex: (db: Database, tenantId: string, contentId: string) => createSearchIndex(db).removeDocument(tenantId, contentId),
  retitle: prepareTitleIndex,
  wake,
});

/** The door website sources hand crawls through: one live crawl per source (the partial unique index). */
export const crawlQueue = (wake: () => void): CrawlQueue => ({
  enqueueCrawl: (tx: Database, tenantId: string, sourceId: string) => createJobsRepo(tx).enqueueCrawl(tenantId, sourceId),
  cancelCrawl: (tx: Database, tenantId: string, sourceId: string) => createJobsRepo(tx).cancelCrawl(tenantId, sourceId),
  wake,
});

/** The door webhook deliveries hand their attempts through (src/modules/webhooks/). */
export const webhookQueue = (wake: () => void): WebhookQueue => ({
  enqueueWebhook: (tx: Database, tenantId: string, deliveryId: string, maxAttempts: number) => createJobsRepo(tx).enqueueWebhook(tenantId, deliveryId, maxAttempts),
  wake,
});
