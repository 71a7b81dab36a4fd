import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../../db/client.js';
import { createContentsRepo, type ContentsRepo } from './contents.repo.js';
import type { FileStorage } from './storage/file-storage.js';

export interface OrphanSweepDeps {
  storage: FileStorage;
  contents: Pick<ContentsRepo, 'storageKeysIn'>;
}

/**
 * Removes stored files written before `cutoff` that no document names. An upload stores its file
 * before the document row commits, so a server killed in between leaves such a file behind; the
 * cutoff spares uploads that are still being accepted. Returns how many files were removed.
 */
export async function sweepOrphanFiles(deps: OrphanSweepDeps, cutoff: Date): Promise<number> {
  let removed = 0;
  for (const [tenantId, keys] of await deps.storage.staleKeys(cutoff)) {
    for (let i = 0; i < keys.length; i += 500) {
      const batch = keys.slice(i, i + 500);
      const kept = new Set(await deps.contents.storageKeysIn(tenantId, batch));
      for (const key of batch.filter((k) => !kept.has(k))) {
        await deps.storage.delete(key);
        removed++;
      }
    }
  }
  return removed;
}

export interface OrphanSweeper {
  /**
   * Sweeps files older than `graceSeconds` (or all, the first time, on a sole process) in the
   * background, so a large store never holds up start-up, then again every half grace period.
   */
  start(): void;
  /** Stops the timer and waits for a sweep in progress (it must not outlive the database). */
  stop(): Promise<void>;
}

export interface OrphanSweeperDeps {
  db: Database;
  storage: FileStorage;
  log: FastifyBaseLogger;
  /**
   * Only this process can have the database open (the embedded PGlite): no upload can be in flight
   * before it listens, nor elsewhere, so the first sweep need not wait for the grace period.
   */
  soleProcess: boolean;
}

/** Runs the sweep at start and then periodically, one at a time; failures are logged and retried at the next turn. */
export function createOrphanSweeper(deps: OrphanSweeperDeps, graceSeconds: number): OrphanSweeper {
  const sweepDeps = { storage: deps.storage, contents: createContentsRepo(deps.db) };
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  const sweep = async (cutoff: Date) => {
    try {
      const removed = await sweepOrphanFiles(sweepDeps, cutoff);
      if (removed > 0) deps.log.warn({ removed }, 'removed uploaded files that no document names (left by a stop mid-upload)');
    } catch (error) {
      deps.log.warn({ err: error }, 'could not sweep orphaned upload files');
    }
  };
  const sweepOlderThan = (seconds: number) => {
    inFlight ??= sweep(new Date(Date.now() - seconds * 1000)).finally(() => (inFlight = undefined));
  };
  return {
    start() {
      if (timer) return;
      sweepOlderThan(deps.soleProcess ? 0 : graceSeconds);
      const everyMs = Math.min(15 * 60, Math.max(2, graceSeconds / 2)) * 1000;
      timer = setInterval(() => sweepOlderThan(graceSeconds), everyMs).unref();
    },
    async stop() {
      clearInterval(timer);
      await inFlight;
    },
  };
}
