import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestApp } from './harness.js';

/** Uploads `text` as a .txt file through the real multipart route; returns the response. */
export function uploadText(t: TestApp, token: string, text: string, fields: Record<string, string> = {}, fileName = 'document.txt') {
  const boundary = `----shiori${randomBytes(8).toString('hex')}`;
  const parts = [
    ...Object.entries(fields).map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/plain\r\n\r\n${text}\r\n`,
    `--${boundary}--\r\n`,
  ];
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/contents/upload',
    headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.from(parts.join(''), 'utf8'),
  });
}

/** Polls the document until `done(detail)` holds (default: processing finished), or fails after `timeoutMs`. */
export async function waitForDocument(
  t: TestApp,
  token: string,
  id: string,
  done: (detail: Record<string, unknown>) => boolean = (d) => d.status === 'completed' || d.status === 'failed',
  timeoutMs = 30_000,
): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await t.request('GET', `/api/v1/contents/${id}`, { token });
    const detail = res.json();
    if (res.statusCode === 200 && done(detail)) return detail;
    if (Date.now() > deadline) throw new Error(`document ${id} did not get there in ${timeoutMs} ms: ${res.body}`);
    await sleep(50);
  }
}

/** Polls `check` until it returns a truthy value, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
