/**
 * Every real-world file of shared/fixtures/documents/manifest.json, uploaded through the API:
 * "text" files complete with every snippet in their stored chunks and findable through
 * POST /api/v1/search; the others fail with the manifest's code and a clear reason.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { chunks } from '../../../db/schema.js';
import { queryTerms } from '../../../lib/text/search-text.js';
import { buildTestApp, type TestApp } from '../../../test/harness.js';
import { uploadAllAndProcess, type ContentDetail } from '../../../test/upload.js';
import { normalizeForMatch, sharedDocumentsFolder } from '../extract/test-support/fixture-files.js';
import type { SearchResponse } from '../../retrieval/retrieval.schemas.js';

interface ManifestEntry {
  file: string;
  format: 'pdf' | 'docx' | 'txt';
  pages?: number;
  expected: { outcome: 'text' | 'no_text' | 'password_required' | 'corrupt'; snippets?: string[] };
}

const FAILURE_CODES = { no_text: 'NO_TEXT', password_required: 'PASSWORD_REQUIRED', corrupt: 'CORRUPT' } as const;
const SEARCH_ROUTE = '/api/v1/search';

const { folder, required } = sharedDocumentsFolder();
const manifestPath = join(folder, 'manifest.json');
const available = existsSync(manifestPath);
if (!available && required) throw new Error(`SHIORI_SHARED is set but ${manifestPath} does not exist`);
const entries: ManifestEntry[] = available ? JSON.parse(readFileSync(manifestPath, 'utf8')).files : [];

/** The document's text from its chunks in chunk_index order, the overlap between neighbours counted once. */
async function storedText(t: TestApp, contentId: string): Promise<string> {
  const rows = await t.app.database.db.select().from(chunks).where(eq(chunks.contentId, contentId)).orderBy(chunks.chunkIndex);
  let end = 0;
  const parts = rows.map((row) => {
    const part = row.text.slice(Math.max(0, end - row.charStart));
    end = Math.max(end, row.charEnd);
    return part;
  });
  return parts.join('\n');
}

describe('shared fixtures uploaded through the API', { skip: available ? false : `no fixtures at ${folder} (set SHIORI_SHARED)` }, () => {
  let t: TestApp;
  let details: Map<string, ContentDetail>;

  before(async () => {
    t = await buildTestApp();
    // A file listed but missing is reported by the entry's own test.
    const present = entries.filter((entry) => existsSync(join(folder, entry.file)));
    const files = present.map((entry) => ({ fileName: entry.file, bytes: readFileSync(join(folder, entry.file)) }));
    details = await uploadAllAndProcess(t, t.a.admin.accessToken, files, 300_000);
  });
  after(() => t?.close());

  for (const entry of entries) {
    test(`${entry.file} → ${entry.expected.outcome}`, async () => {
      assert.ok(existsSync(join(folder, entry.file)), `${entry.file} is listed in the manifest but missing from ${folder}`);
      const detail = details.get(entry.file)!;
      assert.equal(detail.file_type, entry.format);
      if (entry.expected.outcome === 'text') {
        assert.equal(detail.status, 'completed', `${detail.failure_code}: ${detail.failure_reason}`);
        assert.ok(detail.chunk_count > 0);
        if (entry.pages !== undefined) assert.equal(detail.page_count, entry.pages);
        const text = normalizeForMatch(await storedText(t, detail.id));
        for (const snippet of entry.expected.snippets ?? []) assert.ok(text.includes(normalizeForMatch(snippet)), `snippet not in the stored chunks: ${snippet}`);
        return;
      }
      assert.equal(detail.status, 'failed');
      assert.equal(detail.failure_code, FAILURE_CODES[entry.expected.outcome], detail.failure_reason ?? '');
      assert.match(detail.failure_reason ?? '', /^[A-Z].{20,}\.$/s, 'a sentence for the uploader');
      assert.doesNotMatch(detail.failure_reason ?? '', /\n\s+at |Error:/);
      assert.equal(detail.chunk_count, 0);
    });
  }

  test('every searchable snippet of a completed file is found through POST /api/v1/search', async () => {
    const token = t.a.admin.accessToken;
    const misses: string[] = [];
    let searched = 0;
    for (const entry of entries.filter((e) => e.expected.outcome === 'text')) {
      const id = details.get(entry.file)?.id;
      // A snippet made only of stopwords ("Above") has nothing to search for; the stored-text check above covers it.
      for (const snippet of (entry.expected.snippets ?? []).filter((s) => queryTerms(s).length > 0)) {
        searched++;
        const res = await t.request('POST', SEARCH_ROUTE, { token, body: { query: snippet, top_k: 10 } });
        assert.equal(res.statusCode, 200, res.body);
        if (!(res.json() as SearchResponse).results.some((r) => r.file_id === id)) misses.push(`${entry.file}: ${snippet}`);
      }
    }
    assert.deepEqual(misses, [], 'snippets whose file was not among the top 10 results');
    assert.ok(searched >= 20, `only ${searched} snippets were searched`);
  });
});
