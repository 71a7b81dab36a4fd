import { useCallback, useEffect, useState } from 'react';
import { api, type RequestOptions } from './client.js';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): Promise<void>;
  setData(data: T): void;
}

/**
 * GET `path` (with `query`) when they change; `null` waits (e.g. for the tenant id).
 * @example const keys = useApi<ApiKey[]>('/api/v1/api-keys'); keys.data?.map(…)
 */
export function useApi<T>(path: string | null, query?: RequestOptions['query']): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(path !== null);
  const queryKey = JSON.stringify(query ?? {});
  const reload = useCallback(async () => {
    if (path === null) return;
    setLoading(true);
    try {
      setData(await api<T>(path, { query: JSON.parse(queryKey) as RequestOptions['query'] }));
      setError(undefined);
    } catch (caught) {
      setError(caught);
    } finally {
      setLoading(false);
    }
  }, [path, queryKey]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, loading, reload, setData };
}
