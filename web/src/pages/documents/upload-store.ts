import { createStore, del, entries, set, type UseStore } from 'idb-keyval';

// Files still to send survive a reload in IndexedDB (structured clone keeps a File's bytes and
// name). Each tab owns the files it was given; a tab that is gone (reloaded, closed) leaves its
// files to the next tab of the same user that opens the documents page. Liveness is a Web Lock
// that each tab holds while open; without Web Locks (an http:// address other than localhost is
// not a secure context) the one tab that opens takes every file of its user.

export interface StoredUpload {
  id: string;
  /** `tenant:user`: another account signed in on this browser never sends these files. */
  owner: string;
  tab: string;
  file: File;
  addedAt: number;
  /** Set once a file was refused (not sent): shown again after a reload, with Retry. */
  failure?: { detail: string; error_code: string };
}

const TAB_LOCK_PREFIX = 'shiori-upload-tab:';
const ADOPT_LOCK = 'shiori-upload-adopt';

/** Random hex id; crypto.randomUUID needs a secure context, getRandomValues does not. */
export function randomId(): string {
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export const tabId = randomId();
let store: UseStore | undefined;
let tabLockHeld = false;

function uploadsStore(): UseStore {
  store ??= createStore('shiori-uploads', 'files');
  if (!tabLockHeld && navigator.locks) {
    tabLockHeld = true;
    // Held until the page goes away.
    void navigator.locks.request(TAB_LOCK_PREFIX + tabId, () => new Promise<never>(() => {}));
  }
  return store;
}

export const saveUpload = (upload: StoredUpload) => set(upload.id, upload, uploadsStore());
export const forgetUpload = (id: string) => del(id, uploadsStore());

/** This user's files left by tabs that are gone (or by this tab's earlier queue), now this tab's, oldest first. */
export async function adoptLeftUploads(owner: string): Promise<StoredUpload[]> {
  const adopt = async () => {
    const held = navigator.locks ? new Set((await navigator.locks.query()).held?.map((lock) => lock.name)) : new Set<string>();
    const adopted: StoredUpload[] = [];
    for (const [, upload] of await entries<string, StoredUpload>(uploadsStore())) {
      // This tab's own files are taken too: they belong to a queue stopped when another user signed in here.
      if (upload.owner !== owner || (upload.tab !== tabId && held.has(TAB_LOCK_PREFIX + upload.tab))) continue;
      const mine = { ...upload, tab: tabId };
      await saveUpload(mine);
      adopted.push(mine);
    }
    return adopted.sort((a, b) => a.addedAt - b.addedAt);
  };
  // One tab adopts at a time, so two tabs opened together never both send a file.
  return navigator.locks ? navigator.locks.request(ADOPT_LOCK, adopt) : adopt();
}
