import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { uniqueName } from './unique-name.js';

/** The local stack's S3 API (S3Proxy, filesystem backend), with the fixed test credentials of scripts/lib.sh. */
export const localS3 = {
  endpoint: process.env.TEST_S3_ENDPOINT ?? 'http://127.0.0.1:9000',
  accessKeyId: 'local-identity',
  secretAccessKey: 'local-credential',
  region: 'us-east-1',
  client(): S3Client {
    return new S3Client({
      endpoint: this.endpoint,
      region: this.region,
      forcePathStyle: true,
      credentials: { accessKeyId: this.accessKeyId, secretAccessKey: this.secretAccessKey },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  },
  /** Creates a bucket no other test uses. */
  async createBucket(): Promise<string> {
    const bucket = uniqueName('archive').toLowerCase();
    const client = this.client();
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    client.destroy();
    return bucket;
  },
  /** The downloader's environment for that bucket. */
  env(bucket: string): Record<string, string> {
    return {
      ARCHIVE_S3_BUCKET: bucket,
      ARCHIVE_S3_PREFIX: 'dyte/',
      ARCHIVE_S3_ENDPOINT: this.endpoint,
      ARCHIVE_S3_REGION: this.region,
      ARCHIVE_S3_ACCESS_KEY_ID: this.accessKeyId,
      ARCHIVE_S3_SECRET_ACCESS_KEY: this.secretAccessKey,
      ARCHIVE_S3_FORCE_PATH_STYLE: 'true',
    };
  },
};
