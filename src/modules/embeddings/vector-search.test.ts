import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { buildTestApp, type TestApp } from '../../test/harness.js';
import { createEmbeddingsRepo, nearestSql, type NearestQuery } from './embeddings.repo.js';
import { needsVectors } from './test-support/embedding-app.js';
import { ensureVectorSchema, vectorIndexes } from './vector-schema.js';

// Repository-level: vectors are written directly, so the tests control exactly what is stored.
let t: TestApp;
let db: Database;
before(async () => {
  t = await buildTestApp();
  db = t.app.database.db;
});
after(() => t.close());

const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;

/** Deterministic unit vectors (mulberry32), so a failure can be reproduced. */
function randomVectors(count: number, dims: number, seed: number): number[][] {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x ^= x + Math.imul(x ^ (x >>> 7), 61 | x);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
  return Array.from({ length: count }, () => {
    const v = Array.from({ length: dims }, next);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

/** A document with `vectors.length` chunks and their vectors; returns its id and chunk ids in order. */
async function documentWith(tenantId: string, model: string, vectors: number[][], extra: { status?: string; tags?: string[] } = {}) {
  const [content] = rowsOf<{ id: string }>(
    await db.execute(sql`
      insert into contents (tenant_id, file_name, file_type, file_size, sha256, storage_key, status, tags)
      values (${tenantId}, 'generated.txt', 'txt', 1, ${randomBytes(16).toString('hex')}, 'none', ${extra.status ?? 'completed'},
              array[${sql.join((extra.tags ?? ['none']).map((tag) => sql`${tag}`), sql`, `)}]::text[])
      returning id`),
  );
  const chunkIds = rowsOf<{ id: string }>(
    await db.execute(sql`
      insert into chunks (tenant_id, content_id, chunk_index, text, char_start, char_end, token_count, tsv)
      select ${tenantId}, ${content!.id}, g, 'generated', 0, 9, 1, to_tsvector('simple', 'generated')
      from generate_series(0, ${vectors.length - 1}) g order by g returning id`),
  ).map((r) => r.id);
  const written = await createEmbeddingsRepo(db).upsertVectors(tenantId, content!.id, model, chunkIds.map((chunkId, i) => ({ chunkId, embedding: vectors[i]! })));
  assert.equal(written, vectors.length);
  return { contentId: content!.id, chunkIds };
}

/** Runs `body` in a transaction that is always rolled back (for EXPLAIN and planner experiments). */
async function inRolledBackTransaction(body: (tx: Database) => Promise<void>): Promise<void> {
  const rollback = new Error('rollback');
  await db
    .transaction(async (tx) => {
      await body(tx as unknown as Database);
      throw rollback;
    })
    .catch((error: unknown) => {
      if (error !== rollback) throw error;
    });
}

const planOf = async (tx: Database, statement: ReturnType<typeof sql>) =>
  rowsOf<{ 'QUERY PLAN': string }>(await tx.execute(sql`explain ${statement}`))
    .map((r) => r['QUERY PLAN'].replace(/'\[[^\]]*\]'/g, "'[…]'"))
    .join('\n');

/**
 * On a big shared table the planner walks the HNSW graph; on these small test tables the btree
 * paths win, so they go (inside a rolled-back transaction) to put the graph walk under test.
 */
async function leaveOnlyHnsw(tx: Database): Promise<void> {
  await tx.execute(sql`drop index chunk_embeddings_tenant_model_idx`);
  await tx.execute(sql`drop index chunk_embeddings_content_idx`);
  await tx.execute(sql`set local enable_seqscan = off`);
}

describe('tenant-filtered HNSW search', () => {
  test('a tenant holding 1 % of the rows still gets k results', async (ctx) => {
    if (!needsVectors(t, ctx)) return;
    const model = 'onepercent-384';
    const small = await documentWith(t.a.id, model, randomVectors(15, 384, 1));
    await documentWith(t.b.id, model, randomVectors(1485, 384, 2));
    // Built after the rows are in: one bulk build is far cheaper than 1,500 HNSW inserts on PGlite.
    await ensureVectorSchema(db, { hnsw: true });
    await db.execute(sql`analyze chunk_embeddings`);
    const [vector] = randomVectors(1, 384, 3) as [number[]];
    const query: NearestQuery = { model, vector, topK: 10 };

    await inRolledBackTransaction(async (tx) => {
      await leaveOnlyHnsw(tx);
      assert.match(await planOf(tx, nearestSql(t.a.id, query)), /chunk_embeddings_hnsw_384/);

      // The problem: a plain filtered HNSW query stops after ef_search candidates, ~1 % of them ours.
      await tx.execute(sql`select set_config('hnsw.iterative_scan', 'off', true)`);
      const plain = rowsOf(
        await tx.execute(sql`
          select chunk_id from chunk_embeddings where tenant_id = ${t.a.id} and model = ${model} and dims = 384
          order by (embedding::vector(384)) <=> (${`[${vector.join(',')}]`}::vector(384)) limit 10`),
      );
      assert.ok(plain.length < 10, `without iterative scan the tenant got ${plain.length} rows; the test would prove nothing`);

      const hits = await createEmbeddingsRepo(tx).nearest(t.a.id, query);
      assert.equal(hits.length, 10);
      assert.ok(hits.every((h) => small.chunkIds.includes(h.chunkId)), 'a row of another tenant came back');
      assert.deepEqual(
        hits.map((h) => h.distance),
        [...hits.map((h) => h.distance)].sort((x, y) => x - y),
        'results are re-sorted after relaxed_order',
      );
    });
  });

  test('each indexed length is searched through its own partial index', async (ctx) => {
    if (!needsVectors(t, ctx)) return;
    await ensureVectorSchema(db, { hnsw: true });
    await inRolledBackTransaction(async (tx) => {
      await leaveOnlyHnsw(tx);
      for (const index of vectorIndexes) {
        const plan = await planOf(tx, nearestSql(t.a.id, { model: 'm', vector: randomVectors(1, index.dims, index.dims)[0]!, topK: 5 }));
        assert.match(plan, new RegExp(`Index Scan using ${index.name}\\b`), `${index.dims} dimensions:\n${plan}`);
      }
    });
  });
});

describe('exact search and filters', () => {
  const model = 'exact-100';
  // One document per case, in tenant A, with vectors whose order of nearness is known.
  const axis = (i: number, dims = 100) => Array.from({ length: dims }, (_, j) => (j === i ? 1 : j === 0 ? 0.1 : 0));

  test('a length without an index is searched exactly, nearest first', async (ctx) => {
    if (!needsVectors(t, ctx)) return;
    const tenant = await t.createTenant('exact');
    const vectors = randomVectors(40, 100, 7);
    const doc = await documentWith(tenant.id, model, vectors);
    const [vector] = randomVectors(1, 100, 8) as [number[]];
    const hits = await createEmbeddingsRepo(db).nearest(tenant.id, { model, vector, topK: 5 });
    const cosine = (a: number[]) => a.reduce((sum, x, i) => sum + x * vector[i]!, 0);
    const expected = doc.chunkIds
      .map((id, i) => ({ id, similarity: cosine(vectors[i]!) }))
      .sort((x, y) => y.similarity - x.similarity)
      .slice(0, 5);
    assert.deepEqual(
      hits.map((h) => h.chunkId),
      expected.map((e) => e.id),
    );
    hits.forEach((h, i) => assert.ok(Math.abs(1 - h.distance - expected[i]!.similarity) < 1e-5));
  });

  test('only completed documents of the tenant, of the model and length asked, within fileIds and tags', async (ctx) => {
    if (!needsVectors(t, ctx)) return;
    const tenant = await t.createTenant('filters');
    const repo = createEmbeddingsRepo(db);
    const near = await documentWith(tenant.id, model, [axis(1)], { tags: ['faq', 'ja'] });
    const other = await documentWith(tenant.id, model, [axis(2)], { tags: ['manual'] });
    const processing = await documentWith(tenant.id, model, [axis(1)], { status: 'processing' });
    const otherModel = await documentWith(tenant.id, 'another-model', [axis(1)]);
    const otherLength = await documentWith(tenant.id, model, [axis(1, 120)]);
    const foreign = await documentWith(t.b.id, model, [axis(1)]);
    const search = (extra: Partial<NearestQuery> = {}) =>
      repo.nearest(tenant.id, { model, vector: axis(1), topK: 10, ...extra }).then((hits) => hits.map((h) => h.chunkId));

    assert.deepEqual(await search(), [near.chunkIds[0], other.chunkIds[0]]);
    const excluded = [processing, otherModel, otherLength, foreign].flatMap((d) => d.chunkIds);
    assert.ok(!(await search({ exact: true })).some((id) => excluded.includes(id)));
    assert.deepEqual(await search({ fileIds: [other.contentId] }), [other.chunkIds[0]]);
    assert.deepEqual(await search({ fileIds: [foreign.contentId] }), [], 'another tenant’s document id finds nothing');
    assert.deepEqual(await search({ fileIds: ['not-a-uuid'] }), []);
    assert.deepEqual(await search({ fileIds: [] }), [near.chunkIds[0], other.chunkIds[0]], 'an empty list does not filter');
    assert.deepEqual(await search({ tags: ['manual', 'nope'] }), [other.chunkIds[0]]);
    assert.deepEqual(await search({ tags: ["faq' or 1=1 --"] }), [], 'tags are parameters');
  });

  test('writing the same vectors again replaces them', async (ctx) => {
    if (!needsVectors(t, ctx)) return;
    const tenant = await t.createTenant('upsert');
    const repo = createEmbeddingsRepo(db);
    const doc = await documentWith(tenant.id, model, [axis(1), axis(2)]);
    await repo.upsertVectors(tenant.id, doc.contentId, 'newer-model', doc.chunkIds.map((chunkId) => ({ chunkId, embedding: axis(3, 50) })));
    assert.deepEqual(await repo.countsFor(tenant.id, doc.contentId), [{ model: 'newer-model', dims: 50, n: 2 }]);
    // Another tenant's chunk ids are silently not written: the join names the tenant.
    const written = await repo.upsertVectors(t.b.id, doc.contentId, model, [{ chunkId: doc.chunkIds[0]!, embedding: axis(1) }]);
    assert.equal(written, 0);
  });
});
