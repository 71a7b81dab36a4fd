// PGlite runs one statement at a time for the whole process, first come first served: a
// background writer (indexing a document) that queues statement after statement makes each of a
// request's statements wait behind one of its own. Requests are counted here (app.ts, on PGlite
// only) and background work waits for a moment without any before each statement it sends.

let inFlight = 0;

/** Counts a request from its start until its response is closed (sent, failed or aborted). */
export function trackRequest(response: { once(event: 'close', listener: () => void): unknown }): void {
  inFlight += 1;
  response.once('close', () => (inFlight -= 1));
}

/**
 * Resolves once no request is in flight, or after `maxMs` so that background work still advances
 * under constant traffic. At once when nothing counts requests (PostgreSQL, a worker process).
 */
export async function requestsIdle(maxMs = 250): Promise<void> {
  // Let requests that arrived meanwhile start (and be counted) first.
  await new Promise((resolve) => setImmediate(resolve));
  const until = Date.now() + maxMs;
  while (inFlight > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 2));
}
