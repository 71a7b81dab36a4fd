import type { z } from 'zod';
import type { duplicateContentErrorSchema } from '../../../../src/modules/sources/contents/contents.schemas.js';
import { toErrorBody } from '../../api/client.js';
import { UploadError, type RateBudget } from '../../api/upload.js';
import { adoptLeftUploads, forgetUpload, randomId, saveUpload, tabId, type StoredUpload } from './upload-store.js';

// The dashboard's upload queue: a few files at a time, paced by the server's upload limit so the
// rest wait here instead of being refused; a 429 waits out Retry-After and sends again, a dropped
// connection is retried a few times, and what is still to send is kept in IndexedDB for a reload.

export type UploadState =
  | { kind: 'waiting' }
  | { kind: 'uploading'; progress: number }
  | { kind: 'done'; contentId: string }
  | { kind: 'duplicate'; existingId: string }
  | { kind: 'failed'; detail: string; code: string };

export interface QueuedUpload {
  id: string;
  name: string;
  size: number;
  state: UploadState;
  /** Brought back from a previous page (a reload, a closed tab). */
  resumed: boolean;
}

/** Nothing starts before `until`: the upload limit is spent, or the connection dropped. */
export interface QueuePause {
  reason: 'limit' | 'network';
  until: number;
}

export interface QueueSnapshot {
  uploads: QueuedUpload[];
  pause?: QueuePause;
  /** Files that IndexedDB could not keep: a reload would lose them. */
  unsaved: number;
}

export interface UploadQueue {
  subscribe(listener: () => void): () => void;
  getSnapshot(): QueueSnapshot;
  add(files: Iterable<File>): void;
  retry(id: string): void;
  remove(id: string): void;
  clearFinished(): void;
  stop(): void;
}

export type SendUpload = (file: File, onProgress: (fraction: number) => void, signal: AbortSignal) => Promise<{ contentId: string; budget?: RateBudget }>;

interface Item extends QueuedUpload {
  file: File;
  addedAt: number;
  saved: Promise<boolean>;
  abort?: AbortController;
}

const CONCURRENCY = 3;
/** Back-off after a dropped connection (the server restarting, a proxy cutting a long upload). */
const NETWORK_RETRY_SECONDS = [5, 15, 30, 60];
const FALLBACK_RETRY_SECONDS = 60;

