import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../../test/harness.js';
import { uploadAndProcess, waitForDocument } from '../../test/upload.js';
import { createRetrievalService } from './retrieval.service.js';
import { travelPolicyEn, workRulesJa } from './test-support/documents.js';

let t: TestApp;
before(async () => {
  t = await buildTestApp();
});
after(() => t.close());

type Rows<T> = { rows: T[] };

/** The statistics as kept, and as a count over the tenant's chunks gives them now. */
async function statsOf(tenantId: string) {
  const { db } = t.app.database;
  const kept = (await db.execute(sql`
    SELECT (SELECT chunk_count FROM search_corpus WHERE tenant_id = ${tenantId})::int AS n,
      (SELECT total_length FROM search_corpus WHERE tenant_id = ${tenantId})::int AS total,
      (SELECT json_object_agg(term, df) FROM search_terms WHERE tenant_id = ${tenantId} AND df <> 0) AS df`)) as unknown as Rows<{ n: number; total: number; df: Record<string, number> | null }>;
  const counted = (await db.execute(sql`
    SELECT (SELECT count(*) FROM chunks WHERE tenant_id = ${tenantId})::int AS n,
      (SELECT coalesce(sum(length(tsv)), 0) FROM chunks WHERE tenant_id = ${tenantId})::int AS total,
      (SELECT json_object_agg(lexeme, df) FROM (SELECT u.lexeme, count(*)::int AS df FROM chunks CROSS JOIN LATERAL unnest(tsv) u WHERE tenant_id = ${tenantId} GROUP BY 1) d) AS df`)) as unknown as Rows<{ n: number; total: number; df: Record<string, number> | null }>;
  const normal = (row: { n: number; total: number; df: Record<string, number> | null }) => ({ n: row.n ?? 0, total: row.total ?? 0, df: row.df ?? {} });
  return { kept: normal(kept.rows[0]!), counted: normal(counted.rows[0]!) };
}

async function assertStatsExact(tenantId: string, step: string): Promise<number> {
  const { kept, counted } = await statsOf(tenantId);
  assert.deepEqual(kept, counted, `statistics after ${step}`);
  return kept.n;
}

test('the BM25 statistics equal a count over the chunks after every change a document goes through', async () => {
  const admin = t.a.admin.accessToken;
  const [rules, travel] = await Promise.all([uploadAndProcess(t, admin, '就業規則.txt', workRulesJa), uploadAndProcess(t, admin, 'travel.txt', travelPolicyEn)]);
  const both = await assertStatsExact(t.a.id, 'two uploads');
  assert.equal(both, rules.detail.chunk_count + travel.detail.chunk_count);
  assert.ok(Object.keys((await statsOf(t.a.id)).kept.df).includes('有給'));

  assert.equal((await t.request('PATCH', `/api/v1/contents/${rules.id}`, { token: admin, body: { title: '社員就業規則ハンドブック' } })).statusCode, 200);
  await assertStatsExact(t.a.id, 'a new title');
  assert.equal((await statsOf(t.a.id)).kept.df['ハンドブック'], rules.detail.chunk_count, 'every chunk is indexed under the title');

  assert.equal((await t.request('POST', `/api/v1/contents/${travel.id}/reprocess`, { token: admin })).statusCode, 202);
  await waitForDocument(t, admin, travel.id, (d) => d.status === 'completed' && d.processed_at !== travel.detail.processed_at);
  assert.equal(await assertStatsExact(t.a.id, 'reprocessing'), both);

  assert.equal((await t.request('DELETE', `/api/v1/contents/${rules.id}`, { token: admin })).statusCode, 200);
  assert.equal(await assertStatsExact(t.a.id, 'a deletion'), travel.detail.chunk_count);
  assert.equal((await statsOf(t.a.id)).kept.df['有給'], undefined, 'the deleted document’s words are counted out');
  // The other tenant's statistics are its own.
  assert.equal(await assertStatsExact(t.b.id, 'nothing in tenant b'), 0);
});

test('a search that reads only the chunks of the rarest terms ranks them as reading every chunk does', async () => {
  const admin = t.b.admin.accessToken;
  // Ten documents share the question's common words; one holds its rare ones.
  const filler = (i: number) => `社内規程 第${i}版。社員は会社の規程に従い、業務を誠実に行う。会社は社員の安全に配慮する。`.repeat(4);
  await Promise.all(Array.from({ length: 10 }, (_, i) => uploadAndProcess(t, admin, `規程${i}.txt`, filler(i))));
  const target = await uploadAndProcess(t, admin, '慶弔.txt', '社員の慶弔見舞金は、結婚の場合3万円、出産の場合1万円を会社が支給する。');
  const ask = (candidateBudget: number) =>
    createRetrievalService({ db: t.app.database.db, candidateBudget }).retrieve(t.b.id, { query: '社員の結婚の慶弔見舞金はいくら会社から出ますか', topK: 3, minScore: 0 });
  // A budget of 1 posting: only the rarest term is read.
  const [pruned, exhaustive] = await Promise.all([ask(1), ask(Infinity)]);
  assert.equal(pruned[0]?.file_id, target.id);
  assert.match(pruned[0]!.chunk_text, /3万円/);
  assert.equal(pruned[0]!.chunk_id, exhaustive[0]?.chunk_id, 'the same passage first');
  // Only the count of a phrase whose words were not read whole differs (bounded by its rarer word's).
  assert.ok(Math.abs(pruned[0]!.score - exhaustive[0]!.score) < 0.05, `${pruned[0]!.score} vs ${exhaustive[0]!.score}`);
  assert.ok(exhaustive.length > pruned.length, 'reading every chunk also finds the ones holding only common words');
});
