import type { IncomingHttpHeaders } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFakeServer } from '../../../test/fake-server.js';

/** One request the receiver got: exactly the bytes and headers that arrived, and when. */
export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  at: number;
}

export interface WebhookReceiver {
  /** http://127.0.0.1:PORT/hooks/<name> */
  url(name?: string): string;
  origin: string;
  received: ReceivedRequest[];
  /** The statuses the next requests to /hooks/<name> are answered with, in order; 200 once they run out. */
  answerWith(name: string, ...statuses: number[]): void;
  /** Waits until `count` requests matching `where` arrived; throws after `timeoutMs`. */
  waitFor(count: number, where?: (r: ReceivedRequest) => boolean, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

/** A receiver on loopback (node:http), as a tenant's own server would be: /hooks/… answers 200 unless told otherwise. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedRequest[] = [];
  const statuses = new Map<string, number[]>();
  const server = await startFakeServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    received.push({ path: req.url ?? '/', headers: req.headers, rawBody: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
    // Only /hooks/… is the receiver; anything else (a crawler's robots.txt) is not found.
    const status = req.url?.startsWith('/hooks/') ? (statuses.get(req.url)?.shift() ?? 200) : 404;
    res.writeHead(status, { 'content-type': 'text/plain' });
    res.end(status < 300 ? 'ok' : 'receiver says no');
  });
  return {
    url: (name = 'main') => `${server.origin}/hooks/${name}`,
    origin: server.origin,
    received,
    answerWith: (name, ...next) => void statuses.set(`/hooks/${name}`, [...(statuses.get(`/hooks/${name}`) ?? []), ...next]),
    async waitFor(count, where = () => true, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const matching = received.filter(where);
        if (matching.length >= count) return matching;
        await sleep(50);
      }
      throw new Error(`the receiver got ${received.filter(where).length} of ${count} requests: ${received.map((r) => `${r.path} ${r.headers['shiori-event']}`).join(', ')}`);
    },
    close: server.close,
  };
}
