import { useEffect, useState } from 'react';

const POLL_MS = 1500;

/**
 * Loads with `load`, and again every 1.5 s while `busy(value)` (a document still pending or
 * processing): the page shows live status without a reload. A change of `deps` or leaving the
 * page aborts. `setError` lets the page's actions report into the same place; `setValue` takes an
 * answer the page already has (a PATCH returns the stored row), instead of loading it again.
 */
export function useLive<T>(load: (signal: AbortSignal) => Promise<T>, busy: (value: T) => boolean, deps: unknown[]) {
  const [value, setValue] = useState<T>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      try {
        const next = await load(controller.signal);
        setValue(next);
        setError(undefined);
        if (busy(next)) timer = setTimeout(run, POLL_MS);
      } catch (caught) {
        if (!controller.signal.aborted) setError(caught);
      }
    };
    void run();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller names what the load depends on
  }, deps);
  return { value, setValue, error, setError };
}
