import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../../test/harness.js';
import { uploadAndProcess } from '../../test/upload.js';
import { defaultSearchText } from '../../lib/text/search-text.js';
import type { VectorSearch } from '../embeddings/index.js';
import { candidateCount, createRetrievalService, DEFAULT_MIN_SCORE, weightedTermsOf } from './retrieval.service.js';
import { travelPolicyEn, workRulesJa } from './test-support/documents.js';

let t: TestApp;
const ids = { rules: '', travel: '', rulesB: '' };
let chunksOf: (fileId: string) => Promise<Array<{ id: string; text: string }>>;

before(async () => {
  t = await buildTestApp();
  const [rules, travel, rulesB] = await Promise.all([
    uploadAndProcess(t, t.a.admin.accessToken, 'rules.txt', workRulesJa),
    uploadAndProcess(t, t.a.admin.accessToken, 'travel.txt', travelPolicyEn, { tags: 'finance' }),
    uploadAndProcess(t, t.b.admin.accessToken, 'rules.txt', workRulesJa),
  ]);
  Object.assign(ids, { rules: rules.id, travel: travel.id, rulesB: rulesB.id });
  chunksOf = async (fileId) => {
    const result = await t.app.database.db.execute(sql`select id::text, text from chunks where content_id = ${fileId} order by chunk_index`);
    return (result as unknown as { rows: Array<{ id: string; text: string }> }).rows;
  };
});
after(() => t.close());

/** A stand-in for the embeddings module: returns fixed hits and records how it was called. */
function fakeVector(hits: Array<{ chunkId: string; similarity: number }> | null | Error) {
  const calls: Array<Parameters<VectorSearch>> = [];
  const search: VectorSearch = async (...args) => {
    calls.push(args);
    if (hits instanceof Error) throw hits;
    return hits;
  };
  return { search, calls };
}

