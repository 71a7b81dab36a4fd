/**
 * Every real-world file in shared/fixtures/documents/manifest.json gives the outcome the
 * manifest expects: its snippets for "text", the matching ExtractionError otherwise.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ExtractionError, extractFile, inspectFileType } from './index.js';
import type { ExtractionFailure, ExtractionResult, FileKind } from './index.js';
import { normalizeForMatch, sharedDocumentsFolder } from './test-support/fixture-files.js';

interface ManifestEntry {
  file: string;
  format: FileKind;
  pages?: number;
  expected: {
    outcome: 'text' | 'no_text' | 'password_required' | 'corrupt';
    snippets?: string[];
  };
}

const OUTCOME_CODES: Record<Exclude<ManifestEntry['expected']['outcome'], 'text'>, ExtractionFailure> = {
  no_text: 'NO_TEXT',
  password_required: 'PASSWORD_REQUIRED',
  corrupt: 'CORRUPT',
};

const { folder, required } = sharedDocumentsFolder();
const manifestPath = join(folder, 'manifest.json');
const available = existsSync(manifestPath);
if (!available && required) throw new Error(`SHIORI_SHARED is set but ${manifestPath} does not exist`);
const entries: ManifestEntry[] = available ? JSON.parse(readFileSync(manifestPath, 'utf8')).files : [];

function fixturePath(entry: ManifestEntry): string {
  const path = join(folder, entry.file);
  assert.ok(existsSync(path), `fixture ${entry.file} is listed in the manifest but missing from ${folder}`);
  return path;
}

/** Extractions are shared between tests: each one starts a worker process, which is not free. */
const extractions = new Map<string, Promise<ExtractionResult>>();
function extractOnce(entry: ManifestEntry): Promise<ExtractionResult> {
  const path = fixturePath(entry);
  if (!extractions.has(path)) extractions.set(path, extractFile(path, entry.format));
  return extractions.get(path)!;
}

function assertSnippetsFound(result: ExtractionResult, snippets: string[]): void {
  const text = normalizeForMatch(result.pages.map((page) => page.text).join('\n'));
  for (const snippet of snippets) assert.ok(text.includes(normalizeForMatch(snippet)), `snippet not found: ${snippet}`);
}

/** A sentence for people: starts with a capital, ends with a period, no stack trace. */
function assertUserFacingMessage(error: ExtractionError): void {
  assert.match(error.message, /^[A-Z].*\.$/s);
  assert.doesNotMatch(error.message, /\n\s+at /);
}

describe('shared document fixtures', { skip: available ? false : `no fixtures at ${folder} (set SHIORI_SHARED)`, concurrency: 2 }, () => {
  for (const entry of entries) {
    test(`${entry.file} → ${entry.expected.outcome}`, async () => {
      const path = fixturePath(entry);
      const { kind } = await inspectFileType(path, entry.file);
      assert.equal(kind, entry.format);

      if (entry.expected.outcome === 'text') {
        const result = await extractOnce(entry);
        assertSnippetsFound(result, entry.expected.snippets ?? []);
        if (entry.pages !== undefined) assert.equal(result.pageCount, entry.pages);
        return;
      }
      const code = OUTCOME_CODES[entry.expected.outcome];
      await assert.rejects(extractFile(path, entry.format), (error: unknown) => {
        assert.ok(error instanceof ExtractionError, `expected an ExtractionError, got ${String(error)}`);
        assert.equal(error.code, code, error.message);
        assert.equal(error.permanent, true);
        assertUserFacingMessage(error);
        return true;
      });
    });
  }

  test('page numbers of a long PDF run to its last page', async () => {
    const entry = entries.find((candidate) => (candidate.pages ?? 0) > 100);
    assert.ok(entry, 'the manifest has a PDF of over 100 pages');
    const result = await extractOnce(entry);
    assert.equal(result.pages.at(-1)?.page, entry.pages);
    const lastPage = normalizeForMatch(result.pages.at(-1)!.text);
    assert.ok(lastPage.includes(normalizeForMatch('Gauß-Bonnet')), 'the index on the last page is on that page');
  });

  test('Japanese text keeps no stray spaces or radicals: Kangxi ⼀ becomes 一 in the text itself', async () => {
    const entry = entries.find((candidate) => candidate.file.includes('kangxi'));
    assert.ok(entry);
    const result = await extractOnce(entry);
    const text = result.pages.map((page) => page.text).join('\n');
    assert.ok(text.includes('一つの箱内'), text);
    assert.ok(!/[\u2f00-\u2fdf]/u.test(text), 'no Kangxi radicals left');
  });
});
