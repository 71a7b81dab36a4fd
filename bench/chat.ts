// Widget chat throughput against the real server process (npm run bench:chat builds it first), with
// an instant local provider (the OpenAI wire-protocol fake of the tests, in this process), so the
// figures are Shiori's own cost: key check, limits, retrieval, prompt, the SDK call, storage, usage.
//   1. requests/s and p50/p95 of POST /api/v1/chats/widget/chat (JSON), under autocannon
//   2. the same for a bare route of the same server in the same run (the widget's CORS preflight:
//      every hook, no database), and the ratio between the two
//   3. the same for POST /api/v1/search with the same questions: the search alone, so the share of
//      an answer's time that is retrieval can be told apart from the rest
//   4. SQL statements per answer, counted in the server by a preloaded wrapper of both drivers
//      (bench/lib/count-statements.ts; --statements lists them)
//   5. time to the first streamed byte and to the end, Accept: text/event-stream, one at a time
//
//   npm run bench:chat
//   npx tsx bench/chat.ts --seconds 5 --connections 4 --streams 30 --statements
//   npx tsx bench/chat.ts --cpu-prof /tmp/prof     (a .cpuprofile of the server, for Chrome DevTools)
// DATABASE_URL is passed to the server (default: PGlite on disk, as npm start runs it), e.g.
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/shiori_bench npm run bench:chat
import { request } from 'node:http';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { startFakeOpenAI } from '../src/test/fake-openai.js';
import { workRulesJa } from '../src/modules/retrieval/test-support/documents.js';
import { createTenant, upload, waitDone } from './lib/api.js';
import { cpuTimeMs, startServer, type StatementFigures } from './lib/server.js';
import { latencySummary, pct, percentile } from './lib/stats.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '8' },
    streams: { type: 'string', default: '50' },
    statements: { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
    tsx: { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const ORIGIN = 'https://www.bench.example';
const QUESTIONS = ['年次有給休暇は何日付与されますか？', '通勤手当の上限はいくらですか？', '始業時刻は何時ですか？', '懲戒の種類を教えてください'];

interface LoadResult {
  rps: number;
  latencies: number[];
  ok: number;
  non2xx: number;
  errors: number;
}

/** autocannon for `seconds`, recording every response time (autocannon's own histogram has no p95). */
async function load(options: autocannon.Options): Promise<LoadResult> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon({ connections, duration: seconds, ...options }, (error, result) =>
      error ? reject(error) : resolve({ rps: result.requests.average, latencies, ok: result['2xx'], non2xx: result.non2xx, errors: result.errors }),
    );
    instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  });
}

const describe = (name: string, r: LoadResult) =>
  `${name.padEnd(22)} ${r.rps.toFixed(0).padStart(6)} req/s   ${latencySummary(r.latencies)}${r.non2xx || r.errors ? `   non-2xx ${r.non2xx}, errors ${r.errors}` : ''}`;

