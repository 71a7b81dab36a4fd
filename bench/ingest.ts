// Ingestion benchmark against the real server process (npm run bench:ingest builds it first):
//   1. request latency (GET /health, GET /api/v1/contents) with the server idle
//   2. pages per second (extract + chunk + index) on generated multi-page PDFs
//   3. the same on the eval TXT sets (one page per file)
//   4. request latency while a large TXT file (thousands of chunks) ingests, same run as (1)
//   5. peak resident memory of the server during a streamed 100 MB upload
//
//   npm run bench:ingest                              # all of it
//   npx tsx bench/ingest.ts --sets en --pages 100     # smaller; --tsx runs the server through tsx
// SHIORI_SHARED points at the shared folder (default ../shared); DATABASE_URL is passed to the server.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { makeTextPdf } from '../src/modules/sources/extract/test-support/make-pdf.js';
import { projectRoot } from '../src/paths.js';
import { createTenant, getJson, timedGet, upload, uploadGenerated, waitDone, type Tenant } from './lib/api.js';
import { residentMemory, resetPeakMemory, startServer, type BenchServer } from './lib/server.js';
import { latencySummary, mb } from './lib/stats.js';
import { loadEvalSet } from './fulltext/eval-data.js';

const { values } = parseArgs({
  options: {
    sets: { type: 'string', default: 'en,ja,ja-jaquad' },
    pages: { type: 'string', default: '200' },
    pdfs: { type: 'string', default: '2' },
    tsx: { type: 'boolean', default: false },
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

async function main(): Promise<void> {
  const server = await startServer(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {});
  console.log(`server: ${server.command}, ${server.driver}, pid ${server.pid}; node ${process.version}; RSS at start ${mb(residentMemory(server.pid).rss)}`);
  try {
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
