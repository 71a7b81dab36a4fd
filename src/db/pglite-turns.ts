// PGlite runs each statement synchronously on the main thread, and its lock hands over to the next
// waiting statement in a microtask. With many requests waiting, statements then run back to back
// without the event loop ever polling its sockets: new connections wait in the accept queue and
// new requests are not read. Measured (bench/load.ts, 200 clients): 124 connections waiting to be
// accepted, answers after 3–30 s while the server timed every request it had read under 0.5 s.
// Here statements take turns instead: one at a time, in arrival order, and a turn begins with a
// setImmediate whenever the loop has not polled I/O for POLL_EVERY_MS.
import type { PGlite, Transaction } from '@electric-sql/pglite';
import { preparingQueries } from './pglite-statements.js';

/** The longest the event loop goes without polling I/O while statements wait (a statement takes ~0.1–1 ms). */
const POLL_EVERY_MS = 2;

/**
 * `client` with query, exec and transaction taking turns (a transaction is one turn, whole), and
 * repeated queries prepared (pglite-statements.ts: a turn is never inside a transaction).
 */
export function takingTurns(client: PGlite): PGlite {
  let last: Promise<unknown> = Promise.resolve();
  let polled = performance.now();
  const pollFirst = () =>
    performance.now() - polled < POLL_EVERY_MS ? undefined : new Promise<void>((resolve) => setImmediate(() => resolve(void (polled = performance.now()))));
  const inTurn = <T>(run: () => Promise<T>): Promise<T> => {
    const turn = last.then(pollFirst).then(run);
    // The next turn waits for this one to end, whatever its outcome.
    last = turn.catch(() => {});
    return turn;
  };
  const query = preparingQueries(client);
  const turns = {
    query: (...args: Parameters<PGlite['query']>) => inTurn(() => query(...args)),
    exec: (...args: Parameters<PGlite['exec']>) => inTurn(() => client.exec(...args)),
    transaction: <T>(callback: (tx: Transaction) => Promise<T>) => inTurn(() => client.transaction(callback)),
  };
  return new Proxy(client, {
    get(target, key) {
      if (Object.hasOwn(turns, key)) return turns[key as keyof typeof turns];
      const value: unknown = Reflect.get(target, key);
      // PGlite's methods read its private state from `this`: the client itself, not this proxy.
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
