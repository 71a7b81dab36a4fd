/**
 * Values read on (nearly) every request, kept in this process for `ttlMs`. The code that changes
 * what a value was read from calls `forget` (this instance sees the change at once); other
 * instances see it when their entry expires. Concurrent misses of one key share one load, and a
 * load still running when its key is forgotten is not kept, so a change is never undone by an
 * older read. At most `maxEntries` keys are held (the oldest loaded goes first).
 * @example const owners = createTtlCache<string, string | undefined>({ ttlMs: 5_000, maxEntries: 10_000 });
 *          await owners.get(hash, () => repo.ownerOf(hash));  owners.forget(hash);
 */
export function createTtlCache<K, V>(options: { ttlMs: number; maxEntries: number; now?: () => number }) {
  const now = options.now ?? Date.now;
  const entries = new Map<K, { value: Promise<V>; expires: number }>();

  return {
    get(key: K, load: () => PromiseLike<V>): Promise<V> {
      const held = entries.get(key);
      if (held && held.expires > now()) return held.value;
      // Adopted once: a drizzle query is a thenable that runs again on every await.
      const entry = { value: Promise.resolve(load()), expires: now() + options.ttlMs };
      entries.delete(key);
      entries.set(key, entry);
      if (entries.size > options.maxEntries) entries.delete(entries.keys().next().value as K);
      // A failed load is not remembered: the next call tries again.
      entry.value.catch(() => entries.get(key) === entry && entries.delete(key));
      return entry.value;
    },
    forget(key: K): void {
      entries.delete(key);
    },
  };
}

export type TtlCache<K, V> = ReturnType<typeof createTtlCache<K, V>>;
