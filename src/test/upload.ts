// Upload helpers for tests: a real multipart/form-data body (what a browser sends), and polling
// a document until ingestion reaches a status.
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LightMyRequestResponse } from 'fastify';
import type { z } from 'zod';
import type { contentDetailSchema } from '../modules/sources/contents/contents.schemas.js';
import type { TestApp } from './harness.js';

export interface FilePart {
  /** Form field name; `file` unless a test sends it elsewhere. */
  field?: string;
  fileName: string;
  bytes: Buffer;
  contentType?: string;
}

/**
 * A Content-Disposition filename parameter. Plain printable ASCII goes quoted as browsers send it;
 * anything else (Japanese, quotes, backslashes, control characters) uses RFC 5987 `filename*`,
 * so the server receives exactly the name the test chose.
 */
function filenameParam(fileName: string): string {
  if (/^[\x20-\x7e]*$/.test(fileName) && !/["\\]/.test(fileName)) return `filename="${fileName}"`;
  const encoded = [...Buffer.from(fileName, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join('');
  return `filename*=UTF-8''${encoded}`;
}

const partHeader = (boundary: string, field: string, fileName: string, contentType: string) =>
  Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; ${filenameParam(fileName)}\r\nContent-Type: ${contentType}\r\n\r\n`);

const fieldPart = (boundary: string, name: string, value: string) =>
  Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);

/** A multipart/form-data body with text fields first, then the files. */
export function multipartBody(files: FilePart[], fields: Record<string, string> = {}): { body: Buffer; contentType: string } {
  const boundary = `----shiori-test-${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = Object.entries(fields).map(([name, value]) => fieldPart(boundary, name, value));
  for (const file of files) {
    parts.push(partHeader(boundary, file.field ?? 'file', file.fileName, file.contentType ?? 'application/octet-stream'), file.bytes, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** POST /api/v1/contents/upload with one file (and optional title/description/tags fields). */
export function uploadFile(t: TestApp, token: string | undefined, fileName: string, bytes: Buffer | string, fields: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return uploadParts(t, token, [{ fileName, bytes: typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes }], fields);
}

/** Uploads and waits until processing ends; throws unless the upload was accepted. */
export async function uploadAndProcess(t: TestApp, token: string, fileName: string, bytes: Buffer | string, fields: Record<string, string> = {}) {
  const res = await uploadFile(t, token, fileName, bytes, fields);
  if (res.statusCode !== 201) throw new Error(`upload of ${fileName} failed: ${res.statusCode} ${res.body}`);
  const id: string = res.json().id;
  return { id, detail: await waitForDocument(t, token, id, undefined, 60_000) };
}

/** POST /api/v1/contents/upload with any number of file parts (zero or two, for the error cases). */
export function uploadParts(t: TestApp, token: string | undefined, files: FilePart[], fields: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  const { body, contentType } = multipartBody(files, fields);
  return t.request('POST', '/api/v1/contents/upload', { token, body, headers: { 'content-type': contentType } });
}

/**
 * A multipart upload whose file part is `size` bytes generated on the fly (64 KiB at a time),
 * so a 100 MB upload never sits in the test's memory. `head` is written first (e.g. "%PDF-").
 */
export function streamedUpload(fileName: string, size: number, head: Buffer = Buffer.alloc(0)): { stream: Readable; contentType: string; length: number } {
  const boundary = `----shiori-test-${randomBytes(8).toString('hex')}`;
  const header = partHeader(boundary, 'file', fileName, 'application/octet-stream');
  const trailer = Buffer.from(`\r\n--${boundary}--\r\n`);
  const block = Buffer.alloc(64 * 1024, 0x61); // "aaaa…": valid text, and never contains the boundary
  function* pieces(): Generator<Buffer> {
    yield header;
    if (head.length) yield head.subarray(0, size);
    for (let left = size - Math.min(head.length, size); left > 0; left -= block.length) yield left >= block.length ? block : block.subarray(0, left);
    yield trailer;
  }
  return { stream: Readable.from(pieces(), { objectMode: false }), contentType: `multipart/form-data; boundary=${boundary}`, length: header.length + size + trailer.length };
}

export type ContentDetail = z.infer<typeof contentDetailSchema>;

/**
 * Polls GET /api/v1/contents/{id} until its status is one of `statuses`, and returns the detail.
 * Fails with the last seen detail when the time runs out.
 */
export async function waitForStatus(
  t: TestApp,
  token: string,
  id: string,
  statuses: string | string[],
  timeoutMs = 120_000,
): Promise<ContentDetail> {
  const wanted = Array.isArray(statuses) ? statuses : [statuses];
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const res = await t.request('GET', `/api/v1/contents/${id}`, { token });
    last = res.body;
    if (res.statusCode === 200 && wanted.includes(res.json().status)) return res.json();
    if (res.statusCode !== 200 && res.statusCode !== 429) throw new Error(`GET /api/v1/contents/${id} answered ${res.statusCode}: ${res.body}`);
    if (Date.now() > deadline) throw new Error(`document ${id} did not reach ${wanted.join('|')} within ${timeoutMs} ms; last: ${last}`);
    await sleep(100);
  }
}

/**
 * Uploads every file first, then waits for each to finish processing (completed or failed), so
 * the worker can take them side by side. Returns the details by file name.
 */
export async function uploadAllAndProcess(t: TestApp, token: string, files: Array<{ fileName: string; bytes: Buffer }>, timeoutMs = 120_000): Promise<Map<string, ContentDetail>> {
  const ids = new Map<string, string>();
  for (const { fileName, bytes } of files) {
    const res = await uploadFile(t, token, fileName, bytes);
    if (res.statusCode !== 201) throw new Error(`upload of ${fileName} failed: ${res.statusCode} ${res.body}`);
    ids.set(fileName, res.json().id);
  }
  const details = new Map<string, ContentDetail>();
  for (const [fileName, id] of ids) details.set(fileName, await waitForStatus(t, token, id, ['completed', 'failed'], timeoutMs));
  return details;
}

/** Uploads `text` as a UTF-8 .txt file. */
export function uploadText(t: TestApp, token: string, text: string, fields: Record<string, string> = {}, fileName = 'document.txt'): Promise<LightMyRequestResponse> {
  return uploadFile(t, token, fileName, Buffer.from(text, 'utf8'), fields);
}

/** Polls the document until `done(detail)` holds (default: processing finished), or fails after `timeoutMs`. */
export async function waitForDocument(
  t: TestApp,
  token: string,
  id: string,
  done: (detail: ContentDetail) => boolean = (d) => d.status === 'completed' || d.status === 'failed',
  timeoutMs = 30_000,
): Promise<ContentDetail> {
  return eventually(async () => {
    const res = await t.request('GET', `/api/v1/contents/${id}`, { token });
    return res.statusCode === 200 && done(res.json()) ? (res.json() as ContentDetail) : undefined;
  }, `document ${id}`, timeoutMs);
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
