/**
 * FILE_STORAGE=s3 against a local server that speaks the S3 protocol (src/test/fake-s3.ts, which
 * checks every request's SigV4 signature), through the real @aws-sdk/client-s3: documents
 * uploaded over HTTP are stored as objects, ingested from a temporary copy, searched, downloaded
 * byte for byte and deleted with their document.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { CreateMultipartUploadCommand, S3Client } from '@aws-sdk/client-s3';
import { PDFDocument } from 'pdf-lib';
import { loadConfig } from '../../../../config.js';
import { startFakeS3, type FakeS3 } from '../../../../test/fake-s3.js';
import { buildTestApp, type TestApp } from '../../../../test/harness.js';
import { eventually, streamedUpload, uploadFile, waitForStatus } from '../../../../test/upload.js';
import { makeStructuredDocx } from '../../extract/test-support/make-docx.js';
import { sweepOrphanFiles } from '../orphan-files.js';
import { createS3FileStorage } from './s3-file-storage.js';

const PREFIX = 'deploy-a/';
let s3: FakeS3;
let t: TestApp;
/** This deployment's settings, through the environment's parser as a server reads them. */
const s3Config = () => loadConfig({ ...s3.env, S3_KEY_PREFIX: PREFIX }).s3!;

before(async () => {
  s3 = await startFakeS3();
  t = await buildTestApp({ s3: s3Config() });
});
after(async () => {
  await t?.close();
  await s3?.close();
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const storageKeyOf = async (id: string) => (await t.app.database.db.query.contents.findFirst({ where: (c, { eq }) => eq(c.id, id) }))!.storageKey;
const download = async (id: string) => {
  const res = await t.request('GET', `/api/v1/contents/${id}/file`, { token: t.a.operator.accessToken });
  assert.equal(res.statusCode, 200, res.body);
  return res.rawPayload;
};

/** A real PDF of `size` bytes or a little more: one page of text and an attached file of random bytes. */
async function largePdf(size: number): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  pdf.addPage().drawText('Warehouse inventory ledger for the northern depot', { x: 50, y: 700, size: 12 });
  await pdf.attach(randomBytes(size), 'ledger.bin', { mimeType: 'application/octet-stream' });
  return Buffer.from(await pdf.save({ useObjectStreams: false }));
}

describe('FILE_STORAGE=s3', () => {
  test('a DOCX uploaded over HTTP is an object in the bucket, ingested, searchable, downloaded byte for byte, and deleted with its document', async () => {
    const docx = await makeStructuredDocx();
    const res = await uploadFile(t, t.a.admin.accessToken, 'handbook.docx', docx);
    assert.equal(res.statusCode, 201, res.body);
    const id: string = res.json().id;
    const key = await storageKeyOf(id);
    assert.match(key, new RegExp(`^${t.a.id}/[0-9a-f-]{36}$`));
    assert.deepEqual(s3.objects.get(PREFIX + key)?.body, docx, 'the bucket holds the uploaded bytes, under the deployment’s prefix');
    assert.equal(existsSync(t.config.filesDir) ? readdirSync(t.config.filesDir).length : 0, 0, 'nothing on the local disk');

    const detail = await waitForStatus(t, t.a.admin.accessToken, id, ['completed', 'failed'], 60_000);
    assert.equal(detail.status, 'completed', JSON.stringify(detail));
    const search = await t.request('POST', '/api/v1/search', { token: t.a.operator.accessToken, body: { query: 'paid leave days' } });
    assert.equal(search.statusCode, 200, search.body);
    assert.ok(search.json().results.some((r: { file_id: string }) => r.file_id === id), search.body);
    assert.deepEqual(await download(id), docx);

    const other = await t.request('GET', `/api/v1/contents/${id}/file`, { token: t.b.admin.accessToken });
    assert.equal(other.statusCode, 404, 'another tenant cannot download it');

    const removed = await t.request('DELETE', `/api/v1/contents/${id}`, { token: t.a.admin.accessToken });
    assert.equal(removed.statusCode, 200, removed.body);
    assert.equal(s3.objects.has(PREFIX + key), false, 'the object is gone with its document');
  });

  test('a file larger than one part goes up as a multipart upload and comes back identical', async () => {
    const pdf = await largePdf(11 * 1024 * 1024);
    const before = s3.operations.length;
    const res = await uploadFile(t, t.a.admin.accessToken, 'ledger.pdf', pdf);
    assert.equal(res.statusCode, 201, res.body);
    const id: string = res.json().id;
    const upload = s3.operations.slice(before, s3.operations.indexOf('CompleteMultipartUpload', before) + 1);
    assert.deepEqual(upload, ['CreateMultipartUpload', 'UploadPart', 'UploadPart', 'UploadPart', 'CompleteMultipartUpload'], 'three 5 MiB parts, never one 11 MB body');
    assert.equal(s3.uploads.size, 0, 'no upload left open');

    const detail = await waitForStatus(t, t.a.admin.accessToken, id, ['completed', 'failed'], 60_000);
    assert.equal(detail.status, 'completed', JSON.stringify(detail));
    assert.equal(sha256(await download(id)), sha256(pdf));
    const key = PREFIX + (await storageKeyOf(id));
    assert.equal(s3.objects.get(key)?.body.length, pdf.length);
    assert.equal((await t.request('DELETE', `/api/v1/contents/${id}`, { token: t.a.admin.accessToken })).statusCode, 200);
    assert.equal(s3.objects.has(key), false);
  });

  test('a refused upload (not a supported type) leaves no object behind', async () => {
    const objects = s3.objects.size;
    const res = await uploadFile(t, t.a.admin.accessToken, 'archive.zip', Buffer.concat([Buffer.from([0x50, 0x4b, 0x05, 0x06]), Buffer.alloc(18)]));
    assert.equal(res.statusCode, 415, res.body);
    assert.equal(s3.objects.size, objects);
  });

  test('past 100 MB (streamed) → 413 PAYLOAD_TOO_LARGE, its multipart upload aborted, nothing stored', async () => {
    const objects = s3.objects.size;
    const seen = s3.operations.length;
    const over = streamedUpload('big.txt', 100 * 1024 * 1024 + 1);
    const refused = await t.request('POST', '/api/v1/contents/upload', { token: t.a.admin.accessToken, body: over.stream, headers: { 'content-type': over.contentType } });
    assert.equal(refused.statusCode, 413, refused.body);
    assert.equal(refused.json().error_code, 'PAYLOAD_TOO_LARGE');
    assert.ok(s3.operations.slice(seen).includes('AbortMultipartUpload'), s3.operations.slice(seen).join(' '));
    assert.equal(s3.uploads.size, 0);
    assert.equal(s3.objects.size, objects);
  });

  test('an upload cut off mid-file aborts its multipart upload: no object, no parts left', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (t.app.server.address() as AddressInfo).port;
    const objects = s3.objects.size;
    const seen = s3.operations.length;
    const boundary = 'cut-off-upload';
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/api/v1/contents/upload',
      headers: { authorization: `Bearer ${t.a.admin.accessToken}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(50 * 1024 * 1024) },
    });
    req.on('error', () => {}); // the socket is destroyed on purpose
    req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\nContent-Type: text/plain\r\n\r\n`);
    // Two parts' worth goes up, so a multipart upload has begun, then the client vanishes.
    const block = Buffer.alloc(1024 * 1024, 0x61);
    for (let i = 0; i < 12; i++) await new Promise<void>((resolve) => req.write(block, () => resolve()));
    await eventually(async () => s3.operations.slice(seen).includes('UploadPart'), 'a multipart upload to begin');
    req.destroy();
    await eventually(async () => s3.operations.slice(seen).includes('AbortMultipartUpload'), 'the multipart upload to be aborted');
    assert.equal(s3.uploads.size, 0, 'no parts left');
    assert.equal(s3.objects.size, objects, 'no object was stored');
  });

  test('the orphan sweep removes stale objects no document names and aborts stale unfinished uploads, under its own prefix only', async () => {
    const storage = createS3FileStorage(s3Config());
    const tenantId = randomUUID();
    const stored = await storage.write(tenantId, Readable.from([Buffer.from('left by a server that died before the document row committed')]));
    const client = new S3Client({ region: s3.region, endpoint: s3.origin, forcePathStyle: true, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } });
    const unfinished = await client.send(new CreateMultipartUploadCommand({ Bucket: s3.bucket, Key: `${PREFIX}${tenantId}/${randomUUID()}` }));
    const otherDeployment = await client.send(new CreateMultipartUploadCommand({ Bucket: s3.bucket, Key: `deploy-b/${tenantId}/${randomUUID()}` }));
    const foreign = ['not-ours.txt', `${PREFIX}notes/readme.txt`, `deploy-b/${tenantId}/${randomUUID()}`, `${tenantId}/${randomUUID()}`];
    for (const key of foreign) s3.objects.set(key, { body: Buffer.from('x'), lastModified: new Date(0) });

    assert.equal(await sweepOrphanFiles({ storage, contents: { storageKeysIn: async () => [] } }, new Date(Date.now() - 60_000)), 0, 'nothing is old enough yet');
    assert.ok(s3.uploads.has(unfinished.UploadId!));

    const removed = await sweepOrphanFiles({ storage, contents: { storageKeysIn: async () => [] } }, new Date(Date.now() + 1000));
    assert.equal(removed, 1);
    assert.equal(s3.objects.has(PREFIX + stored.key), false);
    assert.equal(s3.uploads.has(unfinished.UploadId!), false, 'the unfinished upload is aborted');
    for (const key of foreign) assert.ok(s3.objects.has(key), `${key}: not this deployment's, left alone`);
    assert.ok(s3.uploads.has(otherDeployment.UploadId!), 'another deployment’s upload is left alone');
    client.destroy();
  });

  test('a wrong secret is refused by the server: the upload fails without echoing the secret', async () => {
    const wrong = await buildTestApp({ s3: { ...s3Config(), credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: 'wrong-secret-never-shown' } } });
    try {
      const res = await uploadFile(wrong, wrong.a.admin.accessToken, 'note.txt', 'hello');
      assert.equal(res.statusCode, 500);
      assert.doesNotMatch(res.body, /wrong-secret|SignatureDoesNotMatch/);
    } finally {
      await wrong.close();
    }
  });
});