/** Time to the first byte of the body and to its end, for one streamed answer. */
function streamOnce(url: URL, headers: Record<string, string>, body: string): Promise<{ firstByte: number; total: number; text: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let firstByte = 0;
    let text = '';
    const req = request(url, { method: 'POST', headers: { ...headers, accept: 'text/event-stream', 'content-type': 'application/json' } }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (!firstByte) firstByte = performance.now() - started;
        text += chunk;
      });
      res.on('end', () => (res.statusCode === 200 ? resolve({ firstByte, total: performance.now() - started, text }) : reject(new Error(`${res.statusCode}: ${text}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The statements counted between two snapshots. */
function difference(after: Map<string, StatementFigures>, before: Map<string, StatementFigures>): Map<string, StatementFigures> {
  const sent = new Map<string, StatementFigures>();
  for (const [sql, { count, ms }] of after) {
    const earlier = before.get(sql) ?? { count: 0, ms: 0 };
    if (count > earlier.count) sent.set(sql, { count: count - earlier.count, ms: ms - earlier.ms });
  }
  return sent;
}

async function main(): Promise<void> {
  const provider = await startFakeOpenAI();
  provider.reply = () => '年次有給休暇は入社6か月後に10日付与されます[1]。';
  const server = await startServer(
    {
      ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
      RATE_LIMIT_CHAT_PER_MINUTE: '100000000',
      RATE_LIMIT_SEARCH_PER_MINUTE: '100000000',
      RATE_LIMIT_WIDGET_IP_PER_MINUTE: '100000000',
      RATE_LIMIT_WIDGET_VISITOR_PER_MINUTE: '100000000',
      // The instant provider is a local openai-compatible server, as a self-hosted Ollama would be.
      OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true',
    },
    { countStatements: true, cpuProfileDir: values['cpu-prof'] },
  );

  try {
    const tenant = await createTenant(server.baseUrl, 'chat');
    const auth = { authorization: `Bearer ${tenant.token}`, 'content-type': 'application/json' };
    // The key first: the document is then embedded while it is ingested, not by a job running during the measurement.
    const key = await fetch(`${server.baseUrl}/api/v1/api-keys`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ provider: 'openai-compatible', model: 'bench-instant', api_key: 'sk-bench-0123456789abcdef', base_url: provider.baseUrl }),
    });
    if (key.status !== 201) throw new Error(`adding the provider key failed: ${key.status} ${await key.text()}`);
    await waitDone(tenant, await upload(tenant, '就業規則.txt', new TextEncoder().encode(workRulesJa)));
    const me = (await (await fetch(`${server.baseUrl}/api/v1/auth/me`, { headers: auth })).json()) as { tenant_id: string };
    const snippet = (await (await fetch(`${server.baseUrl}/api/v1/tenants/${me.tenant_id}/embed-snippet`, { headers: auth })).json()) as { api_key: string };
    const widgetHeaders = { 'x-api-key': snippet.api_key, origin: ORIGIN, 'content-type': 'application/json' };
    const url = `${server.baseUrl}/api/v1/chats/widget/chat`;
    const check = await fetch(url, { method: 'POST', headers: widgetHeaders, body: JSON.stringify({ query: QUESTIONS[0] }) });
    const checked = (await check.json()) as { metadata: { model: string }; sources: unknown[] };
    if (check.status !== 200 || checked.metadata.model !== 'bench-instant' || checked.sources.length === 0) throw new Error(`widget chat did not answer from the model: ${JSON.stringify(checked)}`);

    console.log(`server: ${server.command}, ${server.driver}; node ${process.version}; provider: local OpenAI-protocol fake answering at once`);
    console.log(`autocannon: ${connections} connections, ${seconds} s each; widget questions rotate over ${QUESTIONS.length} Japanese questions, top_k 5, one visitor id per connection\n`);

    const bare = await load({ url, method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-api-key' } });
    let n = 0;
    const before = await server.statements();
    const cpuBefore = cpuTimeMs(server.pid);
    const benchCpuBefore = process.cpuUsage();
    const chat = await load({
      url,
      method: 'POST',
      headers: widgetHeaders,
      requests: [
        {
          setupRequest: (req: autocannon.Request) => ({
            ...req,
            headers: { ...widgetHeaders, 'x-visitor-id': `bench-visitor-${n % connections}` },
            body: JSON.stringify({ query: QUESTIONS[n++ % QUESTIONS.length] }),
          }),
        },
      ],
    });
    const cpuPerAnswer = (cpuTimeMs(server.pid) - cpuBefore) / chat.ok;
    const benchCpu = process.cpuUsage(benchCpuBefore);
    const benchCpuPerAnswer = (benchCpu.user + benchCpu.system) / 1000 / chat.ok;
    const perAnswer = difference(await server.statements(), before);
    let s = 0;
    const search = await load({
      url: `${server.baseUrl}/api/v1/search`,
      method: 'POST',
      headers: auth,
      requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, body: JSON.stringify({ query: QUESTIONS[s++ % QUESTIONS.length], top_k: 5 }) }) }],
    });
    console.log(describe('OPTIONS (bare route)', bare));
    console.log(describe('POST widget/chat', chat));
    console.log(describe('POST search (alone)', search));
    console.log(`ratio                  ${(bare.rps / chat.rps).toFixed(1)}× fewer requests/s; p50 ${(percentile(chat.latencies, 50) / percentile(bare.latencies, 50)).toFixed(1)}× the bare route’s`);
    console.log(`search's share        ${pct(chat.rps / search.rps)} of an answer's server time is what the search route alone costs (1/${search.rps.toFixed(0)} s of 1/${chat.rps.toFixed(0)} s)`);
    console.log(
      `server CPU            ${cpuPerAnswer.toFixed(1)} ms per answer in the server process${server.driver === 'pglite' ? ' (PGlite runs in it)' : ' (PostgreSQL’s own CPU not included)'}: at most ${(1000 / cpuPerAnswer).toFixed(0)} answers/s on one core`,
    );
    console.log(`bench CPU             ${benchCpuPerAnswer.toFixed(1)} ms per answer in this process (autocannon and the provider fake share the machine's 2 cores)`);
    const total = [...perAnswer.values()].reduce((sum, s) => ({ count: sum.count + s.count, ms: sum.ms + s.ms }), { count: 0, ms: 0 });
    console.log(
      `statements            ${(total.count / chat.ok).toFixed(1)} SQL statements per answer (${total.count} for ${chat.ok} answers), ${(total.ms / chat.ok).toFixed(1)} ms of them per answer (waits included)`,
    );
    if (values.statements) {
      console.log('  per answer   ms/answer  statement');
      for (const [sql, { count, ms }] of [...perAnswer].sort((a, b) => b[1].count - a[1].count)) {
        console.log(`  ${(count / chat.ok).toFixed(2).padStart(10)} ${(ms / chat.ok).toFixed(2).padStart(10)}  ${sql}`);
      }
    }

    const firstBytes: number[] = [];
    const totals: number[] = [];
    for (let i = 0; i < Number(values.streams); i += 1) {
      const { firstByte, total, text } = await streamOnce(new URL(url), { ...widgetHeaders, 'x-visitor-id': 'bench-streamer-01' }, JSON.stringify({ query: QUESTIONS[i % QUESTIONS.length] }));
      if (!text.includes('event: done')) throw new Error(`the stream did not finish: ${text.slice(0, 300)}`);
      firstBytes.push(firstByte);
      totals.push(total);
    }
    console.log(`\nstreamed (one at a time) first byte   ${latencySummary(firstBytes)}`);
    console.log(`streamed (one at a time) whole answer ${latencySummary(totals)}`);
    console.log(`provider calls: ${provider.chatRequests.length} chat, ${provider.requests.length} embedding`);
  } finally {
    await server.stop();
    await provider.close();
  }
}

await main();
