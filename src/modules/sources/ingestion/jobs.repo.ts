import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../../db/client.js';
import { ingestionJobs } from '../../../db/schema.js';

export type IngestionJob = typeof ingestionJobs.$inferSelect;

/** Database interruptions a job may have before they count as attempts (a document that keeps crashing its backend must end). */
const UNCOUNTED_DATABASE_RETRIES = 10;

/** A job as claim() hands it out: running, and carrying the id of the worker that claimed it. */
export type ClaimedJob = IngestionJob & { workerId: string };

/**
 * The job's row while this worker still holds it. Renewing, finishing and retrying change nothing
 * once another worker took the job over (its lease ran out) or it was cancelled (document deleted).
 */
const stillRunning = (job: ClaimedJob) => and(eq(ingestionJobs.id, job.id), eq(ingestionJobs.workerId, job.workerId), eq(ingestionJobs.status, 'running'));

/** Which kinds of job a claim may take (all by default): the worker keeps slots for each. */
export interface ClaimableKinds {
  /** ingest and embed jobs */
  documents?: boolean;
  crawl?: boolean;
  webhook?: boolean;
}

/** The durable queue: plain rows, claimed with FOR UPDATE SKIP LOCKED so any number of workers can share it. */
export function createJobsRepo(db: Database) {
  return {
    enqueue: (tenantId: string, contentId: string) => db.insert(ingestionJobs).values({ tenantId, contentId }).returning(),

    /**
     * Queues vector-only jobs. A document that already has a live job is skipped (the partial
     * unique index): that job embeds it anyway, with the settings of the moment it runs.
     */
    async enqueueEmbed(tenantId: string, contentIds: string[]): Promise<number> {
      let queued = 0;
      for (let i = 0; i < contentIds.length; i += 500) {
        const rows = contentIds.slice(i, i + 500).map((contentId) => ({ tenantId, contentId, kind: 'embed' as const }));
        queued += (await db.insert(ingestionJobs).values(rows).onConflictDoNothing().returning({ id: ingestionJobs.id })).length;
      }
      return queued;
    },

    /**
     * Takes the next runnable job: a queued one whose time has come, or a running one whose
     * worker stopped renewing its lease (crashed or was killed).
     */
    async claim(workerId: string, leaseSeconds: number, allow: ClaimableKinds = {}): Promise<ClaimedJob | undefined> {
      const { documents = true, crawl = true, webhook = true } = allow;
      const rows = await db.execute(sql`
        update ${ingestionJobs} set
          status = 'running',
          attempts = attempts + 1,
          worker_id = ${workerId},
          lease_expires_at = now() + make_interval(secs => ${leaseSeconds}),
          updated_at = now()
        where id = (
          select id from ${ingestionJobs}
          where ((status = 'queued' and run_after <= now())
             or (status = 'running' and lease_expires_at < now()))
            and (kind in ('crawl', 'webhook') or ${documents})
            and (kind <> 'crawl' or ${crawl})
            and (kind <> 'webhook' or ${webhook})
          order by run_after
          limit 1
          for update skip locked
        )
        returning id`);
      // Both drivers' execute() results carry `rows`.
      const id = (rows as unknown as { rows: Array<{ id: string }> }).rows[0]?.id;
      return id ? ((await db.select().from(ingestionJobs).where(eq(ingestionJobs.id, id)))[0] as ClaimedJob | undefined) : undefined;
    },

    /** Extends the lease; false when the job is no longer ours (another worker took it over). */
    renewLease: async (job: ClaimedJob, leaseSeconds: number) =>
      (
        await db
          .update(ingestionJobs)
          .set({ leaseExpiresAt: sql`now() + make_interval(secs => ${leaseSeconds})`, updatedAt: new Date() })
          .where(stillRunning(job))
          .returning({ id: ingestionJobs.id })
      ).length > 0,

    /** False when the job was no longer this worker's. */
    finish: async (job: ClaimedJob, status: 'done' | 'failed', lastError?: string) =>
      (
        await db
          .update(ingestionJobs)
          .set({ status, lastError: lastError ?? null, leaseExpiresAt: null, updatedAt: new Date() })
          .where(stillRunning(job))
          .returning({ id: ingestionJobs.id })
      ).length > 0,

    retryLater: (job: ClaimedJob, delaySeconds: number, lastError: string) =>
      db
        .update(ingestionJobs)
        .set({ status: 'queued', runAfter: sql`now() + make_interval(secs => ${delaySeconds})`, lastError, leaseExpiresAt: null, updatedAt: new Date() })
        .where(stillRunning(job)),

    /**
     * Back in the queue after `delaySeconds`, with the attempt it just used given back (the failure
     * was the database's, not the document's) — the first UNCOUNTED_DATABASE_RETRIES times only.
     */
    retryUncounted: (job: ClaimedJob, delaySeconds: number, lastError: string) =>
      db
        .update(ingestionJobs)
        .set({
          status: 'queued',
          attempts: sql`case when ${ingestionJobs.databaseRetries} < ${UNCOUNTED_DATABASE_RETRIES} then greatest(${ingestionJobs.attempts} - 1, 0) else ${ingestionJobs.attempts} end`,
          databaseRetries: sql`${ingestionJobs.databaseRetries} + 1`,
          runAfter: sql`now() + make_interval(secs => ${delaySeconds})`,
          lastError,
          leaseExpiresAt: null,
          updatedAt: new Date(),
        })
        .where(stillRunning(job)),

    /**
     * Puts every running job back in the queue, to run now. Only for a database that one process
     * alone can open (PGlite): there a job still marked running was left by a process that died,
     * and waiting for its lease to run out would only delay the document. Returns how many.
     */
    releaseInterrupted: async () =>
      (
        await db
          .update(ingestionJobs)
          .set({ status: 'queued', runAfter: sql`now()`, workerId: null, leaseExpiresAt: null, lastError: 'interrupted: the previous process stopped', updatedAt: new Date() })
          .where(eq(ingestionJobs.status, 'running'))
          .returning({ id: ingestionJobs.id })
      ).length,

    /** Queues a crawl of a website source unless one is live (the partial unique index); true when queued. */
    enqueueCrawl: async (tenantId: string, websiteSourceId: string) =>
      (await db.insert(ingestionJobs).values({ tenantId, websiteSourceId, kind: 'crawl' }).onConflictDoNothing().returning({ id: ingestionJobs.id })).length > 0,

    /** Queues the first attempt of a webhook delivery (src/modules/webhooks/), in the caller's transaction. */
    enqueueWebhook: (tenantId: string, webhookDeliveryId: string, maxAttempts: number) =>
      db.insert(ingestionJobs).values({ tenantId, webhookDeliveryId, kind: 'webhook', maxAttempts }).returning({ id: ingestionJobs.id }),

    /** Ends the live crawl of a website source (before deleting it). */
    cancelCrawl: (tenantId: string, websiteSourceId: string) =>
      db
        .update(ingestionJobs)
        .set({ status: 'failed', lastError: 'cancelled', updatedAt: new Date() })
        .where(and(eq(ingestionJobs.tenantId, tenantId), eq(ingestionJobs.websiteSourceId, websiteSourceId), inArray(ingestionJobs.status, ['queued', 'running']))),

    /** Ends live jobs of a document (before deleting or reprocessing it). */
    cancelFor: (tenantId: string, contentId: string) =>
      db
        .update(ingestionJobs)
        .set({ status: 'failed', lastError: 'cancelled', updatedAt: new Date() })
        .where(and(eq(ingestionJobs.tenantId, tenantId), eq(ingestionJobs.contentId, contentId), inArray(ingestionJobs.status, ['queued', 'running']))),
  };
}

export type JobsRepo = ReturnType<typeof createJobsRepo>;
