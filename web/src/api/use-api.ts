import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type RequestOptions } from './client.js';

/** How often a page looks again while what it shows is still changing (a document being processed). */
export const POLL_MS = 1500;

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  /** A request is under way (the first or a reload). */
  loading: boolean;
  reload(): Promise<void>;
  /** An answer the page already has (a PATCH returns the stored row), instead of loading it again. */
  setData(data: T | ((current: T | undefined) => T | undefined)): void;
}

export interface LoadOptions<T> {
  /** Look again every POLL_MS while this holds (and the last look succeeded). */
  pollWhile?(data: T): boolean;
}

/**
 * Every read of the dashboard: loads with `load` when `key` changes (compared by value); a `null`
 * key waits (e.g. for the tenant id). A new key or leaving the page aborts the request in flight,
 * and only the newest answer is shown, so a late answer to old filters never replaces newer ones.
 * While a new key loads, the last data stays on screen. An error is shown as it is (no retries).
 * @example const page = useLoad(['contents', filters], (signal) => listContents(filters, signal), { pollWhile: (p) => p.items.some(busy) });
 */
export function useLoad<T>(key: readonly unknown[] | null, load: (signal: AbortSignal) => Promise<T>, options: LoadOptions<T> = {}): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(key !== null);
  const hash = key === null ? null : JSON.stringify(key);
  // The render's own load and poll rule, read when a request starts: a new closure is no new key.
  const latest = useRef({ load, pollWhile: options.pollWhile });
  latest.current = { load, pollWhile: options.pollWhile };
  const run = useRef(async () => {});

  useEffect(() => {
    if (hash === null) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let newest = 0;
    const go = async () => {
      clearTimeout(timer);
      const mine = ++newest;
      const current = () => mine === newest && !controller.signal.aborted;
      setLoading(true);
      try {
        const next = await latest.current.load(controller.signal);
        if (!current()) return;
        setData(next);
        setError(undefined);
        if (latest.current.pollWhile?.(next)) timer = setTimeout(go, POLL_MS);
      } catch (caught) {
        if (current()) setError(caught);
      } finally {
        if (current()) setLoading(false);
      }
    };
    run.current = go;
    void go();
    return () => {
      controller.abort();
      clearTimeout(timer);
      run.current = async () => {};
    };
  }, [hash]);

  const reload = useCallback(() => run.current(), []);
  return { data, error, loading, reload, setData };
}

/**
 * GET `path` (with `query`) as JSON, again when they change; `null` waits.
 * @example const keys = useApi<ApiKey[]>('/api/v1/api-keys'); keys.data?.map(…)
 */
export function useApi<T>(path: string | null, query?: RequestOptions['query'], options?: LoadOptions<T>): Loaded<T> {
  return useLoad(path === null ? null : [path, query ?? {}], (signal) => api<T>(path!, { query, signal }), options);
}
