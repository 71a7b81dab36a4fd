import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { crc32 } from 'node:zlib';
import { startFakeServer } from './fake-server.js';

/**
 * A local stand-in for S3 (path-style, one bucket, objects in memory), for the calls Shiori's
 * storage makes, so tests run the real @aws-sdk/client-s3 and lib-storage:
 * PutObject, CreateMultipartUpload / UploadPart / CompleteMultipartUpload / AbortMultipartUpload,
 * GetObject, HeadObject, DeleteObject, ListObjectsV2 and ListMultipartUploads. Every request must
 * carry a valid AWS Signature V4 for the fake's key pair and region (403 SignatureDoesNotMatch
 * otherwise), and a body whose x-amz-content-sha256 and x-amz-checksum-crc32 match it, as S3 checks.
 */
export interface FakeS3 {
  /** http://127.0.0.1:PORT, for S3_ENDPOINT */
  origin: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The FILE_STORAGE=s3 environment that points a server here. */
  env: Record<string, string>;
  /** Stored objects by key, with the CRC32 they were sent with (GetObject returns it, and the SDK checks the download against it). */
  objects: Map<string, { body: Buffer; lastModified: Date; crc32?: string }>;
  /** Multipart uploads neither completed nor aborted, by upload id. */
  uploads: Map<string, { key: string; initiated: Date; parts: Map<number, Buffer> }>;
  /** One line per request: the S3 operation, e.g. "PutObject", "UploadPart". */
  operations: string[];
  close(): Promise<void>;
}

const xml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
const escapeXml = (text: string) => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();
/** RFC 3986 encoding, as SigV4 canonicalises query strings. */
const uriEncode = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const etagOf = (body: Buffer) => `"${createHash('md5').update(body).digest('hex')}"`;

