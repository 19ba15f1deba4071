import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { ArchiveStore } from './archive-store.js';

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
 * in parts from the file: the object only appears once the whole upload completes, so it is never partial.
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
  return {
    client,
    partialDir: join(options.partialDir, '.partial'),
    async check() {
      try {
        await client.send(new HeadBucketCommand({ Bucket: options.bucket }));
      } catch (error) {
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        throw new Error(`archive bucket ${options.bucket} is not usable (HTTP ${status ?? '?'}: ${(error as Error).name})`, { cause: error });
      }
    },
    async put(key, completeFile, contentType) {
      const objectKey = `${options.prefix}${key}`;
      // 16 MiB parts, two at a time: memory stays bounded whatever the file size.
      const upload = new Upload({
        client,
        params: { Bucket: options.bucket, Key: objectKey, Body: createReadStream(completeFile), ContentType: contentType ?? undefined },
        partSize: 16 * 1024 * 1024,
        queueSize: 2,
        leavePartsOnError: false,
      });
      await upload.done();
      await rm(completeFile, { force: true });
      return `s3://${options.bucket}/${objectKey}`;
    },
  };
}
