import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for a paid embedding API, speaking OpenAI's `/v1/embeddings` wire protocol,
 * so tests exercise the real SDK (auth header, retries, timeouts) without the network.
 *
 * Vectors are a hashed bag of words (Intl.Segmenter words, so Japanese works too), normalised:
 * texts sharing words point the same way, so "similar text → similar vector" holds.
 * Length per model: a trailing number (`fake-embed-384` → 384), `*-large` → 3072, else 1536.
 */
export interface FakeEmbeddingRequest {
  model: string;
  input: string[];
  authorization: string | undefined;
  encodingFormat: string | undefined;
  status: number;
}

export interface FakeOpenAI {
  /** API root to use as a key's base_url, e.g. http://127.0.0.1:41234/v1 */
  baseUrl: string;
  requests: FakeEmbeddingRequest[];
  /** Answer the next `count` requests with `status` (then behave again). */
  failNext(count: number, status?: number): void;
  /** Keys answered with 401 (OpenAI's message, which echoes part of the key). */
  rejectKey(key: string): void;
  /** Wait this long before answering each request. */
  delayMs: number;
  /** Answer without `usage`, as some OpenAI-compatible servers do (otherwise prompt_tokens = number of inputs). */
  omitUsage: boolean;
  reset(): void;
  close(): Promise<void>;
}

export function dimsForModel(model: string): number {
  const trailing = /-(\d+)$/.exec(model);
  if (trailing) return Number(trailing[1]);
  return model.endsWith('-large') ? 3072 : 1536;
}

const segmenter = new Intl.Segmenter('ja', { granularity: 'word' });

/** The fake's vector for `text`: deterministic, unit length. Exported so tests can build queries. */
export function fakeEmbedding(text: string, dims: number): number[] {
  const vector = new Array<number>(dims).fill(0);
  for (const { segment, isWordLike } of segmenter.segment(text.toLowerCase())) {
    if (!isWordLike) continue;
    const hash = createHash('sha256').update(segment).digest();
    vector[hash.readUInt32LE(0) % dims]! += hash[4]! & 1 ? 1 : -1;
  }
  const norm = Math.hypot(...vector);
  // A text without words still needs a direction: cosine distance to a zero vector is undefined.
  if (norm === 0) vector[dims - 1] = 1;
  return vector.map((v) => v / (norm || 1));
}

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const requests: FakeEmbeddingRequest[] = [];
  const rejected = new Set<string>();
  let failures: Array<number> = [];

  const fake: FakeOpenAI = {
    baseUrl: '',
    requests,
    delayMs: 0,
    omitUsage: false,
    failNext: (count, status = 500) => void (failures = [...failures, ...Array<number>(count).fill(status)]),
    rejectKey: (key) => void rejected.add(key),
    reset() {
      requests.length = 0;
      failures = [];
      rejected.clear();
      fake.delayMs = 0;
      fake.omitUsage = false;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== 'POST' || req.url !== '/v1/embeddings') return send(res, 404, { error: { message: `no route ${req.url}` } });
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { model: string; input: string | string[]; encoding_format?: string };
    const input = Array.isArray(body.input) ? body.input : [body.input];
    const authorization = req.headers.authorization;
    const key = authorization?.replace(/^Bearer /, '') ?? '';
    const record = (status: number) => requests.push({ model: body.model, input, authorization, encodingFormat: body.encoding_format, status });
    if (fake.delayMs) await new Promise((resolve) => setTimeout(resolve, fake.delayMs));

    const failure = failures.shift();
    if (failure !== undefined) {
      record(failure);
      // retry-after-ms keeps the SDK's backoff short in tests.
      return send(res, failure, { error: { message: 'The server had an error while processing your request.', type: 'server_error' } }, { 'retry-after-ms': '10' });
    }
    if (rejected.has(key)) {
      record(401);
      const masked = `${key.slice(0, 8)}***${key.slice(-4)}`;
      return send(res, 401, { error: { message: `Incorrect API key provided: ${masked}. You can find your API key at https://platform.openai.com/account/api-keys. (got ${key})`, type: 'invalid_request_error', code: 'invalid_api_key' } });
    }
    record(200);
    const dims = dimsForModel(body.model);
    send(res, 200, {
      object: 'list',
      model: body.model,
      data: input.map((text, index) => ({ object: 'embedding', index, embedding: fakeEmbedding(text, dims) })),
      ...(fake.omitUsage ? {} : { usage: { prompt_tokens: input.length, total_tokens: input.length } }),
    });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { error: { message: String(error) } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return fake;
}
