import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import { test } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { takingTurns } from './pglite-turns.js';

/** A local HTTP server answering at once, and the time one request to it takes. */
async function pingServer() {
  const server = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const ping = () =>
    new Promise<number>((resolve, reject) => {
      const started = performance.now();
      request({ host: '127.0.0.1', port, agent: false }, (res) => res.resume().on('end', () => resolve(performance.now() - started))).on('error', reject).end();
    });
  return { ping, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** How long a request to a server in this process waits while `statements` queries queue at once. */
async function pingDuring(client: Pick<PGlite, 'query'>, statements: number): Promise<{ pingMs: number; allMs: number }> {
  const { ping, close } = await pingServer();
  await ping(); // the connection path warmed up
  const started = performance.now();
  const all = Promise.all(Array.from({ length: statements }, () => client.query('select count(*) from generate_series(1, 20000)')));
  const pingMs = await ping();
  await all;
  const allMs = performance.now() - started;
  await close();
  return { pingMs, allMs };
}

test('sockets are served while statements queue: each turn lets the event loop poll', async () => {
  const client = await PGlite.create();
  try {
    const bare = await pingDuring(client, 400);
    const turns = await pingDuring(takingTurns(client), 400);
    // Without turns the request waits for the whole queue; with them, for a few statements.
    assert.ok(bare.pingMs > bare.allMs * 0.8, `without turns the request waited for the queue: ${bare.pingMs.toFixed(0)} of ${bare.allMs.toFixed(0)} ms`);
    assert.ok(turns.pingMs < turns.allMs * 0.25, `with turns it was answered early: ${turns.pingMs.toFixed(0)} of ${turns.allMs.toFixed(0)} ms`);
  } finally {
    await client.close();
  }
});

test('turns keep arrival order, results and errors, and a transaction whole', async () => {
  const client = await PGlite.create();
  const db = takingTurns(client);
  try {
    await db.exec('create table log (n int)');
    const order: number[] = [];
    const writes = Array.from({ length: 20 }, (_, n) => db.query('insert into log values ($1) returning n', [n]).then((r) => order.push((r.rows[0] as { n: number }).n)));
    const failing = db.query('select * from missing_table').then(
      () => 'answered',
      () => 'failed',
    );
    const tx = db.transaction(async (t) => {
      await t.query('insert into log values (100)');
      await new Promise((resolve) => setTimeout(resolve, 20)); // others wait: nothing runs inside the transaction
      await t.query('insert into log values (101)');
    });
    const after = db.query('select n from log order by ctid');
    await Promise.all([...writes, tx]);
    assert.equal(await failing, 'failed');
    assert.deepEqual(order, Array.from({ length: 20 }, (_, n) => n));
    const rows = ((await after).rows as Array<{ n: number }>).map((r) => r.n);
    assert.deepEqual(rows.slice(-2), [100, 101], 'the transaction ran whole, before the statement queued after it');
    assert.equal(rows.length, 22);
    assert.equal(db.closed, false, 'other members are the client’s own');
  } finally {
    await client.close();
  }
});
