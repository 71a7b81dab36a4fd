import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { buildTestApp, expectError, type TestApp, type TestTenant } from '../../test/harness.js';
import { uploadAndProcess } from '../../test/upload.js';
import type { SearchResponse } from './retrieval.schemas.js';
import { manualPdf, travelPolicyEn, workRulesJa } from './test-support/documents.js';

let t: TestApp;
const files = { rules: '', travel: '', manual: '', rulesB: '' };

before(async () => {
  t = await buildTestApp();
  const admin = t.a.admin.accessToken;
  const [rules, travel, manual, rulesB] = await Promise.all([
    uploadAndProcess(t, admin, '就業規則.txt', workRulesJa, { tags: 'hr,規程' }),
    uploadAndProcess(t, admin, 'travel-policy.txt', travelPolicyEn, { tags: 'finance', title: 'Travel policy' }),
    uploadAndProcess(t, admin, 'zephyr-manual.pdf', await manualPdf()),
    // Tenant b holds the very same text as tenant a.
    uploadAndProcess(t, t.b.admin.accessToken, '就業規則.txt', workRulesJa, { tags: 'hr' }),
  ]);
  for (const doc of [rules, travel, manual, rulesB]) assert.equal(doc.detail.status, 'completed', JSON.stringify(doc.detail));
  Object.assign(files, { rules: rules.id, travel: travel.id, manual: manual.id, rulesB: rulesB.id });
});
after(() => t.close());

async function search(tenant: TestTenant, body: Record<string, unknown>, token = tenant.admin.accessToken): Promise<SearchResponse> {
  const res = await t.request('POST', '/api/v1/search', { token, body });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}

describe('POST /api/v1/search', () => {
  test('a Japanese question without spaces finds the passage on paid leave', async () => {
    const body = await search(t.a, { query: '有給休暇は何日もらえますか' });
    assert.equal(body.query, '有給休暇は何日もらえますか');
    assert.equal(body.mode, 'fulltext');
    assert.ok(typeof body.took_ms === 'number' && body.took_ms >= 0);
    const top = body.results[0];
    assert.ok(top, 'no result');
    assert.deepEqual(Object.keys(top).sort(), ['chunk_id', 'chunk_index', 'kind', 'chunk_text', 'file_id', 'file_name', 'file_type', 'match', 'page_end', 'page_start', 'score', 'sheet_name', 'source_url', 'title'].sort());
    assert.equal(top.file_id, files.rules);
    assert.equal(top.file_name, '就業規則.txt');
    assert.match(top.chunk_text, /年次有給休暇/);
    assert.match(top.chunk_text, /10日/);
    assert.equal(top.match, 'fulltext');
    assert.equal(top.page_start, null, 'TXT files have no pages');
    assert.ok(Number.isInteger(top.chunk_index) && top.chunk_index >= 0);
    assert.ok(top.score > 0 && top.score <= 1);
    const scores = body.results.map((r) => r.score);
    assert.deepEqual(scores, [...scores].sort((x, y) => y - x), 'full-text results are best first');
  });

  test('other Japanese phrasings find their own passages', async () => {
    const commute = await search(t.a, { query: '通勤手当の上限はいくら？' });
    assert.match(commute.results[0]?.chunk_text ?? '', /月額5万円/);
    const hours = await search(t.a, { query: '始業時刻は何時ですか' });
    assert.match(hours.results[0]?.chunk_text ?? '', /午前9時/);
  });

  test('an English question finds the English passage, with the upload’s title', async () => {
    const body = await search(t.a, { query: 'How much is the daily meal allowance on business trips?' });
    const top = body.results[0];
    assert.equal(top?.file_id, files.travel);
    assert.equal(top?.title, 'Travel policy');
    assert.match(top?.chunk_text ?? '', /meal allowance on business trips is 60 dollars/);
  });

  test('PDF passages carry their page numbers', async () => {
    const body = await search(t.a, { query: 'How often must the turbine blades be inspected?' });
    const top = body.results[0];
    assert.equal(top?.file_id, files.manual);
    assert.equal(top?.file_name, 'zephyr-manual.pdf');
    assert.match(top?.chunk_text ?? '', /every 500 operating hours/);
    assert.ok(top!.page_start! <= 2 && top!.page_end! >= 2 && top!.page_end! - top!.page_start! <= 1, JSON.stringify(top));
    const troubleshooting = await search(t.a, { query: 'red warning lamp blinks' });
    assert.equal(troubleshooting.results[0]?.page_end, 3);
  });

  test('an OPERATOR can search too', async () => {
    const body = await search(t.a, { query: '年次有給休暇' }, t.a.operator.accessToken);
    assert.equal(body.results[0]?.file_id, files.rules);
  });

  test('top_k bounds the results (default 5)', async () => {
    const broad = { query: 'Zephyr wind unit installation maintenance troubleshooting step note fault', min_score: 0 };
    assert.equal((await search(t.a, broad)).results.length, 5);
    assert.equal((await search(t.a, { ...broad, top_k: 1 })).results.length, 1);
    const many = await search(t.a, { ...broad, top_k: 20 });
    assert.ok(many.results.length > 5 && many.results.length <= 20, String(many.results.length));
    assert.equal(new Set(many.results.map((r) => r.chunk_id)).size, many.results.length, 'no passage twice');
  });
});

