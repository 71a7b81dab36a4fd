// Preloaded into a benchmarked server (node --import, see startServer's countStatements): counts every
// SQL statement sent through either driver, by its text, and the time until its result (waiting for
// PGlite's one-at-a-time lock or a pool client included: run one connection to read it as cost), so a
// bench can say how many statements an answer costs and which. Nothing in src/ knows about it. On
// SIGUSR2 the figures so far are written as JSON to SHIORI_BENCH_STATEMENTS_FILE (written whole to a
// temporary name, then renamed).
// Plain erasable TypeScript: node runs it with its own type stripping, without tsx.
import { renameSync, writeFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

// By the statement's text as sent; shortened only when written out, so counting costs a map update.
const counts = new Map<string, { count: number; ms: number }>();
const count = (text: unknown, ms = 0) => {
  const sql = typeof text === 'string' ? text : ((text as { text?: string } | null)?.text ?? '?');
  const held = counts.get(sql) ?? { count: 0, ms: 0 };
  held.count += 1;
  held.ms += ms;
  counts.set(sql, held);
};
/** Counts `sql` once `result` settles, with the time it took. */
const timed = <T>(sql: unknown, result: T): T => {
  const started = performance.now();
  const pending = result as unknown as PromiseLike<unknown> | undefined;
  if (typeof pending?.then === 'function') {
    const done = () => count(sql, performance.now() - started);
    pending.then(done, done);
  } else count(sql);
  return result;
};
const shortened = () => {
  const out: Record<string, { count: number; ms: number }> = {};
  for (const [sql, { count: n, ms }] of counts) {
    const key = sql.replace(/\s+/g, ' ').trim().slice(0, 160);
    const held = (out[key] ??= { count: 0, ms: 0 });
    held.count += n;
    held.ms += ms;
  }
  return out;
};

// node-postgres: every statement, BEGIN and COMMIT included, is a Client#query; the pool passes a callback.
const pgQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const callback = args.at(-1);
  if (typeof callback !== 'function') return timed(args[0], (pgQuery as (...a: unknown[]) => unknown).apply(this, args));
  const started = performance.now();
  args[args.length - 1] = (...results: unknown[]) => {
    count(args[0], performance.now() - started);
    return callback(...results);
  };
  return (pgQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof pgQuery;

// PGlite: query/exec on the instance, and on the object a transaction hands its callback (its
// BEGIN and COMMIT or ROLLBACK are counted as the two statements they are); prepared ones below.
type Runner = { query: (...a: unknown[]) => Promise<unknown>; exec: (...a: unknown[]) => Promise<unknown> };
const proto = PGlite.prototype as unknown as Runner & { transaction: (run: (tx: Runner) => Promise<unknown>) => Promise<unknown> };
const counted = <T extends (...a: unknown[]) => Promise<unknown>>(run: T, self: unknown) =>
  ((...args: unknown[]) => timed(args[0], run.apply(self, args))) as T;
const { query, exec, transaction } = proto;
proto.query = function (this: unknown, ...args: unknown[]) {
  return counted(query, this)(...args);
};
proto.exec = function (this: unknown, ...args: unknown[]) {
  return counted(exec, this)(...args);
};
proto.transaction = function (this: unknown, run: (tx: Runner) => Promise<unknown>) {
  count('BEGIN');
  return transaction
    .call(this, (tx: Runner) => run(Object.assign(Object.create(tx) as Runner, { query: counted(tx.query, tx), exec: counted(tx.exec, tx) })))
    .finally(() => count('COMMIT'));
};

// Statements src/db/pglite-statements.ts prepared: a named Parse gives the text, each Bind of that
// name is one statement, timed until its Sync has been answered.
const namedTexts = new Map<string, string>();
let bound: { text: string; started: number } | undefined;
const cString = (bytes: Uint8Array, from: number) => {
  const end = bytes.indexOf(0, from);
  return { value: Buffer.from(bytes.subarray(from, end)).toString('utf8'), next: end + 1 };
};
const protocol = PGlite.prototype as unknown as { execProtocolStream: (message: Uint8Array, ...rest: unknown[]) => Promise<unknown> };
const { execProtocolStream } = protocol;
protocol.execProtocolStream = async function (this: unknown, message: Uint8Array, ...rest: unknown[]) {
  const kind = String.fromCharCode(message[0]!);
  if (kind === 'P') {
    const name = cString(message, 5);
    if (name.value) namedTexts.set(name.value, cString(message, name.next).value);
  } else if (kind === 'B') {
    const statement = cString(message, cString(message, 5).next).value;
    const text = namedTexts.get(statement);
    if (text) bound = { text, started: performance.now() };
  }
  try {
    return await execProtocolStream.call(this, message, ...rest);
  } finally {
    if (kind === 'S' && bound) {
      count(bound.text, performance.now() - bound.started);
      bound = undefined;
    }
  }
};

process.on('SIGUSR2', () => {
  const file = process.env.SHIORI_BENCH_STATEMENTS_FILE;
  if (!file) return;
  writeFileSync(`${file}.tmp`, JSON.stringify(shortened()));
  renameSync(`${file}.tmp`, file);
});
