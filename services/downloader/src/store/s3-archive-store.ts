import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand, HeadBucketCommand, HeadObjectCommand, S3Client, type HeadObjectCommandOutput } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { ArchiveConflictError } from './archive-conflict-error.js';
import type { ArchiveStore, StoredFile } from './archive-store.js';
import { sha256Of } from './sha256-of.js';

/** Where and how to reach an S3-compatible bucket. */
export interface S3StoreOptions {
  bucket: string;
  /** Prefix of every key, e.g. `dyte/`; empty for none. */
  prefix: string;
  /** Endpoint of an S3-compatible API (MinIO, R2, S3Proxy); unset for AWS. */
  endpoint: string | undefined;
  region: string;
  /** Unset means the SDK's default credential chain (environment, instance role). */
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
  forcePathStyle: boolean;
  /** Folder for partial downloads before upload (local disk, so interrupted downloads can resume). */
  partialDir: string;
}

/**
 * The archive as an S3-compatible bucket. A download is completed on local disk first (resumable), then uploaded
 * in parts from the file: the object only appears once the whole upload completes, so it is never partial. An
 * object is never replaced: the upload is conditional (`If-None-Match: *`, on the PUT or on the multipart
 * completion) and carries its SHA-256 as metadata (`x-amz-meta-sha256`), so an object already there is told apart
 * as the same file (archived) or a different one (EXISTS_DIFFERENT).
 */
export function s3ArchiveStore(options: S3StoreOptions): ArchiveStore & { client: S3Client } {
  const client = new S3Client({
    region: options.region,
    endpoint: options.endpoint,
    forcePathStyle: options.forcePathStyle,
    credentials: options.credentials,
    // The SDK waits forever by default: a stalled upload would hold its job (and a worker slot) for good.
    requestHandler: { connectionTimeout: 10_000, requestTimeout: 120_000 },
    // S3-compatible servers (S3Proxy, older MinIO) refuse the SDK's newer default checksum headers with 501;
    // the archive computes its own SHA-256 of every file anyway.
    ...(options.endpoint ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } : {}),
  });
  const head = async (key: string): Promise<HeadObjectCommandOutput | null> => {
    try {
      return await client.send(new HeadObjectCommand({ Bucket: options.bucket, Key: key }));
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  };
  /** Returns when the object under `key` holds the same content as `file`; throws ArchiveConflictError otherwise. */
  const expectSameObject = async (key: string, object: HeadObjectCommandOutput, file: StoredFile, location: string) => {
    const bytes = object.ContentLength ?? -1;
    let sha256: string | null = object.Metadata?.sha256 ?? null;
    // An object stored without the metadata (before it was written): same size, then read it and compare.
    if (sha256 === null && bytes === file.bytes) {
      const body = await client.send(new GetObjectCommand({ Bucket: options.bucket, Key: key }));
      sha256 = await sha256Of(body.Body as AsyncIterable<Uint8Array>);
    }
    if (bytes === file.bytes && sha256 === file.sha256) return;
    throw new ArchiveConflictError(location, { bytes, sha256 }, { bytes: file.bytes, sha256: file.sha256 });
  };
  return {
    client,
    partialDir: join(options.partialDir, '.partial'),
    async *read(location) {
      const prefix = `s3://${options.bucket}/`;
      if (!location.startsWith(prefix)) throw new Error(`${location} is not in bucket ${options.bucket}`);
      const object = await client.send(new GetObjectCommand({ Bucket: options.bucket, Key: location.slice(prefix.length) }));
      // In Node the body is a Readable: read chunk by chunk, never whole.
      for await (const chunk of object.Body as AsyncIterable<Uint8Array>) yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    },
    async check() {
      try {
        await client.send(new HeadBucketCommand({ Bucket: options.bucket }));
      } catch (error) {
        const status = statusOf(error);
        throw new Error(`archive bucket ${options.bucket} is not usable (HTTP ${status ?? '?'}: ${(error as Error).name})`, { cause: error });
      }
    },
    async put(key, completeFile, file) {
      const objectKey = `${options.prefix}${key}`;
      const location = `s3://${options.bucket}/${objectKey}`;
      // Some S3-compatible servers (S3Proxy 2.6 among them) ignore If-None-Match and would overwrite: look first.
      // Between this look and the upload only the conditional header protects, where the server honours it.
      const existing = await head(objectKey);
      if (existing) {
        await expectSameObject(objectKey, existing, file, location);
      } else {
        // 16 MiB parts, two at a time: memory stays bounded whatever the file size.
        const upload = new Upload({
          client,
          params: {
            Bucket: options.bucket,
            Key: objectKey,
            Body: createReadStream(completeFile),
            ContentType: file.contentType ?? undefined,
            Metadata: { sha256: file.sha256 },
            IfNoneMatch: '*',
          },
          partSize: 16 * 1024 * 1024,
          queueSize: 2,
          leavePartsOnError: false,
        });
        try {
          await upload.done();
        } catch (error) {
          if (statusOf(error) !== 412) throw error;
          // Another upload got there first: the same file is archived; a different one is a conflict.
          const winner = await head(objectKey);
          if (!winner) throw error;
          await expectSameObject(objectKey, winner, file, location);
        }
      }
      await rm(completeFile, { force: true });
      return location;
    },
  };
}

/** The HTTP status of an SDK error, if it got an answer. */
function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}
