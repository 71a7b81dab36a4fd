import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the fakes share: a server on 127.0.0.1:0, JSON and SSE answers, the failure queue, and for
 * the chat providers (fake-openai.ts, fake-anthropic.ts) the scripted, chunked, delayed answer
 * with its record of how the exchange ended; their request lifecycle is fake-chat-provider.ts.
 */
export interface FakeServer {
  /** http://127.0.0.1:PORT */
  origin: string;
  close(): Promise<void>;
}

export async function startFakeServer(handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>): Promise<FakeServer> {
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => sendJson(res, 500, { error: { message: String(error) } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** Resolves after `ms`, or early when `signal` fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** `failNext(count, status)`: the next `count` requests, whatever their route, get `status`. */
export function createFailureQueue() {
  let queue: number[] = [];
  return {
    failNext: (count: number, status = 500) => void (queue = [...queue, ...Array<number>(count).fill(status)]),
    take: () => queue.shift(),
    clear: () => void (queue = []),
  };
}

/**
 * Tokens as the fakes count them: one per four characters (OpenAI's rule of thumb). Exported so
 * tests can compute the usage the fakes report.
 */
export function fakeTokenCount(text: string): number {
  return Math.ceil([...text].length / 4);
}

/** How an exchange ended, as the fake saw it. */
export type FakeOutcome = 'pending' | 'completed' | 'refused' | 'client-closed' | 'dropped';

/** What both chat fakes record of every chat request. */
export interface FakeChatRecord {
  model: string;
  temperature: number | undefined;
  maxTokens: number | undefined;
  stream: boolean;
  status: number;
  /** `client-closed`: the client went away before the answer ended; `dropped`: the fake cut it (`dropAfterDeltas`). */
  outcome: FakeOutcome;
  /** Text deltas written before the exchange ended (a JSON answer counts as one). */
  deltasSent: number;
}

/** A scripted reply: the whole text (cut into `chunkChars` pieces), or the exact deltas. */
export type FakeReply<Request> = (request: Request) => string | string[];

/** The chat behaviour both fakes expose to tests; `reset()` restores these defaults. */
export interface FakeChatControls<Request> {
  /** The answer to each chat request. Default: `You said: <the last message's text>`. */
  reply: FakeReply<Request>;
  /** Characters per streamed delta when `reply` returns one string (default 8). */
  chunkChars: number;
  /** Wait before each streamed delta, after the headers (time to first byte, cancellation). */
  chunkDelayMs: number;
  /** Wait before answering at all, before the headers (the SDK's timeout). */
  delayMs: number;
  /** Destroy the connection after this many deltas (null: never). */
  dropAfterDeltas: number | null;
  /** Answer the next `count` requests of any route with `status` (then behave again). */
  failNext(count: number, status?: number): void;
  /** This key is refused with 401. */
  rejectKey(key: string): void;
  /** This model is unknown: 404 on chat and on the model lookup. */
  rejectModel(model: string): void;
  /** Resolves once every request received so far has ended (its `outcome` is final). */
  whenSettled(): Promise<void>;
}

/** The answer a chat fake gives to one request: deltas cut to `maxTokens` (then finish `length`). */
export interface PlannedAnswer {
  deltas: string[];
  text: string;
  truncated: boolean;
}

export function planAnswer(reply: string | string[], chunkChars: number, maxTokens: number | undefined): PlannedAnswer {
  let deltas = typeof reply === 'string' ? cut(reply, chunkChars) : reply;
  let truncated = false;
  if (maxTokens !== undefined && fakeTokenCount(deltas.join('')) > maxTokens) {
    const allowed = [...deltas.join('')].slice(0, maxTokens * 4).join('');
    deltas = cut(allowed, chunkChars);
    truncated = true;
  }
  return { deltas, text: deltas.join(''), truncated };
}

function cut(text: string, size: number): string[] {
  const chars = [...text];
  const pieces: string[] = [];
  for (let i = 0; i < chars.length; i += Math.max(1, size)) pieces.push(chars.slice(i, i + size).join(''));
  return pieces;
}

/**
 * Shared state behind FakeChatControls: the failure queue, refused keys and models, and the
 * in-flight exchanges for `whenSettled`.
 */
export function createChatState<Request>(defaultReply: FakeReply<Request>) {
  const failures = createFailureQueue();
  const rejectedKeys = new Set<string>();
  const rejectedModels = new Set<string>();
  const inFlight = new Set<Promise<unknown>>();
  const controls: FakeChatControls<Request> = {
    reply: defaultReply,
    chunkChars: 8,
    chunkDelayMs: 0,
    delayMs: 0,
    dropAfterDeltas: null,
    failNext: failures.failNext,
    rejectKey: (key) => void rejectedKeys.add(key),
    rejectModel: (model) => void rejectedModels.add(model),
    whenSettled: async () => void (await Promise.allSettled([...inFlight])),
  };
  return {
    controls,
    failures,
    rejectedKeys,
    rejectedModels,
    /** Runs a handler, remembering it until it ends. */
    track(work: Promise<void>): Promise<void> {
      inFlight.add(work);
      return work.finally(() => inFlight.delete(work));
    },
    reset() {
      failures.clear();
      rejectedKeys.clear();
      rejectedModels.clear();
      Object.assign(controls, { reply: defaultReply, chunkChars: 8, chunkDelayMs: 0, delayMs: 0, dropAfterDeltas: null });
    },
  };
}

/** Fires when the client goes away before the response has finished. Call it first thing. */
export function clientGone(res: ServerResponse): AbortSignal {
  const gone = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) gone.abort();
  });
  return gone.signal;
}

/** Status the fakes record for a client that left before it was answered (nginx's "client closed request"). */
export const CLIENT_GONE = 499;

/** Resolves once `data` is handed to the socket (or the socket is gone). */
function write(res: ServerResponse, data: string): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed || !res.write(data, () => resolve())) res.once('drain', resolve).once('close', resolve);
  });
}

/**
 * Streams `answer` as server-sent events: `before()` (the provider's opening events), one
 * `delta(text)` per delta after `chunkDelayMs`, then `after()`. Records a client that goes away
 * (`gone`), and drops the connection after `dropAfterDeltas` deltas, once they are on the wire.
 */
export async function streamAnswer(
  res: ServerResponse,
  gone: AbortSignal,
  record: FakeChatRecord,
  answer: PlannedAnswer,
  timing: Pick<FakeChatControls<unknown>, 'chunkDelayMs' | 'dropAfterDeltas'>,
  events: { before: () => string[]; delta: (text: string) => string; after: () => string[] },
): Promise<void> {
  const leftEarly = () => {
    if (record.outcome === 'pending') record.outcome = 'client-closed';
  };
  if (gone.aborted) return leftEarly();
  gone.addEventListener('abort', leftEarly, { once: true });
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  await write(res, events.before().join(''));
  for (const delta of answer.deltas) {
    if (record.deltasSent === timing.dropAfterDeltas) {
      record.outcome = 'dropped';
      res.socket?.destroy();
      return;
    }
    await sleep(timing.chunkDelayMs, gone);
    if (gone.aborted) return;
    await write(res, events.delta(delta));
    record.deltasSent++;
  }
  res.end(events.after().join(''));
  if (!res.writableFinished && !res.destroyed) await new Promise((resolve) => (res.once('finish', resolve), res.once('close', resolve)));
  if (record.outcome === 'pending') record.outcome = 'completed';
}

/** One server-sent event; `name` null for OpenAI's unnamed `data:` lines. */
export function sse(name: string | null, data: unknown): string {
  return `${name ? `event: ${name}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}