describe('tenant isolation', () => {
  test('tenant b never sees tenant a’s chunks, even for the exact same text', async () => {
    const chunksOfA = await t.app.database.db.execute(sql`select id::text from chunks where tenant_id = ${t.a.id}`);
    const idsOfA = new Set((chunksOfA as unknown as { rows: Array<{ id: string }> }).rows.map((r) => r.id));
    for (const query of ['有給休暇は何日もらえますか', '年次有給休暇 通勤手当 服務規律 懲戒', 'meal allowance', 'turbine blades']) {
      const body = await search(t.b, { query, top_k: 20, min_score: 0 });
      for (const r of body.results) {
        assert.equal(r.file_id, files.rulesB, `${query}: ${JSON.stringify(r)}`);
        assert.ok(!idsOfA.has(r.chunk_id));
      }
    }
    const own = await search(t.b, { query: '有給休暇は何日もらえますか' });
    assert.equal(own.results[0]?.file_id, files.rulesB);
  });

  test('another tenant’s file id in file_ids gives no results, not an error', async () => {
    const body = await search(t.b, { query: '有給休暇は何日もらえますか', file_ids: [files.rules], min_score: 0 });
    assert.deepEqual(body.results, []);
    const unknown = await search(t.b, { query: '有給休暇', file_ids: [randomUUID()] });
    assert.deepEqual(unknown.results, []);
  });
});

describe('filters', () => {
  test('file_ids restricts the search to those files', async () => {
    const body = await search(t.a, { query: 'allowance 手当 inspected', file_ids: [files.travel], top_k: 20, min_score: 0 });
    assert.ok(body.results.length > 0);
    assert.ok(body.results.every((r) => r.file_id === files.travel));
    const both = await search(t.a, { query: 'allowance 手当', file_ids: [files.travel, files.rules], top_k: 20, min_score: 0 });
    assert.deepEqual(new Set(both.results.map((r) => r.file_id)), new Set([files.travel, files.rules]));
    assert.deepEqual((await search(t.a, { query: '有給休暇', file_ids: [files.manual] })).results, []);
  });

  test('tags keeps files carrying any of them; an empty list means all', async () => {
    const finance = await search(t.a, { query: 'allowance 手当', tags: ['finance'], top_k: 20, min_score: 0 });
    assert.ok(finance.results.length > 0 && finance.results.every((r) => r.file_id === files.travel));
    const any = await search(t.a, { query: 'allowance 手当', tags: ['nothing', '規程'], top_k: 20, min_score: 0 });
    assert.ok(any.results.length > 0 && any.results.every((r) => r.file_id === files.rules));
    assert.deepEqual((await search(t.a, { query: 'allowance', tags: ['unknown-tag'], min_score: 0 })).results, []);
    const all = await search(t.a, { query: 'allowance 手当', tags: [], file_ids: [], top_k: 20, min_score: 0 });
    assert.deepEqual(new Set(all.results.map((r) => r.file_id)), new Set([files.travel, files.rules]));
  });
});

describe('min_score', () => {
  test('an unrelated question that shares a word with the documents retrieves nothing by default', async () => {
    for (const query of ['How many days does the moon need to orbit the earth?', '月に行くには何日かかりますか']) {
      const loose = await search(t.a, { query, min_score: 0 });
      assert.ok(loose.results.length > 0, `${query}: expected weak matches with min_score 0`);
      assert.deepEqual((await search(t.a, { query })).results, [], `${query}: ${JSON.stringify(loose.results[0]?.score)}`);
    }
  });

  test('every result scores at least min_score', async () => {
    const body = await search(t.a, { query: 'expense report receipts within 30 days reimbursed', top_k: 20, min_score: 0 });
    const cut = body.results[Math.floor(body.results.length / 2)]!.score;
    const cutBody = await search(t.a, { query: 'expense report receipts within 30 days reimbursed', top_k: 20, min_score: cut });
    assert.ok(cutBody.results.length > 0 && cutBody.results.every((r) => r.score >= cut));
    assert.ok(cutBody.results.length < body.results.length);
  });
});

