// Documents and checks of the durability tests: what a clean ingest of each file gives, and the
// assertions on the stored state after the kills (rows, jobs, chunks, files on disk).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../../../db/client.js';
import { contents, ingestionJobs } from '../../../../db/schema.js';
import { defaultChunking } from '../../../../lib/text/chunk.js';
import { extractInProcess } from '../../extract/extract-in-process.js';
import { defaultExtractionLimits } from '../../extract/types.js';
import { prepareChunks } from '../../extract/prepare-chunks.js';
import { seededRandom } from '../../../../test/seeded-random.js';

export interface TestDocument {
  name: string;
  bytes: Buffer;
  sha256: string;
}

const WORDS = (
  'lease worker queue upload chunk index vector tenant answer passage document retry crash restart ' +
  'durable commit ledger invoice policy holiday salary contract notice office travel expense approval ' +
  'manager report quarter budget safety training schedule overtime allowance leave request review'
).split(' ');

/** `count` distinct TXT files: most a few KB, every tenth 40–90 KB so ingestion takes a while. */
export function makeDocuments(random: () => number, count: number): TestDocument[] {
  const word = () => WORDS[Math.floor(random() * WORDS.length)]!;
  return Array.from({ length: count }, (_, i) => {
    const target = i % 10 === 9 ? 40_000 + Math.floor(random() * 50_000) : 1000 + Math.floor(random() * 3000);
    const parts = [`Document ${i} of the durability run ${Math.floor(random() * 1e9)}.\n\n`];
    let size = parts[0]!.length;
    while (size < target) {
      const sentence = Array.from({ length: 6 + Math.floor(random() * 10) }, word).join(' ');
      const line = `${sentence[0]!.toUpperCase()}${sentence.slice(1)}.${random() < 0.2 ? '\n\n' : ' '}`;
      parts.push(line);
      size += line.length;
    }
    const bytes = Buffer.from(parts.join(''));
    return { name: `doc-${String(i).padStart(3, '0')}.txt`, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
  });
}

/** Chunks per document of a clean ingest: the same extraction and chunking the worker runs, once, in this process. */
export async function expectedChunkCounts(documents: TestDocument[]): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'shiori-expected-'));
  try {
    const counts: number[] = [];
    for (const doc of documents) {
      const path = join(dir, doc.name);
      writeFileSync(path, doc.bytes);
      const extracted = await extractInProcess(path, 'txt', defaultExtractionLimits);
      counts.push(prepareChunks('txt', extracted.pages, { ...defaultChunking, title: null }).length);
    }
    return counts;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface CleanIngestInput {
  db: Database;
  tenantId: string;
  filesDir: string;
  documents: TestDocument[];
  expected: number[];
  /** File index → document id: answered 201, or named by a 409 after the 201 was lost. */
  accepted: Map<number, string>;
  /** Ids of the uploads whose 201 arrived. */
  answered201: Set<string>;
  /** How long orphaned files may take to be swept (0: they must be gone already). */
  waitForSweepMs: number;
}

const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;

/** Asserts the state of a clean ingest of every accepted file; returns counts for the report. */
export async function assertCleanIngest(input: CleanIngestInput): Promise<{ interrupted: number; chunks: number }> {
  const { db, tenantId, documents, expected, accepted } = input;
  const stored = await db.select().from(contents).where(eq(contents.tenantId, tenantId));
  const byId = new Map(stored.map((row) => [row.id, row]));

  // No accepted upload lost, nothing extra (a retried upload must not have made a second document).
  for (const id of input.answered201) assert.ok(byId.has(id), `upload ${id} was answered 201 and then lost`);
  assert.equal(stored.length, documents.length, 'one document per file');
  for (const [i, id] of accepted) {
    const row = byId.get(id);
    assert.ok(row, `${documents[i]!.name} (${id}) is missing`);
    assert.equal(row.sha256, documents[i]!.sha256, `${documents[i]!.name}: stored under another file's id`);
    assert.equal(row.status, 'completed', `${documents[i]!.name}: ${row.status} ${row.failureMessage?.en ?? row.failureReason ?? ''}`);
    assert.equal(row.chunkCount, expected[i], `${documents[i]!.name}: chunk_count ${row.chunkCount}, a clean ingest gives ${expected[i]}`);
  }

  // Chunks: exactly those of a clean ingest, indexes 0..n-1, none twice.
  const chunkStats = rowsOf<{ content_id: string; n: number; distinct_n: number; lo: number; hi: number }>(
    await db.execute(sql`select content_id, count(*)::int as n, count(distinct chunk_index)::int as distinct_n,
      min(chunk_index)::int as lo, max(chunk_index)::int as hi from chunks where tenant_id = ${tenantId} group by content_id`),
  );
  assert.equal(chunkStats.length, documents.length, 'every document has chunks');
  let totalChunks = 0;
  for (const s of chunkStats) {
    const row = byId.get(s.content_id)!;
    assert.deepEqual({ n: s.n, distinct: s.distinct_n, lo: s.lo, hi: s.hi }, { n: row.chunkCount, distinct: row.chunkCount, lo: 0, hi: row.chunkCount - 1 }, `chunks of ${row.fileName}`);
    totalChunks += s.n;
  }

  // Jobs: one ingest job per document, done; nothing queued or running is left behind.
  const jobs = await db.select().from(ingestionJobs).where(eq(ingestionJobs.tenantId, tenantId));
  assert.equal(jobs.length, documents.length, `one job per document: ${jobs.length}`);
  for (const job of jobs) {
    assert.equal(job.kind, 'ingest');
    assert.equal(job.status, 'done', `job of ${byId.get(job.contentId ?? "")?.fileName}: ${job.status} ${job.lastError ?? ''}`);
    assert.ok(job.attempts >= 1 && job.attempts <= job.maxAttempts, `attempts ${job.attempts}`);
  }
  assert.equal(new Set(jobs.map((j) => j.contentId)).size, documents.length);

  // Files: one per document, intact; no orphan and no half-written file.
  const dir = join(input.filesDir, tenantId);
  const wanted = new Set(stored.map((row) => row.storageKey.split('/')[1]!));
  const deadline = Date.now() + input.waitForSweepMs;
  let onDisk = readdirSync(dir);
  while (onDisk.some((name) => !wanted.has(name)) && Date.now() < deadline) {
    await sleep(250);
    onDisk = readdirSync(dir);
  }
  assert.deepEqual(onDisk.filter((name) => !wanted.has(name)), [], 'files that no document names');
  assert.equal(onDisk.length, wanted.size, 'every document has its file');
  for (const row of stored) {
    const bytes = readFileSync(join(input.filesDir, row.storageKey));
    assert.equal(createHash('sha256').update(bytes).digest('hex'), row.sha256, `file of ${row.fileName} is intact`);
  }
  assert.deepEqual(readdirSync(input.filesDir).filter((name) => name !== tenantId), [], 'no other folders under files/');
  return { interrupted: jobs.filter((j) => j.attempts > 1).length, chunks: totalChunks };
}
