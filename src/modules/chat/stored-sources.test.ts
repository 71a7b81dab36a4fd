import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { contents, conversations, messages } from '../../db/schema.js';
import { projectRoot } from '../../paths.js';
import { buildTestApp, type TestApp } from '../../test/harness.js';

// Answers stored before sources kept the document's title were given `"title": null` by a
// migration, so what is stored is what the API returns (ChatSource). Run again here on such rows.

let t: TestApp;
before(async () => {
  t = await buildTestApp();
});
after(() => t.close());

/** Migration 0011 without its ALTER TABLE (the column is there): the back-fill of stored sources. */
const backFill0011 = () => readFileSync(join(projectRoot, 'src/db/migrations/0011_page_labels.sql'), 'utf8').split('--> statement-breakpoint').at(-1)!;

const passage = (chunk_index: number) => ({ file_id: '00000000-0000-4000-8000-000000000001', file_name: '就業規則.txt', chunk_index, chunk_text: `第${chunk_index + 1}条`, page: null, score: 0.5 });

test('a stored answer without source titles reads as one with null titles, in the same order', async () => {
  const { db } = t.app.database;
  const [conversation] = await db.insert(conversations).values({ tenantId: t.a.id, channel: 'dashboard', userId: t.a.admin.id, title: '有給休暇は？' }).returning();
  const old = [passage(2), passage(0), { ...passage(1), title: '就業規則（2026年）' }];
  // As stored then: the type now requires a title, which these rows lack.
  const [answer] = await db
    .insert(messages)
    .values({ conversationId: conversation!.id, tenantId: t.a.id, role: 'assistant', content: '10日です[1]。', sources: old as never })
    .returning();

  const migration = readFileSync(join(projectRoot, 'src/db/migrations/0010_source_titles.sql'), 'utf8');
  await db.execute(sql.raw(migration));

  const [stored] = await db.select({ sources: messages.sources }).from(messages).where(eq(messages.id, answer!.id));
  assert.deepEqual(stored!.sources, [
    { ...passage(2), title: null },
    { ...passage(0), title: null },
    { ...passage(1), title: '就業規則（2026年）' },
  ]);

  // Then 0011 adds what a source says of its file: its type (null here: the document is gone),
  // its sheet, and where it opens.
  await db.execute(sql.raw(backFill0011()));
  const [opened] = await db.select({ sources: messages.sources }).from(messages).where(eq(messages.id, answer!.id));
  const url = `/api/v1/contents/${passage(0).file_id}/file`;
  assert.deepEqual(opened!.sources, stored!.sources!.map((s) => ({ ...s, file_type: null, sheet_name: null, url })));
  const res = await t.request('GET', `/api/v1/conversations/${conversation!.id}`, { token: t.a.admin.accessToken });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json().messages[0].sources, opened!.sources);
});

test('0011 gives a stored PDF source its type and a link to its page', async () => {
  const { db } = t.app.database;
  const [content] = await db
    .insert(contents)
    .values({ tenantId: t.a.id, fileName: 'manual.pdf', fileType: 'pdf', fileSize: 10, sha256: 'x'.repeat(64), storageKey: 'k', status: 'completed' })
    .returning();
  const [conversation] = await db.insert(conversations).values({ tenantId: t.a.id, channel: 'api', title: '点検は？' }).returning();
  const old = [{ ...passage(0), file_id: content!.id, title: null, page: 3 }, { ...passage(1), file_id: content!.id, title: null, page: null }];
  const [answer] = await db
    .insert(messages)
    .values({ conversationId: conversation!.id, tenantId: t.a.id, role: 'assistant', content: '500時間ごとです[1]。', sources: old as never })
    .returning();
  await db.execute(sql.raw(backFill0011()));
  const [stored] = await db.select({ sources: messages.sources }).from(messages).where(eq(messages.id, answer!.id));
  const file = `/api/v1/contents/${content!.id}/file`;
  assert.deepEqual(stored!.sources, [
    { ...old[0], file_type: 'pdf', sheet_name: null, url: `${file}?disposition=inline#page=3` },
    { ...old[1], file_type: 'pdf', sheet_name: null, url: `${file}?disposition=inline` },
  ]);
});
