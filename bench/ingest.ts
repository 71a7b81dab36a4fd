// Ingestion benchmark against the real server process (npm run bench:ingest builds it first):
//   1. request latency (GET /health, GET /api/v1/contents) with the server idle
//   2. pages per second (extract + chunk + index) on generated multi-page PDFs
//   3. the same on the eval TXT sets (one page per file)
//   3b. Markdown, HTML, CSV, XLSX and PPTX made from the Japanese eval set at a few sizes, one file
//       at a time: files/s, MB/s, upload→completed p50/p95 per file, passages (chunks) per file
//   4. request latency while a large TXT file (thousands of chunks) ingests, same run as (1)
//   5. peak resident memory of the server during a streamed 100 MB upload
//
//   npm run bench:ingest                              # all of it
//   npx tsx bench/ingest.ts --sets en --pages 100     # smaller; --tsx runs the server through tsx
//   npx tsx bench/ingest.ts --formats-only            # (3b) alone; --formats md,csv --sizes 5,50 --files 2
// SHIORI_SHARED points at the shared folder (default ../shared); DATABASE_URL is passed to the server.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { makeTextPdf } from '../src/modules/sources/extract/test-support/make-pdf.js';
import { projectRoot } from '../src/paths.js';
import { createTenant, getJson, timedGet, upload, uploadGenerated, waitDone, type Tenant } from './lib/api.js';
import { residentMemory, resetPeakMemory, startServer, type BenchServer } from './lib/server.js';
import { latencySummary, mb, percentile } from './lib/stats.js';
import { loadEvalSet } from './fulltext/eval-data.js';
import { BENCH_FORMATS, makeJapaneseFile } from './lib/japanese-files.js';

const { values } = parseArgs({
  options: {
    sets: { type: 'string', default: 'en,ja,ja-jaquad' },
    pages: { type: 'string', default: '200' },
    pdfs: { type: 'string', default: '2' },
    tsx: { type: 'boolean', default: false },
    formats: { type: 'string', default: BENCH_FORMATS.join(',') },
    sizes: { type: 'string', default: '5,50,500' },
    files: { type: 'string', default: '3' },
    'formats-only': { type: 'boolean', default: false },
  },
});
const shared = resolve(process.env.SHIORI_SHARED ?? join(projectRoot, '..', 'shared'));
const sets = values.sets.split(',').filter(Boolean);

/** Requests one after another (with a short pause) until `until` settles: what a user clicking around would see. */
async function sampleLatency(server: BenchServer, tenant: Tenant, until: Promise<unknown> | number): Promise<{ health: number[]; list: number[] }> {
  const health: number[] = [];
  const list: number[] = [];
  let done = false;
  if (typeof until !== 'number') void until.finally(() => (done = true));
  const headers = { authorization: `Bearer ${tenant.token}` };
  for (let i = 0; typeof until === 'number' ? i < until : !done; i++) {
    health.push(await timedGet(`${server.baseUrl}/health`));
    list.push(await timedGet(`${server.baseUrl}/api/v1/contents?limit=20`, headers));
    await new Promise((r) => setTimeout(r, 20));
  }
  return { health, list };
}

/** English prose (ASCII, so the PDF's standard font can draw it) wrapped into pages of 45 lines. */
function pdfPages(pageCount: number, seed: number): string[] {
  const words = loadEvalSet(shared, 'en').articles.map((a) => a.text).join(' ').replace(/[^\x20-\x7e]+/g, ' ').split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (let i = seed * 7919; lines.length < pageCount * 45; i++) {
    const word = words[i % words.length]!;
    if (line.length + word.length + 1 > 95) lines.push(line), (line = '');
    line += (line ? ' ' : '') + word;
  }
  return Array.from({ length: pageCount }, (_, p) => lines.slice(p * 45, p * 45 + 45).join('\n'));
}

function stageSummary(details: Array<{ page_count: number | null; chunk_count: number; timings: Record<string, number> }>): string {
  const sum = (key: string) => details.reduce((s, d) => s + (d.timings[key] ?? 0), 0);
  const pages = details.reduce((s, d) => s + (d.page_count ?? 0), 0);
  const total = sum('total_ms');
  return (
    `${pages} pages, ${details.reduce((s, d) => s + d.chunk_count, 0)} chunks: ${((pages * 1000) / total).toFixed(1)} pages/s ` +
    `(extract ${sum('extract_ms')} ms, chunk ${sum('chunk_ms')} ms, index ${sum('index_ms')} ms, total ${total} ms)`
  );
}

/** (3b): each format at each size (KB of text), `files` of each, uploaded one after another so each time is one file's. */
async function measureFormats(server: BenchServer): Promise<void> {
  const articles = loadEvalSet(shared, 'ja').articles;
  const tenant = await createTenant(server.baseUrl, 'ingest_formats');
  const sizes = values.sizes.split(',').map(Number);
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`\nformats, Japanese, ${values.files} files of each of ${sizes.map((kb) => `${kb} KB`).join(', ')} of text, one at a time:`);
  for (const format of values.formats.split(',').filter(Boolean) as Array<(typeof BENCH_FORMATS)[number]>) {
    const times: number[] = [];
    const bySize: string[] = [];
    let bytes = 0;
    let chunks = 0;
    let failed = 0;
    for (const kb of sizes) {
      let sizeChunks = 0;
      for (let i = 0; i < Number(values.files); i++) {
        const file = await makeJapaneseFile(format, articles, kb * 1024, times.length);
        const started = performance.now();
        const detail = await waitDone(tenant, await upload(tenant, `資料-${kb}kb-${i}.${format}`, file));
        times.push(performance.now() - started);
        bytes += file.length;
        sizeChunks += detail.chunk_count;
        if (detail.status !== 'completed') failed++, console.log(`  ${format} ${kb} KB: ${detail.status} ${detail.failure_reason ?? ''}`);
      }
      chunks += sizeChunks;
      bySize.push(`${kb} KB ${(sizeChunks / Number(values.files)).toFixed(0)}`);
    }
    const wall = times.reduce((a, b) => a + b, 0) / 1000;
    console.log(
      `${format.toUpperCase().padEnd(5)} ${times.length} files, ${mb(bytes)}: ${(times.length / wall).toFixed(2)} files/s, ${(bytes / 1024 / wall).toFixed(0)} KB/s; ` +
        `upload→completed p50 ${seconds(percentile(times, 50))} p95 ${seconds(percentile(times, 95))}; passages/file ${(chunks / times.length).toFixed(1)} (${bySize.join(', ')})${failed ? `, ${failed} FAILED` : ''}`,
    );
  }
}

