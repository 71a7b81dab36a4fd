import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { preparingQueries } from './pglite-statements.js';

test('a repeated statement is prepared and answers exactly as query() does', async () => {
  const client = await PGlite.create();
  const query = preparingQueries(client);
  try {
    await client.exec(`create table t (id uuid primary key, tags text[], doc jsonb, at timestamptz, big int8, raw bytea, ok boolean, note text)`);
    const row = ['6f1c1c1e-8a57-4a39-9c52-5f0c3e7d2a10', ['就業規則', 'a"b'], { 見出し: '休暇', n: 1 }, new Date('2026-12-01T10:00:00Z'), 9_007_199_254_740_993n, new Uint8Array([0, 1, 255]), true, null];
    await client.query('insert into t values ($1, $2, $3, $4, $5, $6, $7, $8)', row);
    const text = 'select * from t where id = $1 and tags && $2::text[]';
    const params = [row[0], ['就業規則']];
    const plain = await client.query(text, params);
    for (const rowMode of [undefined, 'array'] as const) {
      const expected = await client.query(text, params, { rowMode });
      for (let i = 0; i < 3; i += 1) assert.deepEqual(await query(text, params, { rowMode }), expected, `call ${i + 1}, rowMode ${rowMode}`);
    }
    assert.equal(plain.rows.length, 1);
    const named = await client.query<{ n: number }>(`select count(*)::int as n from pg_prepared_statements where name like 'shiori_%'`);
    assert.ok(named.rows[0]!.n >= 1, 'the statement is held prepared');

    // Writes report their affected rows; errors keep their SQLSTATE, and the session stays usable.
    const update = 'update t set note = $2 where id = $1';
    for (let i = 0; i < 3; i += 1) assert.equal((await query(update, [row[0], `v${i}`])).affectedRows, 1);
    const insert = 'insert into t (id) values ($1)';
    for (let i = 0; i < 3; i += 1) await assert.rejects(query(insert, [row[0]]), (error: { code?: string }) => error.code === '23505');
    assert.equal((await query<{ note: string }>('select note from t where id = $1', [row[0]])).rows[0]?.note, 'v2');
  } finally {
    await client.close();
  }
});

test('a table changed under a prepared statement: the statement is sent again as it is', async () => {
  const client = await PGlite.create();
  const query = preparingQueries(client);
  try {
    await client.exec(`create table t (id int, name text); insert into t values (1, 'a')`);
    const text = 'select * from t where id = $1';
    for (let i = 0; i < 3; i += 1) await query(text, [1]);
    await client.exec(`alter table t add column extra text default 'x'`);
    const after = await query<{ extra: string }>(text, [1]);
    assert.equal(after.rows[0]?.extra, 'x');
    assert.deepEqual(after.fields.map((f) => f.name), ['id', 'name', 'extra']);
  } finally {
    await client.close();
  }
});

test('plans do not outlive the tables they were made for: statements are prepared again after a while', async () => {
  const client = await PGlite.create();
  const query = preparingQueries(client, { replanMs: 200 });
  const held = async () => (await client.query<{ n: number }>(`select count(*)::int as n from pg_prepared_statements`)).rows[0]!.n;
  try {
    await client.exec(`create table t (id int primary key)`);
    for (let i = 0; i < 3; i += 1) await query('select * from t where id = $1', [i]);
    assert.equal(await held(), 1);
    await new Promise((resolve) => setTimeout(resolve, 250));
    await client.exec(`insert into t select generate_series(1, 10000)`);
    assert.deepEqual((await query<{ id: number }>('select * from t where id = $1', [42])).rows, [{ id: 42 }]);
    assert.equal(await held(), 0, 'the old statement was let go and this call sent as it is');
    for (let i = 0; i < 2; i += 1) await query('select * from t where id = $1', [i]);
    assert.equal(await held(), 1, 'prepared again');
  } finally {
    await client.close();
  }
});