describe('hybrid retrieval (full-text + vector, fused by reciprocal rank)', () => {
  test('fuses both sources and says which found each passage', async () => {
    const mealChunk = (await chunksOf(ids.travel)).find((c) => c.text.includes('meal allowance'))!;
    const [otherChunk] = await chunksOf(ids.rules); // Japanese: full-text cannot find it for this question
    const vector = fakeVector([
      { chunkId: otherChunk!.id, similarity: 0.71 },
      { chunkId: mealChunk.id, similarity: 0.64 },
    ]);
    const retrieval = createRetrievalService({ db: t.app.database.db, vectorSearch: vector.search });
    const usage = { channel: 'api', userId: t.a.operator.id } as const;
    const { results, mode } = await retrieval.search(t.a.id, { query: 'daily meal allowance', topK: 3, fileIds: [ids.travel, ids.rules], usage });
    assert.equal(mode, 'hybrid');
    assert.equal(results[0]?.chunk_id, mealChunk.id, 'found by both: first');
    assert.equal(results[0]?.match, 'both');
    const vectorOnly = results.find((r) => r.chunk_id === otherChunk!.id);
    assert.equal(vectorOnly?.match, 'vector');
    assert.equal(vectorOnly?.score, 0.71);
    assert.deepEqual(vector.calls, [[t.a.id, 'daily meal allowance', { topK: candidateCount(3), fileIds: [ids.travel, ids.rules], tags: undefined, usage }]]);
  });

  test('vector hits outside the tenant, the filters or the completed documents never surface', async () => {
    const [foreign] = await chunksOf(ids.rulesB);
    const [rulesChunk] = await chunksOf(ids.rules);
    const [travelChunk] = await chunksOf(ids.travel);
    const vector = fakeVector([
      { chunkId: foreign!.id, similarity: 0.99 },
      { chunkId: randomUUID(), similarity: 0.98 },
      { chunkId: rulesChunk!.id, similarity: 0.97 },
      { chunkId: travelChunk!.id, similarity: 0.9 },
    ]);
    const retrieval = createRetrievalService({ db: t.app.database.db, vectorSearch: vector.search });
    const all = await retrieval.retrieve(t.a.id, { query: 'zzz', topK: 10 });
    assert.deepEqual(all.map((r) => r.chunk_id), [rulesChunk!.id, travelChunk!.id]);
    const filtered = await retrieval.retrieve(t.a.id, { query: 'zzz', topK: 10, fileIds: [ids.travel] });
    assert.deepEqual(filtered.map((r) => r.chunk_id), [travelChunk!.id]);
    await t.app.database.db.execute(sql`update contents set status = 'processing' where id = ${ids.rules}`);
    try {
      assert.deepEqual((await retrieval.retrieve(t.a.id, { query: 'zzz', topK: 10 })).map((r) => r.chunk_id), [travelChunk!.id]);
    } finally {
      await t.app.database.db.execute(sql`update contents set status = 'completed' where id = ${ids.rules}`);
    }
  });

  test('min_score applies to vector similarity too', async () => {
    const [chunk] = await chunksOf(ids.travel);
    const vector = fakeVector([{ chunkId: chunk!.id, similarity: DEFAULT_MIN_SCORE - 0.1 }]);
    const retrieval = createRetrievalService({ db: t.app.database.db, vectorSearch: vector.search });
    assert.deepEqual(await retrieval.retrieve(t.a.id, { query: 'unrelated words only' }), []);
    assert.equal((await retrieval.retrieve(t.a.id, { query: 'unrelated words only', minScore: 0.2 }))[0]?.chunk_id, chunk!.id);
  });

  test('vector search still answers a question with nothing to search by full-text', async () => {
    const [chunk] = await chunksOf(ids.rules);
    const retrieval = createRetrievalService({ db: t.app.database.db, vectorSearch: fakeVector([{ chunkId: chunk!.id, similarity: 0.8 }]).search });
    const { results, mode } = await retrieval.search(t.a.id, { query: 'の は です' });
    assert.equal(mode, 'hybrid');
    assert.deepEqual(results.map((r) => [r.chunk_id, r.match]), [[chunk!.id, 'vector']]);
  });

  test('no provider (null) means full-text mode; an empty vector answer is still hybrid', async () => {
    const none = createRetrievalService({ db: t.app.database.db, vectorSearch: fakeVector(null).search });
    const off = await none.search(t.a.id, { query: '年次有給休暇' });
    assert.equal(off.mode, 'fulltext');
    assert.ok(off.results.length > 0 && off.results.every((r) => r.match === 'fulltext'));
    const empty = createRetrievalService({ db: t.app.database.db, vectorSearch: fakeVector([]).search });
    const on = await empty.search(t.a.id, { query: '年次有給休暇' });
    assert.equal(on.mode, 'hybrid');
    assert.deepEqual(on.results.map((r) => r.chunk_id), off.results.map((r) => r.chunk_id));
  });

  test('a failing vector search falls back to full-text and is logged', async () => {
    const warnings: string[] = [];
    const retrieval = createRetrievalService({
      db: t.app.database.db,
      vectorSearch: fakeVector(new Error('provider timed out')).search,
      log: { warn: (_details, message) => void warnings.push(message) },
    });
    const { results, mode } = await retrieval.search(t.a.id, { query: '年次有給休暇' });
    assert.equal(mode, 'fulltext');
    assert.ok(results.length > 0);
    assert.equal(warnings.length, 1);
  });
});

describe('service bounds', () => {
  test('topK is clamped to 1–20 and the candidate depth to 20–80', async () => {
    const retrieval = createRetrievalService({ db: t.app.database.db });
    const broad = { query: '規則 従業員 会社 支給 勤務 allowance travel', minScore: 0 };
    assert.equal((await retrieval.retrieve(t.a.id, { ...broad, topK: 0 })).length, 1);
    assert.ok((await retrieval.retrieve(t.a.id, { ...broad, topK: 500 })).length <= 20);
    assert.deepEqual([1, 5, 10, 20, 50].map(candidateCount), [20, 20, 40, 80, 80]);
  });

  test('CJK bigrams weigh less than words', () => {
    const { terms, weights, tsqueries } = weightedTermsOf('有給休暇は何日');
    assert.deepEqual(terms.slice(0, 2), ['有給', '休暇']);
    assert.deepEqual(weights.slice(0, 2), [1, 1]);
    assert.equal(weights[terms.indexOf('給休')], defaultSearchText.bigramWeight);
    assert.equal(tsqueries[0], "'有給'");
    assert.equal(weightedTermsOf('有給休暇は何日').kinds[terms.indexOf('給休')], 'bigram');
    assert.deepEqual(weightedTermsOf('What is the'), { terms: [], tsqueries: [], weights: [], kinds: [] });
  });
});
