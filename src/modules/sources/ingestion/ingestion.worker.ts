import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import type { Text } from '../../../http/language.js';
import type { Database } from '../../../db/client.js';
import { isDatabaseUnavailable } from '../../../db/errors.js';
import { createContentsRepo, type ContentRow } from '../contents/contents.repo.js';
import { createTenantsRepo } from '../../tenants/tenants.repo.js';
import { withVectorWarning } from './document-embedder.js';
import { ExtractionError } from '../extract/index.js';
import { processingFailed } from '../contents/failure-messages.js';
import { ingestDocument, type IngestionDeps } from './ingest-document.js';
import { createJobsRepo, type ClaimedJob } from './jobs.repo.js';

export interface WorkerOptions {
  /** Documents processed at once by this worker (each parses in its own child process). */
  concurrency: number;
  pollMs: number;
  /** A job whose worker stops renewing its lease for this long is taken over by another. */
  leaseSeconds: number;
  /**
   * Webhook deliveries at once, beside `concurrency`: each is one short request (a timeout of
   * seconds) that waits on the network, not the CPU, so they get slots of their own and neither
   * they nor the documents wait for the other.
   */
  webhookConcurrency?: number;
}

export const defaultWorkerOptions: WorkerOptions = { concurrency: 2, pollMs: 1000, leaseSeconds: 60, webhookConcurrency: 4 };