export async function startFakeS3(): Promise<FakeS3> {
  const bucket = 'shiori-test';
  const region = 'eu-test-1';
  const accessKeyId = `AKFAKE${randomBytes(6).toString('hex').toUpperCase()}`;
  const secretAccessKey = randomBytes(24).toString('base64');
  const objects: FakeS3['objects'] = new Map();
  const uploads: FakeS3['uploads'] = new Map();
  const operations: string[] = [];

  function send(res: ServerResponse, status: number, body = '', headers: Record<string, string> = {}) {
    res.writeHead(status, { ...(body ? { 'content-type': 'application/xml' } : {}), ...headers });
    res.end(body);
  }
  const fail = (res: ServerResponse, status: number, code: string, message: string) =>
    send(res, status, xml(`<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error>`));

  /** Why the request's signature is not the one the fake's secret gives, or null when it is. */
  function signatureProblem(req: IncomingMessage, url: URL, body: Buffer): string | null {
    const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(req.headers.authorization ?? '');
    if (!match) return 'no AWS4-HMAC-SHA256 Authorization header';
    const [, keyId, day, signedRegion, signedHeaders, signature] = match as unknown as string[];
    if (keyId !== accessKeyId) return `unknown access key ${keyId}`;
    if (signedRegion !== region) return `signed for region ${signedRegion}, the bucket is in ${region}`;
    const payloadHash = String(req.headers['x-amz-content-sha256'] ?? '');
    if (payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== sha256(body)) return 'x-amz-content-sha256 does not match the body';
    const amzDate = String(req.headers['x-amz-date'] ?? '');
    if (!amzDate.startsWith(day!)) return 'x-amz-date is not the credential’s day';
    const query = [...url.searchParams]
      .map(([k, v]) => [uriEncode(k), uriEncode(v)])
      .sort(([a, x], [b, y]) => (a! < b! ? -1 : a! > b! ? 1 : x! < y! ? -1 : 1))
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    const headers = signedHeaders!.split(';').map((name) => `${name}:${String(req.headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
    const canonical = [req.method, url.pathname, query, headers, signedHeaders, payloadHash].join('\n');
    const scope = `${day}/${region}/s3/aws4_request`;
    const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
    const key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, day!), region), 's3'), 'aws4_request');
    return createHmac('sha256', key).update(toSign).digest('hex') === signature ? null : 'signature does not match';
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://fake-s3');
    const [, bucketName, ...keyParts] = url.pathname.split('/');
    const key = decodeURIComponent(keyParts.join('/'));
    const q = url.searchParams;
    const method = req.method ?? 'GET';

    const problem = signatureProblem(req, url, body);
    if (problem) return fail(res, 403, 'SignatureDoesNotMatch', problem);
    if (req.headers['content-encoding']?.includes('aws-chunked')) return fail(res, 501, 'NotImplemented', 'aws-chunked bodies are not supported by the fake');
    const crc = req.headers['x-amz-checksum-crc32'];
    if (crc !== undefined && crc !== Buffer.from(crc32(body).toString(16).padStart(8, '0'), 'hex').toString('base64')) return fail(res, 400, 'BadDigest', 'x-amz-checksum-crc32 does not match the body');
    if (bucketName !== bucket) return fail(res, 404, 'NoSuchBucket', `no bucket ${bucketName}`);

    if (!key) {
      if (method === 'GET' && q.get('list-type') === '2') {
        operations.push('ListObjectsV2');
        const maxKeys = Number(q.get('max-keys') ?? 1000);
        const after = q.get('continuation-token') ?? q.get('start-after') ?? '';
        const keys = [...objects.keys()].filter((k) => k > after && k.startsWith(q.get('prefix') ?? '')).sort();
        const page = keys.slice(0, maxKeys);
        const truncated = keys.length > page.length;
        const contents = page.map((k) => {
          const o = objects.get(k)!;
          return `<Contents><Key>${escapeXml(k)}</Key><LastModified>${o.lastModified.toISOString()}</LastModified><ETag>${escapeXml(etagOf(o.body))}</ETag><Size>${o.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
        });
        return send(res, 200, xml(`<ListBucketResult><Name>${bucket}</Name><KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${truncated ? `<NextContinuationToken>${escapeXml(page.at(-1)!)}</NextContinuationToken>` : ''}${contents.join('')}</ListBucketResult>`));
      }
      if (method === 'GET' && q.has('uploads')) {
        operations.push('ListMultipartUploads');
        const listed = [...uploads].filter(([, u]) => u.key.startsWith(q.get('prefix') ?? '')).map(([id, u]) => `<Upload><Key>${escapeXml(u.key)}</Key><UploadId>${id}</UploadId><Initiated>${u.initiated.toISOString()}</Initiated></Upload>`);
        return send(res, 200, xml(`<ListMultipartUploadsResult><Bucket>${bucket}</Bucket><IsTruncated>false</IsTruncated>${listed.join('')}</ListMultipartUploadsResult>`));
      }
      return fail(res, 501, 'NotImplemented', `${method} ${url.search} on the bucket`);
    }

    const uploadId = q.get('uploadId');
    if (method === 'POST' && q.has('uploads')) {
      operations.push('CreateMultipartUpload');
      const id = randomBytes(12).toString('hex');
      uploads.set(id, { key, initiated: new Date(), parts: new Map() });
      return send(res, 200, xml(`<InitiateMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${escapeXml(key)}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`));
    }
    if (uploadId !== null) {
      const upload = uploads.get(uploadId);
      if (!upload || upload.key !== key) return fail(res, 404, 'NoSuchUpload', `no upload ${uploadId}`);
      if (method === 'PUT') {
        operations.push('UploadPart');
        upload.parts.set(Number(q.get('partNumber')), body);
        return send(res, 200, '', { etag: etagOf(body), ...(crc ? { 'x-amz-checksum-crc32': String(crc) } : {}) });
      }
      if (method === 'POST') {
        operations.push('CompleteMultipartUpload');
        const numbers = [...body.toString('utf8').matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map((m) => Number(m[1]));
        if (numbers.length === 0 || numbers.some((n, i) => !upload.parts.has(n) || (i > 0 && n <= numbers[i - 1]!))) return fail(res, 400, 'InvalidPart', 'parts missing or out of order');
        const whole = Buffer.concat(numbers.map((n) => upload.parts.get(n)!));
        objects.set(key, { body: whole, lastModified: new Date() });
        uploads.delete(uploadId);
        return send(res, 200, xml(`<CompleteMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${escapeXml(key)}</Key><ETag>${escapeXml(etagOf(whole))}</ETag></CompleteMultipartUploadResult>`));
      }
      if (method === 'DELETE') {
        operations.push('AbortMultipartUpload');
        uploads.delete(uploadId);
        return send(res, 204);
      }
    }
    const object = objects.get(key);
    switch (method) {
      case 'PUT':
        operations.push('PutObject');
        objects.set(key, { body, lastModified: new Date(), crc32: crc === undefined ? undefined : String(crc) });
        return send(res, 200, '', { etag: etagOf(body) });
      case 'GET':
      case 'HEAD': {
        operations.push(method === 'GET' ? 'GetObject' : 'HeadObject');
        if (!object) return method === 'GET' ? fail(res, 404, 'NoSuchKey', 'The specified key does not exist.') : send(res, 404);
        const headers: Record<string, string> = { 'content-type': 'application/octet-stream', 'content-length': String(object.body.length), etag: etagOf(object.body), 'last-modified': object.lastModified.toUTCString() };
        if (object.crc32 && req.headers['x-amz-checksum-mode'] === 'ENABLED') headers['x-amz-checksum-crc32'] = object.crc32;
        res.writeHead(200, headers);
        return void res.end(method === 'GET' ? object.body : undefined);
      }
      case 'DELETE':
        operations.push('DeleteObject');
        objects.delete(key);
        return send(res, 204);
      default:
        return fail(res, 501, 'NotImplemented', `${method} on an object`);
    }
  }

  const server = await startFakeServer(handle);
  return {
    origin: server.origin,
    bucket,
    region,
    accessKeyId,
    secretAccessKey,
    env: {
      FILE_STORAGE: 's3',
      S3_BUCKET: bucket,
      S3_REGION: region,
      S3_ENDPOINT: server.origin,
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: accessKeyId,
      S3_SECRET_ACCESS_KEY: secretAccessKey,
    },
    objects,
    uploads,
    operations,
    close: server.close,
  };
}
