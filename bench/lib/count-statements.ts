// Preloaded into a benchmarked server (node --import, see startServer's countStatements): counts every
// SQL statement sent through either driver, by its text, so a bench can say how many statements an
// answer costs and which. Nothing in src/ knows about it. On SIGUSR2 the counts so far are written as
// JSON to SHIORI_BENCH_STATEMENTS_FILE (written whole to a temporary name, then renamed).
// Plain erasable TypeScript: node runs it with its own type stripping, without tsx.
import { renameSync, writeFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

// By the statement's text as sent; shortened only when written out, so counting costs a map update.
const counts = new Map<string, number>();
const count = (text: unknown) => {
  const sql = typeof text === 'string' ? text : ((text as { text?: string } | null)?.text ?? '?');
  counts.set(sql, (counts.get(sql) ?? 0) + 1);
};
const shortened = () => {
  const out: Record<string, number> = {};
  for (const [sql, n] of counts) {
    const key = sql.replace(/\s+/g, ' ').trim().slice(0, 160);
    out[key] = (out[key] ?? 0) + n;
  }
  return out;
};

// node-postgres: every statement, BEGIN and COMMIT included, is a Client#query.
const pgQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  count(args[0]);
  return (pgQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof pgQuery;

// PGlite: query/exec on the instance, and on the object a transaction hands its callback (its
// BEGIN and COMMIT or ROLLBACK are counted as the two statements they are).
type Runner = { query: (...a: unknown[]) => Promise<unknown>; exec: (...a: unknown[]) => Promise<unknown> };
const proto = PGlite.prototype as unknown as Runner & { transaction: (run: (tx: Runner) => Promise<unknown>) => Promise<unknown> };
const counted = <T extends (...a: unknown[]) => Promise<unknown>>(run: T, self: unknown) =>
  ((...args: unknown[]) => {
    count(args[0]);
    return run.apply(self, args);
  }) as T;
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

process.on('SIGUSR2', () => {
  const file = process.env.SHIORI_BENCH_STATEMENTS_FILE;
  if (!file) return;
  writeFileSync(`${file}.tmp`, JSON.stringify(shortened()));
  renameSync(`${file}.tmp`, file);
});