export function createUploadQueue(owner: string, send: SendUpload): UploadQueue {
  const items: Item[] = [];
  const listeners = new Set<() => void>();
  let snapshot: QueueSnapshot = { uploads: [], unsaved: 0 };
  let pause: QueuePause | undefined;
  let pauseTimer: ReturnType<typeof setTimeout> | undefined;
  /** The last budget the server told us of, valid until `resetAt`. */
  let budget: { remaining: number; resetAt: number } | undefined;
  let inFlight = 0;
  let networkFailures = 0;
  let stopped = false;
  const unsavedIds = new Set<string>();

  function emit() {
    const uploads = items.map(({ id, name, size, state, resumed }) => ({ id, name, size, state, resumed }));
    snapshot = { uploads, pause, unsaved: items.filter((i) => unsavedIds.has(i.id) && isPending(i.state)).length };
    for (const listener of listeners) listener();
  }

  function setState(item: Item, state: UploadState) {
    item.state = state;
    emit();
  }

  function pauseUntil(reason: QueuePause['reason'], until: number) {
    if (pause && pause.until >= until) return;
    pause = { reason, until };
    clearTimeout(pauseTimer);
    pauseTimer = setTimeout(pump, until - Date.now() + 200);
    emit();
  }

  function pump() {
    if (stopped) return;
    const now = Date.now();
    if (pause) {
      if (pause.until > now) return;
      pause = undefined;
      emit();
    }
    if (budget && budget.resetAt <= now) budget = undefined;
    while (inFlight < CONCURRENCY) {
      const next = items.find((i) => i.state.kind === 'waiting');
      if (!next) return;
      // Requests in flight may already have spent what the last answer said was left.
      if (budget && budget.remaining - inFlight <= 0) {
        if (inFlight === 0) pauseUntil('limit', budget.resetAt);
        return;
      }
      start(next);
    }
  }

  function noteBudget(next: RateBudget | undefined) {
    if (!next) return;
    const resetAt = Date.now() + next.resetSeconds * 1000;
    // Answers arrive out of order: within one window the smallest remaining is the truest.
    const sameWindow = budget && Math.abs(budget.resetAt - resetAt) < 2000;
    budget = { remaining: sameWindow ? Math.min(budget!.remaining, next.remaining) : next.remaining, resetAt };
  }

  function start(item: Item) {
    inFlight += 1;
    item.abort = new AbortController();
    setState(item, { kind: 'uploading', progress: 0 });
    send(item.file, (progress) => setState(item, { kind: 'uploading', progress }), item.abort.signal)
      .then(({ contentId, budget: next }) => {
        noteBudget(next);
        networkFailures = 0;
        setState(item, { kind: 'done', contentId });
        forget(item);
      })
      .catch((error: unknown) => refused(item, error))
      .finally(() => {
        inFlight -= 1;
        pump();
      });
  }

  function refused(item: Item, error: unknown) {
    if (stopped) return;
    const body = toErrorBody(error);
    if (error instanceof UploadError) noteBudget(error.budget);
    if (error instanceof UploadError && error.status === 429) {
      const seconds = error.retryAfterSeconds ?? FALLBACK_RETRY_SECONDS;
      budget = { remaining: 0, resetAt: Date.now() + seconds * 1000 };
      setState(item, { kind: 'waiting' });
      pauseUntil('limit', budget.resetAt);
      return;
    }
    if (body.error_code === 'NETWORK_ERROR' && networkFailures < NETWORK_RETRY_SECONDS.length) {
      pauseUntil('network', Date.now() + NETWORK_RETRY_SECONDS[networkFailures]! * 1000);
      networkFailures += 1;
      setState(item, { kind: 'waiting' });
      return;
    }
    const existingId = (body as Partial<z.infer<typeof duplicateContentErrorSchema>>).existing_content_id;
    if (existingId) {
      setState(item, { kind: 'duplicate', existingId });
      forget(item);
      return;
    }
    setState(item, { kind: 'failed', detail: body.detail, code: body.error_code });
    // Kept, with why, so that after a reload the page still says it was not sent.
    whenSaved(item, () => saveUpload({ ...stored(item), failure: { detail: body.detail, error_code: body.error_code } }));
  }

  const stored = (item: Item): StoredUpload => ({ id: item.id, owner, tab: tabId, file: item.file, addedAt: item.addedAt });

  function forget(item: Item) {
    unsavedIds.delete(item.id);
    whenSaved(item, () => forgetUpload(item.id));
  }

  /** Changes the stored copy once it exists (a change before the first save would be overwritten by it). */
  function whenSaved(item: Item, change: () => Promise<void>) {
    void item.saved.then((ok) => (ok ? change().catch(() => undefined) : undefined));
  }

  function keep(item: Item, upload: StoredUpload, alreadySaved: boolean) {
    item.saved = alreadySaved
      ? Promise.resolve(true)
      : saveUpload(upload).then(
          () => true,
          () => {
            unsavedIds.add(item.id);
            emit();
            return false;
          },
        );
  }

  function itemOf(upload: StoredUpload, resumed: boolean): Item {
    const item: Item = {
      id: upload.id,
      name: upload.file.name,
      size: upload.file.size,
      file: upload.file,
      addedAt: upload.addedAt,
      resumed,
      state: upload.failure ? { kind: 'failed', detail: upload.failure.detail, code: upload.failure.error_code } : { kind: 'waiting' },
      saved: Promise.resolve(true),
    };
    keep(item, upload, resumed);
    return item;
  }

  // Files a previous page left behind come first: they were given first.
  void adoptLeftUploads(owner)
    .then((left) => {
      if (stopped || left.length === 0) return;
      items.unshift(...left.map((upload) => itemOf(upload, true)));
      emit();
      pump();
    })
    .catch(() => undefined); // no IndexedDB (private mode, disabled): nothing to resume

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => snapshot,
    add(files) {
      const now = Date.now();
      let index = 0;
      for (const file of files) items.push(itemOf({ id: randomId(), owner, tab: tabId, file, addedAt: now + index++ }, false));
      emit();
      pump();
    },
    retry(id) {
      const item = items.find((i) => i.id === id);
      if (!item || item.state.kind !== 'failed') return;
      networkFailures = 0;
      whenSaved(item, () => saveUpload(stored(item)));
      setState(item, { kind: 'waiting' });
      pump();
    },
    remove(id) {
      const index = items.findIndex((i) => i.id === id);
      const item = items[index];
      if (!item || item.state.kind === 'uploading') return;
      items.splice(index, 1);
      forget(item);
      emit();
    },
    clearFinished() {
      for (let i = items.length - 1; i >= 0; i--) if (!isPending(items[i]!.state) && items[i]!.state.kind !== 'failed') items.splice(i, 1);
      emit();
    },
    stop() {
      stopped = true;
      clearTimeout(pauseTimer);
      for (const item of items) item.abort?.abort();
    },
  };
}

export const isPending = (state: UploadState) => state.kind === 'waiting' || state.kind === 'uploading';

let current: { owner: string; queue: UploadQueue } | undefined;
/** One queue per tab and signed-in user; it outlives the page, so uploads go on while one looks elsewhere. */
export function uploadQueueFor(owner: string, send: SendUpload): UploadQueue {
  if (current?.owner !== owner) {
    current?.queue.stop();
    current = { owner, queue: createUploadQueue(owner, send) };
  }
  return current.queue;
}
