import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  paginateListObjectsV2,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { fileGone, STORAGE_KEY_PATTERN, uploadMeter, type FileStorage } from './file-storage.js';

export interface S3StorageConfig {
  bucket: string;
  region: string;
  /** Another S3-compatible server (MinIO, R2, Ceph…); AWS's own endpoint for the region when unset. */
  endpoint?: string;
  /** bucket in the path (endpoint/bucket/key) instead of the host name (bucket.endpoint/key): MinIO and most self-hosted servers. */
  forcePathStyle: boolean;
  /** Static keys; unset, the SDK's default chain (AWS_* variables, ~/.aws, the instance or task role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Put before every object key ("" or "…/"), so several deployments can share a bucket without sweeping each other's files. */
  keyPrefix: string;
}

/**
 * An upload is cut into parts of this size, at most QUEUE_SIZE of them in memory at once: 10 MiB
 * per upload in flight, whatever the file's size (S3 needs each part's length before sending it).
 * A file smaller than one part goes up in a single PutObject.
 */
const PART_SIZE = 5 * 1024 * 1024;
const QUEUE_SIZE = 2;

/** Objects at "<prefix><tenant id>/<uuid>" in one bucket. Only complete objects exist: a multipart upload that fails is aborted. */
export function createS3FileStorage(config: S3StorageConfig): FileStorage {
  const client = new S3Client({
    region: config.region,
    endpoint: config.endpoint,
    forcePathStyle: config.forcePathStyle,
    credentials: config.credentials,
  });
  const Bucket = config.bucket;
  const prefix = config.keyPrefix;
  /** The object key of a storage key; the storage key of an object key that is ours, else undefined. */
  const objectKey = (key: string) => {
    if (!STORAGE_KEY_PATTERN.test(key)) throw new Error(`Invalid storage key: ${key}`);
    return prefix + key;
  };
  const storageKey = (object: string | undefined) => {
    const key = object?.startsWith(prefix) ? object.slice(prefix.length) : undefined;
    return key !== undefined && STORAGE_KEY_PATTERN.test(key) ? key : undefined;
  };

  async function open(key: string): Promise<Readable> {
    try {
      const object = await client.send(new GetObjectCommand({ Bucket, Key: objectKey(key) }));
      return object.Body as Readable;
    } catch (error) {
      if (error instanceof S3ServiceException && (error.name === 'NoSuchKey' || error.$metadata.httpStatusCode === 404)) throw fileGone(key);
      throw error;
    }
  }

  return {
    async write(tenantId, stream) {
      const key = `${tenantId}/${randomUUID()}`;
      const { meter, measured } = uploadMeter();
      // A client that goes away, or a file past the size limit, fails the upload (which is then aborted).
      stream.once('error', (error) => meter.destroy(error));
      stream.pipe(meter);
      const upload = new Upload({ client, params: { Bucket, Key: objectKey(key), Body: meter, ContentType: 'application/octet-stream' }, partSize: PART_SIZE, queueSize: QUEUE_SIZE });
      try {
        await upload.done();
      } catch (error) {
        stream.unpipe(meter);
        meter.destroy();
        throw error;
      }
      return { key, ...measured() };
    },
    read: open,
    async withLocalFile(key, use) {
      const body = await open(key);
      const dir = await mkdtemp(join(tmpdir(), 'shiori-s3-'));
      try {
        const path = join(dir, 'file');
        await pipeline(body, createWriteStream(path, { flags: 'wx' }));
        return await use(path);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: objectKey(key) }));
    },
    async staleKeys(cutoff) {
      const stale = new Map<string, string[]>();
      for await (const page of paginateListObjectsV2({ client }, { Bucket, Prefix: prefix || undefined })) {
        for (const object of page.Contents ?? []) {
          const key = storageKey(object.Key);
          if (!key || !object.LastModified || object.LastModified >= cutoff) continue;
          const tenantId = key.slice(0, 36);
          if (!stale.has(tenantId)) stale.set(tenantId, []);
          stale.get(tenantId)!.push(key);
        }
      }
      // A process killed mid-upload leaves its multipart upload open (its parts are stored and billed).
      let marker: { KeyMarker?: string; UploadIdMarker?: string } = {};
      for (;;) {
        const page = await client.send(new ListMultipartUploadsCommand({ Bucket, Prefix: prefix || undefined, ...marker }));
        for (const upload of page.Uploads ?? []) {
          if (!storageKey(upload.Key) || !upload.Initiated || upload.Initiated >= cutoff) continue;
          await client.send(new AbortMultipartUploadCommand({ Bucket, Key: upload.Key, UploadId: upload.UploadId }));
        }
        if (!page.IsTruncated) break;
        marker = { KeyMarker: page.NextKeyMarker, UploadIdMarker: page.NextUploadIdMarker };
      }
      return stale;
    },
  };
}

