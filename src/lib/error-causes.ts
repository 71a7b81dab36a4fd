/**
 * An error and the errors it wraps, outermost first (drizzle, fetch and the SDKs keep the original
 * as `cause`). Bounded, so a cause chain that loops back on itself cannot hang the caller.
 */
export function* errorCauses(error: unknown, max = 8): Generator<{ code?: string; message?: string }> {
  let e = error;
  for (let depth = 0; depth < max && typeof e === 'object' && e !== null; depth++) {
    yield e as { code?: string; message?: string };
    e = (e as { cause?: unknown }).cause;
  }
}
