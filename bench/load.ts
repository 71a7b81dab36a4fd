// Load test of the real server process (npm run bench:load builds it first), with an instant local
// OpenAI-protocol provider (the tests' fake, in this process) set as the operator's
// LLM_OPENAI_BASE_URL and an `openai` key of the tenant:
//   1. POST /api/v1/chats/widget/chat (widget key, allowed Origin; widget limits raised) and
//   2. POST /api/v1/search, each under autocannon with many clients, while a document of several MB
//      is being ingested: req/s, p50/p95/p99, non-2xx by status, 5xx (goal 0), socket errors;
//   3. a short run against a second server with the default limits: the 429s answer as configured.
//
//   npm run bench:load                                   200 connections, 60 s per run
//   LOAD_SECONDS=5 LOAD_CONNECTIONS=20 npx tsx bench/load.ts   (or --seconds 5 --connections 20)
// DATABASE_URL is passed to the servers (default: PGlite on disk, as npm start runs it).
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { workRulesJa } from '../src/modules/retrieval/test-support/documents.js';
import { startFakeOpenAI } from '../src/test/fake-openai.js';
import { createTenant, getJson, upload, waitDone, type Tenant } from './lib/api.js';
import { startServer, type BenchServer } from './lib/server.js';
import { percentile } from './lib/stats.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: process.env.LOAD_SECONDS ?? '60' },
    connections: { type: 'string', default: process.env.LOAD_CONNECTIONS ?? '200' },
    'limit-seconds': { type: 'string', default: process.env.LOAD_LIMIT_SECONDS ?? '10' },
    'large-mb': { type: 'string', default: process.env.LOAD_LARGE_MB ?? '6' },
    tsx: { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const limitSeconds = Number(values['limit-seconds']);
const ORIGIN = 'https://www.load.example';
const QUESTIONS = ['年次有給休暇は何日付与されますか？', '通勤手当の上限はいくらですか？', '始業時刻は何時ですか？', '懲戒の種類を教えてください'];
const UNLIMITED = '100000000';

interface Run {
  name: string;
  rps: number;
  latencies: number[];
  statuses: Map<number, number>;
  errors: number;
  timeouts: number;
  note: string;
}

async function load(name: string, options: autocannon.Options, duration: number, clients: number): Promise<Omit<Run, 'note'>> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  return new Promise((resolve, reject) => {
    const instance = autocannon({ connections: clients, duration, timeout: 30, ...options }, (error, result) =>
      error ? reject(error) : resolve({ name, rps: result.requests.average, latencies, statuses, errors: result.errors, timeouts: result.timeouts }),
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      latencies.push(ms);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    });
  });
}

/** Several MB of distinct Japanese and English sentences (a real document, not one endless word). */
function largeDocument(megabytes: number): Uint8Array {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < megabytes * 1024 * 1024; i++) {
    // Paragraphs of five lines, as a real handbook has.
    const line = `第${i}条 社員は業務記録${i}を保管する。Record ${i}: the retention period of ledger ${i % 977} is ${i % 13} years.${i % 5 === 4 ? '\n\n' : '\n'}`;
    lines.push(line);
    size += Buffer.byteLength(line);
  }
  return new TextEncoder().encode(lines.join(''));
}

