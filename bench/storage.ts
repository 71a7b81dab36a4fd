// File storage benchmark against the real server process (npm run bench:storage builds it first):
// a streamed 100 MB upload and its download, on the local disk and on FILE_STORAGE=s3 (the local
// S3 of the tests, src/test/fake-s3.ts, in this process), each with the server's resident memory,
// so the two stores are compared in one run. The S3 store must not hold the file in memory either.
//
//   npm run bench:storage
//   npx tsx bench/storage.ts --mb 30       # a smaller file; --tsx runs the server through tsx
// DATABASE_URL is passed to the server.
import { parseArgs } from 'node:util';
import { startFakeS3 } from '../src/test/fake-s3.js';
import { createTenant, uploadGenerated } from './lib/api.js';
import { residentMemory, resetPeakMemory, startServer } from './lib/server.js';
import { mb } from './lib/stats.js';

const { values } = parseArgs({ options: { mb: { type: 'string', default: '100' }, tsx: { type: 'boolean', default: false } } });
const size = Number(values.mb) * 1024 * 1024;

/** Runs `work` while sampling the server's RSS every 10 ms (and its VmHWM, reset first where Linux allows). */
async function withPeakMemory<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; seconds: number; before: number; peak: number }> {
  const before = residentMemory(pid).rss;
  const reset = resetPeakMemory(pid);
  let sampled = before;
  const sampler = setInterval(() => (sampled = Math.max(sampled, residentMemory(pid).rss)), 10);
  const started = performance.now();
  try {
    const result = await work();
    return { result, seconds: (performance.now() - started) / 1000, before, peak: reset ? Math.max(residentMemory(pid).peak, sampled) : sampled };
  } finally {
    clearInterval(sampler);
  }
}

async function measure(label: string, env: Record<string, string>): Promise<void> {
  const server = await startServer({ ...env, ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}) });
  try {
    const tenant = await createTenant(server.baseUrl, 'storage');
    const up = await withPeakMemory(server.pid, async () => {
      const res = await uploadGenerated(tenant, 'generated.txt', size);
      return (await res.json()) as { id: string };
    });
    const down = await withPeakMemory(server.pid, async () => {
      const res = await fetch(`${server.baseUrl}/api/v1/contents/${up.result.id}/file`, { headers: { authorization: `Bearer ${tenant.token}` } });
      let bytes = 0;
      for await (const chunk of res.body!) bytes += chunk.length;
      return bytes;
    });
    if (down.result !== size) throw new Error(`${label}: downloaded ${down.result} bytes of ${size}`);
    const line = (what: string, m: { seconds: number; before: number; peak: number }) =>
      `${label.padEnd(6)} ${what.padEnd(9)} ${m.seconds.toFixed(2)} s (${(size / 1024 / 1024 / m.seconds).toFixed(0)} MB/s)  server RSS ${mb(m.before)} → peak ${mb(m.peak)} (+${mb(m.peak - m.before)})`;
    console.log(line('upload', up));
    console.log(line('download', down));
  } finally {
    await server.stop();
  }
}

const s3 = await startFakeS3();
try {
  console.log(`${mb(size)} streamed, ${values.tsx ? 'tsx' : 'dist'} server; the S3 store is the in-process fake (memory, no network)`);
  await measure('local', {});
  await measure('s3', s3.env);
  console.log(`s3 requests: ${Object.entries(s3.operations.reduce<Record<string, number>>((n, op) => ((n[op] = (n[op] ?? 0) + 1), n), {})).map(([op, n]) => `${op} ${n}`).join(', ')}`);
} finally {
  await s3.close();
}