export interface IngestionWorker {
  start(): void;
  /** Claims work now instead of at the next poll. */
  wake(): void;
  /** Stops claiming and waits for the documents in hand (aborting them after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

/** Wait before running a job again that the database interrupted (a restart takes seconds). */
const DATABASE_RETRY_SECONDS = 2;

/** Retry delay after the n-th failed attempt: 5 s, 20 s, 80 s…, at most 10 minutes. */
export const backoffSeconds = (attempt: number) => Math.min(600, 5 * 4 ** Math.max(0, attempt - 1));

/** A crawl job's runner (src/modules/sources/websites/crawl-job.ts), handed in by the composition root. */
export type CrawlRunner = (job: ClaimedJob, signal: AbortSignal) => Promise<void>;

/**
 * A webhook job's runner (src/modules/webhooks/delivery-runner.ts): makes one attempt and records it on
 * the delivery; says when to try again, or nothing when the delivery is over (delivered or failed for good).
 */
export type WebhookRunner = (job: ClaimedJob, signal: AbortSignal) => Promise<{ retryAfterSeconds?: number; error?: string }>;

/** What a document's end says to whoever listens (the webhooks' document.completed / document.failed), in the transaction that ends its job. */
export type DocumentFinished = (tx: Database, tenantId: string, outcome: 'completed' | 'failed', data: Record<string, unknown>) => Promise<unknown>;

/** A job whose subject is a document (ingest, embed). */
type DocumentJob = ClaimedJob & { contentId: string };

export interface WorkerDeps extends IngestionDeps {
  log: FastifyBaseLogger;
  /** Runs crawl jobs; a worker without one leaves them to workers that have it. */
  crawl?: CrawlRunner;
  /** Runs webhook jobs; a worker without one leaves them to workers that have it. */
  webhook?: WebhookRunner;
  /** Called when an uploaded document's ingestion ends, completed or failed for good. */
  onDocumentFinished?: DocumentFinished;
  /** Called on each poll (the website scheduler queues due crawls); failures are logged, never fatal. */
  onPoll?: () => Promise<unknown>;
  /**
   * Only this process can have the database open (the embedded PGlite): documents still marked as
   * in progress were interrupted by a crash or kill -9 of the previous one, and are taken up again
   * at start instead of after their lease runs out.
   */
  soleProcess?: boolean;
}

export function createIngestionWorker(deps: WorkerDeps, options: WorkerOptions = defaultWorkerOptions): IngestionWorker {
  const workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const jobs = createJobsRepo(deps.db);
  const contents = createContentsRepo(deps.db);
  const tenants = createTenantsRepo(deps.db);
  const inFlight = new Map<string, { promise: Promise<void>; abort: AbortController; kind: ClaimedJob['kind'] }>();
  const log = deps.log.child({ worker: workerId });
  let running = false;
  let wakeUp = new AbortController();
  let loop: Promise<void> | undefined;

  /** Ends the job and its document as failed, together, unless the job is no longer ours (reprocessed, taken over). */
  async function fail(job: DocumentJob, code: string, reason: Text) {
    await deps.db.transaction(async (tx) => {
      if (!(await createJobsRepo(tx).finish(job, 'failed', `${code}: ${reason.en}`))) return;
      const txContents = createContentsRepo(tx);
      await txContents.update(job.tenantId, job.contentId, { status: 'failed', failureCode: code, failureReason: null, failureMessage: reason, processedAt: new Date() });
      await documentFinished(tx, await txContents.find(job.tenantId, job.contentId));
    });
  }

  /** Ends a completed document's job, and says so in the same transaction. */
  async function complete(job: DocumentJob) {
    await deps.db.transaction(async (tx) => {
      if (!(await createJobsRepo(tx).finish(job, 'done'))) return;
      await documentFinished(tx, await createContentsRepo(tx).find(job.tenantId, job.contentId));
    });
  }

  // A website's pages are documents too, but their news is the crawl's (website.synced), once per crawl, not once per page.
  async function documentFinished(tx: Database, content: ContentRow | undefined) {
    if (!deps.onDocumentFinished || !content || content.websiteSourceId) return;
    const failed = content.status === 'failed';
    await deps.onDocumentFinished(tx, content.tenantId, failed ? 'failed' : 'completed', {
      document: {
        id: content.id,
        title: content.title,
        file_name: content.fileName,
        file_type: content.fileType,
        status: content.status,
        page_count: content.pageCount,
        chunk_count: content.chunkCount,
        ...(failed ? { failure_code: content.failureCode, failure_reason: content.failureMessage ?? null } : {}),
        processed_at: content.processedAt?.toISOString() ?? null,
      },
    });
  }

  /**
   * The database went away mid-job (restart, failover): not the document's fault, so the attempt is
   * given back and the job runs again shortly. If the database is still down even for that, the
   * lease runs out and another claim takes the job over.
   */
  async function databaseUnavailable(job: ClaimedJob, error: unknown, reason: string) {
    log.warn({ err: error, contentId: job.contentId, sourceId: job.websiteSourceId }, 'database unavailable during ingestion; retrying shortly');
    await jobs.retryUncounted(job, DATABASE_RETRY_SECONDS, `database unavailable: ${reason}`);
  }

  async function ingest(job: DocumentJob, content: ContentRow, signal: AbortSignal): Promise<void> {
    if (job.attempts > job.maxAttempts) {
      return fail(job, 'PROCESSING_FAILED', processingFailed.stoppedRepeatedly(job.maxAttempts));
    }
    try {
      const settings = await tenants.settings(job.tenantId);
      await ingestDocument(deps, content, settings, { signal, lastAttempt: job.attempts >= job.maxAttempts });
      await complete(job);
      log.info({ contentId: content.id, tenantId: content.tenantId }, 'document ingested');
    } catch (error) {
      if (signal.aborted) return; // shutting down or taken over: the lease decides who retries
      if (error instanceof ExtractionError && error.permanent) return fail(job, error.code, error.reason);
      const reason = error instanceof Error ? error.message : String(error);
      if (isDatabaseUnavailable(error)) return databaseUnavailable(job, error, reason);
      if (job.attempts < job.maxAttempts) {
        log.warn({ err: error, contentId: content.id, attempt: job.attempts }, 'ingestion failed; will retry');
        await contents.update(job.tenantId, job.contentId, { status: 'pending' });
        await jobs.retryLater(job, backoffSeconds(job.attempts), reason);
      } else {
        log.error({ err: error, contentId: content.id }, 'ingestion failed for good');
        await fail(job, error instanceof ExtractionError ? error.code : 'PROCESSING_FAILED', error instanceof ExtractionError ? error.reason : processingFailed.unexpected(reason));
      }
    }
  }

  /** Vectors only (new key or model): the document stays completed and searchable by full text throughout. */
  async function embed(job: DocumentJob, content: ContentRow, signal: AbortSignal): Promise<void> {
    if (job.attempts > job.maxAttempts) return void (await jobs.finish(job, 'failed', `stopped unexpectedly ${job.maxAttempts} times`));
    const lastAttempt = job.attempts >= job.maxAttempts;
    try {
      const outcome = content.status === 'completed' && deps.embedder ? await deps.embedder.embedDocument(content, { signal, lastAttempt }) : undefined;
      if (outcome && outcome.status !== 'skipped') {
        const warning = outcome.status === 'failed' ? outcome.warning : undefined;
        await contents.update(job.tenantId, job.contentId, { warnings: withVectorWarning(content.warnings, warning), timings: { ...content.timings, embed_ms: outcome.ms } });
        return void (await jobs.finish(job, warning ? 'failed' : 'done', warning?.en));
      }
      const why = outcome ? outcome.reason : content.status !== 'completed' ? `document is ${content.status}` : 'no embedder in this worker';
      await jobs.finish(job, 'done', `skipped: ${why}`);
    } catch (error) {
      if (signal.aborted) return;
      const reason = error instanceof Error ? error.message : String(error);
      if (isDatabaseUnavailable(error)) return databaseUnavailable(job, error, reason);
      log.warn({ err: error, contentId: content.id, attempt: job.attempts }, lastAttempt ? 'embedding failed for good' : 'embedding failed; will retry');
      if (lastAttempt) await jobs.finish(job, 'failed', reason);
      else await jobs.retryLater(job, backoffSeconds(job.attempts), reason);
    }
  }

  async function run(job: ClaimedJob, abort: AbortController): Promise<void> {
    const content = job.contentId ? await contents.find(job.tenantId, job.contentId) : undefined;
    const ofDocument = job.kind === 'ingest' || job.kind === 'embed';
    if (ofDocument && !content) return void (await jobs.finish(job, 'failed', 'document deleted'));
    // Renewing the lease proves we are alive; losing it means another worker took the job over.
    const heartbeat = setInterval(() => {
      jobs.renewLease(job, options.leaseSeconds).then(
        (ours) => !ours && abort.abort(new Error('lease lost')),
        (error: unknown) => log.warn({ err: error, jobId: job.id }, 'could not renew the lease'),
      );
    }, (options.leaseSeconds * 1000) / 3);
    try {
      if (job.kind === 'crawl') await runCrawl(job, abort.signal);
      else if (job.kind === 'webhook') await runWebhook(job, abort.signal);
      else await (job.kind === 'embed' ? embed : ingest)(job as DocumentJob, content!, abort.signal);
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** A crawl's failures are the crawl runner's to record; what escapes it is retried like a document's. */
  async function runCrawl(job: ClaimedJob, signal: AbortSignal): Promise<void> {
    if (!deps.crawl) return void (await jobs.retryLater(job, 60, 'this worker does not crawl'));
    try {
      await deps.crawl(job, signal);
      await jobs.finish(job, 'done');
    } catch (error) {
      if (signal.aborted) return;
      const reason = error instanceof Error ? error.message : String(error);
      if (isDatabaseUnavailable(error)) return databaseUnavailable(job, error, reason);
      log.warn({ err: error, sourceId: job.websiteSourceId, attempt: job.attempts }, 'crawl failed');
      if (job.attempts < job.maxAttempts) await jobs.retryLater(job, backoffSeconds(job.attempts), reason);
      else await jobs.finish(job, 'failed', reason);
    }
  }

  /** One attempt of a webhook delivery; the runner records how it went, the queue keeps when to try again. */
  async function runWebhook(job: ClaimedJob, signal: AbortSignal): Promise<void> {
    if (!deps.webhook) return void (await jobs.retryLater(job, 60, 'this worker does not deliver webhooks'));
    try {
      const { retryAfterSeconds, error } = await deps.webhook(job, signal);
      if (retryAfterSeconds === undefined) await jobs.finish(job, error ? 'failed' : 'done', error);
      else await jobs.retryLater(job, retryAfterSeconds, error ?? 'retrying');
    } catch (error) {
      if (signal.aborted) return;
      const reason = error instanceof Error ? error.message : String(error);
      if (isDatabaseUnavailable(error)) return databaseUnavailable(job, error, reason);
      log.warn({ err: error, deliveryId: job.webhookDeliveryId, attempt: job.attempts }, 'webhook delivery failed unexpectedly');
      if (job.attempts < job.maxAttempts) await jobs.retryLater(job, backoffSeconds(job.attempts), reason);
      else await jobs.finish(job, 'failed', reason);
    }
  }

  async function releaseInterrupted(): Promise<void> {
    try {
      const released = await jobs.releaseInterrupted();
      if (released > 0) log.warn({ jobs: released }, 'documents interrupted by the previous stop are queued again');
    } catch (error) {
      log.warn({ err: error }, 'could not queue the documents interrupted by the previous stop again; their leases will run out');
    }
  }

  async function poll(): Promise<void> {
    if (deps.soleProcess) await releaseInterrupted();
    while (running) {
      if (deps.onPoll) await deps.onPoll().catch((error: unknown) => log.warn({ err: error }, 'scheduled work could not be queued'));
      while (running) {
        const kinds = [...inFlight.values()].map((f) => f.kind);
        const delivering = kinds.filter((kind) => kind === 'webhook').length;
        const documentSlots = kinds.length - delivering < options.concurrency;
        // A crawl holds its slot for minutes and queues documents: one slot at least stays for them.
        const crawling = kinds.filter((kind) => kind === 'crawl').length;
        const allowCrawl = documentSlots && Boolean(deps.crawl) && crawling < Math.max(1, options.concurrency - 1);
        const allowWebhook = Boolean(deps.webhook) && delivering < (options.webhookConcurrency ?? defaultWorkerOptions.webhookConcurrency!);
        if (!documentSlots && !allowWebhook) break;
        const job = await jobs.claim(workerId, options.leaseSeconds, { documents: documentSlots, crawl: allowCrawl, webhook: allowWebhook }).catch((error: unknown) => {
          log.warn({ err: error }, 'could not claim a job');
          return undefined;
        });
        if (!job) break;
        const abort = new AbortController();
        const promise = run(job, abort)
          .catch((error: unknown) => log.error({ err: error, jobId: job.id }, 'job bookkeeping failed'))
          .finally(() => {
            inFlight.delete(job.id);
            wakeUp.abort();
          });
        inFlight.set(job.id, { promise, abort, kind: job.kind });
      }
      await sleep(options.pollMs, undefined, { signal: wakeUp.signal }).catch(() => {});
      if (wakeUp.signal.aborted) wakeUp = new AbortController();
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = poll();
    },
    wake: () => wakeUp.abort(),
    async stop(graceMs = 10_000) {
      running = false;
      wakeUp.abort();
      await loop;
      const pending = [...inFlight.values()];
      const timer = setTimeout(() => pending.forEach((p) => p.abort.abort(new Error('shutting down'))), graceMs);
      await Promise.allSettled(pending.map((p) => p.promise));
      clearTimeout(timer);
    },
  };
}
