import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import type { TestApp } from './harness.js';

/** POST /api/v1/contents/upload with a multipart body built by hand (one file + text fields). */
export function uploadFile(t: TestApp, token: string, name: string, bytes: Buffer | string, fields: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  const boundary = `----shiori-${randomBytes(12).toString('hex')}`;
  const part = (headers: string) => Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`);
  const body = Buffer.concat([
    ...Object.entries(fields).flatMap(([field, value]) => [part(`Content-Disposition: form-data; name="${field}"`), Buffer.from(`${value}\r\n`)]),
    part(`Content-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream`),
    typeof bytes === 'string' ? Buffer.from(bytes) : bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.request('POST', '/api/v1/contents/upload', { token, body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
}

/** Polls GET /api/v1/contents/{id} until processing ends; returns the final detail. */
export async function waitForProcessing(t: TestApp, token: string, id: string, timeoutMs = 60_000): Promise<{ status: string; [field: string]: unknown }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const detail = (await t.request('GET', `/api/v1/contents/${id}`, { token })).json();
    if (detail.status === 'completed' || detail.status === 'failed') return detail;
    if (Date.now() > deadline) throw new Error(`document ${id} still ${detail.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Uploads and waits; throws unless the upload was accepted. Returns the file id and final status. */
export async function uploadAndProcess(t: TestApp, token: string, name: string, bytes: Buffer | string, fields: Record<string, string> = {}) {
  const res = await uploadFile(t, token, name, bytes, fields);
  if (res.statusCode !== 201) throw new Error(`upload of ${name} failed: ${res.statusCode} ${res.body}`);
  const id: string = res.json().id;
  return { id, detail: await waitForProcessing(t, token, id) };
}