async function post(tenant: Tenant, path: string, body: unknown, method = 'POST'): Promise<any> {
  const res = await fetch(`${tenant.baseUrl}${path}`, { method, headers: { authorization: `Bearer ${tenant.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

/** A tenant with documents, an `openai` key (served by the fake through LLM_OPENAI_BASE_URL) and a widget key for ORIGIN. */
async function prepareTenant(server: BenchServer, label: string) {
  const tenant = await createTenant(server.baseUrl, label);
  await post(tenant, '/api/v1/api-keys', { provider: 'openai', model: 'gpt-4o-mini', api_key: 'sk-load-0123456789abcdef' });
  for (const [name, text] of [['就業規則.txt', workRulesJa], ['travel.txt', 'Travel expenses are paid within 30 days.\n\nThe commuting allowance is capped at 50,000 yen a month.']] as const) {
    await waitDone(tenant, await upload(tenant, name, new TextEncoder().encode(text)));
  }
  const me = await getJson(tenant, '/api/v1/auth/me');
  await post(tenant, `/api/v1/tenants/${me.tenant_id}`, { allowed_origins: [ORIGIN] }, 'PATCH');
  const snippet = await getJson(tenant, `/api/v1/tenants/${me.tenant_id}/embed-snippet`);
  return { tenant, widgetKey: snippet.api_key as string };
}

function widgetRequest(baseUrl: string, widgetKey: string, clients: number): autocannon.Options {
  const headers = { 'x-api-key': widgetKey, origin: ORIGIN, 'content-type': 'application/json' };
  let n = 0;
  return {
    url: `${baseUrl}/api/v1/chats/widget/chat`,
    method: 'POST',
    headers,
    requests: [
      {
        setupRequest: (req: autocannon.Request) => ({
          ...req,
          headers: { ...headers, 'x-visitor-id': `load-visitor-${n % clients}` },
          body: JSON.stringify({ query: QUESTIONS[n++ % QUESTIONS.length] }),
        }),
      },
    ],
  };
}

function searchRequest(tenant: Tenant): autocannon.Options {
  const headers = { authorization: `Bearer ${tenant.token}`, 'content-type': 'application/json' };
  let n = 0;
  return {
    url: `${tenant.baseUrl}/api/v1/search`,
    method: 'POST',
    headers,
    requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, body: JSON.stringify({ query: QUESTIONS[n++ % QUESTIONS.length], top_k: 5 }) }) }],
  };
}

const count = (run: Omit<Run, 'note'>, test: (status: number) => boolean) => [...run.statuses].filter(([s]) => test(s)).reduce((n, [, c]) => n + c, 0);

function printTable(title: string, runs: Run[]): void {
  console.log(`\n${title}`);
  console.log('run                       req/s     p50 ms   p95 ms   p99 ms      2xx   non-2xx by status         5xx  errors  timeouts  note');
  for (const r of runs) {
    const non2xx = [...r.statuses].filter(([s]) => s < 200 || s >= 300).map(([s, c]) => `${s}×${c}`).join(' ') || '-';
    const ms = (p: number) => percentile(r.latencies, p).toFixed(1).padStart(8);
    console.log(
      `${r.name.padEnd(22)} ${r.rps.toFixed(0).padStart(8)} ${ms(50)} ${ms(95)} ${ms(99)} ${String(count(r, (s) => s >= 200 && s < 300)).padStart(8)}   ${non2xx.padEnd(24)} ${String(count(r, (s) => s >= 500)).padStart(4)} ${String(r.errors).padStart(7)} ${String(r.timeouts).padStart(9)}  ${r.note}`,
    );
  }
}

async function main(): Promise<void> {
  const provider = await startFakeOpenAI();
  provider.reply = () => '年次有給休暇は入社6か月後に10日付与されます[1]。';
  const database: Record<string, string> = process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {};
  const common: Record<string, string> = { ...database, LLM_OPENAI_BASE_URL: provider.baseUrl, LOG_LEVEL: 'error' };
  const runs: Run[] = [];
  const limited: Run[] = [];
  let driver = '?';
  let command = '?';

  // 1 + 2: raised limits, under load, while a large document is ingested.
  const server = await startServer({
    ...common,
    RATE_LIMIT_CHAT_PER_MINUTE: UNLIMITED,
    RATE_LIMIT_WIDGET_IP_PER_MINUTE: UNLIMITED,
    RATE_LIMIT_WIDGET_VISITOR_PER_MINUTE: UNLIMITED,
    RATE_LIMIT_SEARCH_PER_MINUTE: UNLIMITED,
  });
  try {
    driver = server.driver;
    command = server.command;
    const { tenant, widgetKey } = await prepareTenant(server, 'load');
    const large = largeDocument(Number(values['large-mb']));
    const largeId = await upload(tenant, 'large.txt', large);
    const statusOfLarge = async () => (await getJson(tenant, `/api/v1/contents/${largeId}`)).status as string;
    console.log(`server: ${command}, ${driver}; node ${process.version}; provider: local OpenAI-protocol fake (LLM_OPENAI_BASE_URL), answering at once`);
    console.log(`autocannon: ${connections} connections × ${seconds} s per run; a ${(large.length / 1048576).toFixed(1)} MB text document is ingesting from the start`);
    for (const [name, options] of [
      ['POST widget/chat', widgetRequest(server.baseUrl, widgetKey, connections)],
      ['POST search', searchRequest(tenant)],
    ] as const) {
      const before = await statusOfLarge();
      const result = await load(name, options, seconds, connections);
      runs.push({ ...result, note: `large document: ${before} → ${await statusOfLarge()}` });
      console.log(`  ${name}: done`);
    }
    const finished = await waitDone(tenant, largeId, 15 * 60_000);
    console.log(
      finished.status === 'completed'
        ? `large document: completed, ${finished.chunk_count} chunks, ingested in ${(finished.timings.total_ms / 1000).toFixed(1)} s`
        : `large document: ${finished.status}: ${finished.failure_code} ${finished.failure_reason}`,
    );
    if (finished.status !== 'completed') process.exitCode = 1;
  } finally {
    await server.stop();
  }

  // 3: the default limits (only auth and uploads raised, to set the tenant up).
  const defaults = await startServer({ ...common, RATE_LIMIT_SEARCH_PER_MINUTE: '60' });
  try {
    const { tenant, widgetKey } = await prepareTenant(defaults, 'limits');
    const clients = Math.min(10, connections);
    // One visitor id for all: the per-visitor limit (10/min) is the one to meet first; every request
    // comes from 127.0.0.1 too (30/min per address) and uses one widget key (60/min).
    const widget = widgetRequest(defaults.baseUrl, widgetKey, 1);
    limited.push({ ...(await load('widget/chat, defaults', widget, limitSeconds, clients)), note: 'limits/min: visitor 10, address 30, key 60 → at most 10 × 2xx' });
    limited.push({ ...(await load('search, defaults', searchRequest(tenant), limitSeconds, clients)), note: 'limit/min: 60 per address → at most 60 × 2xx' });
  } finally {
    await defaults.stop();
    await provider.close();
  }

  printTable(`Throughput (${driver}; limits raised; ${connections} connections × ${seconds} s)`, runs);
  printTable(`Default rate limits (${driver}; ${Math.min(10, connections)} connections × ${limitSeconds} s)`, limited);
  const fivexx = runs.reduce((n, r) => n + count(r, (s) => s >= 500), 0);
  const errors = runs.reduce((n, r) => n + r.errors, 0);
  console.log(`\n5xx under load: ${fivexx} (goal 0); socket errors: ${errors}`);
  if (fivexx > 0 || errors > 0) process.exitCode = 1;
}

await main();
