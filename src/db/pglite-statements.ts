// PGlite's query() parses and plans every statement anew (the unnamed statement of the extended
// protocol). In its WebAssembly engine that is most of a short statement's cost. A statement text
// seen twice is prepared here under a name, and later calls only bind and execute it, with the
// generic plan PostgreSQL keeps once it judges one as good. Such a plan is made for the tables as
// they were: one made while a tenant's chunks were few stays as they grow, and PGlite has no
// autovacuum whose ANALYZE would replace it (measured: searches fell from 142 to 43 a second while
// a 6 MB document was indexed). So every statement is prepared again after REPLAN_MS.
// Measured on a 20-term statistics lookup: 0.66 ms as sent, 0.14 ms prepared. The messages are
// the ones query() sends and the results are parsed by PGlite's own parseResults, so rows are the same.
import { parse, protocol, type PGlite, type QueryOptions, type Results } from '@electric-sql/pglite';

/** A text sent this often is prepared (most texts with inlined values are sent once). */
const PREPARE_AFTER = 2;
/** Prepared statements kept (the least recently used is closed first); our repos send ~150 texts. */
const MAX_PREPARED = 500;
/** Texts counted before the count starts again (bounds memory when texts vary). */
const MAX_SEEN = 5_000;
/** How long a prepared statement (and its plan) is kept before it is prepared again. */
const REPLAN_MS = 30_000;
/** "cached plan must not change result type": a migration changed a table under the statement. */
const PLAN_CHANGED = '0A000';

/** Statement names, unique in the process (one PGlite session each, but tests open several). */
let named = 0;

interface Prepared {
  name: string;
  /** The parameters' type OIDs, as the server described them: they pick PGlite's serializers. */
  paramTypes: number[];
}

/** `query` that prepares repeated statements; for calls outside any transaction only. */
export function preparingQueries(client: PGlite, { replanMs = REPLAN_MS }: { replanMs?: number } = {}) {
  const { serialize } = protocol;
  const seen = new Map<string, number>();
  const prepared = new Map<string, Prepared>();
  let preparedSince = performance.now();
  const send = (message: Uint8Array) => client.execProtocolStream(message, { syncToFs: false });

  /** Ends the extended-protocol exchange, whatever happened: the server skips to the Sync after an error. */
  async function exchange<T>(run: (messages: Awaited<ReturnType<typeof send>>) => Promise<T>): Promise<T> {
    const messages: Awaited<ReturnType<typeof send>> = [];
    try {
      return await run(messages);
    } finally {
      messages.push(...(await send(serialize.sync())));
    }
  }

  async function forget(text: string): Promise<void> {
    const statement = prepared.get(text);
    prepared.delete(text);
    if (statement) await exchange(async () => void (await send(serialize.close({ type: 'S', name: statement.name }))));
  }

  async function prepare(text: string, options: QueryOptions | undefined): Promise<Prepared> {
    if (prepared.size >= MAX_PREPARED) await forget(prepared.keys().next().value as string);
    const name = `shiori_${++named}`;
    const paramTypes = await exchange(async () => {
      await send(serialize.parse({ name, text, types: options?.paramTypes }));
      return parse.parseDescribeStatementResults(await send(serialize.describe({ type: 'S', name })));
    });
    const statement = { name, paramTypes };
    prepared.set(text, statement);
    return statement;
  }

  async function runPrepared<T>(statement: Prepared, params: unknown[], options: QueryOptions | undefined): Promise<Results<T>> {
    const values = params.map((value, i) => {
      if (value === null || value === undefined) return null;
      const type = statement.paramTypes[i]!;
      const serializer = options?.serializers?.[type] ?? client.serializers[type];
      return serializer ? serializer(value) : String(value);
    });
    const messages = await exchange(async (messages) => {
      messages.push(
        ...(await send(serialize.bind({ statement: statement.name, values: values as string[] }))),
        ...(await send(serialize.describe({ type: 'P' }))),
        ...(await send(serialize.execute({}))),
      );
      return messages;
    });
    await client.syncToFs();
    return parse.parseResults(messages, client.parsers, options)[0] as Results<T>;
  }

  return async function query<T>(text: string, params: unknown[] = [], options?: QueryOptions): Promise<Results<T>> {
    if (prepared.size > 0 && performance.now() - preparedSince > replanMs) {
      prepared.clear();
      await client.exec('DEALLOCATE ALL');
    }
    if (prepared.size === 0) preparedSince = performance.now();
    const held = prepared.get(text);
    if (!held) {
      if (seen.size >= MAX_SEEN) seen.clear();
      const times = (seen.get(text) ?? 0) + 1;
      seen.set(text, times);
      if (times < PREPARE_AFTER || options?.blob) return client.query<T>(text, params, options);
      seen.delete(text);
    } else {
      // Most recently used last: the first entry is the one to close when the set is full.
      prepared.delete(text);
      prepared.set(text, held);
    }
    try {
      return await runPrepared<T>(held ?? (await prepare(text, options)), params, options);
    } catch (error) {
      if ((error as { code?: string }).code !== PLAN_CHANGED) throw error;
      await forget(text);
      return client.query<T>(text, params, options);
    }
  };
}