describe('documents that are not completed', () => {
  async function setStatus(id: string, status: string) {
    await t.app.database.db.execute(sql`update contents set status = ${status} where id = ${id} and tenant_id = ${t.a.id}`);
  }

  test('pending, processing and failed documents are not searched, though their chunks exist', async () => {
    for (const status of ['pending', 'processing', 'failed']) {
      await setStatus(files.travel, status);
      try {
        const body = await search(t.a, { query: 'meal allowance', top_k: 20, min_score: 0 });
        assert.ok(body.results.every((r) => r.file_id !== files.travel), status);
      } finally {
        await setStatus(files.travel, 'completed');
      }
    }
    assert.equal((await search(t.a, { query: 'meal allowance' })).results[0]?.file_id, files.travel);
  });

  test('a deleted document’s chunks are gone from the results', async () => {
    const doc = await uploadAndProcess(t, t.a.admin.accessToken, 'obsolete.txt', 'The obsolete quokka protocol was retired in spring.\n\nQuokka handlers should use the new wombat procedure.');
    assert.equal((await search(t.a, { query: 'quokka protocol' })).results[0]?.file_id, doc.id);
    const res = await t.request('DELETE', `/api/v1/contents/${doc.id}`, { token: t.a.admin.accessToken });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual((await search(t.a, { query: 'quokka protocol', min_score: 0 })).results, []);
    const left = await t.app.database.db.execute(sql`select count(*)::int as n from chunks where content_id = ${doc.id}`);
    assert.equal((left as unknown as { rows: Array<{ n: number }> }).rows[0]?.n, 0);
  });
});

describe('hostile and odd queries', () => {
  const queries: Array<[string, string]> = [
    ['tsquery operators', `'&|!():*<->\\`],
    ['operators around words', "allowance:* & !(meal | 'x') <-> 手当"],
    ['SQL', "'; DROP TABLE chunks; --"],
    ['English stopwords only', 'what is the of and'],
    ['Japanese stopwords only', 'の は が です ます'],
    ['1000 characters', 'あ'.repeat(400) + 'allowance '.repeat(60)],
    ['emoji', '😀🎉🙏 👨‍👩‍👧'],
    ['control and zero-width characters', 'meal\u0000\u200b\u202eallowance'],
    ['a lone surrogate', 'meal \ud800 allowance'],
  ];
  for (const [name, query] of queries) {
    test(`${name}: answers 200 or 422, never 500`, async () => {
      const res = await t.request('POST', '/api/v1/search', { token: t.a.admin.accessToken, body: { query } });
      assert.ok([200, 422].includes(res.statusCode), `${res.statusCode} ${res.body}`);
      if (res.statusCode === 200) assert.ok(Array.isArray(res.json().results));
    });
  }

  test('a question with nothing searchable returns no results', async () => {
    assert.deepEqual((await search(t.a, { query: '？！。、 the of' })).results, []);
  });
});

describe('validation', () => {
  const invalid: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['missing query', {}, 'query', /required/],
    ['empty query', { query: '' }, 'query', /empty/],
    ['blank query', { query: '   ' }, 'query', /empty/],
    ['query over 1000 characters', { query: 'x'.repeat(1001) }, 'query', /at most 1000/],
    ['query not a string', { query: 42 }, 'query', /string/],
    ['top_k 0', { query: 'q', top_k: 0 }, 'top_k', /at least 1/],
    ['top_k 21', { query: 'q', top_k: 21 }, 'top_k', /at most 20/],
    ['top_k fractional', { query: 'q', top_k: 2.5 }, 'top_k', /whole number/],
    ['top_k as a string', { query: 'q', top_k: '5' }, 'top_k', /number/],
    ['file_ids not UUIDs', { query: 'q', file_ids: ['not-a-uuid'] }, 'file_ids.0', /UUID/],
    ['file_ids over 100', { query: 'q', file_ids: Array.from({ length: 101 }, () => randomUUID()) }, 'file_ids', /at most 100/],
    ['tags over 20', { query: 'q', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 'tags', /at most 20/],
    ['an empty tag', { query: 'q', tags: [''] }, 'tags.0', /empty/],
    ['a tag over 50 characters', { query: 'q', tags: ['x'.repeat(51)] }, 'tags.0', /at most 50/],
    ['min_score below 0', { query: 'q', min_score: -0.1 }, 'min_score', /between 0 and 1/],
    ['min_score above 1', { query: 'q', min_score: 1.5 }, 'min_score', /between 0 and 1/],
    ['an unknown field', { query: 'q', topK: 3 }, 'body', /unknown field.*topK/],
  ];
  for (const [name, body, field, message] of invalid) {
    test(`refuses ${name} with 422 naming ${field}`, async () => {
      const res = await t.request('POST', '/api/v1/search', { token: t.a.admin.accessToken, body });
      const error = expectError(res, 422, 'VALIDATION_ERROR').errors?.find((e) => e.field === field);
      assert.ok(error, res.body);
      assert.match(error.message, message);
    });
  }

  test('without a token: 401', async () => {
    expectError(await t.request('POST', '/api/v1/search', { body: { query: '有給休暇' } }), 401, 'AUTHENTICATION_ERROR');
  });
});