async function main(): Promise<void> {
  const server = await startServer(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {});
  console.log(`server: ${server.command}, ${server.driver}, pid ${server.pid}; node ${process.version}; RSS at start ${mb(residentMemory(server.pid).rss)}`);
  try {
    if (values['formats-only']) return await measureFormats(server);
    const tenant = await createTenant(server.baseUrl, 'ingest');
    await sampleLatency(server, tenant, 20); // warm-up
    const idle = await sampleLatency(server, tenant, 200);
    console.log(`\nidle        GET /health          ${latencySummary(idle.health)}`);
    console.log(`idle        GET /contents        ${latencySummary(idle.list)}`);

    const pages = Number(values.pages);
    const pdfDetails = [];
    for (let i = 0; i < Number(values.pdfs); i++) {
      const pdf = await makeTextPdf(pdfPages(pages, i));
      const started = performance.now();
      const detail = await waitDone(tenant, await upload(tenant, `generated-${i}.pdf`, pdf));
      if (detail.status !== 'completed') throw new Error(`PDF failed: ${detail.failure_reason}`);
      console.log(`PDF ${pages} pages (${mb(pdf.length)}): ${((pages * 1000) / detail.timings.total_ms).toFixed(1)} pages/s in the worker, ${((performance.now() - started) / 1000).toFixed(1)} s upload→completed`);
      pdfDetails.push(detail);
    }
    console.log(`PDF total   ${stageSummary(pdfDetails)}`);

    for (const name of sets) {
      const set = loadEvalSet(shared, name);
      const setTenant = await createTenant(server.baseUrl, `ingest_${name.replace(/\W/g, '')}`);
      const bytes = set.articles.reduce((s, a) => s + Buffer.byteLength(a.text), 0);
      const started = performance.now();
      const ids = [];
      for (const article of set.articles) ids.push(await upload(setTenant, article.file, Buffer.from(article.text)));
      const details = await Promise.all(ids.map((id) => waitDone(setTenant, id)));
      const wall = (performance.now() - started) / 1000;
      const failed = details.filter((d) => d.status !== 'completed').length;
      console.log(
        `TXT ${name.padEnd(10)} ${set.articles.length} files, ${mb(bytes)}: ${(set.articles.length / wall).toFixed(2)} files/s, ${(bytes / 1024 / wall).toFixed(0)} KB/s wall (${wall.toFixed(1)} s, 2 at a time)${failed ? `, ${failed} FAILED` : ''}`,
      );
      console.log(`            ${stageSummary(details)}`);
    }
    await measureFormats(server);

    // A large text file: many chunks written while requests keep coming.
    const jaquad = loadEvalSet(shared, 'ja-jaquad').articles.map((a) => a.text).join('\n\n');
    const big = Buffer.from(Array.from({ length: 3 }, (_, i) => `第${i + 1}部\n\n${jaquad}`).join('\n\n'));
    const bigId = await upload(tenant, 'large-japanese.txt', big);
    const bigDone = waitDone(tenant, bigId);
    const busy = await sampleLatency(server, tenant, bigDone);
    const bigDetail = await bigDone;
    console.log(`\nlarge TXT ${mb(big.length)}: ${bigDetail.status}, ${bigDetail.chunk_count} chunks, extract ${bigDetail.timings.extract_ms} ms, chunk ${bigDetail.timings.chunk_ms} ms, index ${bigDetail.timings.index_ms} ms`);
    console.log(`ingesting   GET /health          ${latencySummary(busy.health)}`);
    console.log(`ingesting   GET /contents        ${latencySummary(busy.list)}`);

    // 100 MB streamed upload: the server must not hold it in memory.
    const size = 100 * 1024 * 1024;
    const before = residentMemory(server.pid);
    const peakReset = resetPeakMemory(server.pid);
    let sampledPeak = before.rss;
    const sampler = setInterval(() => (sampledPeak = Math.max(sampledPeak, residentMemory(server.pid).rss)), 10);
    const started = performance.now();
    const res = await uploadGenerated(tenant, 'hundred-megabytes.txt', size);
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const after = residentMemory(server.pid);
    const body = (await res.json()) as { id?: string };
    const peak = peakReset ? Math.max(after.peak, sampledPeak) : sampledPeak;
    console.log(`\n100 MB upload: ${res.status} in ${seconds.toFixed(1)} s (${(100 / seconds).toFixed(0)} MB/s)`);
    console.log(`server RSS  before ${mb(before.rss)}, peak during upload ${mb(peak)} (${peakReset ? 'VmHWM reset before' : 'sampled every 10 ms'}), +${mb(peak - before.rss)}`);
    if (body.id) await waitDone(tenant, body.id);
    console.log(`server RSS  peak from the upload through its ingestion (VmHWM) ${mb(residentMemory(server.pid).peak)}`);
    await getJson(tenant, '/api/v1/contents?limit=1');
  } finally {
    await server.stop();
  }
}

await main();
